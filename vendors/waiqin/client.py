"""A Waiqin client that signs like the vendor's sample clients: for tests and for users."""

from __future__ import annotations

import base64
import contextlib
import json
import time
import uuid
from typing import Any

import httpx

from vendors.common.answers import Answer
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
    """`post` sends a JSON body and returns the envelope with `response_data` parsed;
    `recognise` reads one side of an ID card into an `Answer`."""

    def __init__(self, http: httpx.Client, openid: str, appkey: str) -> None:
        self.http, self.openid, self.appkey = http, openid, appkey

    @classmethod
    def connect(cls, base_url: str, openid: str, appkey: str) -> WaiqinClient:
        """A client with its own httpx connection to `base_url`."""
        return cls(httpx.Client(base_url=base_url, timeout=60.0), openid, appkey)

    def recognise(
        self, image: bytes, transfer_id: str, *, side: str = "front", **options: Any
    ) -> Answer:
        """One ID-card side (`ID_card_side` front/back), the image base64 as the manual
        sends it; `options` are the manual's switches (`card_quality="true"`, …)."""
        payload = {"transfer_id": transfer_id, "image": base64.b64encode(image).decode()}
        return answer_of(self.post(payload | {"ID_card_side": side} | options))

    def close(self) -> None:
        self.http.close()

    def post(self, payload: dict[str, Any], **url_options: Any) -> dict[str, Any]:
        body = json.dumps(payload, ensure_ascii=False).encode()
        url = signed_url(self.openid, self.appkey, body, **url_options)
        reply = self.http.post(url, content=body, headers={"Content-Type": "application/json"})
        reply.raise_for_status()
        envelope = reply.json()
        envelope["response_data"] = json.loads(envelope["response_data"] or "{}")
        return envelope


def read_answer(body: bytes) -> Answer:
    """Waiqin's envelope: `return_code` ("0" is OK), `return_msg`, `response_data` a JSON
    string (decoded into the body)."""
    envelope = json.loads(body)
    data = envelope.get("response_data")
    if isinstance(data, str):
        # a string that is not JSON is kept as the vendor sent it
        with contextlib.suppress(ValueError):
            envelope["response_data"] = json.loads(data or "{}")
    return answer_of(envelope)


def answer_of(envelope: dict[str, Any]) -> Answer:
    code = str(envelope.get("return_code", ""))
    message = str(envelope.get("return_msg", ""))
    return Answer("waiqin", code == "0", code, message, body=envelope)
