"""Yitu FaceSaaS 1.7.14 (seed 001): capture bundles, 1:1 verification, 1:N repos, ID-card OCR."""

from __future__ import annotations

from starlette.routing import Route

from vendors.common.services import Services
from vendors.yitu import ocr, package, recognition, repo
from vendors.yitu.routes import build_routes


def routes(services: Services) -> list[Route]:
    return build_routes([*package.APIS, *recognition.APIS, *repo.APIS, *ocr.APIS], services)
