"""The field parser on lines laid out by hand: the rules, without the models."""

import numpy as np

from contracts.documents import CardSide
from engine.ocr._idcard import parse_id_card
from engine.ocr._reader import Glyph
from engine.ocr._text import Line

WIDTH = 856
CHAR = 28  # pixels per character


def line(text, x, y, score=0.99):
    """A line of `text` whose first character starts at (x, y), one character per CHAR px."""
    width = CHAR * len(text)
    quad = np.array([[x, y], [x + width, y], [x + width, y + CHAR], [x, y + CHAR]], np.float64)
    step = 1 / len(text)
    glyphs = tuple(Glyph(c, score, i * step, (i + 1) * step) for i, c in enumerate(text))
    return Line(quad=quad, text=text, score=score, glyphs=glyphs)


def front(*, name="姓名王小明", number="公民身份号码44030419900101001X", birth="出生1990年1月1日"):
    return (
        line(name, 70, 80),
        line("性别男", 70, 140),
        line("民族汉", 250, 140),
        line(birth, 70, 200),
        line("住址广东省深圳市福田区", 70, 260),
        line("深南大道1号", 150, 300),
        line("样本", 700, 330),  # inside the portrait: not part of the address
        line(number, 70, 440),
    )


def values(parsed):
    return {name: field.value for name, field in parsed.fields.items()}


def test_front_fields_follow_their_labels():
    parsed = parse_id_card(front(), WIDTH)
    assert parsed.side is CardSide.front
    assert values(parsed) == {
        "name": "王小明",
        "sex": "男",
        "nation": "汉",
        "birth": "1990-01-01",
        "birth_year": "1990",
        "birth_month": "1",
        "birth_day": "1",
        "address": "广东省深圳市福田区深南大道1号",
        "id_number": "44030419900101001X",
    }


def test_a_label_read_with_one_wrong_character_still_counts():
    parsed = parse_id_card(front(name="娃名王小明"), WIDTH)
    assert parsed.fields["name"].value == "王小明"


def test_letters_read_in_a_number_are_the_digits_they_resemble():
    parsed = parse_id_card(front(number="公民身份号码44O3O419900l01001x"), WIDTH)
    assert parsed.fields["id_number"].value == "44030419900101001X"
    assert parsed.fields["id_number"].valid


def test_a_number_of_the_wrong_length_is_kept_and_marked_invalid():
    parsed = parse_id_card(front(number="公民身份号码4403041990010100"), WIDTH)
    field = parsed.fields["id_number"]
    assert (field.value, field.valid) == ("4403041990010100", False)


def test_an_impossible_birth_date_is_reported_as_printed():
    parsed = parse_id_card(front(birth="出生1990年2月30日"), WIDTH)
    field = parsed.fields["birth"]
    assert (field.value, field.valid) == ("1990年2月30", False)


def test_back_with_a_long_term_validity():
    lines = (
        line("中华人民共和国", 300, 60),
        line("居民身份证", 280, 150),
        line("签发机关", 200, 380),
        line("深圳市公安局福田分局", 330, 380),
        line("有效期限2015.03.02－长期", 200, 440),
    )
    parsed = parse_id_card(lines, WIDTH)
    assert parsed.side is CardSide.back
    assert values(parsed) == {
        "authority": "深圳市公安局福田分局",
        "validity": "2015.03.02-长期",
        "valid_from": "2015-03-02",
        "valid_to": "长期",
    }
    assert all(field.valid for field in parsed.fields.values())


def test_a_value_box_covers_only_the_value():
    parsed = parse_id_card(front(), WIDTH)
    box = parsed.fields["name"].box
    assert (box.left, box.right) == (70 + 2 * CHAR, 70 + 5 * CHAR)


def test_text_of_another_kind_is_not_a_card():
    lines = (
        line("VISA", 60, 60),
        line("4000 1234 5678 9010", 60, 300),
        line("VALID THRU", 60, 400),
    )
    assert parse_id_card(lines, WIDTH) is None
