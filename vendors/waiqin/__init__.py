"""Waiqin365 open API, ID-card OCR (seed 002)."""

from __future__ import annotations

from vendors.common.routing import Facade
from vendors.waiqin import auth, errors, routes, wire

FACADE = Facade(
    name="waiqin",
    prefixes=("/api/ocr",),
    auth=auth.DigestAuth,
    renderer=wire.RENDERER,
    errors=errors.TABLE,
    apis=routes.APIS,
)
