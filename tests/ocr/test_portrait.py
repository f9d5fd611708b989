"""The portrait crop of a front side, found with the face engine."""

import cv2
import numpy as np
import pytest

from contracts.faces import Box
from engine import ocr
from tests.ocr.pixels import decoded

pytest.importorskip("engine.face")


def _inside(inner, outer, slack=2.0):
    return (
        inner.left >= outer.left - slack
        and inner.top >= outer.top - slack
        and inner.right <= outer.right + slack
        and inner.bottom <= outer.bottom + slack
    )


def _iou(a, b):
    width = min(a.right, b.right) - max(a.left, b.left)
    height = min(a.bottom, b.bottom) - max(a.top, b.top)
    inter = max(0.0, width) * max(0.0, height)
    return inter / (a.area + b.area - inter)


@pytest.mark.parametrize(
    ("name", "photo"),
    [
        ("cnid_syn_s1_front.jpg", Box(left=625, top=117, right=868, bottom=445)),
        ("specimen_weixiaobao_front.png", Box(left=310, top=50, right=470, bottom=235)),
    ],
)
def test_portrait_of_a_flat_scan_frames_the_printed_photo(ocr_models, load, name, photo):
    card = ocr.read_id_card(decoded(load(name)), portrait=True)
    assert _iou(card.portrait.box, photo) > 0.65
    crop = cv2.imdecode(np.frombuffer(card.portrait_jpeg, np.uint8), cv2.IMREAD_COLOR)
    assert crop.shape[0] > crop.shape[1] > 100


def test_portrait_of_a_photo_lies_on_the_card(ocr_models, load):
    card = ocr.read_id_card(decoded(load("cnid_syn_s2_front_photo.jpg")), portrait=True)
    assert _inside(card.portrait.box, card.card.box)
    centre_x = (card.portrait.box.left + card.portrait.box.right) / 2
    assert centre_x > (card.card.box.left + card.card.box.right) / 2


def test_a_cartoon_portrait_falls_back_to_the_photo_area(ocr_models, load):
    card = ocr.read_id_card(decoded(load("cnid_syn_s3_front.jpg")), portrait=True)
    assert card.portrait is not None
    assert card.portrait.box.left > 0.55 * 972


def test_back_sides_and_unasked_reads_have_no_portrait(scan):
    assert scan("cnid_syn_s1_back.jpg").cards[0].portrait is None
    assert scan("cnid_syn_s1_front.jpg").cards[0].portrait_jpeg is None
