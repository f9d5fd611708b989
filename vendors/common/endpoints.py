"""The one wrapper every facade handler goes through.

It parses nothing and knows no vendor: it turns a canonical error (or an unexpected fault)
into the vendor's envelope, answered with HTTP 200 as the vendors do (PROTOCOLS.md: clients
branch on the envelope's code, and some retry forever on a non-200 status).
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable

import structlog
from starlette.requests import Request
from starlette.responses import Response

from contracts.errors import ErrorKind, IdfError

log = structlog.get_logger("idfacade.facade")

Handler = Callable[[Request], Awaitable[Response]]
ErrorRenderer = Callable[[Request, IdfError], Response]


def guarded(render_error: ErrorRenderer) -> Callable[[Handler], Handler]:
    def decorate(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def endpoint(request: Request) -> Response:
            try:
                return await handler(request)
            except IdfError as exc:
                log.info("refused", kind=str(exc.kind), field=exc.field)
                return render_error(request, exc)
            except Exception:
                log.exception("fault")
                return render_error(request, IdfError(ErrorKind.internal, "internal error"))

        return endpoint

    return decorate
