"""The licences' second pages (副页) on /api/recogliu.do and /api/recog.do: typeId 30 (行驶证副页,
the Sinosecu SDK's items first), a page answered as the page it is (a second page sent as 6
is card type 30, a main page sent as 30 is type 6), the driving licence's second page under
typeId 5 with the same item list as its main page; the other licence, a blank, a truncated
file refused."""

from __future__ import annotations

import numpy as np
import pytest

from tests.netocr.test_documents import expected_items, png, read_card
from vendors.netocr.documents import LAYOUTS

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(("kind", "asked", "answered"), [
    ("vehicle_licence_second", 30, 30), ("vehicle_licence_second", 6, 30),
    ("vehicle_licence", 30, 6), ("driving_licence_second", 5, 5),
])  # fmt: skip
def test_a_page_is_answered_as_the_page_it_is(nc, specimen, kind, asked, answered):
    made = specimen(kind, photo=asked == answered)
    read = read_card(nc.recognise(png(made.image), asked, files=asked == 6), answered)
    expected = expected_items(LAYOUTS[answered], made.truth)
    assert read == expected  # items the page does not print are empty
    assert sum(1 for _, want in expected if want) >= 4  # the test compares real values


def test_driving_licence_items_keep_their_places(nc_json, specimen):
    made = specimen("driving_licence_second")
    read = read_card(nc_json.recognise(png(made.image), 5), 5)
    assert read[1] == ("证号", made.truth["id_number"]) and read[2] == ("姓名", made.truth["name"])
    assert read[-2:] == [("档案编号", made.truth["file_number"]), ("记录", made.truth["record"])]
    assert all(content == "" for _, content in read[3:11])  # the main page's items


def test_vehicle_second_page_sdk_items(nc_json, specimen):
    made = specimen("vehicle_licence_second")
    read = read_card(nc_json.recognise(png(made.image), 30, files=True), 30)
    assert read[:4] == [
        ("保留", ""),
        ("号牌号码", made.truth["plate_number"]),
        ("档案编号", made.truth["file_number"]),
        ("行驶证识别代码", made.truth["barcode"]),
    ]


def test_other_licence_blank_and_truncated(nc, specimen):
    driving_second = png(specimen("driving_licence_second").image)
    blank = png(np.full((540, 856, 3), 235, np.uint8))
    for image, type_id in ((driving_second, 30), (driving_second, 6), (blank, 30)):
        answer = nc.recognise(image, type_id)
        assert answer["message"]["status"] == -15 and answer["cardsinfo"] == [], answer
    truncated = png(specimen("vehicle_licence_second").image)[:500]
    assert nc.recognise(truncated, 30)["message"]["status"] == -8
