"""Face comparison (typeId 21) and 人证合一 (typeId 9999), end to end in both formats."""

from __future__ import annotations

import base64

import pytest

from contracts import calibration

DAD = "azure_family1_dad"
MOM = "azure_family1_mom"
CARD = "cnid_syn_s1_front.jpg"  # its portrait is Family1-Dad1 (MANIFEST.md)


def verdict(answer: dict) -> tuple[str, float]:
    """(判定结果, 判定值) of a verFaceImage answer, read as the manual prints them."""
    assert answer["messageString"] == {"status": "2000", "value": "成功"}
    result, score = (item["desc"] for item in answer["infoList"][0]["veritem"])
    assert result.startswith("判定结果:") and score.startswith("判定值:")
    return result.removeprefix("判定结果:"), float(score.removeprefix("判定值:"))


def items(answer: dict, type_id: str) -> list[tuple[str, str]]:
    assert answer["message"] == {"status": 0, "value": "比对完成"}
    (card,) = answer["cardsinfo"]
    assert card["type"] == type_id
    return [(item["desc"], item["content"]) for item in card["items"]]


def test_same_person_passes_and_different_people_do_not(nc, face):
    dad2, dad3 = face(DAD, "Family1-Dad2.jpg"), face(DAD, "Family1-Dad3.jpg")
    same, same_score = verdict(nc.compare(dad2, dad3))
    other, other_score = verdict(nc.compare(dad2, face(MOM, "Family1-Mom1.jpg")))
    threshold = calibration.netocr_threshold()
    assert (same, other) == ("是", "否")
    assert 0 <= other_score < threshold <= same_score <= 100


def test_faceliu_typeid_21_is_the_comparison_without_a_card(nc_json, face):
    dad2 = face(DAD, "Family1-Dad2.jpg")
    same = dict(items(nc_json.post("/api/faceliu.do", 21, {"img1": dad2, "img2": dad2}), "21"))
    mom2 = face(MOM, "Family1-Mom2.jpg")
    other = nc_json.post("/api/faceliu.do", 21, {"img1": dad2, "img2": mom2})
    assert same["判定结果"] == "是" and float(same["判定值"]) > 90
    assert dict(items(other, "21"))["判定结果"] == "否"


@pytest.fixture(scope="session")
def card_answers(nc, face, id_card):
    """9999 answers per format: the card with its own holder, base64 and as files, and with
    another person."""
    card = id_card(CARD)
    return {
        "holder": nc.card_and_face(card, face(DAD, "Family1-Dad2.jpg")),
        "holder_files": nc.card_and_face(card, face(DAD, "Family1-Dad3.jpg"), files=True),
        "other": nc.card_and_face(card, face(MOM, "Family1-Mom1.jpg"), files=True),
    }


@pytest.mark.slow
@pytest.mark.parametrize("answer", ["holder", "holder_files"])
def test_card_holder_matches_the_portrait_and_fields_read_back(card_answers, truth, answer):
    expected = truth[CARD]
    read = items(card_answers[answer], "9999")
    assert [desc for desc, _ in read] == [
        "判定值", "判定结果", "保留", "姓名", "性别", "民族", "出生", "住址", "公民身份号码",
    ]  # fmt: skip
    assert read[1] == ("判定结果", "是")
    assert calibration.netocr_threshold() <= float(read[0][1]) <= 100
    assert read[2:] == [
        ("保留", ""),
        ("姓名", expected["name"]),
        ("性别", expected["sex"]),
        ("民族", expected["nation"]),
        ("出生", expected["birth"]),
        ("住址", expected["address"]),
        ("公民身份号码", expected["id_number"]),
    ]


@pytest.mark.slow
def test_someone_else_does_not_match_the_card(card_answers, truth):
    read = dict(items(card_answers["other"], "9999"))
    assert read["判定结果"] == "否"
    assert float(read["判定值"]) < calibration.netocr_threshold()
    assert read["姓名"] == truth[CARD]["name"]


def test_negative_answer_never_shows_the_yes_character(http, nc_credential, face):
    """The public C client searches the first chunk of the answer for 是 to decide."""
    form = {
        "key": nc_credential["key"],
        "secret": nc_credential["secret"],
        "typeId": "21",
        "img1": base64.b64encode(face(DAD, "Family1-Dad2.jpg")).decode(),
        "img2": base64.b64encode(face(MOM, "Family1-Mom1.jpg")).decode(),
    }
    for fmt in ("", "json"):
        raw = http.post("/verapi/verFaceImage.do", data=form | {"format": fmt}).content
        assert "是".encode() not in raw[:10240]
        assert "否".encode() in raw
    same = form | {"img2": form["img1"]}
    assert "判定结果:是".encode() in http.post("/verapi/verFaceImage.do", data=same).content
