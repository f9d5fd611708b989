"""`POST /api/ocr/v1/idcard/{openid}/{timestamp}/{digest}/{msg_id}` (seed 002).

A body with `transfer_id` and an image (or url) is recognised once; `transfer_id` may never
repeat for an openid. A body with only a `transfer_id` already used fetches that result again
("提交图片后可根据该id查询识别结果").
"""

from __future__ import annotations

import json
import re
import secrets
from typing import Any

from contracts.documents import CardSide
from contracts.errors import ErrorKind, IdfError
from contracts.images import ImageLimits
from engine import ocr
from vendors.common.documents import read_cards
from vendors.common.inputs import image_input
from vendors.common.limits import base64_body
from vendors.common.params import Params
from vendors.common.routing import Api, Call
from vendors.common.services import Services
from vendors.waiqin import wire

PATH = "/api/ocr/v1/idcard/{openid}/{timestamp}/{digest}/{msg_id}"
# seed 002: ≤ 8 MB, shortest side ≥ 15 px, longest ≤ 8192 px, jpg/jpeg/png/bmp
LIMITS = ImageLimits(
    max_bytes=8 * 1024 * 1024, min_side=14, max_side=8192, formats=frozenset({"jpeg", "png", "bmp"})
)
OPTIONS = ("quality_detection", "risk_detection", "card_cropping", "photo_detection")
_TRANSFER_ID = re.compile(r"^\d{1,32}$")


def _transfer_id(params: Params) -> str:
    value = params.text("transfer_id", required=True) or ""
    if not _TRANSFER_ID.match(value.strip()):
        raise IdfError(
            ErrorKind.bad_param, "transfer_id must be up to 32 digits", field="transfer_id"
        )
    return value.strip()


def _side(params: Params) -> CardSide:
    value = (params.text("ID_card_side", required=True) or "").strip().lower()
    if value not in ("front", "back"):
        raise IdfError(
            ErrorKind.bad_param, "ID_card_side must be front or back", field="ID_card_side"
        )
    return CardSide(value)


async def _recognise(services: Services, params: Params, transfer_id: str) -> dict:
    side = _side(params)
    options = {name: params.boolean(name) for name in OPTIONS}
    found = await image_input(params, services.settings, ("image", "url"), LIMITS)
    if found is None:
        raise IdfError(ErrorKind.missing_one_of, field="image,url")
    _, scan = await services.pool.run(read_cards, found, portrait=options["photo_detection"])
    card = ocr.pick_side(scan, side)
    data = {"transfer_id": transfer_id, "recognition_id": secrets.randbits(53)}
    return data | wire.render_card(scan, card, side, options)


async def idcard(call: Call) -> dict[str, Any]:
    services, params = call.services, call.params
    transfer_id = _transfer_id(params)
    scope = f"waiqin:{call.request.path_params['openid']}"
    fetch_again = not params.has("image") and not params.has("url")
    stored = services.results.get(scope, transfer_id) if fetch_again else None
    if stored:
        return json.loads(stored)
    if not services.results.reserve(scope, transfer_id):
        raise IdfError(ErrorKind.already_exists, field="transfer_id")
    try:
        data = await _recognise(services, params, transfer_id)
    except BaseException:
        services.results.release(scope, transfer_id)
        raise
    services.results.complete(scope, transfer_id, json.dumps(data, ensure_ascii=False))
    return data


APIS = [Api("idcard", (PATH,), idcard, max_body=base64_body(LIMITS.max_bytes, url_encoded=True))]
