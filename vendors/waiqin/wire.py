"""Waiqin's envelope and its Chinese-keyed recognition results (seed 002).

`response_data` is a JSON *string* inside the JSON envelope: the sample clients call
`json.loads(ret["response_data"])`. Locations are `{left, top, width, height}` on the image as
sent; dates are yyyyMMdd.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from contracts.documents import (
    CardQuality,
    CardSide,
    CardSource,
    DocumentKind,
    IdCard,
    IdCardScan,
    IdNumberCheck,
)
from contracts.errors import IdfError
from contracts.faces import Box
from vendors.common.documents import compact_date
from vendors.common.routing import Api, Renderer
from vendors.waiqin import errors

FRONT_FIELDS = {
    "name": "姓名",
    "sex": "性别",
    "nation": "民族",
    "birth": "出生",
    "address": "住址",
    "id_number": "公民身份号码",
}
BACK_FIELDS = {"authority": "签发机关", "valid_from": "签发日期", "valid_to": "失效日期"}
DATE_FIELDS = frozenset({"birth", "valid_from", "valid_to"})

# ID_number_type: consistency of the number with the printed sex and birth date (GB 11643).
ID_NUMBER_TYPE = {
    IdNumberCheck.valid: 1,
    IdNumberCheck.birth_and_sex_mismatch: 2,
    IdNumberCheck.birth_mismatch: 3,
    IdNumberCheck.sex_mismatch: 4,
}
RISK_TYPE = {
    CardSource.normal: "normal",
    CardSource.copy: "copy",
    CardSource.temporary: "temporary",
    CardSource.screen: "screen",
    CardSource.edited: "normal",  # edits are reported through edit_tool
}
QUALITY_THRESHOLD = 0.5  # seed 002: a probability over 0.5 reads as 1


def envelope(msg_id: str, code: str, message: str, data: dict[str, Any] | None) -> JSONResponse:
    text = json.dumps(data, ensure_ascii=False) if data is not None else "{}"
    return JSONResponse(
        {"return_code": code, "return_msg": message, "msg_id": msg_id, "response_data": text}
    )


def failure(request: Request, api: Api | None, error: IdfError) -> JSONResponse:
    code, message = errors.render(error)
    return envelope(request.path_params.get("msg_id", ""), code, message, None)


def success(request: Request, api: Api, data: dict[str, Any]) -> JSONResponse:
    return envelope(request.path_params.get("msg_id", ""), errors.SUCCESS, "success", data)


RENDERER = Renderer(success=success, failure=failure)


def location(box: Box) -> dict[str, int]:
    return {
        "left": round(box.left),
        "top": round(box.top),
        "width": round(box.right - box.left),
        "height": round(box.bottom - box.top),
    }


def _words(card: IdCard, name: str) -> str:
    value = card.value(name) or ""
    return compact_date(value) if name in DATE_FIELDS else value


def recognition_results(card: IdCard) -> dict[str, Any]:
    names = FRONT_FIELDS if card.side is CardSide.front else BACK_FIELDS
    results: dict[str, Any] = {}
    for name, key in names.items():
        found = card.fields.get(name)
        if found is None:
            continue
        if name == "id_number" and id_number_type(card) == 0:
            continue  # seed 002: an illegal number is not returned
        entry: dict[str, Any] = {"words": _words(card, name)}
        if found.box is not None:
            entry["location"] = location(found.box)
        results[key] = entry
    return results


def id_number_type(card: IdCard) -> int:
    if not any(card.value(name) for name in FRONT_FIELDS):
        return -1
    return ID_NUMBER_TYPE.get(card.id_number_check, 0) if card.id_number_check else 0


def photo_status(scan: IdCardScan, card: IdCard | None, requested: CardSide) -> str:
    if card is None:
        if scan.kind is DocumentKind.none:
            return "no_IDcard"
        problem = _quality_status(scan.quality)
        if problem:
            return problem
        # an ID card whose fields could not be read is of no known state ("unknown-未知状态")
        return "other_type_card" if scan.kind is DocumentKind.other_card else "unknown"
    if card.side is not requested and card.side is not CardSide.temporary:
        return "reversed_side"
    return _quality_status(card.quality) or "normal"


def _quality_status(quality: CardQuality) -> str | None:
    """The worst lighting or focus problem over the manual's 0.5 threshold, if any."""
    name, score = max(
        ("blurred", quality.blur),
        ("over_exposure", quality.strong_light),
        ("over_dark", quality.weak_light),
        key=lambda item: item[1],
    )
    return name if score > QUALITY_THRESHOLD else None


def card_quality(card: IdCard) -> str:
    """seed 002 types card_quality as a string: the flags and probabilities as JSON text."""
    return json.dumps(card_quality_fields(card), ensure_ascii=False)


def card_quality_fields(card: IdCard) -> dict[str, Any]:
    probabilities = {
        "IsClear": 1.0 - card.quality.blur,
        "IsComplete": 1.0 - card.quality.crop,
        "IsNoCover": 1.0 - card.quality.occlusion,
    }
    out: dict[str, Any] = {}
    for key, p in probabilities.items():
        out[key] = int(p > QUALITY_THRESHOLD)
        out[f"{key}_propobility"] = round(p, 4)  # the manual's spelling
    return out


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def render_card(
    scan: IdCardScan, card: IdCard | None, requested: CardSide, options: dict[str, bool]
) -> dict[str, Any]:
    """The `response_data` of a recognition, with the optional parts the caller switched on."""
    data: dict[str, Any] = {"photo_status": photo_status(scan, card, requested)}
    if card is None:
        data |= {"direction": -1, "recognition_results": {}, "result_num": 0}
        if options["risk_detection"]:
            data["risk_type"] = "unknown"  # "unknown-其他未知情况": no card to judge
        return data
    results = recognition_results(card)
    data |= {
        "direction": card.rotation // 90,
        "recognition_results": results,
        "result_num": len(results),
    }
    if card.side is not CardSide.back:
        data["ID_number_type"] = id_number_type(card)
    if options["quality_detection"]:
        data["card_quality"] = card_quality(card)
    if options["risk_detection"]:
        data["risk_type"] = RISK_TYPE[card.source.source]
        if card.source.edit_tool:
            data["edit_tool"] = card.source.edit_tool
    if options["card_cropping"]:
        data["card"] = _b64(card.card_jpeg)
        data["card_location"] = location(card.card.box)
    if options["photo_detection"] and card.portrait is not None and card.portrait_jpeg is not None:
        data["ID_photo"] = _b64(card.portrait_jpeg)
        data["photo_location"] = location(card.portrait.box)
    return data
