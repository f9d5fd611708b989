"""SenseTime's envelope: `{"code": "0000", "msg": "success", "data": …}`, and `bizNo` echoed.

Errors carry `data: null`, except liveness, whose clients read `data.pass` even on failure
(PROTOCOLS.md).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from contracts.errors import IdfError
from vendors.common.routing import Renderer
from vendors.sensetime import errors

SUCCESS = "0000"
LIVENESS_ERROR_DATA = {"pass": False, "score": 0.0, "rotation": 0}


def respond(request: Request, body: dict[str, Any]) -> JSONResponse:
    response = JSONResponse(body)
    biz_no = request.headers.get("bizNo")
    if biz_no is not None:
        response.headers["bizNo"] = biz_no
    return response


def success(request: Request, data: Any) -> JSONResponse:
    return respond(request, {"code": SUCCESS, "msg": "success", "data": data})


def failure(request: Request, service: str, error: IdfError) -> JSONResponse:
    code, message = errors.render(service, error)
    data = dict(LIVENESS_ERROR_DATA) if service == "ssid-liveness" else None
    body: dict[str, Any] = {"code": code, "msg": message, "data": data}
    if service == "guns":
        body["success"] = False  # the console's clients read `success` as a boolean
    return respond(request, body)


def service_of(path: str) -> str:
    """The service a path belongs to, for a path no API serves: its first segment, the
    manual's `/feature/v2/` prefix being ssid-feature's."""
    head = path.strip("/").split("/", 1)[0].lower()
    if head in errors.SERVICES:
        return head
    return "ssid-feature" if head == "feature" else "ssid-face"


RENDERER = Renderer(
    success=lambda request, api, data: success(request, data),
    failure=lambda request, api, error: failure(
        request, api.group if api else service_of(request.url.path), error
    ),
    code=lambda request, api, error: errors.render(
        api.group if api else service_of(request.url.path), error
    )[0],
)
