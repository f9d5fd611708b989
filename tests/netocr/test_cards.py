"""ID-card recognition on /api/recogliu.do (base64 `img`) and /api/recog.do (file `file`)."""

from __future__ import annotations

import base64

import pytest

from engine.media import sniff_image_format

FRONT = ["保留", "姓名", "性别", "民族", "出生", "住址", "公民身份号码", "头像"]

pytestmark = pytest.mark.slow


def card_of(answer: dict) -> tuple[str, list[tuple[str, str]]]:
    assert answer["message"] == {"status": 2, "value": "识别完成"}
    (card,) = answer["cardsinfo"]
    return card["type"], [(item["desc"], item["content"]) for item in card["items"]]


@pytest.mark.parametrize("files", [False, True], ids=["recogliu", "recog"])
def test_front_reads_back_by_position_with_the_portrait(nc, id_card, truth, files):
    name = "cnid_syn_s2_front.jpg"
    kind, read = card_of(nc.recognise(id_card(name), 2, files=files))
    expected = truth[name]
    assert kind == "2"
    assert [desc for desc, _ in read] == FRONT
    # PHP and Java clients read item 1 as the name and item 6 as the number.
    assert read[1][1] == expected["name"] and read[6][1] == expected["id_number"]
    assert dict(read[:7]) == {
        "保留": "",
        "姓名": expected["name"],
        "性别": expected["sex"],
        "民族": expected["nation"],
        "出生": expected["birth"],
        "住址": expected["address"],
        "公民身份号码": expected["id_number"],
    }
    portrait = base64.b64decode(read[7][1])
    assert sniff_image_format(portrait) == "jpeg" and len(portrait) > 2000


def test_back_reads_authority_and_validity(nc_json, id_card, truth):
    name = "cnid_syn_s1_back.jpg"
    for type_id in (2, 3, 101):
        kind, read = card_of(nc_json.recognise(id_card(name), type_id))
        assert kind == "3"
        assert read == [("签发机关", truth[name]["authority"]), ("有效期限", truth[name]["valid"])]


def test_phone_photo_of_a_card_reads_as_the_flat_scan(nc_json, id_card, truth):
    name = "cnid_syn_s3_front_photo.jpg"
    kind, read = card_of(nc_json.recognise(id_card(name), 101, files=True))
    assert kind == "2"
    assert read[1][1] == truth[name]["name"] and read[6][1] == truth[name]["id_number"]
