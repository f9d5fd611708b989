"""Answers and refusals in netocr's envelopes, in the format the caller chose.

A refusal takes the shape of the path's family: `/verapi/*` callers read
`messageString.status` (a string, as "2000" is), `/api/*` callers read `message.status`
(a number). A path no API serves is told apart by its prefix.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from contracts.errors import IdfError
from vendors.common.routing import Api, Renderer
from vendors.netocr import errors
from vendors.netocr.formats import respond
from vendors.netocr.wire import Answer, Recognition, Verdict

VERAPI = "/verapi/"


def success(request: Request, api: Api, answer: Answer) -> Response:
    return respond(request, answer)


def failure(request: Request, api: Api | None, error: IdfError) -> Response:
    status, message = errors.render(error)
    path = api.paths[0] if api else request.url.path
    if path.lower().startswith(VERAPI):
        return respond(request, Verdict((), str(status), message))
    return respond(request, Recognition((), status, message))


RENDERER = Renderer(success=success, failure=failure)
