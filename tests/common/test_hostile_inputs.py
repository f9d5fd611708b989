"""Hostile inputs get the vendor's parameter error, never the generic fault (issue 10 item 5).

Each case is one the audit saw answered "System errors" with a traceback in the log: malformed
multipart, fields of the wrong JSON type or given twice, JSON nested too deep or holding an
integer of over 4,300 digits, a NUL byte in a server path.
"""

from __future__ import annotations

import base64
import json
import struct

import pytest
import structlog

from contracts.credentials import Vendor
from gateway.credentials import SqliteCredentialStore, mint
from tests.harness import enrol, gateway
from vendors.waiqin.client import signed_url
from vendors.yitu import bundle

DEEP = "[" * 20_000 + "]" * 20_000
HUGE = "1" * 5000
DETECT = "/ssid-face/v2/detect"
YITU_OCR = "/face/basic/ocr"
YITU_PACKAGE = "/face/basic/check_image_package"
FAULTS = {"sensetime": "99010101", "yitu": -999, "waiqin": "50000"}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    data = tmp_path_factory.mktemp("hostile")
    root = data / "images"
    root.mkdir()
    with gateway(data / "var", yitu_signature="off", image_root=root) as client:
        credential, shown = mint(Vendor.waiqin)
        SqliteCredentialStore(data / "var" / "credentials.db").add(credential)
        yield client, shown | {"netocr": enrol(data / "var", Vendor.netocr)}


def no_fault(logs: list[dict]) -> bool:
    return not [e for e in logs if e.get("log_level") in ("error", "critical")]


def multipart(boundary: str, *parts: bytes) -> bytes:
    return b"".join(b"--" + boundary.encode() + b"\r\n" + p + b"\r\n" for p in parts) + (
        b"--" + boundary.encode() + b"--\r\n"
    )


MULTIPART_CASES = {
    "no-boundary": ("multipart/form-data", b"--x\r\n\r\nvalue\r\n--x--\r\n"),
    "wrong-boundary": (
        "multipart/form-data; boundary=abc",
        multipart("xyz", b'Content-Disposition: form-data; name="data"\r\n\r\nAAAA'),
    ),
    "part-without-name": (
        "multipart/form-data; boundary=b",
        multipart("b", b'Content-Disposition: form-data; filename="a.jpg"\r\n\r\nAAAA'),
    ),
    "huge-part-header": (
        "multipart/form-data; boundary=b",
        multipart(
            "b",
            b'Content-Disposition: form-data; name="data"\r\nX-Pad: '
            + b"p" * 20_000
            + b"\r\n\r\nAAAA",
        ),
    ),
    "too-many-fields": (
        "multipart/form-data; boundary=b",
        multipart(
            "b",
            *(f'Content-Disposition: form-data; name="f{i}"\r\n\r\nv'.encode() for i in range(300)),
        ),
    ),
    "too-many-files": (
        "multipart/form-data; boundary=b",
        multipart(
            "b",
            *(
                f'Content-Disposition: form-data; name="f{i}"; filename="{i}.jpg"\r\n\r\nv'.encode()
                for i in range(20)
            ),
        ),
    ),
}


@pytest.mark.parametrize("case", list(MULTIPART_CASES))
def test_malformed_multipart_is_a_parameter_error(hostile, case):
    client, _ = hostile
    content_type, body = MULTIPART_CASES[case]
    with structlog.testing.capture_logs() as logs:
        reply = client.post(DETECT, content=body, headers={"content-type": content_type})
    assert reply.status_code == 200
    assert reply.json()["code"] == "62010205", reply.json()
    assert no_fault(logs)


JSON_CASES = {
    "number": '{"data": 5}',
    "list": '{"data": ["AAAA"]}',
    "object": '{"data": {"a": 1}}',
    "bool": '{"data": true}',
    "deep": '{"data": ' + DEEP + "}",
    "huge-integer": '{"data": ' + HUGE + "}",
    "nul-in-path": json.dumps({"data": "a\u0000b.jpg"}),
}


@pytest.mark.parametrize("case", list(JSON_CASES))
def test_fields_of_the_wrong_shape_are_parameter_errors(hostile, case):
    client, shown = hostile
    body = JSON_CASES[case].encode()
    with structlog.testing.capture_logs() as logs:
        sensetime = client.post(DETECT, content=body, headers={"content-type": "application/json"})
        waiqin_body = (
            JSON_CASES[case]
            .replace('"data"', '"image"')
            .replace("{", '{"transfer_id": "77", "ID_card_side": "front", ', 1)
            .encode()
        )
        url = signed_url(shown["openid"], shown["appkey"], waiqin_body)
        waiqin = client.post(url, content=waiqin_body, headers={"content-type": "application/json"})
    assert sensetime.json()["code"] in ("62010205", "62010201"), sensetime.json()
    assert waiqin.json()["return_code"] in ("40103", "40102"), waiqin.json()
    assert no_fault(logs)


def test_a_field_given_twice_is_a_parameter_error(hostile):
    """Every vendor: an image field sent twice (a form, or Yitu's query string) is the vendor's
    parameter error, never a fault, nor (netocr) an undecodable image."""
    client, shown = hostile
    twice = "image=QUFBQQ&image=QkJCQg"
    with structlog.testing.capture_logs() as logs:
        sensetime = client.post(DETECT, data={"data": ["AAAA", "BBBB"]})
        yitu = client.post(
            "/face/v1/algorithm/recognition/feature_extraction?image_content=QUFBQQ&image_content=QkJCQg",
            json={"image_type": 1},
        )
        waiqin_body = f"transfer_id=78&ID_card_side=front&{twice}".encode()
        waiqin = client.post(
            signed_url(shown["openid"], shown["appkey"], waiqin_body),
            content=waiqin_body,
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
        key, secret = shown["netocr"]["key"], shown["netocr"]["secret"]
        netocr = client.post(
            "/api/recogliu.do",
            data={"key": key, "secret": secret, "typeId": "2", "format": "json", "img": ["A", "B"]},
        )
    assert sensetime.json()["code"] == "62010205"
    assert yitu.json()["rtn"] == -203 and "image_content" in yitu.json()["message"], yitu.json()
    assert waiqin.json()["return_code"] == "40103", waiqin.json()
    assert "more than once" in waiqin.json()["return_msg"]
    assert netocr.json()["message"]["status"] == -17, netocr.json()
    assert no_fault(logs)


def test_yitu_user_info_and_bundle_header_nested_deep(hostile):
    client, _ = hostile
    with structlog.testing.capture_logs() as logs:
        deep_info = client.post(YITU_OCR, json={"user_info": DEEP, "options": {"ocr_type": 1}})
        header = ('{"access_id": ' + DEEP + "}").encode()
        raw = struct.pack(">4sBI", bundle.MAGIC, bundle.VERSION, len(header)) + header
        package = base64.b64encode(raw + b"\0" * 32).decode()
        deep_header = client.post(YITU_PACKAGE, json={"query_image_package": package})
    assert deep_info.json()["rtn"] == -203, deep_info.json()
    assert deep_header.json()["rtn"] == 0
    assert deep_header.json()["query_image_package_result"] == {"is_valid_package": False}
    assert no_fault(logs)
