"""Callers' credentials as the gateway stores them, whichever vendor's scheme they serve.

Secrets that are only ever compared are stored as hashes (`secret_hash`); a secret the server
must use as a key (Waiqin's appkey feeds an MD5 digest) is kept in `secret`; a Yitu credential
also holds the RSA private key that opens its clients' signatures.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Vendor(StrEnum):
    sensetime = "sensetime"
    yitu = "yitu"
    waiqin = "waiqin"
    netocr = "netocr"


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

    def allows(self, api: str) -> bool:
        return self.grants is None or api in self.grants
