"""SenseTime SenseStudio-ID V2.1.0 private-cloud API (seed 000)."""

from __future__ import annotations

from starlette.routing import Route

from vendors.common.services import Services
from vendors.sensetime import face, face_imaging, feature, ocr
from vendors.sensetime.routes import build_routes


def routes(services: Services) -> list[Route]:
    return build_routes([*face.APIS, *face_imaging.APIS, *feature.APIS, *ocr.APIS], services)
