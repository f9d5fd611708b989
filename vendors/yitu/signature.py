"""The plaintext inside Yitu's `x-signature` (seed 001 §7.3.1, table 7.2; PROTOCOLS.md).

    AccessKey (32 bytes) ‖ MD5 of the body as 32 hex chars ‖ Unix time, 4-byte big-endian
    ‖ 8 random bytes ‖ customer content (UTF-8, at most 41 bytes)

It is RSA-encrypted with PKCS#1 v1.5 padding and hex-encoded; a 1024-bit key gives 128 bytes,
256 hex characters, and admits at most 117 bytes of plaintext, hence the 41-byte limit. The
client (vendors/yitu/client.py) composes it; the gateway (vendors/yitu/auth.py) parses it.

Real clients vary the layout (PROTOCOLS.md "What real clients send"), and the gateway reads
each variant as what it is: hex in either case; the time little-endian (PHP); the 8 random
bytes ASCII alphanumerics; the MD5 slot as `bin2hex(substr(md5(body), 8, 16))` (PHP).
"""

from __future__ import annotations

import hashlib
import os
import struct
import time
from dataclasses import dataclass, field

ACCESS_KEY_BYTES = 32
MD5_HEX_BYTES = 32
NONCE_BYTES = 8
CONTENT_MAX_BYTES = 41
_FIXED = ACCESS_KEY_BYTES + MD5_HEX_BYTES + 4 + NONCE_BYTES


class MalformedSignature(ValueError):
    """The decrypted plaintext does not have the layout of table 7.2."""


def body_md5(body: bytes) -> str:
    return hashlib.md5(body).hexdigest()


def body_digests(body: bytes) -> tuple[str, str]:
    """What the MD5 slot may hold: md5hex(body), or PHP clients'
    `bin2hex(substr(md5(body), 8, 16))` (the middle 16 hex characters, hex-encoded again)."""
    full = body_md5(body)
    return full, full[8:24].encode().hex()


@dataclass(frozen=True)
class SignedContent:
    access_key: str
    body_md5: str  # 32 hex characters, either case
    timestamp: int = field(default_factory=lambda: int(time.time()))
    nonce: bytes = field(default_factory=lambda: os.urandom(NONCE_BYTES))
    content: bytes = b""  # the customer's own bytes
    little_endian: bool = False  # how the 4 time bytes are laid out (PHP clients: little)

    def compose(self) -> bytes:
        key = self.access_key.encode()
        digest = self.body_md5.encode()
        if len(key) != ACCESS_KEY_BYTES:
            raise ValueError(f"AccessKey must be {ACCESS_KEY_BYTES} bytes")
        if len(digest) != MD5_HEX_BYTES:
            raise ValueError(f"body MD5 must be {MD5_HEX_BYTES} hex characters")
        if len(self.nonce) != NONCE_BYTES:
            raise ValueError(f"the random part must be {NONCE_BYTES} bytes")
        if len(self.content) > CONTENT_MAX_BYTES:
            raise ValueError(f"customer content is limited to {CONTENT_MAX_BYTES} bytes")
        order = "<I" if self.little_endian else ">I"
        return key + digest + struct.pack(order, self.timestamp) + self.nonce + self.content

    @property
    def timestamps(self) -> tuple[int, int]:
        """The 4 time bytes read big-endian (the Java sample) and little-endian (PHP)."""
        raw = struct.pack("<I" if self.little_endian else ">I", self.timestamp)
        return struct.unpack(">I", raw)[0], struct.unpack("<I", raw)[0]

    @classmethod
    def parse(cls, plaintext: bytes) -> SignedContent:
        if not _FIXED <= len(plaintext) <= _FIXED + CONTENT_MAX_BYTES:
            raise MalformedSignature(f"signed content is {len(plaintext)} bytes")
        try:
            key = plaintext[:ACCESS_KEY_BYTES].decode("ascii")
            digest = plaintext[ACCESS_KEY_BYTES:64].decode("ascii")
        except UnicodeDecodeError as exc:
            raise MalformedSignature("AccessKey or MD5 is not text") from exc
        (timestamp,) = struct.unpack(">I", plaintext[64:68])
        return cls(
            access_key=key,
            body_md5=digest,
            timestamp=timestamp,
            nonce=plaintext[68:_FIXED],
            content=plaintext[_FIXED:],
        )
