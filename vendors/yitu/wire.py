"""Yitu's envelope and the shapes its requests share (seed 001 §7.3, §9).

Every answer is `{"rtn": 0, "message": "OK", …fields}` with HTTP 200; an error is a negative
`rtn` and a message (errors.py). Bodies are JSON; register_in_repo and retrieval_in_repo nest
their fields in `user_info` and `options` objects.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from contracts.errors import ErrorKind, IdfError
from contracts.faces import Box
from vendors.common.jsontext import BadJson, parse_json
from vendors.common.params import Params
from vendors.common.routing import Api, Renderer
from vendors.yitu import errors

# §9.2 CS201.1 / CS202.2 image types: 1 ID photo, 2 recaptured ID card, 3 ID-like photo, 4 chip
# photo; watermarked ID photos 5 financial, 7 police, 9 wire mesh, 101 any of them; query-side
# ID-like photos 301 (plain), 302 (holding an ID card), 303 (VTM kiosk).
ANY_WATERMARK = 101
WATERMARKED = frozenset({5, 7, 9, ANY_WATERMARK})
DATABASE_TYPES = frozenset({1, 2, 3, 4, 5, 7, 9, 101})  # also feature_extraction's
# Integrations copied from one another send the query as 3 (the database list's "ID-like
# photo", e.g. FaceRecogUtil in docs/clients.md): it is read as what it names, 301.
QUERY_TYPES = frozenset({2, 3, 4, 301, 302, 303})
REPO_TYPES = frozenset({1, 301})
# The manual's output notes (§9.1, §9.2) also spell dark_illumination "check_illumination".
ALIASES = {
    "query_image_package_check_illumination": "query_image_package_check_dark_illumination",
    "query_image_package_check_illumination_threshold": (
        "query_image_package_check_dark_illumination_threshold"
    ),
}


def success(fields: dict[str, Any]) -> JSONResponse:
    return JSONResponse({"rtn": errors.OK, "message": "OK", **fields})


def failure(error: IdfError) -> JSONResponse:
    rtn, message = errors.render(error)
    return JSONResponse({"rtn": rtn, "message": message})


def _render_success(request: Request, api: Api, fields: dict[str, Any]) -> JSONResponse:
    return success(fields)


def _render_failure(request: Request, api: Api | None, error: IdfError) -> JSONResponse:
    return failure(error)


RENDERER = Renderer(success=_render_success, failure=_render_failure)


def section(params: Params, name: str) -> Params:
    """A nested object (`user_info`, `options`) as its own Params; empty when absent."""
    value = params.raw(name)
    if value is None:
        return Params({})
    if isinstance(value, str):
        try:
            value = parse_json(value)
        except BadJson as exc:
            raise IdfError(ErrorKind.bad_param, f"{name} is not a JSON object", field=name) from exc
    if not isinstance(value, dict):
        raise IdfError(ErrorKind.bad_param, f"{name} must be an object", field=name)
    return Params(value)


# §9.2 CS201.1 output: a watermarked photo's type says its size, small (5, 7, 9) or medium
# (6, 8, 10). Police databases hand out 102×126 (small) and 358×441 (medium) photos; the
# longer side splits them.
SMALL_WATERMARK_SIDE = 200


def detected_type(requested: int, width: int, height: int) -> int:
    """The image type feature_extraction reports: a watermarked family's (5, 7, 9: the type
    sent, or for 101 the family its mesh shows, vendors/yitu/faces.py) size class; other
    types, and a 101 photo that shows no mesh, as they are."""
    if requested in (5, 7, 9) and max(width, height) > SMALL_WATERMARK_SIDE:
        return requested + 1
    return requested


def image_type(params: Params, name: str, allowed: frozenset[int], default: int | None) -> int:
    value = params.integer(name, default)
    if value is None:
        raise IdfError(ErrorKind.missing_param, f"{name} is required", field=name)
    if value not in allowed:
        raise IdfError(
            ErrorKind.bad_param,
            f"{name} must be one of {', '.join(map(str, sorted(allowed)))}",
            field=name,
        )
    return value


def rect(box: Box) -> dict[str, int]:
    """A face rectangle as §9.2 prints it: top-left corner, width and height."""
    return {
        "x": round(box.left),
        "y": round(box.top),
        "w": round(box.width),
        "h": round(box.height),
    }
