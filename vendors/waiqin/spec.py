"""The request of Waiqin's one endpoint, declared once (seed 002; vendors/common/spec.py).

The body is JSON; `image` is base64 then URL-encoded ("base64编码后进行urlencode"), `url` the
alternative; the option switches are the strings "true" or "false" (the manual types them
STRING). The path carries the authentication (`PATH_PARAMETERS`).
"""

from __future__ import annotations

import datetime as dt
import time
from datetime import tzinfo
from typing import Annotated, Any

from pydantic import Field

from contracts.findings import SIGNATURE_VARIANT, Finding
from vendors.common.openapi import Description
from vendors.common.spec import JSON, Media, OneOf, Wire
from vendors.waiqin import routes

Switch = Annotated[str, OneOf("true", "false")]

PATH_PARAMETERS = {
    "openid": "the caller's openid (its credential's principal)",
    "timestamp": "the caller's local time as yyyyMMddHHmmss (China Standard Time by default)",
    "digest": "lowercase hex MD5 of `<exact body>|<appkey>|<timestamp>`",
    "msg_id": "a message id, never reused within the time window",
}


class IdCard(Wire):
    """With `image` or `url` a card is read; with `transfer_id` alone its result is fetched
    again."""

    content = (JSON,)

    transfer_id: Annotated[str, Field(pattern=r"^\d{1,32}$")] | Annotated[int, Field(ge=0)]
    image: Annotated[Any, Media.of(routes.LIMITS, urlencoded=True)] = None
    url: Annotated[str, Field(max_length=1024)] | None = None
    ID_card_side: Annotated[str, OneOf("front", "back")] | None = None
    quality_detection: Switch | None = None
    risk_detection: Switch | None = None
    card_cropping: Switch | None = None
    photo_detection: Switch | None = None


DECLARED: dict[str, type[Wire]] = {routes.PATH: IdCard}


def url_findings(timestamp: str, digest: str, zone: tzinfo, skew: float) -> list[Finding]:
    """The URL forms only some clients write: Java SDKs' `yyyyMMddHHmmSS` timestamp
    (milliseconds in place of seconds) and an upper-case digest."""
    out = []
    text = timestamp.strip()
    now = time.time()
    seconds = dt.datetime.strptime(text, "%Y%m%d%H%M%S") if len(text) == 14 else None
    if seconds is None or abs(seconds.replace(tzinfo=zone).timestamp() - now) > skew:
        detail = "the timestamp reads only as yyyyMMddHHmmSS (milliseconds, no seconds)"
        out.append(Finding(SIGNATURE_VARIANT, "timestamp", detail))
    if digest != digest.lower():
        out.append(Finding(SIGNATURE_VARIANT, "digest", "upper-case hex; documented: lowercase"))
    return out


# --- the OpenAPI description ----------------------------------------------------------------

ENVELOPE = {
    "type": "object",
    "required": ["return_code", "return_msg", "msg_id", "response_data"],
    "properties": {
        "return_code": {"type": "string", "description": '"0" on success'},
        "return_msg": {"type": "string"},
        "msg_id": {"type": "string"},
        "response_data": {
            "type": ["string", "null"],
            "description": "the result as a JSON *string* (clients json.loads it)",
        },
    },
}
OPENAPI = Description(
    title="Waiqin365 open API, ID-card OCR (idfacade)",
    summary=(
        "The API of seed 002 as idfacade serves it. The body is JSON; every answer is HTTP "
        "200 with `{return_code, return_msg, msg_id, response_data}`, `response_data` a JSON "
        "string.\n\n"
        "**Authentication** is in the path: `/{openid}/{timestamp}/{digest}/{msg_id}`, where "
        "`digest` is the lowercase hex MD5 of `<exact body>|<appkey>|<timestamp>` and "
        "`timestamp` the caller's local time `yyyyMMddHHmmss`, within `waiqin_max_skew` "
        "seconds; a msg_id is accepted once. OpenAPI has no security scheme for a digest in "
        "the path, so the path parameters describe it."
    ),
    envelope=lambda path: ENVELOPE,
    path_parameters=PATH_PARAMETERS,
)
