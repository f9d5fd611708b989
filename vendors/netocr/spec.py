"""The request of every netocr endpoint, declared once (seed 003; vendors/common/spec.py).

A form post (urlencoded, or multipart on the file paths) with `key`, `secret`, `typeId` and
`format`; images as base64 fields (`img1`, `img`, `videoContent`) or multipart files (`file1`,
`file`). Each path's typeIds are those its route table serves.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Annotated, Any, ClassVar

from vendors.common.openapi import Description
from vendors.common.spec import FORM_DATA, URLENCODED, Media, OneOf, Wire
from vendors.netocr import inputs, routes
from vendors.netocr.auth import ALIASES

Base64 = Annotated[Any, Media.of(inputs.IMAGE_LIMITS)]
Upload = Annotated[Any, Media.of(inputs.IMAGE_LIMITS, upload=True)]


class Form(Wire):
    content = (URLENCODED, FORM_DATA)
    aliases: ClassVar[Mapping[str, str]] = ALIASES

    key: str
    secret: str
    format: Annotated[str, OneOf("xml", "json", "XML", "JSON")] | None = None


class Pair(Form):
    """Two images: the ID card (or first face) and the live photo."""

    one_of = (("img1", "file1"), ("img2", "file2"))

    img1: Base64 = None
    file1: Upload = None
    img2: Base64 = None
    file2: Upload = None


class Single(Form):
    one_of = (("img", "file"),)

    img: Base64 = None
    file: Upload = None


class Video(Form):
    one_of = (("videoContent", "file"),)

    videoContent: Annotated[Any, Media.of(inputs.VIDEO_LIMITS)] = None
    file: Annotated[Any, Media.of(inputs.VIDEO_LIMITS, upload=True)] = None


def _served(base: type[Form], path: str, type_ids: Iterable[int]) -> type[Form]:
    """`base` with the typeIds `path` serves."""
    choices = tuple(sorted(type_ids))
    name = path.rsplit("/", 1)[-1].removesuffix(".do")
    fields: dict[str, Any] = {"typeId": Annotated[int, OneOf(*choices)]}
    model = type(
        f"{name[0].upper()}{name[1:]}",
        (base,),
        {"__annotations__": fields, "__doc__": f"{path}: typeId {', '.join(map(str, choices))}"},
    )
    return model


DECLARED: dict[str, type[Wire]] = {
    "/verapi/verFaceImage.do": _served(Pair, "/verapi/verFaceImage.do", (21,)),
    "/verapi/verLivenessImage.do": _served(Single, "/verapi/verLivenessImage.do", (3035,)),
    "/verapi/verLivenessVideo.do": _served(Video, "/verapi/verLivenessVideo.do", (3036,)),
    "/api/faceliu.do": _served(Pair, "/api/faceliu.do", routes.FACE_JOBS),
    "/api/facerecog.do": _served(Pair, "/api/facerecog.do", routes.FACE_JOBS),
    "/api/recogliu.do": _served(Single, "/api/recogliu.do", routes.CARD_JOBS),
    "/api/recog.do": _served(Single, "/api/recog.do", routes.CARD_JOBS),
}


# --- the OpenAPI description ----------------------------------------------------------------

_STATUS = {"type": "object", "required": ["status", "value"]}
VERAPI_ENVELOPE = {
    "type": "object",
    "required": ["messageString"],
    "properties": {
        "infoList": {"type": "array"},
        "messageString": _STATUS
        | {"properties": {"status": {"type": "string"}, "value": {"type": "string"}}},
    },
}
API_ENVELOPE = {
    "type": "object",
    "required": ["message"],
    "properties": {
        "message": _STATUS
        | {"properties": {"status": {"type": "integer"}, "value": {"type": "string"}}},
        "cardsinfo": {"type": "array"},
    },
}
OPENAPI = Description(
    title="netocr (idfacade)",
    summary=(
        "The API of seed 003 as idfacade serves it. Bodies are forms (urlencoded, or "
        "multipart for files); answers are XML unless `format` is `json`: `/verapi/*` answer "
        '`{infoList, messageString: {status: "2000", value}}`, `/api/*` answer '
        "`{message: {status: 2, value}, cardsinfo}`, always with HTTP 200.\n\n"
        "**Authentication** is two form fields, `key` (the user's ocrKey) and `secret`; OpenAPI "
        "has no security scheme for body fields, so the request bodies declare them."
    ),
    envelope=lambda path: VERAPI_ENVELOPE if path.startswith("/verapi/") else API_ENVELOPE,
    answers=("application/json", "text/xml"),
)
