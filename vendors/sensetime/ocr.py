"""SenseTime mainland ID-card OCR (seed 000 §6.1–§6.4): idcard, idcardSource, idcardQuality,
tempIdcard.

Each API reads the image once and answers one entry per card side found, in the order found
(a photocopy with both sides on one page gives two). An image without a card of the kind
asked for is `65040301 [ssid-ocr]Image file no idcard errors`, followed by what the image holds
instead. Positions are on the image as sent. A number that fails its GB 11643 checks is
returned as printed with `valid: false`, never corrected. See docs/sensetime-ocr.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from contracts.documents import (
    CardQuality,
    CardSide,
    CardSource,
    DocumentKind,
    IdCard,
    IdNumberCheck,
)
from contracts.errors import ErrorKind, IdfError
from contracts.faces import Box
from contracts.images import ImageInput
from vendors.common.documents import read_cards
from vendors.common.inputs import require_image
from vendors.common.outputs import render_bytes
from vendors.common.services import Services
from vendors.sensetime.context import IMAGE_LIMITS, stored_path
from vendors.sensetime.routes import Api, Call

SERVICE = "ssid-ocr"
IMAGE_FIELDS = ("file", "data")
ID_CARD = frozenset(CardSide)  # idcard reads a temporary card too, as a front (resultType 0)
TEMPORARY = frozenset({CardSide.temporary})

# idInfosBean key -> canonical field (§6.1); `birth` is a birthBean of its three parts
FRONT = {
    "name": "name",
    "gender": "sex",
    "birth": "birth",
    "number": "id_number",
    "address": "address",
    "nation": "nation",
}
BACK = {"authority": "authority", "validity": "validity"}
SIDE_FIELDS = {CardSide.front: FRONT, CardSide.back: BACK, CardSide.temporary: FRONT | BACK}
BIRTH_PARTS = {"year": "birth_year", "month": "birth_month", "day": "birth_day"}
RESULT_TYPE = {CardSide.front: 0, CardSide.back: 1, CardSide.temporary: 0}
# §6.2: 0 正常拍摄, 1 其他类型, 2 复印件, 3 PS, 4 屏幕翻拍, 5 临时身份证
SOURCE_CODE = {
    CardSource.normal: 0,
    CardSource.copy: 2,
    CardSource.edited: 3,
    CardSource.screen: 4,
    CardSource.temporary: 5,
}
NOT_FOUND = {
    DocumentKind.none: "no document was found in the image",
    DocumentKind.other_card: "the image shows a card or document that is not a resident ID card",
    DocumentKind.id_card: "the image shows a resident ID card, not a temporary one",
}


@dataclass(frozen=True)
class Found:
    path: str | None  # the input as kept on the server (path mode), else None
    cards: tuple[IdCard, ...]


# --- engine work, run in the inference pool -------------------------------------------------


def read_sides(
    services: Services, image: ImageInput, sides: frozenset[CardSide], portrait: bool
) -> Found:
    """The card sides of `sides` in the image, or `no_document` saying what it holds instead;
    the input is kept (path mode) only once a card was found."""
    decoded, scan = read_cards(image, portrait=portrait)
    cards = tuple(card for card in scan.cards if card.side in sides)
    if not cards:
        raise IdfError(ErrorKind.no_document, NOT_FOUND[scan.kind], field=image.name)
    return Found(stored_path(services, image.data, decoded.format, "ocr"), cards)


# --- rendering ------------------------------------------------------------------------------


def rect(box: Box | None) -> dict[str, int]:
    """A rectangle on the image as sent, in the example's spelling (§6.1 `upperLeftX` …); all
    zeros for a field that was not found, as the manual's example shows."""
    left, top, right, bottom = (box.left, box.top, box.right, box.bottom) if box else (0, 0, 0, 0)
    return {
        "upperLeftX": round(left),
        "upperLeftY": round(top),
        "lowerRightX": round(right),
        "lowerRightY": round(bottom),
    }


def info_bean(card: IdCard, name: str, extra: bool) -> dict[str, Any]:
    """idInfoBean (§6.1): text, score (a string), rect with extraInfo, valid. A field not read is
    an empty, invalid bean; the number is valid only when it passes every GB 11643 check."""
    found = card.fields.get(name)
    bean: dict[str, Any] = {
        "text": found.value if found else "",
        "score": str(float(found.score)) if found else "0.0",
    }
    if extra:
        bean["rect"] = rect(found.box if found else None)
    valid = found is not None and found.valid
    if name == "id_number":
        valid = valid and card.id_number_check is IdNumberCheck.valid
    bean["valid"] = valid
    return bean


def birth_bean(card: IdCard, extra: bool) -> dict[str, Any]:
    """birthBean: the table names the day `data`, the example `day`; both are sent."""
    bean = {key: info_bean(card, name, extra) for key, name in BIRTH_PARTS.items()}
    bean["data"] = bean["day"]
    return bean


def id_info(card: IdCard, rotate: bool, extra: bool) -> dict[str, Any]:
    """idInfosBean / tempIdInfosBean: the side's fields, resultType, and rotation (quarter
    turns clockwise that make the card upright; 0 unless `rotate` was asked for, §6.1)."""
    info: dict[str, Any] = {
        key: birth_bean(card, extra) if name == "birth" else info_bean(card, name, extra)
        for key, name in SIDE_FIELDS[card.side].items()
    }
    info["resultType"] = RESULT_TYPE[card.side]
    info["rotation"] = card.rotation // 90 if rotate else 0
    return info


def image_bean(services: Services, card: IdCard, portrait: bool) -> dict[str, Any]:
    """imageBean: the card crop (`roilImage`, the manual's spelling), and for idcard the printed
    portrait and its rectangle (null on a back side, which has none)."""
    bean: dict[str, Any] = {"roilImage": render_bytes(services, card.card_jpeg, "ocr")}
    if portrait:
        jpeg, quad = card.portrait_jpeg, card.portrait
        bean["faceImage"] = render_bytes(services, jpeg, "ocr") if jpeg else None
        bean["faceRect"] = rect(quad.box) if quad else None
    return bean


def quality_bean(quality: CardQuality) -> dict[str, float]:
    """qualityInfoBean (§6.3): larger is worse, except `normal`."""
    return {
        "normal": round(quality.normal, 6),
        "crop": round(quality.crop, 6),
        "occlusion": round(quality.occlusion, 6),
        "strongLight": round(quality.strong_light, 6),
        "weakLight": round(quality.weak_light, 6),
        "blur": round(quality.blur, 6),
    }


# --- handlers -------------------------------------------------------------------------------


async def cards_in_request(
    call: Call, sides: frozenset[CardSide], *, portrait: bool = False
) -> Found:
    """The request's `file` or `data`, read in the inference pool."""
    image = await require_image(call.params, call.services.settings, IMAGE_FIELDS, IMAGE_LIMITS)
    return await call.services.pool.run(read_sides, call.services, image, sides, portrait)


async def recognise(
    call: Call, sides: frozenset[CardSide], key: str, *, with_portrait: bool
) -> dict[str, Any]:
    """§6.1 and §6.4: fields of every card found; with extraInfo, positions and crops (the
    portrait only `with_portrait`: §6.4's imageBean has the card crop alone)."""
    rotate, extra = call.params.boolean("rotate"), call.params.boolean("extraInfo")
    portrait = extra and with_portrait
    found = await cards_in_request(call, sides, portrait=portrait)
    images = [image_bean(call.services, card, portrait) for card in found.cards] if extra else []
    infos = [id_info(card, rotate, extra) for card in found.cards]
    return {"path": found.path, "images": images, key: infos}


async def idcard(call: Call) -> dict[str, Any]:
    """§6.1: both sides of the resident ID card."""
    return await recognise(call, ID_CARD, "idInfos", with_portrait=True)


async def temp_idcard(call: Call) -> dict[str, Any]:
    """§6.4: the temporary card; the manual prints the list as `templdInfos` (its OCR turned
    I into l, seeds/README.md): both spellings are sent."""
    data = await recognise(call, TEMPORARY, "tempIdInfos", with_portrait=False)
    data["templdInfos"] = data["tempIdInfos"]
    return data


async def idcard_source(call: Call) -> dict[str, Any]:
    """§6.2: the likeliest source of each card and its score; the table names the list
    `source`, the example `sourceInfos`: both are sent."""
    found = await cards_in_request(call, ID_CARD)
    infos = [
        {
            "source": SOURCE_CODE[card.source.source],
            "score": round(card.source.scores[card.source.source], 6),
        }
        for card in found.cards
    ]
    return {"path": found.path, "sourceInfos": infos, "source": infos}


async def idcard_quality(call: Call) -> dict[str, Any]:
    """§6.3: the card crop and the quality scores of each card."""
    found = await cards_in_request(call, ID_CARD)
    return {
        "path": found.path,
        "images": [
            {"roilImage": render_bytes(call.services, c.card_jpeg, "ocr")} for c in found.cards
        ],
        "qualityInfos": [quality_bean(card.quality) for card in found.cards],
    }


APIS = [
    Api(SERVICE, "idcard", idcard),
    Api(SERVICE, "idcardSource", idcard_source),
    Api(SERVICE, "idcardQuality", idcard_quality),
    Api(SERVICE, "tempIdcard", temp_idcard),
]
