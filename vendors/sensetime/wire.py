"""SenseTime's envelope: `{"code": "0000", "msg": "success", "data": …}`, and `bizNo` echoed.

Errors carry `data: null`, except liveness, whose clients read `data.pass` even on failure
(PROTOCOLS.md).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from contracts.errors import IdfError
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
    return respond(request, {"code": code, "msg": message, "data": data})
