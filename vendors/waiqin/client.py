"""A Waiqin client that signs like the vendor's sample clients: for tests and for users."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import httpx

from vendors.waiqin.auth import digest
from vendors.waiqin.timestamps import CHINA, format_now, zone

IDCARD_PATH = "/api/ocr/v1/idcard"


def china_timestamp(now: float | None = None) -> str:
    return format_now(time.time() if now is None else now, zone(CHINA))


def signed_url(
    openid: str, appkey: str, body: bytes, *, msg_id: str | None = None, now: float | None = None
) -> str:
    timestamp = china_timestamp(now)
    signature = digest(body, appkey, timestamp)
    return f"{IDCARD_PATH}/{openid}/{timestamp}/{signature}/{msg_id or uuid.uuid4().hex}"


class WaiqinClient:
    """`recognize` posts a JSON body and returns the envelope with `response_data` parsed."""

    def __init__(self, http: httpx.Client, openid: str, appkey: str) -> None:
        self.http, self.openid, self.appkey = http, openid, appkey

    def post(self, payload: dict[str, Any], **url_options: Any) -> dict[str, Any]:
        body = json.dumps(payload, ensure_ascii=False).encode()
        url = signed_url(self.openid, self.appkey, body, **url_options)
        reply = self.http.post(url, content=body, headers={"Content-Type": "application/json"})
        reply.raise_for_status()
        envelope = reply.json()
        envelope["response_data"] = json.loads(envelope["response_data"] or "{}")
        return envelope
