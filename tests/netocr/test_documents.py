"""The other documents on /api/recogliu.do and /api/recog.do: every typeId served with its
synthetic specimen (specimens/, the ground truth) in JSON and XML, the real passport and bank
card specimens, and the refusals of a wrong type, a blank image and an unreadable one."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from contracts.documents import Document, Quad, TextField
from contracts.faces import Point
from vendors.netocr.documents import LAYOUTS, Layout, items

pytestmark = pytest.mark.slow

# typeId -> the specimen that shows its document
SPECIMENS = {
    5: "driving_licence",
    6: "vehicle_licence",
    30: "vehicle_licence_second",
    9: "exit_entry_hk_macao",
    10: "taiwan_travel",
    11: "exit_entry_taiwan",
    13: "passport_td3",
    14: "hk_macao_travel",
    17: "bank_card",
    22: "exit_entry_hk_macao",
    25: "taiwan_travel",
    1001: "hk_id",
    1005: "macao_id",
}
CORNER = Point(x=0, y=0)


def png(pixels: np.ndarray) -> bytes:
    return cv2.imencode(".png", pixels)[1].tobytes()


def expected_items(layout: Layout, truth: dict[str, str]) -> list[tuple[str, str]]:
    """The items the layout makes of the ground truth's fields (those the truth does not hold
    come out empty, and are compared only for their place)."""
    fields = {k: TextField(name=k, value=v, score=1.0) for k, v in truth.items()}
    document = Document(
        type=layout.type,
        fields=fields,
        outline=Quad(points=(CORNER, CORNER, CORNER, CORNER)),
        outline_detected=False,
        crop_jpeg=b"",
    )
    return [(entry.desc, entry.content) for entry in items(layout, document)]


def read_card(answer: dict, type_id: int) -> list[tuple[str, str]]:
    assert answer["message"] == {"status": 0, "value": "识别完成"}, answer["message"]
    (card,) = answer["cardsinfo"]
    assert card["type"] == str(type_id)
    return [(item["desc"], item["content"]) for item in card["items"]]


def test_every_served_type_has_a_specimen() -> None:
    assert set(SPECIMENS) == set(LAYOUTS)


@pytest.mark.parametrize("type_id", sorted(SPECIMENS))
def test_reads_its_document_in_the_public_order(nc, specimen, type_id):
    """Each typeId once per format, base64 in one, a file in the other (alternating)."""
    made = specimen(SPECIMENS[type_id])
    files = (type_id % 2 == 0) == (nc.format == "json")
    read = read_card(nc.recognise(png(made.image), type_id, files=files), type_id)
    expected = expected_items(LAYOUTS[type_id], made.truth)
    assert [desc for desc, _ in read] == [desc for desc, _ in expected]
    pairs = zip(read, expected, strict=True)
    wrong = [(d, got, want) for (d, got), (_, want) in pairs if want and got != want]
    assert not wrong
    assert sum(1 for _, want in expected if want) >= 5  # the test compares real values


def test_named_items_clients_index(nc_json, specimen):
    """The values clients pick by name: 卡号, 护照号码, 证号, 号牌号码, 身份证号码."""
    picks = {17: ("卡号", "card_number"), 5: ("证号", "id_number"), 6: ("号牌号码", "plate_number")}
    for type_id, (desc, name) in picks.items():
        made = specimen(SPECIMENS[type_id])
        read = dict(read_card(nc_json.recognise(png(made.image), type_id), type_id))
        assert read[desc] == made.truth[name]


def test_real_passport_specimen(nc, shared_data: Path):
    folder = shared_data / "id_documents" / "passport"
    truth = {t["file"]: t for t in json.loads((folder / "ground_truth.json").read_text())}
    expected = truth["passport-td3_uto.jpg"]
    read = read_card(nc.recognise((folder / "passport-td3_uto.jpg").read_bytes(), 13), 13)
    values = dict(read)
    assert values["护照号码MRZ"] == values["护照号码"] == expected["number"]
    assert values["英文姓"] == expected["surname"]
    assert values["英文名"] == expected["given_names"]
    assert values["性别"] == "女"
    assert values["出生日期"] == "1974-08-12"
    assert values["签发国代码"] == values["持证人国籍代码"] == "UTO"
    assert (values["MRZ1"], values["MRZ2"]) == (expected["mrz_line1"], expected["mrz_line2"])
    assert read[1] == ("护照号码MRZ", expected["number"])  # the SDK's advice: index 1


def test_real_bank_card_specimen(nc_json, shared_data: Path):
    folder = shared_data / "id_documents" / "bank_card"
    truth = {t["file"]: t for t in json.loads((folder / "ground_truth.json").read_text())}
    name = "credit_card_05.png"
    read = dict(read_card(nc_json.recognise((folder / name).read_bytes(), 17, files=True), 17))
    assert read["卡号"].replace(" ", "") == truth[name]["number"].replace(" ", "")
    assert read["有效日期"] == truth[name]["valid_thru"]


def test_wrong_type_blank_and_unreadable(nc, specimen):
    card = png(specimen("bank_card").image)
    blank = png(np.full((540, 856, 3), 255, np.uint8))
    for image, type_id in ((card, 13), (card, 1001), (blank, 17)):
        answer = nc.recognise(image, type_id)
        assert answer["message"]["status"] == -15 and answer["cardsinfo"] == [], answer
    assert nc.recognise(card[:400], 17)["message"]["status"] == -8  # a truncated PNG
    assert nc.recognise(b"not an image at all", 17)["message"]["status"] == -9
    assert nc.recognise(card, 15)["message"]["status"] == -5  # not served: no public layout
