"""The console's pages: Jinja2 templates rendered on the server, autoescaped, with headers
that keep them private (no caching, no framing, no script or style from elsewhere)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from gateway.console.session import Admin

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parent / "static"

_environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)

HEADERS = {
    "cache-control": "no-store",
    "content-security-policy": (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    # same-origin, not no-referrer: with no-referrer the browser posts forms with `Origin: null`
    "referrer-policy": "same-origin",
}


def page(
    request: Request, template: str, admin: Admin | None, status: int = 200, **context: Any
) -> HTMLResponse:
    """`template` rendered for `admin` (None on the sign-in page)."""
    html = _environment.get_template(template).render(
        admin=admin, csrf=admin.csrf if admin else "", path=request.url.path, **context
    )
    return HTMLResponse(html, status_code=status, headers=HEADERS)
