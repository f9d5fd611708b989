"""Card quality: the synthetic cards measure clean, and each degradation raises its own score."""

import cv2
import numpy as np
import pytest

from engine import ocr
from tests.ocr.pixels import decoded

PHOTO = "cnid_syn_s2_front_photo.jpg"


def _quality(pixels):
    return ocr.scan_id_cards(decoded(pixels)).quality


@pytest.mark.parametrize(
    "name", ["cnid_syn_s1_front.jpg", "cnid_syn_s1_back_photo.jpg", "specimen_weixiaobao_front.png"]
)
def test_clean_cards_score_low_on_every_problem(scan, name):
    quality = scan(name).quality
    assert max(quality.blur, quality.crop, quality.occlusion) < 0.1
    assert max(quality.strong_light, quality.weak_light) < 0.1
    assert quality.normal > 0.9


def test_blur_is_measured(ocr_models, load):
    quality = _quality(cv2.GaussianBlur(load(PHOTO), (0, 0), 2.5))
    assert quality.blur > 0.5
    assert quality.weak_light < 0.1


def test_weak_light_is_measured(ocr_models, load):
    quality = _quality((load(PHOTO) * 0.25).astype(np.uint8))
    assert quality.weak_light > 0.5
    assert quality.blur < 0.5


def test_glare_is_measured_and_hides_fields(ocr_models, load):
    pixels = load(PHOTO).astype(np.float32)
    spot = np.zeros(pixels.shape[:2], np.float32)
    cv2.ellipse(spot, (800, 500), (300, 160), 0, 0, 360, 1.0, -1)
    spot = cv2.GaussianBlur(spot, (0, 0), 15)[..., None]
    quality = _quality(np.clip(pixels * (1 - spot) + 306 * spot, 0, 255).astype(np.uint8))
    assert quality.strong_light > 0.5
    assert quality.occlusion > 0.5


@pytest.mark.parametrize(
    ("rows", "columns"), [(slice(None), slice(0, 1000)), (slice(0, 700), slice(None))]
)
def test_a_card_cut_by_the_image_edge_is_incomplete(ocr_models, load, rows, columns):
    quality = _quality(load(PHOTO)[rows, columns])
    assert quality.crop >= 0.5
