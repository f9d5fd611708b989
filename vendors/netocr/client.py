"""A netocr client: form posts with key, secret, typeId and format, answers read back from
either format into the same structure. Used by the tests, and by users (docs/netocr.md).

    client = NetocrClient(httpx.Client(base_url="http://127.0.0.1:8080"), key, secret)
    answer = client.compare(photo_a, photo_b)
    same = answer["infoList"][0]["veritem"][0]["desc"] == "判定结果:是"

Images and videos are sent as base64 form fields, or as multipart files with `files=True`
(the `/api/facerecog.do` and `/api/recog.do` paths take files).
"""

from __future__ import annotations

import base64
import json
import xml.etree.ElementTree as ET
from typing import Any

import httpx

from vendors.common.answers import Answer, number

# Successes (vendors/netocr/errors.py): verapi's messageString.status "2000"; /api/
# message.status 0 (comparison done) and 2 (ID card recognised).
SUCCESSES = frozenset({"2000", "0", "2"})


class NetocrClient:
    def __init__(self, http: httpx.Client, key: str, secret: str, fmt: str = "json") -> None:
        self.http, self.key, self.secret, self.format = http, key, secret, fmt

    @classmethod
    def connect(cls, base_url: str, key: str, secret: str, fmt: str = "json") -> NetocrClient:
        """A client with its own httpx connection to `base_url`."""
        return cls(httpx.Client(base_url=base_url, timeout=60.0), key, secret, fmt)

    def answer(
        self, path: str, type_id: int | str, media: dict[str, bytes], **options: Any
    ) -> Answer:
        """`post`, read as an `Answer` (判定结果 as the decision, 判定值 as the score)."""
        return answer_of(self.post(path, type_id, media, **options))

    def close(self) -> None:
        self.http.close()

    def post(
        self,
        path: str,
        type_id: int | str,
        media: dict[str, bytes],
        *,
        files: bool = False,
        **fields: str,
    ) -> dict[str, Any]:
        """Post `media` (field name -> bytes) with the credentials; the parsed answer."""
        form = {"key": self.key, "secret": self.secret, "typeId": str(type_id)}
        form |= {"format": self.format} | fields
        if files:
            uploads = {name: (f"{name}.bin", data) for name, data in media.items()}
            reply = self.http.post(path, data=form, files=uploads)
        else:
            form |= {name: base64.b64encode(data).decode() for name, data in media.items()}
            reply = self.http.post(path, data=form)
        reply.raise_for_status()
        return parse(reply.content)

    def compare(self, img1: bytes, img2: bytes) -> dict[str, Any]:
        """typeId 21 on `/verapi/verFaceImage.do`."""
        return self.post("/verapi/verFaceImage.do", 21, {"img1": img1, "img2": img2})

    def image_liveness(self, img: bytes) -> dict[str, Any]:
        """typeId 3035 on `/verapi/verLivenessImage.do`."""
        return self.post("/verapi/verLivenessImage.do", 3035, {"img": img})

    def video_liveness(self, video: bytes) -> dict[str, Any]:
        """typeId 3036 on `/verapi/verLivenessVideo.do`."""
        return self.post("/verapi/verLivenessVideo.do", 3036, {"videoContent": video})

    def card_and_face(self, card: bytes, live: bytes, *, files: bool = False) -> dict[str, Any]:
        """typeId 9999 (人证合一): base64 on `/api/faceliu.do`, files on `/api/facerecog.do`."""
        if files:
            return self.post("/api/facerecog.do", 9999, {"file1": card, "file2": live}, files=True)
        return self.post("/api/faceliu.do", 9999, {"img1": card, "img2": live})

    def recognise(self, img: bytes, type_id: int = 2, *, files: bool = False) -> dict[str, Any]:
        """An ID card: base64 `img` on `/api/recogliu.do`, file `file` on `/api/recog.do`."""
        if files:
            return self.post("/api/recog.do", type_id, {"file": img}, files=True)
        return self.post("/api/recogliu.do", type_id, {"img": img})


def parse(body: bytes) -> dict[str, Any]:
    """An answer in either format as the JSON structure (XML statuses read back as the JSON
    types: a string under `messageString`, a number under `message`)."""
    text = body.decode("utf-8").lstrip()
    if not text.startswith("<"):
        return json.loads(text)
    root = ET.fromstring(body)
    if root.find("messageString") is not None:
        infos = root.findall("infoList/info")
        return {
            "infoList": [
                {"veritem": [_entry(item, "name") for item in info.findall("veritem")]}
                for info in infos
            ],
            "messageString": _message(root.find("messageString"), str),
        }
    return {
        "message": _message(root.find("message"), int),
        "cardsinfo": [
            {"type": card.get("type"), "items": [_entry(item, "nID", "index") for item in card]}
            for card in root.findall("cardsinfo/card")
        ],
    }


def _entry(element: ET.Element, *nulls: str) -> dict[str, Any]:
    return dict.fromkeys(nulls) | {"desc": element.get("desc"), "content": element.text or ""}


def _message(element: ET.Element | None, kind: type) -> dict[str, Any]:
    if element is None:
        raise ValueError("answer has no message")
    return {
        "status": kind(element.findtext("status", "")),
        "value": element.findtext("value", ""),
    }


def read_answer(body: bytes) -> Answer:
    """Either format: the status of `messageString` (verapi) or `message` (/api/), and the
    判定结果 (是/否 → "yes"/"no") and 判定值 items as decision and score."""
    return answer_of(parse(body))


def answer_of(parsed: dict[str, Any]) -> Answer:
    message = parsed.get("messageString") or parsed.get("message") or {}
    code = str(message.get("status", ""))
    entries = [e for info in parsed.get("infoList") or () for e in info.get("veritem") or ()]
    entries += [e for card in parsed.get("cardsinfo") or () for e in card.get("items") or ()]
    judged: dict[str, str] = {}
    for entry in entries:
        desc, content = str(entry.get("desc") or ""), str(entry.get("content") or "")
        name, _, value = desc.partition(":") if ":" in desc else (desc, "", content)
        judged.setdefault(name, value)
    decision = {"是": "yes", "否": "no"}.get(judged.get("判定结果", ""))
    score = number(judged["判定值"]) if "判定值" in judged else None
    text = str(message.get("value", ""))
    return Answer("netocr", code in SUCCESSES, code, text, decision, score, parsed)
