"""The deployment key and the MAC sealer built on it."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path


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
    """HMAC-SHA256 with a per-purpose derived key, so a MAC for one use fits no other."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def sign(self, purpose: str, data: bytes) -> bytes:
        subkey = hmac.new(self._key, purpose.encode(), hashlib.sha256).digest()
        return hmac.new(subkey, data, hashlib.sha256).digest()

    def verify(self, purpose: str, data: bytes, mac: bytes) -> bool:
        return hmac.compare_digest(self.sign(purpose, data), mac)
