"""Liveness and readiness: up as soon as the process serves, ready once models are loaded."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse


async def healthz(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> JSONResponse:
    ready = request.app.state.models_ready.is_set()
    return JSONResponse({"ready": ready}, status_code=200 if ready else 503)
