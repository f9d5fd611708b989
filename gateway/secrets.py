"""The deployment key, and the sealer that signs and encrypts with keys derived from it."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def deployment_key(data_dir: Path) -> bytes:
    """The key that seals tokens, contexts and features; made once, readable only by us.

    Every worker and host of one deployment must share it (copy `secret.key` with the data
    directory), or a feature sealed by one is refused by another.
    """
    path = data_dir / "secret.key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(secrets.token_bytes(32))
    return path.read_bytes()


class HmacSealer:
    """HMAC-SHA256 and AES-256-GCM with per-purpose derived keys, so that what was sealed for
    one use fits no other."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def _subkey(self, label: str) -> bytes:
        return hmac.new(self._key, label.encode(), hashlib.sha256).digest()

    def sign(self, purpose: str, data: bytes) -> bytes:
        return hmac.new(self._subkey(purpose), data, hashlib.sha256).digest()

    def verify(self, purpose: str, data: bytes, mac: bytes) -> bool:
        return hmac.compare_digest(self.sign(purpose, data), mac)

    def encrypt(self, purpose: str, data: bytes) -> bytes:
        nonce = secrets.token_bytes(12)
        return nonce + AESGCM(self._subkey("encrypt:" + purpose)).encrypt(nonce, data, None)

    def decrypt(self, purpose: str, blob: bytes) -> bytes | None:
        """The plaintext, or None when `blob` was not encrypted by us for `purpose`."""
        try:
            return AESGCM(self._subkey("encrypt:" + purpose)).decrypt(blob[:12], blob[12:], None)
        except (InvalidTag, ValueError):
            return None
