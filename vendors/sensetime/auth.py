"""SenseTime's two call modes (seed 000 §1.1).

Open mode needs no header. Account mode: an API account logs in at `/guns/mgr/login` and sends
`authorization: Basic <token>` on every call; the token is sealed by the deployment key, expires,
and is checked against the account's current grants (STEP7), so a removed account or a revoked
grant takes effect at once. The token is checked on the headers alone, before the body is read.
"""

from __future__ import annotations

from starlette.requests import Request

from contracts.credentials import Credential, Vendor
from contracts.errors import ErrorKind, IdfError
from vendors.common.routing import Api, Body, Caller
from vendors.common.services import Services
from vendors.common.tokens import seal, unseal

TOKEN_PURPOSE = "sensetime-login"
# accountType (STEP10 sends "2", an API account); clients also send "0" and "1", the Guns
# console's other account kinds. The type chooses nothing here: the account and password do.
ACCOUNT_TYPES = frozenset({"0", "1", "2"})
API_ACCOUNT = "2"
# An account granted "admin" may call every API and sees every account's feature databases.
ADMIN_GRANT = "admin"


def is_admin(credential: Credential) -> bool:
    return credential.grants is not None and ADMIN_GRANT in credential.grants


async def login(
    services: Services, username: str, password: str, account_type: str, address: str
) -> str:
    """A fresh token for a valid API account, or an auth error that says nothing more.

    The password is checked off the event loop, against a stand-in hash for an unknown
    username, and refused once too many logins for the username or address have failed
    (vendors/common/logins.py)."""
    credential = services.credentials.get(Vendor.sensetime, username)
    stored = credential.secret_hash if credential is not None else None
    matched = await services.logins.check(stored, password, username, address)
    if not matched or account_type.strip() not in ACCOUNT_TYPES:
        raise IdfError(ErrorKind.auth, "username or password is wrong")
    return seal(
        services.sealer,
        TOKEN_PURPOSE,
        {"u": username},
        ttl=services.settings.sensetime_token_ttl,
    )


def account(services: Services, request: Request) -> Credential:
    """The account whose token the `authorization` header carries, or an auth error."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "basic" or not token.strip():
        raise IdfError(ErrorKind.auth, "authorization header is missing")
    try:
        payload = unseal(services.sealer, TOKEN_PURPOSE, token.strip())
    except IdfError as exc:
        raise IdfError(ErrorKind.auth, "token is invalid or expired") from exc
    credential = services.credentials.get(Vendor.sensetime, str(payload.get("u")))
    if credential is None:
        raise IdfError(ErrorKind.auth, "account no longer exists")
    return credential


class TokenAuth:
    """The facade's Auth: the caller's account in account mode (none in open mode), checked
    for the API's grant. The body plays no part, so it is never read before this passes."""

    def __init__(self, services: Services) -> None:
        self.services = services

    async def verify(self, request: Request, body: Body, api: Api) -> Caller:
        if self.services.settings.sensetime_auth == "open":
            return Caller()
        credential = account(self.services, request)
        if not is_admin(credential) and not credential.allows(
            api.name, f"{api.group}/{api.name}", api.group
        ):
            raise IdfError(ErrorKind.forbidden, f"{api.group}/{api.name}")
        return Caller(credential)
