"""The request of every SenseTime endpoint, declared once (seed 000; vendors/common/spec.py).

Bodies are form data (the manual's "请求体格式 formdata"); an image is `file` (a multipart file)
or `data` (base64, a server path or a web link, §2.1), a later call may send detect's
`context` instead. getDbInfo and get are GET with form fields, read from the query too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, ClassVar

from pydantic import Field

from engine.gallery import MAX_TOP_K
from vendors.common.openapi import Description
from vendors.common.spec import FORM_DATA, JSON, URLENCODED, Media, OneOf, Wire
from vendors.sensetime import documents, face, feature, liveness, ocr, text
from vendors.sensetime.auth import ACCOUNT_TYPES
from vendors.sensetime.context import IMAGE_LIMITS

File = Annotated[Any, Media.of(IMAGE_LIMITS, upload=True)]
Data = Annotated[Any, Media.of(IMAGE_LIMITS, references=True)]
Index = Annotated[int, Field(ge=-2, description="-2 the largest face, -1 all, n faceId n")]
DbId = Annotated[str, Field(pattern=f"^(?:{feature.DB_NAME.pattern})$")]
Count = Annotated[int, Field(ge=1, le=MAX_TOP_K)]
Score = Annotated[float, Field(ge=0, le=1)]
FaceType = Annotated[str, OneOf(feature.FACE)]


class Form(Wire):
    content = (FORM_DATA, URLENCODED)


class ImageOnly(Form):
    """An image as `file` or `data` (§1.2: JPG, BMP, PNG or TIFF; at most 5 MB)."""

    one_of: ClassVar[tuple[tuple[str, ...], ...]] = (("file", "data"),)

    file: File = None
    data: Data = None


class Image(ImageOnly):
    rotate: bool | None = None


class Faces(Image):
    """An image or detect's `context`, and which of its faces (`index`, §2.2)."""

    one_of = (("file", "data", "context"),)

    context: str | None = None
    index: Index | None = None


class Document(Image):
    """Every ssid-ocr API (§6): the image, rotation and whether to return positions and crops."""

    extraInfo: bool | None = None


class Watermark(Image):
    """§5.3, §5.4: `code` (Byte[32]) and `key` (Byte[4]) as text or a JSON array of bytes."""

    code: str
    key: str


class CompareImages(Form):
    """§2.6: two image inputs, each with its own context, index and rotation."""

    one_of = (
        ("firstFile", "firstData", "firstContext"),
        ("secondFile", "secondData", "secondContext"),
    )

    firstFile: File = None
    firstData: Data = None
    firstContext: str | None = None
    firstIndex: Index | None = None
    firstRotate: bool | None = None
    secondFile: File = None
    secondData: Data = None
    secondContext: str | None = None
    secondIndex: Index | None = None
    secondRotate: bool | None = None


class Verify(Form):
    feature1: str
    feature2: str


class Select(Form):
    """§2.8: a video (MP4, AVI, MOV, WMV or RM; 3 s or longer; at most 20 MB)."""

    one_of = (("file", "data"),)

    file: Annotated[Any, Media.of(face.VIDEO_LIMITS, upload=True)] = None
    data: Annotated[Any, Media.of(face.VIDEO_LIMITS, references=True)] = None
    rotate: bool | None = None


class Clip(Form):
    """§4.3: the clip judged for liveness."""

    one_of = (("file", "data"),)

    file: Annotated[Any, Media.of(liveness.VIDEO_LIMITS, upload=True)] = None
    data: Annotated[Any, Media.of(liveness.VIDEO_LIMITS, references=True)] = None
    rotate: bool | None = None


class Interactive(Clip):
    """§4.2: the actions asked for, in order (PHP clients post them as `sequence[]`)."""

    aliases: ClassVar[Mapping[str, str]] = {"sequence[]": "sequence"}

    sequence: str | list[str]


class Login(Wire):
    """The Guns console login (§1.1): JSON, as its clients post it."""

    content = (JSON, FORM_DATA, URLENCODED)

    username: str
    password: str
    accountType: Annotated[str, OneOf(*sorted(ACCOUNT_TYPES))] | None = None


class NoFields(Form):
    pass


# --- ssid-feature (§3) ----------------------------------------------------------------------


class ItemFields(Form):
    externalUuid: str | None = None
    remark: str | None = None


class AddDb(Form):
    dbName: DbId
    maxSize: Annotated[int, Field(ge=1, le=feature.MAX_DB_SIZE)]
    dbType: FaceType | None = None
    nameSpace: str | None = None
    tempSpace: str | None = None


class Db(Form):
    dbId: DbId


class Insert(ItemFields):
    dbId: DbId
    feature: str
    imageUrl: str


class InsertByImage(Faces, ItemFields):
    dbId: DbId


class BulkImport(Form):
    """§3.5.2: `data` is a folder on the server."""

    dbId: DbId
    data: str
    rotate: bool | None = None


class Update(Insert):
    featureId: str


class UpdateByImage(InsertByImage):
    featureId: str


class Item(Db):
    featureId: str


class Delete(Db):
    featureIds: str | list[str]


class SearchByFeature(Db):
    feature: str
    featureType: FaceType | None = None
    count: Count | None = None
    threshold: Score | None = None


class SearchByImage(Faces):
    dbId: DbId
    type: FaceType | None = None
    count: Count | None = None
    threshold: Score | None = None


def _at(service: str, name: str) -> str:
    return f"/{service}/v2/{name}"


_FACE, _FEATURE, _LIVE, _ADV = "ssid-face", "ssid-feature", "ssid-liveness", "ssid-advanced"
DECLARED: dict[str, type[Wire]] = {
    "/guns/mgr/login": Login,
    "/guns/mgr/isLogin": NoFields,
    _at(_FACE, "detect"): Image,
    _at(_FACE, "quality"): Faces,
    _at(_FACE, "extract"): Faces,
    _at(_FACE, "verify"): Verify,
    _at(_FACE, "compareImages"): CompareImages,
    _at(_FACE, "singleImageVerify"): Image,
    _at(_FACE, "select"): Select,
    _at(_FACE, "attribute"): Faces,
    _at(_FACE, "deReticulatedImage"): ImageOnly,
    _at(_FEATURE, "addDb"): AddDb,
    _at(_FEATURE, "getDbInfo"): Db,
    _at(_FEATURE, "deleteDb"): Db,
    _at(_FEATURE, "extract"): Faces,
    _at(_FEATURE, "insert"): Insert,
    _at(_FEATURE, "insertByImage"): InsertByImage,
    _at(_FEATURE, "bulkImport"): BulkImport,
    _at(_FEATURE, "update"): Update,
    _at(_FEATURE, "updateByImage"): UpdateByImage,
    _at(_FEATURE, "get"): Item,
    _at(_FEATURE, "delete"): Delete,
    _at(_FEATURE, "searchByFeature"): SearchByFeature,
    _at(_FEATURE, "searchByImage"): SearchByImage,
    _at(_LIVE, "hacknessScore"): Image,
    _at(_LIVE, "interactive"): Interactive,
    _at(_LIVE, "silentLiveness"): Clip,
    _at(_ADV, "quality"): Image,
    _at(_ADV, "attribute"): Image,
    _at(_ADV, "encoder"): Watermark,
    _at(_ADV, "decoder"): Watermark,
    _at(_ADV, "defake"): Image,
    # every document API of ssid-ocr, under each name it is served at
    **{api.paths[0]: Document for api in (*ocr.APIS, *documents.APIS, *text.APIS)},
}

# --- the OpenAPI description ----------------------------------------------------------------

ENVELOPE = {
    "type": "object",
    "required": ["code", "msg"],
    "properties": {
        "code": {
            "type": "string",
            "pattern": r"^(0000|\d{8})$",
            "description": '"0000", or the 2-digit service and 6-digit error (chapter 7)',
        },
        "msg": {"type": "string"},
        "data": {"description": "the answer; null on an error (liveness: pass false)"},
        "success": {"type": "boolean", "description": "the console's login and isLogin"},
    },
}
OPENAPI = Description(
    title="SenseTime SenseStudio-ID V2.1.0 (idfacade)",
    summary=(
        "The private-cloud API of seed 000 as idfacade serves it. Bodies are form data; every "
        'answer is HTTP 200 with `{code, msg, data}` (`code` "0000" on success), and a '
        "`bizNo` request header is echoed.\n\n"
        "**Authentication.** In open mode no header is needed. In account mode "
        '(`sensetime_auth = "account"`) `POST /guns/mgr/login` with JSON '
        '`{"username", "password", "accountType": "2"}` answers a token as `data`; every '
        "call then sends `authorization: Basic <token>`."
    ),
    envelope=lambda path: ENVELOPE,
    security_schemes={
        "token": {
            "type": "apiKey",
            "in": "header",
            "name": "authorization",
            "description": "`Basic <token>`, the token `POST /guns/mgr/login` answers as `data`",
        }
    },
    security=[{"token": []}, {}],  # {}: open mode needs none
)
