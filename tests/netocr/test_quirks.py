"""What real netocr clients send, byte for byte (docs/PROTOCOLS.md "What real clients send")."""

from __future__ import annotations

import base64
import json
import socket

from vendors.netocr.client import parse

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def c_client_body(**fields: str) -> bytes:
    """As the public C/libcurl client builds it: every field prefixed with `&`, so the body
    starts with one, and values pasted in unencoded."""
    return "".join(f"&{name}={value}" for name, value in fields.items()).encode()


def mime_base64(data: bytes, newline: str = "\n") -> str:
    """The `base64` tool's and commons-codec's output: a line break every 76 characters."""
    text = base64.b64encode(data).decode()
    return newline.join(text[i : i + 76] for i in range(0, len(text), 76))


def test_c_client_raw_base64_with_plus_signs_and_line_breaks(http, nc_credential, face):
    dad2 = face("azure_family1_dad", "Family1-Dad2.jpg")
    mom = face("azure_family1_mom", "Family1-Mom1.jpg")
    img1 = mime_base64(dad2)
    assert "+" in img1 and "\n" in img1  # the form parser will turn each + into a space
    credentials = {"key": nc_credential["key"], "secret": nc_credential["secret"]}
    for other, expected in ((dad2, "判定结果:是"), (mom, "判定结果:否")):
        body = c_client_body(
            img1=img1, img2=mime_base64(other), **credentials, typeId="21", format="xml"
        )
        assert body.startswith(b"&img1=")
        reply = http.post("/verapi/verFaceImage.do", content=body, headers=FORM)
        assert reply.text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
        assert parse(reply.content)["infoList"][0]["veritem"][0]["desc"] == expected


def test_misspelt_type_id_and_format_fields(http, nc_credential, face):
    photo = base64.b64encode(face("azure_family1_dad", "Family1-Dad3.jpg")).decode()
    form = {"key": nc_credential["key"], "secret": nc_credential["secret"]}
    form |= {"typeID": "21", "formate": "json", "img1": photo, "img2": photo}
    reply = http.post("/verapi/verFaceImage.do", data=form)
    answer = json.loads(reply.content)
    assert answer["messageString"]["status"] == "2000"
    assert answer["infoList"][0]["veritem"][0]["desc"] == "判定结果:是"


def test_java_multipart_text_fields_with_crlf_base64(http, nc_credential, id_card, truth):
    name = "cnid_syn_s1_front.jpg"
    parts = {
        "img": (None, mime_base64(id_card(name), "\r\n")),
        "key": (None, nc_credential["key"]),
        "secret": (None, nc_credential["secret"]),
        "typeId": (None, "2"),
        "format": (None, "json"),
    }
    answer = json.loads(http.post("/api/recogliu.do", files=parts).content)
    assert answer["message"]["status"] == 2
    items = answer["cardsinfo"][0]["items"]
    assert items[1]["content"] == truth[name]["name"]
    assert items[6]["content"] == truth[name]["id_number"]


def test_expect_100_continue_gets_its_interim_answer(live_server, nc_credential, face):
    """curl and .NET clients send the headers, wait for `100 Continue`, then the body."""
    photo = base64.b64encode(face("azure_family1_dad", "Family1-Dad2.jpg")).decode()
    form = {"key": nc_credential["key"], "secret": nc_credential["secret"], "typeId": "21"}
    form |= {"format": "json", "img1": photo, "img2": photo}
    body = "&".join(f"{k}={v.replace('+', '%2B')}" for k, v in form.items()).encode()
    head = (
        "POST /verapi/verFaceImage.do HTTP/1.1\r\nHost: localhost\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n"
    )
    with socket.create_connection(live_server, timeout=60) as conn:
        conn.sendall(head.encode())
        interim = conn.recv(64)
        assert interim.startswith(b"HTTP/1.1 100 Continue")
        conn.sendall(body)
        reply = b""
        while chunk := conn.recv(65536):
            reply += chunk
    status_line, _, rest = reply.partition(b"\r\n")
    assert status_line == b"HTTP/1.1 200 OK"
    answer = json.loads(rest.partition(b"\r\n\r\n")[2])
    assert answer["infoList"][0]["veritem"][0]["desc"] == "判定结果:是"
