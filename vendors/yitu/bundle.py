"""idfacade's capture bundle: the open stand-in for the Yitu SDK's encrypted "大礼包" (seed 001
§7.3.2, §9.1; PROTOCOLS.md).

A bundle carries the frames a capture app took (the frontal face first, then action and
anti-screen frames) and the customer's own content, and is authenticated, so a bundle that
was altered or made without the AccessKey is refused (`is_valid_package: false`). It is not
encrypted: docs/yitu.md documents the layout for anyone to write a packer. All integers are
big-endian; the request carries the bundle in base64.

    magic       4 bytes   b"IDFB"
    version     1 byte    1
    header_len  4 bytes
    header      UTF-8 JSON {"access_id": str, "created": int (Unix seconds),
                            "content": str, "frames": [byte length of each frame, …]}
    frames      the image files (JPEG or PNG), concatenated in the header's order
    mac         32 bytes  HMAC-SHA256 of everything above, keyed with SHA-256(AccessKey)
"""

from __future__ import annotations

import hashlib
import hmac
import json
import struct
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from vendors.common.jsontext import BadJson, parse_json

MAGIC = b"IDFB"
VERSION = 1
MAX_FRAMES = 16
MAX_HEADER = 64 * 1024
_MAC = 32
_PREFIX = struct.Struct(">4sBI")


class InvalidBundle(ValueError):
    """Not a bundle, a damaged one, or one whose MAC does not verify."""


@dataclass(frozen=True)
class Bundle:
    access_id: str
    created: int
    content: str
    frames: tuple[bytes, ...]


def bundle_key(access_key: str) -> bytes:
    """The MAC key: SHA-256 of the AccessKey, which is also what the gateway stores of it."""
    return hashlib.sha256(access_key.encode()).digest()


def pack(
    frames: Sequence[bytes],
    *,
    access_id: str,
    access_key: str,
    content: str = "",
    created: int | None = None,
) -> bytes:
    if not 1 <= len(frames) <= MAX_FRAMES or not all(frames):
        raise ValueError(f"a bundle holds 1 to {MAX_FRAMES} non-empty frames")
    header = json.dumps(
        {
            "access_id": access_id,
            "created": int(time.time()) if created is None else created,
            "content": content,
            "frames": [len(frame) for frame in frames],
        },
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()
    body = _PREFIX.pack(MAGIC, VERSION, len(header)) + header + b"".join(frames)
    return body + hmac.new(bundle_key(access_key), body, hashlib.sha256).digest()


def unpack(data: bytes, key_for: Callable[[str], bytes | None]) -> Bundle:
    """The bundle in `data`, authenticated with the key `key_for(access_id)` returns."""
    if len(data) < _PREFIX.size + _MAC:
        raise InvalidBundle("too short")
    magic, version, header_len = _PREFIX.unpack_from(data)
    if magic != MAGIC or version != VERSION or header_len > MAX_HEADER:
        raise InvalidBundle("not an idfacade capture bundle of version 1")
    body, mac = data[:-_MAC], data[-_MAC:]
    header = _header(body[_PREFIX.size : _PREFIX.size + header_len])
    key = key_for(header["access_id"])
    if key is None or not hmac.compare_digest(hmac.new(key, body, hashlib.sha256).digest(), mac):
        raise InvalidBundle("authentication failed")
    frames, offset = [], _PREFIX.size + header_len
    for length in header["frames"]:
        frames.append(body[offset : offset + length])
        offset += length
    if offset != len(body):
        raise InvalidBundle("frame lengths do not add up")
    return Bundle(header["access_id"], header["created"], header["content"], tuple(frames))


def _header(raw: bytes) -> dict:
    try:
        header = parse_json(raw)
    except BadJson as exc:
        raise InvalidBundle("header is not JSON") from exc
    if not isinstance(header, dict):
        raise InvalidBundle("header is not a JSON object")
    frames = header.get("frames")
    if (
        not isinstance(header.get("access_id"), str)
        or not isinstance(header.get("created"), int)
        or not isinstance(header.get("content"), str)
        or not isinstance(frames, list)
        or not 1 <= len(frames) <= MAX_FRAMES
        or not all(isinstance(n, int) and n > 0 for n in frames)
    ):
        raise InvalidBundle("header fields are missing or of the wrong type")
    return header
