"""contract_checks over HTTP, each vendor in its own wire format: a conforming call has no
findings, each kind of finding is reported, and reject mode refuses with the vendor's envelope
and changes nothing."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import cv2
import numpy as np
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import padding
from starlette.testclient import TestClient
from starlette.types import ASGIApp, Receive, Scope, Send

from contracts.credentials import Vendor
from contracts.errors import ErrorKind, IdfError
from contracts.findings import Finding
from gateway.app import create_app
from gateway.settings import load_settings
from tests.harness import enrol
from vendors.netocr.client import parse
from vendors.sensetime import errors as sensetime_errors
from vendors.waiqin.auth import digest
from vendors.waiqin.client import IDCARD_PATH, china_timestamp, signed_url
from vendors.yitu import errors as yitu_errors
from vendors.yitu.client import sign
from vendors.yitu.signature import SignedContent, body_md5


class Recorder:
    """The app, remembering the findings of the last request (what the journal reads)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.findings: list[Finding] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope.setdefault("state", {})
            self.findings = None
        await self.app(scope, receive, send)
        if scope["type"] == "http":
            self.findings = scope["state"].get("contract_findings")


@dataclass
class Checked:
    http: TestClient
    recorder: Recorder
    data: Path
    waiqin: dict[str, str]
    netocr: dict[str, str]
    yitu: dict[str, str]

    def rules(self) -> set[tuple[str, str]]:
        assert self.recorder.findings is not None, "the checks did not run"
        return {(f.rule, f.field) for f in self.recorder.findings}

    def yitu_call(self, path: str, payload: dict[str, Any], *, little_endian: bool = False):
        body = json.dumps(payload).encode()
        if little_endian:
            key = serialization.load_pem_public_key(self.yitu["public_key_pem"].encode())
            plain = SignedContent(self.yitu["access_key"], body_md5(body), little_endian=True)
            signature = key.encrypt(plain.compose(), padding.PKCS1v15()).hex()  # type: ignore[union-attr]
        else:
            signature = sign(self.yitu["public_key_pem"], self.yitu["access_key"], body)
        headers = {
            "content-type": "application/json",
            "x-access-id": self.yitu["access_id"],
            "x-signature": signature,
        }
        return self.http.post(path, content=body, headers=headers).json()

    def waiqin_call(self, payload: dict[str, Any], *, timestamp: str | None = None):
        body = json.dumps(payload).encode()
        openid, appkey = self.waiqin["openid"], self.waiqin["appkey"]
        if timestamp is None:
            url = signed_url(openid, appkey, body)
        else:
            signature = digest(body, appkey, timestamp)
            url = f"{IDCARD_PATH}/{openid}/{timestamp}/{signature}/m{time.time_ns()}"
        return self.http.post(
            url, content=body, headers={"Content-Type": "application/json"}
        ).json()

    def netocr_form(self, **fields: str) -> dict[str, str]:
        return {"key": self.netocr["key"], "secret": self.netocr["secret"], **fields}


@pytest.fixture(scope="module")
def small_jpeg() -> bytes:
    pixels = np.random.default_rng(7).integers(0, 255, (48, 64, 3), dtype=np.uint8)
    return cv2.imencode(".jpg", pixels)[1].tobytes()


def _checked(tmp_path_factory, mode: str) -> Iterator[Checked]:
    data = tmp_path_factory.mktemp(f"checks-{mode}")
    settings = load_settings({"data": data, "warm_up": False, "contract_checks": mode}, environ={})
    recorder = Recorder(create_app(settings))
    with TestClient(recorder) as http:
        yield Checked(
            http,
            recorder,
            data,
            waiqin=enrol(data, Vendor.waiqin),
            netocr=enrol(data, Vendor.netocr),
            yitu=enrol(data, Vendor.yitu),
        )


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Iterator[Checked]:
    yield from _checked(tmp_path_factory, "report")


@pytest.fixture(scope="module")
def reject(tmp_path_factory) -> Iterator[Checked]:
    yield from _checked(tmp_path_factory, "reject")


# --- SenseTime ------------------------------------------------------------------------------


def test_sensetime_conforming_call_has_no_findings(report, small_jpeg):
    files = {"file": ("face.jpg", small_jpeg, "image/jpeg")}
    report.http.post("/ssid-face/v2/detect", data={"rotate": "true"}, files=files)
    assert report.recorder.findings == []


def test_sensetime_unknown_missing_type_and_range_are_reported(report):
    report.http.post("/ssid-feature/v2/searchByFeature", data={"dbId": "db1", "count": "x"})
    assert {("missing_required", "feature"), ("wrong_type", "count")} <= report.rules()
    report.http.post("/ssid-face/v2/detect", data={"rotate": "maybe", "colour": "1"})
    assert report.rules() == {
        ("missing_required", "file|data"),
        ("wrong_type", "rotate"),
        ("unknown_field", "colour"),
    }
    report.http.post("/ssid-feature/v2/addDb", data={"dbName": "a_b", "maxSize": "0"})
    assert report.rules() == {("out_of_range", "dbName"), ("out_of_range", "maxSize")}


def test_sensetime_misspelt_name_and_json_body_are_reported(report):
    report.http.get("/ssid-feature/v2/getDbInfo", params={"dbld": "db1"})
    assert report.rules() == {("misspelt_field", "dbld")}
    report.http.post("/ssid-face/v2/verify", json={"feature1": "a", "feature2": "b"})
    assert report.rules() == {("content_type", "body")}


def test_sensetime_base64_variants_and_image_limits_are_reported(report, small_jpeg):
    text = base64.b64encode(small_jpeg).decode()
    wrapped = "\n".join(text[i : i + 76] for i in range(0, len(text), 76))
    report.http.post("/ssid-face/v2/detect", data={"data": wrapped})
    assert report.rules() == {("base64_variant", "data")}
    report.http.post("/ssid-face/v2/detect", data={"data": "data:image/jpeg;base64," + text})
    assert report.rules() == {("base64_variant", "data")}
    too_big = base64.b64encode(b"\x89PNG\r\n\x1a\n" + bytes(5 * 1024 * 1024)).decode()
    report.http.post("/ssid-face/v2/detect", data={"data": too_big})
    assert report.rules() == {("image_limit", "data")}
    gif = base64.b64encode(b"GIF89a" + bytes(64)).decode()
    report.http.post("/ssid-face/v2/detect", data={"data": gif})
    assert report.rules() == {("image_format", "data")}


def test_sensetime_reject_answers_the_parameter_error_and_creates_nothing(reject):
    reply = reject.http.post(
        "/ssid-feature/v2/addDb", data={"dbName": "kept", "maxSize": "10", "colour": "1"}
    ).json()
    expected, _ = sensetime_errors.render(
        "ssid-feature", IdfError(ErrorKind.bad_param, field="colour")
    )
    assert (reply["code"], reply["data"]) == (expected, None)
    assert "colour" in reply["msg"]
    info = reject.http.get("/ssid-feature/v2/getDbInfo", params={"dbId": "kept"}).json()
    assert info["code"] != "0000"  # no database was made
    made = reject.http.post("/ssid-feature/v2/addDb", data={"dbName": "kept", "maxSize": "10"})
    assert made.json()["data"] == {"dbId": "kept"}
    assert reject.recorder.findings == []


# --- Yitu -----------------------------------------------------------------------------------

REGISTER = "/face/basic/register_in_repo"


def test_yitu_conforming_call_has_no_findings(report):
    reply = report.yitu_call(REGISTER, {"user_info": {"user_id": "nobody", "label": 1}})
    assert reply["rtn"] < 0  # nobody to delete: answered, and conforming
    assert report.recorder.findings == []


def test_yitu_json_types_and_nested_fields_are_reported(report):
    payload = {"mode": "1", "user_info": {"user_id": "u_1", "label": 4, "age": 3}}
    report.yitu_call(REGISTER, payload)
    assert report.rules() == {
        ("wrong_type", "mode"),
        ("out_of_range", "user_info.user_id"),
        ("out_of_range", "user_info.label"),
        ("unknown_field", "user_info.age"),
    }


def test_yitu_little_endian_time_is_a_signature_variant(report):
    report.yitu_call(REGISTER, {"user_info": {"user_id": "nobody", "label": 1}}, little_endian=True)
    assert report.rules() == {("signature_variant", "x-signature")}


def test_yitu_reject_refuses_with_rtn_and_registers_nothing(reject, small_jpeg):
    image = base64.b64encode(small_jpeg).decode()
    payload = {"user_info": {"user_id": "u1", "label": 2, "image_content": image, "x": 1}}
    reply = reject.yitu_call(REGISTER, payload)
    assert reply["rtn"] == yitu_errors.render(IdfError(ErrorKind.bad_param))[0]
    search = {"user_info": {"label": 2, "image_content": image}}
    assert reject.yitu_call("/face/basic/retrieval_in_repo", search).get("repo_result") in (
        None,
        [],
    )


# --- Waiqin ---------------------------------------------------------------------------------


def test_waiqin_conforming_call_has_no_findings(report):
    report.waiqin_call({"transfer_id": "12345"})
    assert report.recorder.findings == []


def test_waiqin_millisecond_timestamp_and_types_are_reported(report, small_jpeg):
    stamp = china_timestamp()[:12] + "123"  # yyyyMMddHHmmSS: milliseconds, no seconds
    image = base64.b64encode(small_jpeg + b"\xfb\xff").decode()  # not URL-encoded
    payload = {
        "transfer_id": "77",
        "ID_card_side": "FRONT",
        "quality_detection": True,
        "image": image,
    }
    report.waiqin_call(payload, timestamp=stamp)
    assert report.rules() == {
        ("signature_variant", "timestamp"),
        ("out_of_range", "ID_card_side"),
        ("wrong_type", "quality_detection"),
        ("base64_variant", "image"),
    }


def test_waiqin_reject_refuses_and_keeps_the_transfer_id_free(reject, small_jpeg):
    image = quote(base64.b64encode(small_jpeg).decode(), safe="")  # as the manual asks
    bad = {"transfer_id": "42", "ID_card_side": "front", "image": image, "extra": "1"}
    reply = reject.waiqin_call(bad)
    assert reply["return_code"] == "40103"
    again = reject.waiqin_call({"transfer_id": "42", "ID_card_side": "front", "image": image})
    assert again["return_code"] != "40103"  # the refused call reserved nothing


# --- netocr ---------------------------------------------------------------------------------


def test_netocr_conforming_call_has_no_findings(report, small_jpeg):
    form = report.netocr_form(typeId="2", format="json", img=base64.b64encode(small_jpeg).decode())
    report.http.post("/api/recogliu.do", data=form)
    assert report.recorder.findings == []


def test_netocr_c_client_variants_are_reported(report, small_jpeg):
    """The libcurl client: '&' first, raw base64 (its '+' read as spaces), misspelt names."""
    text = base64.b64encode(small_jpeg + b"\xfb\xff").decode()
    assert "+" in text or "/" in text
    body = (
        f"&img={text}&key={report.netocr['key']}&secret={report.netocr['secret']}"
        "&typeID=2&formate=json"
    )
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    report.http.post("/api/recogliu.do", content=body.encode(), headers=headers)
    found = report.rules()
    assert {
        ("form_variant", "body"),
        ("misspelt_field", "typeID"),
        ("misspelt_field", "formate"),
    } <= found
    if "+" in text:
        assert ("base64_variant", "img") in found


def test_netocr_reject_answers_in_its_envelope(reject, small_jpeg):
    form = reject.netocr_form(typeId="7", format="json", img=base64.b64encode(small_jpeg).decode())
    answer = parse(reject.http.post("/api/recogliu.do", data=form).content)
    assert answer["message"]["status"] not in (2, "2")
    assert "typeId" in json.dumps(answer, ensure_ascii=False)


def test_checks_are_off_by_default(tmp_path):
    from tests.harness import gateway

    with gateway(tmp_path) as http:
        reply = http.post("/ssid-face/v2/verify", data={"feature1": "a", "colour": "x"})
        assert reply.json()["code"] != "0000"  # served (and refused by the handler) as before
