"""The contract-test admin API, served only where `contract_admin` is on.

    GET    /_idfacade/scenario     the rules in force (JSON)
    PUT    /_idfacade/scenario     replace them: TOML text, or JSON {"fault": [...]}
    POST   /_idfacade/scenario     add rules, same body
    DELETE /_idfacade/scenario     no rules
    POST   /_idfacade/reset        journal, galleries, replay windows, kept results, failed
                                   logins, rules
    GET    /_idfacade/journal      recent calls, newest first (?limit=, ?since=)

Only loopback clients may call it, unless the request carries `authorization: Bearer <token>`
matching `contract_admin_token` (compared in constant time). A bad scenario is answered 400
with the field that is wrong, and changes nothing.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
from typing import Any

from pydantic import ValidationError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from gateway.faults import FaultInjector, parse_scenario
from gateway.journal import Journal

PREFIX = "/_idfacade"
MAX_SCENARIO_BYTES = 256 * 1024


def admin_routes() -> list[BaseRoute]:
    return [
        Route(f"{PREFIX}/scenario", scenario, methods=["GET", "PUT", "POST", "DELETE"]),
        Route(f"{PREFIX}/reset", reset_endpoint, methods=["POST"]),
        Route(f"{PREFIX}/journal", journal_endpoint, methods=["GET"]),
    ]


def allowed(request: Request) -> bool:
    token = request.app.state.services.settings.contract_admin_token
    if token:
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(given.strip(), token):
            return True
    host = request.client.host if request.client else ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "testclient"  # starlette's in-process test client


def _refused() -> JSONResponse:
    return JSONResponse({"error": "forbidden"}, status_code=403)


async def scenario(request: Request) -> Response:
    if not allowed(request):
        return _refused()
    faults: FaultInjector = request.app.state.services.faults
    if request.method == "DELETE":
        faults.clear()
    elif request.method in ("PUT", "POST"):
        body = await request.body()
        if len(body) > MAX_SCENARIO_BYTES:
            return JSONResponse({"error": "scenario too large"}, status_code=413)
        try:
            text = body.decode("utf-8")
            source: Any = json.loads(text) if text.lstrip().startswith("{") else text
            rules = parse_scenario(source)
        except (ValueError, ValidationError) as exc:  # tomllib and json errors are ValueErrors
            return JSONResponse({"error": "bad scenario", "detail": str(exc)}, status_code=400)
        (faults.replace if request.method == "PUT" else faults.add)(rules)
    return JSONResponse({"fault": [rule.model_dump(exclude_none=True) for rule in faults.rules]})


def reset(app: Any) -> None:
    """Every trace of earlier tests gone: journal, galleries, replay windows, kept results
    (Waiqin transfer ids), failed-login counts, scenario rules."""
    services = app.state.services
    journal: Journal | None = app.state.journal
    if journal is not None:
        journal.clear()
    gallery = services.gallery
    for collection in gallery.collections(None):
        gallery.delete_collection(collection.namespace, collection.name)
    services.replay.clear()
    services.results.clear()
    services.logins.clear()
    app.state.console_logins.clear()
    if services.faults is not None:
        services.faults.clear()


async def reset_endpoint(request: Request) -> Response:
    if not allowed(request):
        return _refused()
    reset(request.app)
    return JSONResponse({"reset": True})


async def journal_endpoint(request: Request) -> Response:
    if not allowed(request):
        return _refused()
    journal: Journal | None = request.app.state.journal
    if journal is None:
        return JSONResponse({"error": "the journal is off (journal = false)"}, status_code=404)
    try:
        limit = int(request.query_params.get("limit", "50"))
        since = float(request.query_params.get("since", "0"))
    except ValueError:
        return JSONResponse({"error": "limit and since are numbers"}, status_code=400)
    return JSONResponse({"calls": [call.to_json() for call in journal.recent(limit, since=since)]})
