"""netocr's key + secret (seed 003: `key` 用户ocrKey, `secret` 用户ocrSecrert), sent as form
fields with the images, so the form is read before anything can be checked.

The store keeps only the secret's SHA-256 (`idfacade credentials add netocr`), compared in
constant time (contracts.credentials.verify_secret). The format is read first, so that a
refused caller is answered in the format it asked for.
"""

from __future__ import annotations

from starlette.requests import Request

from contracts.credentials import Vendor
from contracts.errors import ErrorKind, IdfError
from vendors.common.params import read_params
from vendors.common.routing import Api, Body, Caller
from vendors.common.services import Services
from vendors.netocr.formats import read_format

# Misspellings of widely copied clients (docs/PROTOCOLS.md "What real clients send").
ALIASES = {"typeID": "typeId", "formate": "format"}


class KeySecretAuth:
    def __init__(self, services: Services) -> None:
        self.services = services

    async def verify(self, request: Request, body: Body, api: Api) -> Caller:
        await body.read()  # refuses an oversized body by its length before parsing it
        params = await read_params(request, max_part_bytes=body.limit, aliases=ALIASES)
        read_format(request, params)
        key = params.text("key", required=True) or ""
        secret = params.text("secret", required=True) or ""
        credential = self.services.credentials.get(Vendor.netocr, key.strip())
        if credential is None:
            raise IdfError(ErrorKind.auth, "unknown key", field="key")
        if not credential.check_secret(secret.strip()):
            raise IdfError(ErrorKind.auth, "secret does not match", field="secret")
        if not credential.allows(api.name):
            raise IdfError(ErrorKind.forbidden, api.name)
        return Caller(credential)
