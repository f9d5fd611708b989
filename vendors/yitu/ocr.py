"""Document OCR (§9.4): ocr (105.1), distinguish (105.2) and license_classification (105.3).

Each reads the photo in `user_info.image_content` (mode 1) or `user_info.feature_content`
(mode 2: the document as the front-end SDK captured it, base64, read the same way), at most
3 MB, once. `ocr_type` 1 reads the resident ID card, 2 the driving licence, 3 the vehicle
licence; `distinguish_type` 1 judges an ID card, 2 a driving licence, and `debug_image` marks
in red, on the photo, every field whose check failed. An image without the document is not
an error here: the manual gives each API its own answer for it (`idcard_type` -1,
`license_type` -2, `result` -2). The engine finds the orientation whatever `auto_rotate` says.
See docs/yitu-ocr.md.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from contracts.documents import (
    CardSide,
    CardSource,
    Document,
    DocumentType,
    IdCard,
    IdCardScan,
    IdNumberCheck,
)
from contracts.errors import ErrorKind, IdfError
from contracts.faces import Box
from contracts.images import DecodedImage, ImageInput, ImageLimits
from engine.media import encode_image
from vendors.common.documents import compact_date, read_cards, read_documents
from vendors.common.inputs import image_input
from vendors.common.limits import base64_body
from vendors.common.params import Params
from vendors.yitu import wire
from vendors.yitu.recognition import FRONT, OCR_SIDES
from vendors.yitu.routes import Api, Call

IMAGE_FIELD = "image_content"
OCR_LIMITS = ImageLimits(max_bytes=3 * 1024 * 1024)  # §9.4: "最大图片大小：3MB"
ID_CARD = 1  # ocr_type, distinguish_type and license_type 1: the resident ID card
DRIVING, VEHICLE = 2, 3  # ocr_type 2 and 3; distinguish_type 2 is the driving licence
TYPES = {"ocr_type": (1, 2, 3), "distinguish_type": (1, 2), "license_type": (1,)}
FEATURE_FIELD = "feature_content"
# ocr_mode (105.1): 1 front, 2 back, 3 whichever is shown, 4 both sides; a temporary card,
# which the manual does not read, counts as a front, as in feature_extraction's idcard_type.
OCR_MODES = {**OCR_SIDES, 4: OCR_SIDES[3]}
ANY_SIDE = OCR_SIDES[3]

# idcard_ocr_result key -> canonical field, per side (105.1)
FRONT_FIELDS = {
    "name": "name",
    "gender": "sex",
    "nation": "nation",
    "birthday": "birth",
    "address": "address",
    "citizen_id": "id_number",
}
BACK_FIELDS = {
    "agency": "authority",
    "valid_date_begin": "valid_from",
    "valid_date_end": "valid_to",
}
SIDE_FIELDS = {
    CardSide.front: FRONT_FIELDS,
    CardSide.back: BACK_FIELDS,
    CardSide.temporary: FRONT_FIELDS | BACK_FIELDS,
}
DATES = frozenset({"birth", "valid_from", "valid_to"})
UNREASONABLE = "?"  # 105.1: a date "当识别结果不合理时会返回'?'"

# distinguish (105.2): result codes and the manual's reasons
GENUINE, FORGED, UNDECIDED, NOT_A_CARD = 1, 0, -1, -2
MARK = (0, 0, 255)  # debug_image frames failed fields in red (BGR)
QUALITY_LIMIT = 0.5  # a quality problem scored over this leaves the card undecided
RECAPTURED = frozenset({CardSource.copy, CardSource.screen, CardSource.edited})


@dataclass(frozen=True)
class Verdict:
    result: int
    reason: str | None  # only when the card is not judged genuine (105.2)
    confidence: float  # that the photo shows a genuine card, 0-1


# --- request --------------------------------------------------------------------------------


def document_type(options: Params, name: str, *, default: int | None = None) -> int:
    """The document-type option: one of the types the manual lists for it."""
    value = options.integer(name, default)
    if value is None:
        raise IdfError(ErrorKind.missing_param, f"{name} is required", field=name)
    if value not in TYPES[name]:
        choices = ", ".join(map(str, TYPES[name]))
        raise IdfError(ErrorKind.bad_param, f"{name} must be one of {choices}", field=name)
    return value


async def request_image(call: Call) -> ImageInput:
    """The photo of mode 1 (`image_content`) or the captured document of mode 2
    (`feature_content`)."""
    mode = call.params.integer("mode", 1, low=1, high=2)
    field = IMAGE_FIELD if mode == 1 else FEATURE_FIELD
    info = wire.section(call.params, "user_info")
    image = await image_input(info, call.services.settings, (field,), OCR_LIMITS)
    if image is None:
        raise IdfError(ErrorKind.missing_param, f"{field} is required", field=field)
    return image


async def read_scan(call: Call) -> tuple[DecodedImage, IdCardScan]:
    """The ID cards in the request's photo."""
    image = await request_image(call)
    return await call.services.pool.run(read_cards, image)


async def read_licence(call: Call, kind: DocumentType) -> tuple[DecodedImage, Document | None]:
    """The driving or vehicle licence in the request's photo, or None."""
    image = await request_image(call)
    decoded, scan = await call.services.pool.run(read_documents, image, kind)
    return decoded, scan.documents[0] if scan.documents else None


# --- answers --------------------------------------------------------------------------------


def chosen(scan: IdCardScan, sides: Collection[CardSide]) -> list[IdCard]:
    """The first front (or temporary card) and the first back among `sides`, front first."""
    fronts = [card for card in scan.cards if card.side in sides and card.side in FRONT]
    backs = [card for card in scan.cards if card.side in sides and card.side is CardSide.back]
    return [kind[0] for kind in (fronts, backs) if kind]


def card_type(cards: list[IdCard]) -> int:
    """idcard_type and classification result: 1 front, 2 back, 3 both, -1 none."""
    if not cards:
        return -1
    if len(cards) == 2:
        return 3
    return 1 if cards[0].side in FRONT else 2


def card_fields(card: IdCard) -> dict[str, Any]:
    """The side's fields as printed; dates as yyyyMMdd (the table's examples), or "?" when
    unreadable or impossible, and `长期`. `citizen_id_check` (GB 11643, docs/ocr.md) is
    idfacade's: the number is never corrected, so a bad check digit is reported beside it."""
    out: dict[str, Any] = {}
    for key, name in SIDE_FIELDS[card.side].items():
        found = card.fields.get(name)
        if name in DATES:
            out[key] = compact_date(found.value) if found and found.valid else UNREASONABLE
        elif found is not None:
            out[key] = found.value
    if card.id_number_check is not None:
        out["citizen_id_check"] = str(card.id_number_check)
    return out


def judge(card: IdCard | None) -> Verdict:
    """105.2's verdict from the engine's measurements: poor quality leaves it undecided (a
    misread is no evidence of forgery); a number failing GB 11643, a photocopy, a screen or
    an editor's trace is not a genuine card photo."""
    if card is None:
        return Verdict(NOT_A_CARD, "不是身份证", 0.0)
    quality = card.quality
    if quality.blur > QUALITY_LIMIT:
        return Verdict(UNDECIDED, "图片过于模糊", 0.0)
    other_problem = max(quality.crop, quality.occlusion, quality.strong_light, quality.weak_light)
    if other_problem > QUALITY_LIMIT:
        return Verdict(UNDECIDED, "无法判别", 0.0)
    if card.id_number_check not in (None, IdNumberCheck.valid):
        return Verdict(FORGED, "假身份证", 0.0)
    genuine = card.source.scores[CardSource.normal]
    if card.source.source in RECAPTURED:
        return Verdict(FORGED, "假身份证", genuine)
    return Verdict(GENUINE, None, genuine)


# --- licences -------------------------------------------------------------------------------

# driving_license_ocr_result key -> canonical field (105.1's second table)
DRIVING_FIELDS = {
    "birthday": "birth",
    "issue_date": "first_issue_date",
    "valid_date_begin": "valid_from",
    "valid_date_end": "valid_to",
    "vehicle_type": "class",
    "name": "name",
    "address": "address",
    "citizen_id": "id_number",
    "gender": "sex",
}
# vehicle_license_ocr_result (the manual lists no keys for it: the driving licence's style)
VEHICLE_FIELDS = {
    "plate_no": "plate_number",
    "vehicle_type": "vehicle_type",
    "owner": "owner",
    "address": "address",
    "use_character": "use_character",
    "model": "model",
    "vin": "vin",
    "engine_no": "engine_number",
    "register_date": "register_date",
    "issue_date": "issue_date",
}
# the second pages (副页), which the manual does not list: the same style
DRIVING_SECOND_FIELDS = {
    "name": "name",
    "citizen_id": "id_number",
    "file_no": "file_number",
    "record": "record",
    "barcode": "barcode",
}
VEHICLE_SECOND_FIELDS = {
    "plate_no": "plate_number",
    "file_no": "file_number",
    "approved_passengers": "passengers",
    "gross_mass": "gross_mass",
    "unladen_mass": "unladen_mass",
    "approved_load": "approved_load",
    "overall_dimension": "dimensions",
    "traction_mass": "traction_mass",
    "remark": "comment",
    "inspection_record": "inspection_record",
    "barcode": "barcode",
}
SECOND_PAGE = 2
LICENCE_DATES = frozenset(
    {"birth", "first_issue_date", "valid_from", "valid_to", "register_date", "issue_date"}
)
NEW_LICENCE, OLD_LICENCE, UNREADABLE, NOT_A_LICENCE = 1, 2, -1, -2
_PERIOD_YEARS = re.compile(r"(\d{1,2})\s*年")


def licence_fields(document: Document, keys: dict[str, str]) -> dict[str, Any]:
    """The page's fields (`page` 1 main, 2 second page, idfacade's), as printed; its dates as
    yyyyMMdd or "?"; and each check's outcome beside its number (never corrected)."""
    out: dict[str, Any] = {"page": document.page}
    for key, name in keys.items():
        found = document.fields.get(name)
        if name in LICENCE_DATES:
            out[key] = compact_date(found.value) if found and found.valid else UNREASONABLE
        elif found is not None:
            out[key] = found.value
    for name, passed in document.checks.items():
        out[f"{name}_check"] = "valid" if passed else "invalid"
    return out


def driving_result(document: Document | None) -> dict[str, Any]:
    """driving_license_ocr_result: the new licence prints its period as two dates, the old one
    as a number of years (valid_period)."""
    if document is None:
        return {"license_type": NOT_A_LICENCE}
    if document.page == SECOND_PAGE:  # GA 482's second page, issued with the current licence
        return licence_fields(document, DRIVING_SECOND_FIELDS) | {"license_type": NEW_LICENCE}
    out = licence_fields(document, DRIVING_FIELDS)
    if "valid_from" in document.fields and "valid_to" in document.fields:
        out["license_type"] = NEW_LICENCE
    elif (period := document.fields.get("valid")) and (years := _PERIOD_YEARS.search(period.value)):
        out["valid_period"] = int(years[1])
        out["license_type"] = OLD_LICENCE
    else:
        out["license_type"] = UNREADABLE
    return out


def vehicle_result(document: Document | None) -> dict[str, Any]:
    """vehicle_license_ocr_result: the main page's or the second page's fields."""
    if document is None:
        return {"license_type": NOT_A_LICENCE}
    keys = VEHICLE_SECOND_FIELDS if document.page == SECOND_PAGE else VEHICLE_FIELDS
    return licence_fields(document, keys) | {"license_type": NEW_LICENCE}


def judge_licence(document: Document | None) -> Verdict:
    """105.2 for the driving licence: not read is "not a licence"; a field read with low
    confidence leaves it undecided; a number failing GB 11643, or dates out of order (a
    first licence before birth, a period ending before it starts), is a forgery."""
    if document is None:
        return Verdict(NOT_A_CARD, "不是驾驶证， 无法判断", 0.0)
    scores = [field.score for field in document.fields.values()]
    confidence = round(float(sum(scores) / len(scores)), 4) if scores else 0.0
    if len(scores) < 4 or min(scores) < QUALITY_LIMIT:
        return Verdict(UNDECIDED, "太模糊， 无法判断", confidence)
    if forged_fields(document):
        return Verdict(FORGED, "假证", confidence)
    return Verdict(GENUINE, None, confidence)


def forged_fields(document: Document) -> list[str]:
    """The fields that fail a check or contradict another."""
    failed = [name for name, passed in document.checks.items() if not passed]
    birth = document.value("birth")
    first = document.value("first_issue_date")
    if birth and first and first <= birth:
        failed.append("first_issue_date")
    start, end = document.value("valid_from"), document.value("valid_to")
    if start and end and end != "长期" and end <= start:
        failed.append("valid_to")
    return failed


def marked(
    decoded: DecodedImage, boxes: list[Box], outline: list[tuple[float, float]] | None
) -> str:
    """debug_image: the photo as sent with each failed field (or the whole card, where the
    photo itself is the problem) framed in red, as base64 JPEG."""
    pixels = decoded.pixels.copy()
    thickness = max(2, round(max(pixels.shape[:2]) / 400))
    for box in boxes:
        cv2.rectangle(
            pixels,
            (round(box.left), round(box.top)),
            (round(box.right), round(box.bottom)),
            MARK,
            thickness,
        )
    if outline:
        points = np.array(outline, dtype=np.int32).reshape(-1, 1, 2)
        cv2.polylines(pixels, [points], True, MARK, thickness)
    return base64.b64encode(encode_image(pixels, "jpeg", 90)).decode()


# --- handlers -------------------------------------------------------------------------------


async def ocr(call: Call) -> dict[str, Any]:
    """105.1: the ID card's fields of the sides `ocr_mode` asks for (ocr_type 1), or a driving
    (2) or vehicle (3) licence's."""
    options = wire.section(call.params, "options")
    kind = document_type(options, "ocr_type")
    if kind == DRIVING:
        _, document = await read_licence(call, DocumentType.driving_licence)
        return {"driving_license_ocr_result": driving_result(document)}
    if kind == VEHICLE:
        _, document = await read_licence(call, DocumentType.vehicle_licence)
        return {"vehicle_license_ocr_result": vehicle_result(document)}
    sides = OCR_MODES[options.integer("ocr_mode", 1, low=1, high=4) or 1]
    _, scan = await read_scan(call)
    cards = chosen(scan, sides)
    result = {key: value for card in cards for key, value in card_fields(card).items()}
    return {"idcard_ocr_result": result | {"idcard_type": card_type(cards)}}


def verdict_fields(verdict: Verdict) -> dict[str, Any]:
    out: dict[str, Any] = {
        "is_valid": verdict.result == GENUINE,
        "confidence": verdict.confidence,
        "result": verdict.result,
    }
    if verdict.reason is not None:
        out["reason"] = verdict.reason
    return out


async def distinguish(call: Call) -> dict[str, Any]:
    """105.2: is this a photo of a genuine ID card (the front where both sides are shown), or
    (distinguish_type 2) of a genuine driving licence."""
    kind = document_type(wire.section(call.params, "options"), "distinguish_type", default=ID_CARD)
    if kind == DRIVING:
        decoded, document = await read_licence(call, DocumentType.driving_licence)
        verdict = judge_licence(document)
        out = verdict_fields(verdict)
        if document is not None:
            failed = forged_fields(document)
            boxes = [box for n in failed if (box := document.fields[n].box) is not None]
            out["debug_image"] = (
                marked(decoded, boxes, None)
                if verdict.result == FORGED
                else base64.b64encode(document.crop_jpeg).decode()
            )
        # the table names it driving_license_…, the example driver_license_…: both are sent
        return {"driving_license_distinguish_result": out, "driver_license_distinguish_result": out}
    decoded, scan = await read_scan(call)
    cards = chosen(scan, ANY_SIDE)
    card = cards[0] if cards else None
    verdict = judge(card)
    out = verdict_fields(verdict)
    if card is not None:
        if verdict.result == FORGED:
            number = card.fields.get("id_number")
            bad_number = card.id_number_check not in (None, IdNumberCheck.valid)
            boxes = (
                [number.box] if bad_number and number is not None and number.box is not None else []
            )
            outline = None if boxes else [(p.x, p.y) for p in card.card.points]
            out["debug_image"] = marked(decoded, boxes, outline)
        else:
            out["debug_image"] = base64.b64encode(card.card_jpeg).decode()
    return {"idcard_distinguish_result": out}


async def license_classification(call: Call) -> dict[str, Any]:
    """105.3: which ID card sides the photo shows."""
    document_type(wire.section(call.params, "options"), "license_type")
    _, scan = await read_scan(call)
    return {"classification_result": {"result": card_type(chosen(scan, ANY_SIDE))}}


_BODY = base64_body(OCR_LIMITS.max_bytes)
APIS = [
    Api("/face/basic/ocr", ocr, _BODY),
    Api("/face/basic/distinguish", distinguish, _BODY),
    Api("/face/basic/license_classification", license_classification, _BODY),
]
