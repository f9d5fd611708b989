"""Cards read whichever way up they are; `rotation` is the clockwise turn that undoes it."""

import numpy as np
import pytest

from engine import ocr
from tests.ocr.pixels import decoded

# np.rot90 turns counter-clockwise, so k quarter turns are undone by k × 90° clockwise.
TURNS = [(1, 90), (2, 180), (3, 270)]


@pytest.mark.parametrize(("k", "rotation"), TURNS)
def test_flat_scan_turned_by_quarter_turns_reads(ocr_models, load, synthetic, k, rotation):
    truth = synthetic[0]
    card = ocr.read_id_card(decoded(np.rot90(load(truth["files"]["front"]), k)))
    assert card is not None
    assert card.rotation == rotation
    assert card.value("id_number") == truth["id_number"]
    assert card.value("address") == truth["address"]


@pytest.mark.slow
@pytest.mark.parametrize(("k", "rotation"), TURNS)
def test_photo_turned_by_quarter_turns_reads(ocr_models, load, synthetic, k, rotation):
    truth = synthetic[1]
    card = ocr.read_id_card(decoded(np.rot90(load(truth["files"]["back_photo"]), k)))
    assert card is not None
    assert card.rotation == rotation
    assert card.value("authority") == truth["authority"]
    assert card.value("validity") == truth["valid"]


@pytest.mark.slow
def test_upside_down_specimen_still_flags_its_check_digit(ocr_models, load):
    card = ocr.read_id_card(decoded(np.rot90(load("specimen_weixiaobao_front.png"), 2)))
    assert card is not None
    assert card.rotation == 180
    assert card.value("id_number") == "11204416541220243X"
    assert card.id_number_check.value == "bad_check_digit"


def test_positions_of_a_turned_card_are_in_the_turned_image(ocr_models, load):
    pixels = load("cnid_syn_s1_front.jpg")
    height, width = pixels.shape[:2]
    card = ocr.read_id_card(decoded(np.rot90(pixels, 2)))
    box = card.fields["id_number"].box
    # upright the number spans x 342-728, y 489-517; turned by 180° it is mirrored on both axes
    assert box.left == pytest.approx(width - 728, abs=15)
    assert box.top == pytest.approx(height - 517, abs=12)
    first = card.card.points[0]
    assert (first.x, first.y) == (pytest.approx(width, abs=1), pytest.approx(height, abs=1))
