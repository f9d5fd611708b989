"""netocr clients as public third-party code writes them, over a real socket.

The C/libcurl client posts `&img1=<base64>&img2=<base64>&key=…` — the body starts with `&`,
the base64 comes straight from the `base64` tool (not URL-encoded, a newline every 76
characters) — with libcurl's `Expect: 100-continue`, and decides by searching the answer for
是; widely copied variants misspell `typeID` and `formate`. Java clients post multipart text
fields whose base64 has CRLF line breaks (commons-codec), and read items by position.
"""

from __future__ import annotations

import base64
import json

import pytest

from contracts.credentials import Vendor
from tests.compat.wire import exchange, multipart
from vendors.netocr.client import parse

FORM = ["Content-Type: application/x-www-form-urlencoded"]
DAD2 = "faces/azure_family1_dad/Family1-Dad2.jpg"
DAD3 = "faces/azure_family1_dad/Family1-Dad3.jpg"
MOM = "faces/azure_family1_mom/Family1-Mom1.jpg"


@pytest.fixture(scope="module")
def account(credential) -> dict[str, str]:
    return credential(Vendor.netocr)


def mime_base64(data: bytes, newline: str = "\n") -> str:
    """The `base64` tool's and commons-codec's output: a line break every 76 characters."""
    text = base64.b64encode(data).decode()
    return newline.join(text[i : i + 76] for i in range(0, len(text), 76))


def c_client_body(**fields: str) -> bytes:
    """Every field prefixed with `&`, values pasted in unencoded."""
    return "".join(f"&{name}={value}" for name, value in fields.items()).encode()


@pytest.mark.parametrize(("other", "expected"), [(DAD3, "判定结果:是"), (MOM, "判定结果:否")])
def test_c_client_raw_base64_with_expect_continue(port, account, shared_data, other, expected):
    img1 = mime_base64((shared_data / DAD2).read_bytes())
    assert "+" in img1 and "\n" in img1  # the form parser turns each + into a space
    body = c_client_body(
        img1=img1,
        img2=mime_base64((shared_data / other).read_bytes()),
        key=account["key"],
        secret=account["secret"],
        typeId="21",
        format="xml",
    )
    reply = exchange(port, "POST", "/verapi/verFaceImage.do", FORM, body, expect_continue=True)
    assert reply.status == 200
    assert reply.body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert ("是".encode() in reply.body[:10240]) == expected.endswith("是")
    assert parse(reply.body)["infoList"][0]["veritem"][0]["desc"] == expected


def test_misspelt_type_id_and_format(port, account, shared_data):
    img = mime_base64((shared_data / DAD3).read_bytes())
    body = c_client_body(
        img1=img, img2=img, key=account["key"], secret=account["secret"], typeID="21",
        formate="json",
    )  # fmt: skip
    reply = exchange(port, "POST", "/verapi/verFaceImage.do", FORM, body)
    answer = json.loads(reply.body)
    assert reply.headers["content-type"].startswith("application/json")
    assert answer["messageString"]["status"] == "2000"
    assert answer["infoList"][0]["veritem"][0]["desc"] == "判定结果:是"


@pytest.mark.slow
def test_java_multipart_text_fields_with_crlf_base64(port, account, shared_data, truth):
    name = "cnid_syn_s1_front.jpg"
    card = (shared_data / "id_documents/cn_id_card" / name).read_bytes()
    fields = {
        "img": mime_base64(card, "\r\n"),
        "key": account["key"],
        "secret": account["secret"],
        "typeId": "2",
        "format": "json",
    }
    boundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW"
    headers = [f"Content-Type: multipart/form-data; boundary={boundary}"]
    reply = exchange(port, "POST", "/api/recogliu.do", headers, multipart(fields, boundary))
    answer = json.loads(reply.body)
    assert answer["message"]["status"] == 2
    items = answer["cardsinfo"][0]["items"]
    assert items[1]["content"] == truth[name]["name"]
    assert items[6]["content"] == truth[name]["id_number"]
