"""Waiqin365 open API, ID-card OCR (seed 002)."""

from __future__ import annotations

from vendors.common.routing import Facade
from vendors.common.spec import requests_for
from vendors.waiqin import auth, errors, routes, spec, wire

FACADE = Facade(
    name="waiqin",
    prefixes=("/api/ocr",),
    auth=auth.DigestAuth,
    renderer=wire.RENDERER,
    errors=errors.TABLE,
    apis=routes.APIS,
    requests=requests_for(routes.APIS, spec.DECLARED),
    openapi=spec.OPENAPI,
)
