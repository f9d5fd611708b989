"""Card source: colour cards are normal; greyscale copies, screens and editors are told apart."""

import io

import cv2
import numpy as np
import pytest
from PIL import Image

from contracts.documents import CardSource
from engine import ocr
from tests.ocr.pixels import decoded

PHOTO = "cnid_syn_s2_front_photo.jpg"


def _jpeg(pixels, software=None):
    exif = Image.Exif()
    if software is not None:
        exif[0x0131] = software
    buffer = io.BytesIO()
    Image.fromarray(pixels[:, :, ::-1]).save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name", ["cnid_syn_s1_front.jpg", "cnid_syn_s3_back_photo.jpg", "specimen_weixiaobao_front.png"]
)
def test_colour_cards_are_normal(scan, name):
    source = scan(name).cards[0].source
    assert source.source is CardSource.normal
    assert source.scores[CardSource.normal] > 0.9


def test_a_greyscale_copy_is_a_copy(ocr_models, load):
    grey = cv2.cvtColor(cv2.cvtColor(load(PHOTO), cv2.COLOR_BGR2GRAY), cv2.COLOR_GRAY2BGR)
    card = ocr.read_id_card(decoded(grey))
    assert card.source.source is CardSource.copy
    assert card.value("id_number") == "310104199011084428"


def test_moire_of_a_screen_is_detected(ocr_models, load):
    pixels = load(PHOTO).astype(np.float32)
    y, x = np.mgrid[0 : pixels.shape[0], 0 : pixels.shape[1]]
    beat = 1 - 0.06 * (1 + np.sin(2 * np.pi * (x * np.cos(0.4) + y * np.sin(0.4)) / 4.5))
    card = ocr.read_id_card(decoded(np.clip(pixels * beat[..., None], 0, 255).astype(np.uint8)))
    assert card.source.source is CardSource.screen


def test_blur_is_not_mistaken_for_a_screen(ocr_models, load):
    card = ocr.read_id_card(decoded(cv2.GaussianBlur(load(PHOTO), (0, 0), 2.5)))
    assert card.source.scores[CardSource.screen] < 0.1


def test_editing_software_named_in_the_file_is_reported(ocr_models, load):
    pixels = load(PHOTO)
    data = _jpeg(pixels, "Adobe Photoshop CS6 (Windows)")
    card = ocr.read_id_card(decoded(pixels), data=data)
    assert card.source.source is CardSource.edited
    assert card.source.edit_tool == "Adobe Photoshop CS6 (Windows)"


def test_camera_software_is_not_an_editor(load):
    assert ocr.find_edit_tool(_jpeg(load(PHOTO)[:64, :64], "HDR+ 1.0.540104362zd")) is None
    assert ocr.find_edit_tool(_jpeg(load(PHOTO)[:64, :64])) is None
    assert ocr.find_edit_tool(b"not an image") is None
