"""Callers' credentials as the gateway stores them, whichever vendor's scheme they serve.

Secrets that are only ever compared are stored as hashes (`secret_hash`); a secret the server
must use as a key (Waiqin's appkey feeds an MD5 digest) is kept in `secret`; a Yitu credential
also holds the RSA private key that opens its clients' signatures.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}


def hash_secret(value: str, *, slow: bool = False) -> str:
    """sha256 for generated high-entropy secrets; scrypt for passwords a person may choose."""
    if slow:
        salt = secrets.token_bytes(16)
        digest = hashlib.scrypt(value.encode(), salt=salt, **_SCRYPT)
        return f"scrypt${salt.hex()}${digest.hex()}"
    return "sha256$" + hashlib.sha256(value.encode()).hexdigest()


def verify_secret(value: str, stored: str | None) -> bool:
    """Constant-time check of `value` against a `hash_secret` result."""
    if not stored:
        return False
    scheme, _, rest = stored.partition("$")
    if scheme == "sha256":
        candidate = hashlib.sha256(value.encode()).hexdigest()
        return hmac.compare_digest(candidate, rest)
    if scheme == "scrypt":
        salt_hex, _, digest_hex = rest.partition("$")
        derived = hashlib.scrypt(value.encode(), salt=bytes.fromhex(salt_hex), **_SCRYPT)
        return hmac.compare_digest(derived.hex(), digest_hex)
    return False


class Vendor(StrEnum):
    sensetime = "sensetime"
    yitu = "yitu"
    waiqin = "waiqin"
    netocr = "netocr"
    admin = "admin"  # the gateway's own admin console (/console), no vendor's API


class Credential(BaseModel):
    model_config = ConfigDict(frozen=True)

    vendor: Vendor
    principal: str  # SenseTime username, Yitu access id, Waiqin openid, netocr key
    secret_hash: str | None = None
    secret: str | None = None
    private_key_pem: str | None = None
    public_key_pem: str | None = None
    grants: tuple[str, ...] | None = None  # None: every API
    created: float = 0.0

    def allows(self, *names: str) -> bool:
        """Whether any of `names` (an API, or its service-qualified name) is granted."""
        return self.grants is None or any(name in self.grants for name in names)

    def check_secret(self, value: str) -> bool:
        return verify_secret(value, self.secret_hash)
