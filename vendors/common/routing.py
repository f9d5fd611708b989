"""One shape for every facade, and the one router that serves them all.

A facade is a table, not code: it declares who may call (an `Auth`), how its answers look (a
`Renderer` over its error table) and what it serves (a list of `Api`). Everything a handler
would otherwise repeat is done here once: authentication, the parameter view, the request
deadline, turning canonical errors (or an unexpected fault) into the vendor's envelope, and
answering any other path under the vendor's prefixes in that envelope too.

How a new facade declares itself (vendors/<name>/__init__.py):

    FACADE = Facade(
        name="yitu",
        prefixes=("/face",),            # unserved paths below these answer in Yitu's envelope
        auth=SignatureAuth,             # Services -> Auth; `verify(request, body, api) -> Caller`
        renderer=Renderer(success=wire.success, failure=wire.failure),
        errors=errors.TABLE,            # every ErrorKind -> (vendor code, message)
        apis=routes.APIS,               # Api("ocr", ("/face/basic/ocr",), handler), ...
        aliases=wire.ALIASES,           # misspelt field names the manual prints
    )

then lists it in `vendors.FACADES`; the gateway mounts `mount(FACADES, services)`. A handler
is `async (call: Call) -> result`; the renderer turns the result into the success envelope
(a handler that must shape the whole envelope itself may return a Response).

Paths arrive as clients build them: a base URL ending in `/` gives `//face/v1/...`. The
`CanonicalPaths` middleware folds repeated slashes and a trailing slash before routing, so the
route table lists each path once.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import structlog
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, Route, request_response
from starlette.types import ASGIApp, Receive, Scope, Send

from contracts.credentials import Credential
from contracts.errors import ErrorKind, IdfError
from vendors.common.conformance import check_request
from vendors.common.params import Params, read_params
from vendors.common.services import Services

log = structlog.get_logger("idfacade.facade")


@dataclass(frozen=True)
class Caller:
    """Who is calling: the credential (None where the deployment runs without auth), and
    bytes the caller bound into its signature (Yitu's customer content)."""

    credential: Credential | None = None
    content: bytes = b""


class Body:
    """The request body, read on first use and refused past `limit` by its declared length
    before a byte is read; an Auth reads it only once the headers have passed."""

    def __init__(self, request: Request, limit: int) -> None:
        self._request = request
        self.limit = limit

    def declared_length(self) -> int | None:
        value = self._request.headers.get("content-length", "")
        return int(value) if value.isdigit() else None

    async def read(self) -> bytes:
        """The whole body, refused as the vendor's size error as soon as it passes the limit
        (a chunked body declares no length, so it is counted as it streams in)."""
        declared = self.declared_length()
        if declared is not None and declared > self.limit:
            raise self._too_large()
        chunks, size = [], 0
        async for chunk in self._request.stream():
            size += len(chunk)
            if size > self.limit:
                raise self._too_large()
            chunks.append(chunk)
        data = b"".join(chunks)
        self._request._body = data  # Starlette's own cache: form() and body() read it again
        return data

    def _too_large(self) -> IdfError:
        return IdfError(
            ErrorKind.image_too_large, f"request body is over {self.limit} bytes", field="body"
        )


class Auth(Protocol):
    """A facade's one check of who calls. Raise the canonical `auth`, `replay` or `forbidden`
    error, never anything vendor-specific: the error table renders it."""

    async def verify(self, request: Request, body: Body, api: Api) -> Caller: ...


class OpenAuth:
    """No authentication: every caller is anonymous (login endpoints, unsigned deployments)."""

    def __init__(self, services: Services | None = None) -> None:
        self.services = services

    async def verify(self, request: Request, body: Body, api: Api) -> Caller:
        return Caller()


@dataclass(frozen=True)
class Call:
    """One request as a handler sees it."""

    request: Request
    params: Params
    services: Services
    api: Api
    caller: Caller

    @property
    def service(self) -> str:
        """The API's group (SenseTime's `ssid-face`, …), which its error codes name."""
        return self.api.group

    @property
    def request_id(self) -> str:
        """The gateway's request id (Yitu's `global_request_id`)."""
        return getattr(self.request.state, "request_id", None) or uuid.uuid4().hex


ApiHandler = Callable[[Call], Awaitable[Any]]


@dataclass(frozen=True)
class Api:
    """One served API: its name (what grants and messages call it), the paths it answers on,
    the handler, the methods, and the group it belongs to (SenseTime's service)."""

    name: str
    paths: tuple[str, ...]
    handler: ApiHandler
    methods: tuple[str, ...] = ("POST",)
    group: str = ""
    open: bool = False  # True: served without the facade's Auth (a login endpoint)
    # The largest body this API reads (its documented images as base64, with headroom);
    # None leaves the facade's limit. Never above the gateway's transport guard.
    max_body: int | None = None

    @classmethod
    def at(cls, path: str, handler: ApiHandler, **options: Any) -> Api:
        """An API named for the last segment of its one path."""
        return cls(path.rsplit("/", 1)[-1], (path,), handler, **options)


SuccessRenderer = Callable[[Request, Api, Any], Response]
FailureRenderer = Callable[[Request, "Api | None", IdfError], Response]
CodeOf = Callable[[Request, "Api | None", IdfError], object]


@dataclass(frozen=True)
class Renderer:
    """The vendor's envelope: a handler's result as success, a canonical error as failure
    (the API is None for a path the facade does not serve). `code` names the vendor code a
    failure answers, for the metrics (the error table's entry where it is not given)."""

    success: SuccessRenderer
    failure: FailureRenderer
    code: CodeOf | None = None


@dataclass(frozen=True)
class Facade:
    name: str
    prefixes: tuple[str, ...]
    auth: Callable[[Services], Auth]
    renderer: Renderer
    errors: Mapping[ErrorKind, Any]
    apis: Sequence[Api]
    aliases: Mapping[str, str] = field(default_factory=dict)
    # Each API's wire model by its first path (vendors/common/spec.py): what `contract_checks`
    # checks requests against and the OpenAPI description is generated from.
    requests: Mapping[str, Any] = field(default_factory=dict)
    # What its OpenAPI document says beyond routes and models (vendors/common/openapi.py).
    openapi: Any = None
    # The largest body this facade reads; None leaves only the gateway's transport guard.
    max_body: Callable[[Any], int] | None = None

    def body_limit(self, services: Services) -> int:
        settings = services.settings
        return self.max_body(settings) if self.max_body else settings.max_body_bytes


def _refused(facade: Facade, request: Request, api: Api | None, error: IdfError) -> Response:
    log.info("refused", facade=facade.name, kind=str(error.kind), field=error.field)
    return _failure(facade, request, api, error)


def _failure(facade: Facade, request: Request, api: Api | None, error: IdfError) -> Response:
    """The vendor's error envelope; the vendor's code is left on the request's state
    (`vendor_error`) for the gateway's metrics and journal, which know no vendor table."""
    if facade.renderer.code is not None:
        code = facade.renderer.code(request, api, error)
    else:
        entry = facade.errors.get(error.kind) or facade.errors.get(ErrorKind.internal)
        code = entry[0] if isinstance(entry, tuple) and entry else error.kind
    request.state.vendor_error = (facade.name, str(code), str(error.kind))
    return facade.renderer.failure(request, api, error)


def endpoint(
    facade: Facade, api: Api, auth: Auth, services: Services
) -> Callable[[Request], Awaitable[Response]]:
    """The Starlette endpoint of one API: auth, parameters, handler, envelope, under the
    request deadline (one budget for the whole request, however many pool trips it takes)."""
    limit = facade.body_limit(services)
    if api.max_body is not None:
        limit = min(limit, api.max_body)
    open_auth = OpenAuth()

    async def serve(request: Request) -> Response:
        # what the call journal records of who called what (gateway/journal.py)
        request.state.facade, request.state.api = facade.name, api.name
        try:
            async with asyncio.timeout(services.settings.request_deadline):
                checker = open_auth if api.open else auth
                caller = await checker.verify(request, Body(request, limit), api)
                principal = caller.credential.principal if caller.credential else None
                request.state.principal = principal
                params = await read_params(request, max_part_bytes=limit, aliases=facade.aliases)
                declared = facade.requests.get(api.paths[0])
                check_request(request, services, declared, params, facade.aliases)
                # after the body is read and checked, so that the journal has the fields and
                # findings of a faulted call too
                if services.faults is not None and not api.open:  # not a console login
                    await services.faults.apply(facade.name, api.name, principal, request.state)
                result = await api.handler(Call(request, params, services, api, caller))
        except IdfError as exc:
            return _refused(facade, request, api, exc)
        except TimeoutError:
            deadline = services.settings.request_deadline
            error = IdfError(ErrorKind.timeout, f"not finished within {deadline:g}s")
            return _refused(facade, request, api, error)
        except Exception:
            log.exception("fault", facade=facade.name, api=api.name)
            return _failure(facade, request, api, IdfError(ErrorKind.internal))
        if isinstance(result, Response):
            return result
        return facade.renderer.success(request, api, result)

    serve.__name__ = f"{facade.name}_{api.group or ''}_{api.name}".replace("-", "_")
    return serve


def unserved(
    facade: Facade, served: Sequence[BaseRoute]
) -> Callable[[Request], Awaitable[Response]]:
    """Any other path or method under the facade's prefixes: the vendor's envelope with its
    "no such API" code, HTTP 404 (405 for a served path with another method)."""

    async def answer(request: Request) -> Response:
        request.state.facade = facade.name
        other_method = any(route.matches(request.scope)[0] is Match.PARTIAL for route in served)
        path = request.url.path
        detail = f"{path} with {request.method}" if other_method else path
        response = _failure(facade, request, None, IdfError(ErrorKind.no_api, detail))
        response.status_code = 405 if other_method else 404
        return response

    answer.__name__ = f"{facade.name}_unserved"
    return answer


def facade_routes(facade: Facade, services: Services) -> list[BaseRoute]:
    """The routes of one facade's table."""
    auth = facade.auth(services)
    return [
        Route(path, endpoint(facade, api, auth, services), methods=list(api.methods))
        for api in facade.apis
        for path in api.paths
    ]


def mount(facades: Sequence[Facade], services: Services) -> list[BaseRoute]:
    """Every facade's routes, then one catch-all per prefix, the longest prefix first so that
    a vendor nested under another's prefix (Waiqin's /api/ocr under netocr's /api) wins."""
    served = {facade.name: facade_routes(facade, services) for facade in facades}
    catch_alls = sorted(
        ((prefix, facade) for facade in facades for prefix in facade.prefixes),
        key=lambda item: -len(item[0]),
    )
    routes: list[BaseRoute] = [route for facade in facades for route in served[facade.name]]
    for prefix, facade in catch_alls:
        handler = AnyMethod(unserved(facade, served[facade.name]))
        routes.append(Route(prefix, handler))
        routes.append(Route(f"{prefix}/{{rest:path}}", handler))
    return routes


def facade_at(facades: Sequence[Facade], path: str) -> Facade | None:
    """The facade whose prefix holds `path`, the longest prefix winning as in `mount`."""
    best: tuple[int, Facade] | None = None
    for facade in facades:
        for prefix in facade.prefixes:
            inside = path == prefix or path.startswith(prefix.rstrip("/") + "/")
            if inside and (best is None or len(prefix) > best[0]):
                best = (len(prefix), facade)
    return best[1] if best else None


def oversize_refusals(facades: Sequence[Facade]) -> Callable[[Scope, int], Response | None]:
    """For the gateway's transport guard: a body over its cap on a vendor's path is answered
    in that vendor's envelope with its size error, as the facade's own limit answers smaller
    ones; None for paths no facade holds (the guard answers those itself)."""

    def refusal(scope: Scope, max_bytes: int) -> Response | None:
        facade = facade_at(facades, canonical_path(scope["path"]))
        if facade is None:
            return None
        error = IdfError(
            ErrorKind.image_too_large, f"request body is over {max_bytes} bytes", field="body"
        )
        request = Request(scope)
        request.state.facade = facade.name
        return _refused(facade, request, None, error)

    return refusal


class AnyMethod:
    """An endpoint for every method, TRACE and made-up ones too: Starlette gives a function
    endpoint GET alone by default, and a fixed list left the others to its plain-text 405
    instead of the vendor's envelope (found by the OpenAPI property tests)."""

    def __init__(self, handler: Callable[[Request], Awaitable[Response]]) -> None:
        self.app = request_response(handler)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)


_SLASHES = re.compile(r"//+")


def canonical_path(path: str) -> str:
    """`//face/v1/x/` → `/face/v1/x`: repeated slashes folded, a trailing slash dropped."""
    folded = _SLASHES.sub("/", path)
    return folded.rstrip("/") or "/"


class CanonicalPaths:
    """ASGI middleware: route on the canonical path (see `canonical_path`)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path = canonical_path(scope["path"])
            if path != scope["path"]:
                scope = dict(scope, path=path, raw_path=path.encode())
        await self.app(scope, receive, send)
