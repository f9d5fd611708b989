"""SenseTime's two call modes (seed 000 §1.1).

Open mode needs no header. Account mode: an API account logs in at `/guns/mgr/login` and sends
`authorization: Basic <token>` on every call; the token is sealed by the deployment key, expires,
and is checked against the account's current grants (STEP7), so a removed account or a revoked
grant takes effect at once.
"""

from __future__ import annotations

from starlette.requests import Request

from contracts.credentials import Credential, Vendor
from contracts.errors import ErrorKind, IdfError
from vendors.common.services import Services
from vendors.common.tokens import seal, unseal

TOKEN_PURPOSE = "sensetime-login"
API_ACCOUNT = "2"  # accountType of an API account (STEP10)


def login(services: Services, username: str, password: str, account_type: str) -> str:
    """A fresh token for a valid API account, or an auth error that says nothing more."""
    credential = services.credentials.get(Vendor.sensetime, username)
    if credential is None or account_type != API_ACCOUNT or not credential.check_secret(password):
        raise IdfError(ErrorKind.auth, "username or password is wrong")
    return seal(
        services.sealer,
        TOKEN_PURPOSE,
        {"u": username},
        ttl=services.settings.sensetime_token_ttl,
    )


def authorize(services: Services, request: Request, service: str, api: str) -> Credential | None:
    """The calling account in account mode (None in open mode), checked for this API."""
    if services.settings.sensetime_auth == "open":
        return None
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "basic" or not token.strip():
        raise IdfError(ErrorKind.auth, "authorization header is missing")
    try:
        payload = unseal(services.sealer, TOKEN_PURPOSE, token.strip())
    except IdfError as exc:
        raise IdfError(ErrorKind.auth, "token is invalid or expired") from exc
    credential = services.credentials.get(Vendor.sensetime, str(payload.get("u")))
    if credential is None:
        raise IdfError(ErrorKind.auth, "account no longer exists")
    if not credential.allows(api, f"{service}/{api}", service):
        raise IdfError(ErrorKind.forbidden, f"{service}/{api}")
    return credential
