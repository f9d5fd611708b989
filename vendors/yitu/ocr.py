"""ID-card OCR (§9.4): ocr (105.1), distinguish (105.2) and license_classification (105.3).

Each reads the photo in `user_info.image_content` (mode 1, at most 3 MB) once. An image
without an ID card is not an error here: the manual gives each API its own answer for it
(`idcard_type` -1, `result` -2 or -1). Mode 2 (a "feature" of the document) and the driving
and vehicle licences are not offered: `-204`. The engine finds the card's orientation whatever
`auto_rotate` says. See docs/yitu-ocr.md.
"""

from __future__ import annotations

import base64
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from contracts.documents import CardSide, CardSource, IdCard, IdCardScan, IdNumberCheck
from contracts.errors import ErrorKind, IdfError
from contracts.images import ImageLimits
from vendors.common.documents import compact_date, read_cards
from vendors.common.inputs import image_input
from vendors.common.limits import base64_body
from vendors.common.params import Params
from vendors.yitu import wire
from vendors.yitu.recognition import FRONT, OCR_SIDES
from vendors.yitu.routes import Api, Call

IMAGE_FIELD = "image_content"
OCR_LIMITS = ImageLimits(max_bytes=3 * 1024 * 1024)  # §9.4: "最大图片大小：3MB"
ID_CARD = 1  # ocr_type, distinguish_type and license_type 1: the resident ID card
# the other document types each option names, which idfacade does not read
OTHER_TYPES = {
    "ocr_type": {2: "driving licence", 3: "vehicle licence"},
    "distinguish_type": {2: "driving licence"},
    "license_type": {},
}
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
QUALITY_LIMIT = 0.5  # a quality problem scored over this leaves the card undecided
RECAPTURED = frozenset({CardSource.copy, CardSource.screen, CardSource.edited})


@dataclass(frozen=True)
class Verdict:
    result: int
    reason: str | None  # only when the card is not judged genuine (105.2)
    confidence: float  # that the photo shows a genuine card, 0-1


# --- request --------------------------------------------------------------------------------


def require_id_card(options: Params, name: str, *, default: int | None = None) -> None:
    """The document-type option must name the ID card (1); other documents are not offered."""
    value = options.integer(name, default)
    if value is None:
        raise IdfError(ErrorKind.missing_param, f"{name} is required", field=name)
    other = OTHER_TYPES[name].get(value)
    if other is not None:
        raise IdfError(
            ErrorKind.unsupported, f"{name} {value} ({other}) is not offered, only 1", field=name
        )
    if value != ID_CARD:
        choices = ", ".join(map(str, sorted({ID_CARD, *OTHER_TYPES[name]})))
        raise IdfError(ErrorKind.bad_param, f"{name} must be one of {choices}", field=name)


async def read_scan(call: Call) -> IdCardScan:
    """The ID cards in the request's photo (mode 1)."""
    if call.params.integer("mode", 1, low=1, high=2) == 2:
        raise IdfError(
            ErrorKind.unsupported,
            "mode 2 (feature_content) is not offered: send image_content",
            field="mode",
        )
    info = wire.section(call.params, "user_info")
    image = await image_input(info, call.services.settings, (IMAGE_FIELD,), OCR_LIMITS)
    if image is None:
        raise IdfError(ErrorKind.missing_param, f"{IMAGE_FIELD} is required", field=IMAGE_FIELD)
    _, scan = await call.services.pool.run(read_cards, image)
    return scan


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


# --- handlers -------------------------------------------------------------------------------


async def ocr(call: Call) -> dict[str, Any]:
    """105.1: the fields of the sides `ocr_mode` asks for, and which were found."""
    options = wire.section(call.params, "options")
    require_id_card(options, "ocr_type")
    sides = OCR_MODES[options.integer("ocr_mode", 1, low=1, high=4) or 1]
    cards = chosen(await read_scan(call), sides)
    result = {key: value for card in cards for key, value in card_fields(card).items()}
    return {"idcard_ocr_result": result | {"idcard_type": card_type(cards)}}


async def distinguish(call: Call) -> dict[str, Any]:
    """105.2: is this a photo of a genuine ID card (the front where both sides are shown)."""
    require_id_card(wire.section(call.params, "options"), "distinguish_type", default=ID_CARD)
    cards = chosen(await read_scan(call), ANY_SIDE)
    card = cards[0] if cards else None
    verdict = judge(card)
    out: dict[str, Any] = {
        "is_valid": verdict.result == GENUINE,
        "confidence": verdict.confidence,
        "result": verdict.result,
    }
    if card is not None:
        # the corrected card; a forged one is returned as is, without marks (docs/yitu-ocr.md)
        out["debug_image"] = base64.b64encode(card.card_jpeg).decode()
    if verdict.reason is not None:
        out["reason"] = verdict.reason
    return {"idcard_distinguish_result": out}


async def license_classification(call: Call) -> dict[str, Any]:
    """105.3: which ID card sides the photo shows."""
    require_id_card(wire.section(call.params, "options"), "license_type")
    cards = chosen(await read_scan(call), ANY_SIDE)
    return {"classification_result": {"result": card_type(cards)}}


_BODY = base64_body(OCR_LIMITS.max_bytes)
APIS = [
    Api("/face/basic/ocr", ocr, _BODY),
    Api("/face/basic/distinguish", distinguish, _BODY),
    Api("/face/basic/license_classification", license_classification, _BODY),
]
