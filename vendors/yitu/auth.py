"""Yitu's request signature: `x-access-id` and `x-signature` (seed 001 §7.3.1; PROTOCOLS.md).

The gateway holds each access id's RSA private key, decrypts the signature, and checks in turn
the AccessKey and the time (± `yitu_max_skew`), both on the headers before a byte of the body
is read, then the MD5 of the exact body bytes and the 8 random bytes (each accepted once within
the window). Every failure answers the same code and message (vendors/yitu/errors.py), so an
answer tells nobody which access ids exist or which check failed; the log says which. An
unknown access id's signature is still decrypted, with a key no access id has, so that its
refusal takes the RSA decryption's time too and timing does not tell either.
Private clouds often run unsigned, with any 32-character value in `x-signature` (§9.1 sample
header): `yitu_signature = "off"` skips it all.
"""

from __future__ import annotations

import binascii
import contextlib
import functools
import hmac
import time

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from starlette.requests import Request

from contracts.credentials import Credential, Vendor
from contracts.errors import ErrorKind, IdfError
from vendors.common.conformance import note
from vendors.common.routing import Api, Body, Caller
from vendors.common.services import Services
from vendors.yitu import spec
from vendors.yitu.signature import SignedContent, body_digests

ACCESS_ID_MAX = 16  # bytes (table 7.1)
STRANGER_KEY_BITS = 2048  # what `idfacade credentials add yitu` issues (gateway/credentials.py)


class SignatureAuth:
    """The facade's Auth: the access id and the signature's shape are checked on the
    headers, before the body is read; then the signature is opened and bound to the body."""

    def __init__(self, services: Services) -> None:
        self.services = services

    async def verify(self, request: Request, body: Body, api: Api) -> Caller:
        if self.services.settings.yitu_signature == "off":
            return Caller()
        access_id = request.headers.get("x-access-id", "").strip()
        if not access_id or len(access_id.encode()) > ACCESS_ID_MAX:
            raise IdfError(
                ErrorKind.auth, "x-access-id is missing or too long", field="x-access-id"
            )
        credential = self.services.credentials.get(Vendor.yitu, access_id)
        if credential is None or credential.private_key_pem is None:
            _open_as_a_stranger(request.headers.get("x-signature", ""))
            raise IdfError(ErrorKind.auth, f"{access_id} is not known", field="x-access-id")
        signed = _open(credential.private_key_pem, request.headers.get("x-signature", ""))
        open_header(self.services, credential, signed)
        data = await body.read()
        caller = check(self.services, credential, signed, data, api.name)
        skew = self.services.settings.yitu_max_skew
        note(request, self.services, lambda: spec.signature_findings(signed, data, skew))
        return caller


def open_header(services: Services, credential: Credential, signed: SignedContent) -> None:
    """The AccessKey and the time: what the headers alone can prove, before the body."""
    if not credential.check_secret(signed.access_key):
        raise IdfError(ErrorKind.auth, "AccessKey does not match", field="x-signature")
    skew = services.settings.yitu_max_skew
    now = time.time()
    if not any(abs(now - moment) <= skew for moment in signed.timestamps):
        raise IdfError(ErrorKind.auth, f"timestamp is not within {skew:g}s", field="x-signature")


def check(
    services: Services, credential: Credential, signed: SignedContent, body: bytes, api: str
) -> Caller:
    """The verified caller of `api`, or an `auth`, `replay` or `forbidden` error.

    Two layouts are seen from real clients and both bind the body and the time (PROTOCOLS.md
    "What real clients send"): the MD5 slot holds md5hex(body), or as PHP clients write it
    `bin2hex(substr(md5(body), 8, 16))`; the time is big-endian, or little-endian. Each
    alternative is a different reading of the same bytes, never a skipped check.
    """
    access_id = credential.principal
    open_header(services, credential, signed)  # for callers that did not check it first
    slot = signed.body_md5.lower()
    if not any(hmac.compare_digest(slot, digest) for digest in body_digests(body)):
        raise IdfError(ErrorKind.auth, "MD5 does not match the body", field="x-signature")
    skew = services.settings.yitu_max_skew
    # A signature stays acceptable until its timestamp is `skew` old, at most 2 × skew from now.
    if not services.replay.first_use(f"yitu:{access_id}", signed.nonce.hex(), 2 * skew):
        raise IdfError(ErrorKind.replay, "random bytes were seen before", field="x-signature")
    if not credential.allows(api):
        raise IdfError(ErrorKind.forbidden, api)
    return Caller(credential, signed.content)


def _open(private_key_pem: str, signature: str) -> SignedContent:
    """Decrypt and parse the hex signature (the Java sample writes upper case; either is fine)."""
    key = _private_key(private_key_pem)
    try:
        ciphertext = binascii.unhexlify(signature.strip())
    except (binascii.Error, ValueError) as exc:
        raise IdfError(ErrorKind.auth, "x-signature is not hex", field="x-signature") from exc
    if len(ciphertext) != key.key_size // 8:
        raise IdfError(
            ErrorKind.auth, f"x-signature must be {key.key_size // 4} hex", field="x-signature"
        )
    try:
        return SignedContent.parse(key.decrypt(ciphertext, padding.PKCS1v15()))
    except ValueError as exc:  # a failed decryption, or MalformedSignature
        raise IdfError(ErrorKind.auth, "x-signature does not decrypt", field="x-signature") from exc


def _open_as_a_stranger(signature: str) -> None:
    """Spend on an unknown access id's signature what opening a known one's costs."""
    with contextlib.suppress(IdfError):
        _open(_stranger_key(), signature)


@functools.cache
def _stranger_key() -> str:
    """A private key of the size the gateway issues, made once per process, held by no one."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=STRANGER_KEY_BITS)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return pem.decode()


@functools.lru_cache(maxsize=256)
def _private_key(pem: str) -> rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise IdfError(ErrorKind.internal, "credential key is not RSA")
    return key
