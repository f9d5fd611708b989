"""Yitu's `rtn` codes: 0 is OK, errors are negative (seed 001 §9; its appendix 2, which lists
the codes, is missing from the manual, so idfacade defines them here and in docs/yitu.md).

Codes are grouped by hundreds (1xx access, 2xx request, 3xx images and faces, 4xx features and
capture bundles, 5xx repos, 9xx service) and a code is never reused for another meaning. A
canonical kind renders one code; a few kinds are told apart further by the parameter they
concern. Every signature failure, an unknown access id included, is -101 with one message: a
finer answer would tell a prober which access ids exist and which check it passed. The
detail goes to the log.
"""

from __future__ import annotations

import structlog

from contracts.errors import ErrorKind, IdfError

log = structlog.get_logger("idfacade.yitu")

OK = 0

# kind -> (rtn, message)
TABLE: dict[ErrorKind, tuple[int, str]] = {
    ErrorKind.auth: (-101, "signature check failed"),
    ErrorKind.replay: (-103, "signature was used before"),
    ErrorKind.forbidden: (-104, "api is not granted to this access id"),
    ErrorKind.quota: (-105, "call quota of this access id is exceeded"),
    ErrorKind.missing_param: (-201, "missing parameter"),
    ErrorKind.missing_one_of: (-202, "missing parameter"),
    ErrorKind.bad_param: (-203, "invalid parameter"),
    ErrorKind.unsupported: (-204, "unsupported parameter"),
    ErrorKind.no_api: (-205, "no such api"),
    ErrorKind.image_too_large: (-301, "image is too large"),
    ErrorKind.image_size: (-302, "image width or height is out of range"),
    ErrorKind.image_type: (-303, "image type is not supported"),
    ErrorKind.image_decode: (-304, "image cannot be decoded"),
    ErrorKind.video_decode: (-305, "video cannot be decoded"),
    ErrorKind.video_too_short: (-306, "video is too short"),
    ErrorKind.no_face: (-311, "no face found"),
    ErrorKind.too_many_faces: (-312, "too many faces"),
    ErrorKind.no_document: (-321, "no identity document found"),
    ErrorKind.bad_token: (-401, "invalid feature"),
    ErrorKind.model_mismatch: (-402, "feature is from another model version"),
    ErrorKind.not_found: (-501, "not found"),
    ErrorKind.already_exists: (-502, "already exists"),
    ErrorKind.collection_full: (-503, "repo is full"),
    ErrorKind.busy: (-901, "service is busy"),
    ErrorKind.timeout: (-902, "request timed out"),
    ErrorKind.internal: (-999, "internal error"),
}

# (kind, parameter) -> (rtn, message), where one kind means two things to a client
REFINED: dict[tuple[ErrorKind, str], tuple[int, str]] = {
    (ErrorKind.bad_token, "query_image_package"): (-403, "invalid image package"),
    # §9.1: "判断光线不足会返回错误" (too dark, when dark-illumination checking is on)
    (ErrorKind.bad_param, "dark_illumination"): (-307, "illumination is too dark"),
}


def render(error: IdfError) -> tuple[int, str]:
    """The rtn and message for `error`: the table's text, the parameter concerned, then the
    detail that names the cause (`image cannot be decoded (image_content): …`)."""
    if error.kind is ErrorKind.auth:
        log.info("signature_refused", field=error.field, detail=error.detail)
        return TABLE[ErrorKind.auth]
    rtn, message = REFINED.get((error.kind, error.field or ""), TABLE[error.kind])
    if error.field and error.field not in error.detail:
        message = f"{message} ({error.field})"
    if error.detail and error.detail != message:
        message = f"{message}: {error.detail}"
    return rtn, message
