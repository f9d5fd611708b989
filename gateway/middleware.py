"""ASGI middleware: request ids, the body-size guard, and the access log with metrics.

The access log records the route *template*, never the raw path or query (Waiqin puts its
openid and digest in the path), and never headers or bodies.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable

import structlog
from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway import metrics

log = structlog.get_logger("idfacade.access")

REQUEST_ID_HEADER = "x-request-id"


class RequestIdMiddleware:
    """Take the caller's `X-Request-Id` (if sane) or make one; echo it; bind it to logs."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = Headers(scope=scope).get(REQUEST_ID_HEADER, "")
        request_id = given if 0 < len(given) <= 128 and given.isprintable() else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        with structlog.contextvars.bound_contextvars(request_id=request_id):
            await self.app(scope, receive, send_with_id)


class BodyLimitMiddleware:
    """Refuse bodies over `max_bytes` by their declared length or as they stream in (413),
    and bodies that take longer than `timeout` seconds to arrive (408).

    The refusal is raised through the application as a BaseException, so that no handler's
    catch-all turns it into a vendor's "system error" answered 200; it is answered here, in
    the vendor's envelope where `vendor_refusal` knows the path's vendor (a client parses
    its vendor's size error, not this guard's JSON).
    """

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int,
        timeout: float | None = None,
        vendor_refusal: Callable[[Scope, int], Response | None] | None = None,
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.timeout = timeout
        self.vendor_refusal = vendor_refusal

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, receive, send, _BodyTooLarge())
            return
        received, complete, deadline = 0, False, None
        started = False

        async def guarded_receive() -> Message:
            nonlocal received, complete, deadline
            if complete:
                return await receive()
            loop = asyncio.get_running_loop()
            if deadline is None and self.timeout is not None:
                deadline = loop.time() + self.timeout
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                raise _BodyTooSlow from None
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                raise _BodyTooLarge
            complete = message["type"] != "http.request" or not message.get("more_body", False)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, guarded_receive, watched_send)
        except _BodyRefused as refusal:
            if started:
                raise
            await self._refuse(scope, receive, send, refusal)

    async def _refuse(
        self, scope: Scope, receive: Receive, send: Send, refusal: _BodyRefused
    ) -> None:
        response: Response
        if isinstance(refusal, _BodyTooSlow):
            content = {"error": "request_timeout", "seconds": self.timeout}
            response = JSONResponse(content, status_code=408, headers={"connection": "close"})
        else:
            vendor = self.vendor_refusal(scope, self.max_bytes) if self.vendor_refusal else None
            limit = {"error": "request_too_large", "max_bytes": self.max_bytes}
            response = vendor or JSONResponse(limit, status_code=413)
        log.info("body_refused", status=response.status_code)
        await response(scope, receive, send)


class _BodyRefused(BaseException):
    """Raised through the application: the request is answered by the middleware."""


class _BodyTooLarge(_BodyRefused):
    pass


class _BodyTooSlow(_BodyRefused):
    pass


class AccessLogMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def capture_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, capture_status)
        finally:
            elapsed = time.perf_counter() - started
            route = getattr(scope.get("route"), "path", None)
            # a route inside a Mount (the console) is named with the mount's prefix
            route = scope.get("root_path", "") + route if route else "unmatched"
            metrics.REQUESTS.labels(scope["method"], route, str(status)).inc()
            vendor_error = scope.get("state", {}).get("vendor_error")
            if vendor_error is not None:
                vendor, code, kind = vendor_error
                metrics.VENDOR_ERRORS.labels(vendor, route, code, kind).inc()
            metrics.LATENCY.labels(route).observe(elapsed)
            log.info(
                "request",
                method=scope["method"],
                route=route,
                status=status,
                ms=round(elapsed * 1000, 1),
            )
