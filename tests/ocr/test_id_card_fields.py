"""Every ground-truth field of the synthetic cards reads back exactly, flat and photographed."""

import pytest

from contracts.documents import CardSide, DocumentKind, IdNumberCheck

SYNTHETIC = ("s1", "s2", "s3")
FRONTS = ("front", "front_photo")
BACKS = ("back", "back_photo")


def _card_of(synthetic, key):
    return next(card for card in synthetic if f"_{key}_" in card["files"]["front"])


@pytest.mark.parametrize("key", SYNTHETIC)
@pytest.mark.parametrize("view", FRONTS)
def test_front_fields_read_back_exactly(synthetic, scan, key, view):
    truth = _card_of(synthetic, key)
    result = scan(truth["files"][view])
    assert result.kind is DocumentKind.id_card
    (card,) = result.cards
    assert card.side is CardSide.front
    values = {name: field.value for name, field in card.fields.items()}
    assert values["name"] == truth["name"]
    assert values["sex"] == truth["sex"]
    assert values["nation"] == truth["nation"]
    assert values["birth"] == truth["birth"]
    assert values["address"] == truth["address"]
    assert values["id_number"] == truth["id_number"]
    assert card.id_number_check is IdNumberCheck.valid
    assert all(field.valid for field in card.fields.values())


@pytest.mark.parametrize("key", SYNTHETIC)
@pytest.mark.parametrize("view", BACKS)
def test_back_fields_read_back_exactly(synthetic, scan, key, view):
    truth = _card_of(synthetic, key)
    (card,) = scan(truth["files"][view]).cards
    assert card.side is CardSide.back
    assert card.value("authority") == truth["authority"]
    assert card.value("validity") == truth["valid"]
    start, end = truth["valid"].split("-")
    assert card.value("valid_from") == start.replace(".", "-")
    assert card.value("valid_to") == end.replace(".", "-")
    assert card.id_number_check is None


def test_birth_parts_are_reported_as_printed(scan):
    card = scan("cnid_syn_s2_front.jpg").cards[0]
    assert (card.value("birth_year"), card.value("birth_month"), card.value("birth_day")) == (
        "1990",
        "11",
        "8",
    )


def test_value_boxes_exclude_the_printed_label(scan):
    # On the flat scan the label 姓名 spans x 87-160 and the number x 342-728, y 489-517.
    card = scan("cnid_syn_s1_front.jpg").cards[0]
    name = card.fields["name"].box
    assert 170 < name.left < 195 and name.right < 300
    number = card.fields["id_number"].box
    assert number.left == pytest.approx(342, abs=15)
    assert number.right == pytest.approx(728, abs=15)
    assert number.top == pytest.approx(489, abs=12)
    assert number.bottom == pytest.approx(517, abs=12)


def test_a_two_line_address_has_one_box_over_both_lines(scan):
    card = scan("cnid_syn_s1_front.jpg").cards[0]
    box = card.fields["address"].box
    assert box.top < 320 and box.bottom > 380


def test_photographed_card_positions_are_in_the_photo_frame(scan):
    card = scan("cnid_syn_s1_front_photo.jpg").cards[0]
    assert card.card_detected
    outline = card.card.box
    assert 300 < outline.left < 400 and 1350 < outline.right < 1450
    number = card.fields["id_number"].box
    assert outline.left < number.left < number.right < outline.right
    assert outline.top < number.top < number.bottom < outline.bottom


def test_scores_are_confidences(scan):
    card = scan("cnid_syn_s2_back_photo.jpg").cards[0]
    assert all(0.9 < field.score <= 1.0 for field in card.fields.values())
