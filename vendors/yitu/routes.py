"""The Yitu route table: every API is (path, handler).

A handler takes a `Call` and returns the fields of the success envelope; the signature check,
the parameter view and error rendering are done once here for all of them. The private cloud
serves the same paths on port 9500 (§9.2), so one table serves both.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from vendors.common.endpoints import guarded
from vendors.common.params import Params, read_params
from vendors.common.services import Services
from vendors.yitu import auth, wire


@dataclass(frozen=True)
class Call:
    request: Request
    params: Params
    services: Services
    caller: auth.Caller

    @property
    def request_id(self) -> str:
        """The gateway's request id, which is also Yitu's `global_request_id`."""
        return getattr(self.request.state, "request_id", None) or uuid.uuid4().hex


ApiHandler = Callable[[Call], Awaitable[dict[str, Any]]]


@dataclass(frozen=True)
class Api:
    path: str
    handler: ApiHandler

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]


def _endpoint(api: Api, services: Services) -> Callable[[Request], Awaitable[Response]]:
    @guarded(lambda request, error: wire.failure(error))
    async def endpoint(request: Request) -> Response:
        caller = auth.verify(services, request, await request.body(), api.name)
        params = await read_params(
            request, max_part_bytes=services.settings.max_body_bytes, aliases=wire.ALIASES
        )
        return wire.success(await api.handler(Call(request, params, services, caller)))

    endpoint.__name__ = f"yitu_{api.name}"
    return endpoint


def build_routes(apis: list[Api], services: Services) -> list[Route]:
    return [Route(api.path, _endpoint(api, services), methods=["POST"]) for api in apis]
