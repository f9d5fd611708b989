"""SenseTime's paths and its console login (seed 000 §1.1, STEP10).

Every API is served at `/<service>/v2/<name>`, and at the extra prefixes the manual also
prints; handlers take a `Call` and return the `data` of the success envelope. The login of the
Guns admin console is served as clients spell it (`/guns/mgr/login`, `/GUNS/mgr/login`), and
`isLogin` tells a client whether its token is still good.
"""

from __future__ import annotations

from typing import Any

from vendors.common.routing import Api as CommonApi
from vendors.common.routing import ApiHandler, Call
from vendors.sensetime import auth, wire

__all__ = ["ALIASES", "LOGIN_APIS", "Api", "Call"]

# The manual's OCR turned capital I into l in some names (seeds/README.md); login clients
# misspell accountType as AccoutType (docs/PROTOCOLS.md "What real clients send").
ALIASES = {
    "dbld": "dbId",
    "featurelds": "featureIds",
    "dblds": "dbIds",
    "imageld": "imageId",
    "AccoutType": "accountType",
    "accounttype": "accountType",
}
GUNS = "guns"


def Api(
    service: str,
    name: str,
    handler: ApiHandler,
    methods: tuple[str, ...] = ("POST",),
    prefixes: tuple[str, ...] = (),
) -> CommonApi:
    """The API `name` of `service`, at `/<service>/v2/<name>` and under `prefixes`."""
    paths = tuple(f"{prefix}/{name}" for prefix in (f"/{service}/v2", *prefixes))
    return CommonApi(name, paths, handler, methods=methods, group=service)


async def login(call: Call) -> Any:
    params = call.params
    token = await auth.login(
        call.services,
        params.text("username", required=True) or "",
        params.text("password", required=True) or "",
        params.text("accountType", default=auth.API_ACCOUNT) or "",
        call.request.client.host if call.request.client else "",
    )
    # The admin console is the Guns framework, whose login answers with the token as `data`
    # and `success: true`; the top-level copy serves clients that read `token`.
    return wire.respond(
        call.request,
        {"code": wire.SUCCESS, "msg": "success", "success": True, "data": token, "token": token},
    )


async def is_login(call: Call) -> Any:
    """Whether the `authorization` token is still good, and whose it is."""
    account = auth.account(call.services, call.request)
    return wire.respond(
        call.request,
        {
            "code": wire.SUCCESS,
            "msg": "success",
            "success": True,
            # Scripts for SenseStudio read the user's id as `data.user.id`; others `userId`.
            "data": {
                "isLogin": True,
                "userId": account.principal,
                "username": account.principal,
                "user": {"id": account.principal, "account": account.principal},
            },
        },
    )


def _guns(name: str, handler: ApiHandler, methods: tuple[str, ...]) -> CommonApi:
    paths = (f"/guns/mgr/{name}", f"/GUNS/mgr/{name}")
    return CommonApi(name, paths, handler, methods=methods, group=GUNS, open=True)


LOGIN_APIS = [
    _guns("login", login, ("POST",)),
    _guns("isLogin", is_login, ("GET", "POST")),
]
