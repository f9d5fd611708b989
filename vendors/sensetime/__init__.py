"""SenseTime SenseStudio-ID V2.1.0 private-cloud API (seed 000)."""

from __future__ import annotations

from vendors.common.routing import Facade
from vendors.common.spec import requests_for
from vendors.sensetime import (
    advanced,
    auth,
    documents,
    errors,
    face,
    face_imaging,
    feature,
    liveness,
    ocr,
    routes,
    spec,
    text,
    wire,
)

APIS = [
    *routes.LOGIN_APIS,
    *face.APIS,
    *face_imaging.APIS,
    *feature.APIS,
    *ocr.APIS,
    *documents.APIS,
    *text.APIS,
    *liveness.APIS,
    *advanced.APIS,
]

FACADE = Facade(
    name="sensetime",
    prefixes=(
        *(f"/{service}" for service in errors.SERVICES if service != "guns"),
        *("/feature", "/guns", "/GUNS"),
    ),
    auth=auth.TokenAuth,
    renderer=wire.RENDERER,
    errors=errors.TABLE,
    apis=APIS,
    aliases=routes.ALIASES,
    requests=requests_for(APIS, spec.DECLARED),
    openapi=spec.OPENAPI,
)
