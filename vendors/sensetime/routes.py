"""The SenseTime route table: every API is (service, name, methods, handler).

A handler takes a `Call` and returns the `data` of the success envelope; authentication, the
parameter view, `bizNo` and error rendering are done once here for all of them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from contracts.credentials import Credential
from vendors.common.endpoints import guarded
from vendors.common.params import Params, read_params
from vendors.common.services import Services
from vendors.sensetime import auth, wire

# The manual's OCR turned capital I into l in some names (seeds/README.md).
ALIASES = {"dbld": "dbId", "featurelds": "featureIds", "dblds": "dbIds", "imageld": "imageId"}


@dataclass(frozen=True)
class Call:
    request: Request
    params: Params
    services: Services
    service: str
    account: Credential | None


ApiHandler = Callable[[Call], Awaitable[Any]]


@dataclass(frozen=True)
class Api:
    service: str
    name: str
    handler: ApiHandler
    methods: tuple[str, ...] = ("POST",)
    prefixes: tuple[str, ...] = ()  # extra path prefixes the manual also prints


def _endpoint(api: Api, services: Services) -> Callable[[Request], Awaitable[Response]]:
    @guarded(lambda request, error: wire.failure(request, api.service, error))
    async def endpoint(request: Request) -> Response:
        account = auth.authorize(services, request, api.service, api.name)
        params = await read_params(
            request, max_part_bytes=services.settings.max_body_bytes, aliases=ALIASES
        )
        call = Call(request, params, services, api.service, account)
        return wire.success(request, await api.handler(call))

    endpoint.__name__ = f"{api.service}_{api.name}"
    return endpoint


async def _login(request: Request) -> Response:
    services: Services = request.app.state.services
    params = await read_params(request, max_part_bytes=64 * 1024)
    token = auth.login(
        services,
        params.text("username", required=True) or "",
        params.text("password", required=True) or "",
        params.text("accountType", default=auth.API_ACCOUNT) or "",
    )
    # The admin console is the Guns framework, whose login answers with the token as `data`;
    # the top-level copy serves clients that read `token`.
    return wire.respond(
        request, {"code": wire.SUCCESS, "msg": "success", "data": token, "token": token}
    )


def build_routes(apis: list[Api], services: Services) -> list[Route]:
    routes = [
        Route(
            "/guns/mgr/login",
            guarded(lambda request, error: wire.failure(request, "guns", error))(_login),
            methods=["POST"],
        )
    ]
    for api in apis:
        endpoint = _endpoint(api, services)
        for prefix in (f"/{api.service}/v2", *api.prefixes):
            routes.append(Route(f"{prefix}/{api.name}", endpoint, methods=list(api.methods)))
    return routes
