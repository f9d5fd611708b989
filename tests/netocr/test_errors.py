"""Every refusal is a defined netocr status in the path's envelope and the caller's format."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest

from contracts.credentials import Vendor
from gateway.credentials import SqliteCredentialStore, mint
from vendors.netocr import errors
from vendors.netocr.client import NetocrClient, parse

DOCS = Path(__file__).resolve().parents[2] / "docs" / "netocr.md"


def status_of(answer: dict) -> int:
    if "messageString" in answer:
        assert answer["infoList"] == []
        return int(answer["messageString"]["status"])
    assert answer["cardsinfo"] == []
    return answer["message"]["status"]


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


@pytest.fixture(scope="session")
def photo(face) -> bytes:
    return face("azure_family1_dad", "Family1-Dad2.jpg")


@pytest.fixture
def call(http, nc_credential):
    """Post a form; the answer parsed, after checking it came as the format asked for."""

    def post(path: str, fmt: str = "json", files=None, **fields: str) -> dict:
        form = {"key": nc_credential["key"], "secret": nc_credential["secret"], "format": fmt}
        form |= fields
        reply = http.post(path, data={k: v for k, v in form.items() if v is not None}, files=files)
        assert reply.status_code == 200
        json_asked = (form.get("format") or "").lower() == "json"
        assert reply.headers["content-type"].startswith(
            "application/json" if json_asked else "text/xml"
        )
        return parse(reply.content)

    return post


@pytest.mark.parametrize("fmt", ["json", ""])
@pytest.mark.parametrize("path", ["/verapi/verFaceImage.do", "/api/faceliu.do"])
def test_wrong_key_and_wrong_secret_are_told_apart(call, path, fmt):
    assert status_of(call(path, fmt, key="no-such-key", typeId="21")) == -1
    assert status_of(call(path, fmt, secret="wrong", typeId="21")) == -2
    assert status_of(call(path, fmt, key=None, typeId="21")) == -1
    assert status_of(call(path, fmt, secret=None, typeId="21")) == -2


def test_secret_must_match_exactly(call, nc_credential):
    secret = nc_credential["secret"]
    for wrong in (secret[:-1], secret + "0", secret.upper()):
        assert status_of(call("/api/recogliu.do", secret=wrong, typeId="2")) == -2


def test_a_key_limited_to_some_paths_is_refused_elsewhere(http, nc_gateway, photo):
    _, data = nc_gateway
    credential, shown = mint(Vendor.netocr, grants=["recogliu"])
    SqliteCredentialStore(data / "credentials.db").add(credential)
    limited = NetocrClient(http, shown["key"], shown["secret"])
    assert status_of(limited.compare(photo, photo)) == -3
    assert status_of(limited.recognise(photo)) == -15  # granted: it gets as far as the card


def test_typeid_missing_unknown_or_not_served_on_the_path(call, photo):
    img = b64(photo)
    assert status_of(call("/verapi/verFaceImage.do", img1=img, img2=img)) == -4
    assert status_of(call("/verapi/verFaceImage.do", typeId="abc", img1=img, img2=img)) == -5
    assert status_of(call("/verapi/verFaceImage.do", typeId="2", img1=img, img2=img)) == -5
    answer = call("/api/recogliu.do", typeId="15", img=img)
    assert status_of(answer) == -5 and "not served" in answer["message"]["value"]


def test_unknown_format_is_refused_in_xml(call):
    assert status_of(call("/api/recogliu.do", "yaml", typeId="2")) == -6


def test_missing_image_names_the_field(call, photo):
    answer = call("/verapi/verFaceImage.do", typeId="21", img1=b64(photo))
    assert status_of(answer) == -7 and "img2" in answer["messageString"]["value"]
    assert status_of(call("/api/recog.do", typeId="2")) == -7


def test_undecodable_images(call, photo):
    img = b64(photo)
    truncated = b64(photo[: len(photo) // 3])
    assert status_of(call("/verapi/verFaceImage.do", typeId="21", img1=img, img2=truncated)) == -8
    assert status_of(call("/verapi/verFaceImage.do", typeId="21", img1=img, img2="#$%!")) == -8
    gif = b64(b"GIF89a" + bytes(64))
    assert status_of(call("/api/recogliu.do", typeId="2", img=gif)) == -9


def test_oversized_file_is_refused_before_decoding(call):
    big = {"file": ("big.jpg", b"\xff\xd8\xff" + bytes(10 * 1024 * 1024), "image/jpeg")}
    assert status_of(call("/api/recog.do", typeId="2", files=big)) == -11


def test_a_body_over_the_paths_cap_is_the_size_status(call, photo):
    """Past what one image takes as URL-encoded base64 (about 15 MB), in netocr's envelope,
    in XML: the `format` inside the body is not read."""
    answer = call("/api/recogliu.do", "", typeId="2", img="A" * 16_000_000)
    assert status_of(answer) == -11 and "request body" in answer["message"]["value"]
    answer = call("/verapi/verFaceImage.do", "", typeId="21", img1="A" * 31_000_000, img2="A")
    assert status_of(answer) == -11


def test_an_image_field_given_twice_is_a_parameter_error(http, nc_credential, photo):
    form = {"key": nc_credential["key"], "secret": nc_credential["secret"], "format": "json"}
    img = b64(photo)
    reply = http.post(
        "/verapi/verFaceImage.do", data=form | {"typeId": "21", "img1": [img, img], "img2": img}
    )
    answer = parse(reply.content)
    assert status_of(answer) == -17 and "more than once" in answer["messageString"]["value"]
    files = [("file", ("a.jpg", photo)), ("file", ("b.jpg", photo))]
    reply = http.post("/api/recog.do", data=form | {"typeId": "2"}, files=files)
    assert status_of(parse(reply.content)) == -17


def test_no_face_names_the_image(call, id_card, photo):
    back = b64(id_card("cnid_syn_s1_back.jpg"))
    answer = call("/verapi/verFaceImage.do", typeId="21", img1=b64(photo), img2=back)
    assert status_of(answer) == -14 and "img2" in answer["messageString"]["value"]


@pytest.mark.slow
def test_no_card(call, id_card, photo):
    assert status_of(call("/api/recogliu.do", typeId="2", img=b64(photo))) == -15
    back = b64(id_card("cnid_syn_s1_back.jpg"))
    assert status_of(call("/api/faceliu.do", typeId="9999", img1=back, img2=b64(photo))) == -15


def test_malformed_multipart_is_a_bad_request_not_a_fault(http):
    reply = http.post(
        "/api/recog.do",
        content=b"--x\r\nnot a part",
        headers={"content-type": "multipart/form-data; boundary=x"},
    )
    assert reply.status_code == 200
    assert status_of(parse(reply.content)) == -17


@pytest.mark.parametrize(
    ("path", "family"), [("/verapi/verNothing.do", "messageString"), ("/api/nothing.do", "message")]
)
def test_unserved_paths_answer_in_the_envelope(http, path, family):
    reply = http.post(path, data={"format": "json"})
    assert reply.status_code == 404
    answer = parse(reply.content)
    assert family in answer and status_of(answer) == -20
    assert http.get("/api/recog.do").status_code == 405


def test_every_status_is_defined_once_and_documented():
    rows = list(errors.TABLE.values()) + list(errors.BY_FIELD.values())
    meaning = {}
    for status, template in rows:
        assert meaning.setdefault(status, template) == template, f"status {status} reused"
    assert not set(meaning) & {0, 2, 2000}
    documented = {int(n) for n in re.findall(r"^\| `(-\d+)` \|", DOCS.read_text(), re.M)}
    assert documented == set(meaning)
