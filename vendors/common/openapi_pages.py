"""Where the OpenAPI documents are served: `/openapi/{vendor}.json`, and `/docs`, Swagger UI
over all four, from the static files the `swagger-ui-py` package ships (no CDN, nothing
fetched at run time).

The documents are generated once, when the routes are built, from the facades' route tables
and wire models (vendors/common/openapi.py).
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Sequence
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from vendors.common.openapi import document
from vendors.common.routing import Facade

ASSETS = "/docs/assets"
_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>idfacade API</title>
<link rel="stylesheet" href="{assets}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{assets}/swagger-ui-bundle.js"></script>
<script src="{assets}/swagger-ui-standalone-preset.js"></script>
<script src="/docs/start.js"></script>
</body>
</html>
"""
_START = """window.ui = SwaggerUIBundle({{
  urls: {urls},
  dom_id: "#swagger-ui",
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: "StandaloneLayout"
}});
"""


def swagger_ui_files() -> Path | None:
    """The Swagger UI distribution inside the installed `swagger_ui` package, found without
    importing it (its framework adapters import Jinja and YAML); None when it is missing."""
    found = importlib.util.find_spec("swagger_ui")
    if found is None or not found.submodule_search_locations:
        return None
    return Path(next(iter(found.submodule_search_locations))) / "static"


def openapi_routes(facades: Sequence[Facade]) -> list[BaseRoute]:
    """The documents, the page and its assets; a facade without a description is left out."""
    docs = {f.name: document(f, f.openapi) for f in facades if f.openapi is not None}
    urls = [{"url": f"/openapi/{name}.json", "name": name} for name in docs]

    async def openapi_json(request: Request) -> Response:
        doc = docs.get(request.path_params["vendor"])
        if doc is None:
            return JSONResponse({"error": "no such vendor", "vendors": sorted(docs)}, 404)
        return JSONResponse(doc)

    async def page(request: Request) -> Response:
        return HTMLResponse(_PAGE.format(assets=ASSETS))

    async def start(request: Request) -> Response:
        script = _START.format(urls=json.dumps(urls))
        return Response(script, media_type="text/javascript")

    routes: list[BaseRoute] = [Route("/openapi/{vendor}.json", openapi_json)]
    assets = swagger_ui_files()
    if assets is not None:  # a pyproject dependency; an install without it serves no page
        routes += [
            Route("/docs", page),
            Route("/docs/start.js", start),
            Mount(ASSETS, app=StaticFiles(directory=assets), name="docs-assets"),
        ]
    return routes
