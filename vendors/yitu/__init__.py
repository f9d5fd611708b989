"""Yitu FaceSaaS 1.7.14 (seed 001): capture bundles, 1:1 verification, 1:N repos, ID-card OCR."""

from __future__ import annotations

from vendors.common.routing import Facade
from vendors.common.spec import requests_for
from vendors.yitu import auth, errors, ocr, package, recognition, repo, spec, wire

APIS = [*package.APIS, *recognition.APIS, *repo.APIS, *ocr.APIS]

FACADE = Facade(
    name="yitu",
    prefixes=("/face",),
    auth=auth.SignatureAuth,
    renderer=wire.RENDERER,
    errors=errors.TABLE,
    apis=APIS,
    aliases=wire.ALIASES,
    requests=requests_for(APIS, spec.DECLARED),
    openapi=spec.OPENAPI,
)
