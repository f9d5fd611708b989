"""XML and JSON answers: the declaration, escaping, the JSON types clients parse, and the
rule that a negative answer shows no 是."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from vendors.netocr.client import parse
from vendors.netocr.formats import Format, serialise
from vendors.netocr.wire import Card, Entry, Recognition, Verdict

AWKWARD = "A&B <C> \"D\" 'E'"


def recognition(negative: bool = False, name: str = AWKWARD) -> Recognition:
    items = (Entry("判定值", "12.5"), Entry("判定结果", "否"), Entry("姓名", name))
    return Recognition((Card("9999", items),), 0, "比对完成", negative=negative)


def test_xml_has_the_utf8_declaration_and_mirrors_the_json():
    body, media = serialise(recognition(), Format.xml)
    assert media.startswith("text/xml") and "charset=UTF-8" in media
    assert body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(body)
    assert root.tag == "data" and root.findtext("message/status") == "0"
    assert [item.get("desc") for item in root.iter("item")] == ["判定值", "判定结果", "姓名"]
    assert parse(body) == json.loads(serialise(recognition(), Format.json)[0])


def test_awkward_characters_survive_both_formats():
    for fmt in Format:
        body, _ = serialise(recognition(), fmt)
        assert parse(body)["cardsinfo"][0]["items"][2]["content"] == AWKWARD
    xml_body = serialise(recognition(), Format.xml)[0].decode()
    assert "A&amp;B &lt;C&gt;" in xml_body and "<C>" not in xml_body


def test_characters_xml_cannot_carry_are_dropped_not_fatal():
    body, _ = serialise(recognition(name="a\x00b\x1bc"), Format.xml)
    assert parse(body)["cardsinfo"][0]["items"][2]["content"] == "abc"


def test_statuses_keep_their_json_types():
    api = json.loads(serialise(recognition(), Format.json)[0])
    assert api["message"]["status"] == 0 and api["cardsinfo"][0]["type"] == "9999"
    verdict = Verdict((Entry("判定结果:是"), Entry("判定值:88.0")), "2000", "成功")
    ver = json.loads(serialise(verdict, Format.json)[0])
    assert ver["messageString"]["status"] == "2000"
    assert ver["infoList"][0]["veritem"][0] == {"desc": "判定结果:是", "name": None, "content": ""}
    assert parse(serialise(verdict, Format.xml)[0]) == ver


def test_negative_answers_escape_every_yes_character():
    name = "是非"  # even a name that holds the character
    for fmt in Format:
        body, _ = serialise(recognition(negative=True, name=name), fmt)
        assert "是".encode() not in body
        assert parse(body)["cardsinfo"][0]["items"][2]["content"] == name
        assert "是".encode() in serialise(recognition(name=name), fmt)[0]


def test_format_is_read_as_clients_send_it(http, nc_credential):
    form = {"key": nc_credential["key"], "secret": nc_credential["secret"], "typeId": "2"}
    kinds = {}
    for extra in ({}, {"format": ""}, {"format": "xml"}, {"format": "JSON"}, {"formate": "json"}):
        reply = http.post("/api/recogliu.do", data=form | extra)
        kinds[json.dumps(extra)] = reply.headers["content-type"].split(";")[0]
        assert parse(reply.content)["message"]["status"] == -7  # no image: refused, in format
    assert list(kinds.values()) == [
        "text/xml", "text/xml", "text/xml", "application/json", "application/json",
    ]  # fmt: skip
