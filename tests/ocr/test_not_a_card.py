"""Images without a resident ID card say what they hold instead."""

import cv2
import numpy as np

from contracts.documents import DocumentKind
from engine import ocr
from tests.ocr.pixels import decoded


def test_a_face_photo_is_not_a_card(ocr_models, shared_data):
    pixels = cv2.imread(str(shared_data / "faces" / "barack_obama" / "obama.jpg"))
    result = ocr.scan_id_cards(decoded(pixels))
    assert result.kind is DocumentKind.none
    assert result.cards == ()
    assert ocr.read_id_card(decoded(pixels)) is None


def test_a_bank_card_is_another_kind_of_card(ocr_models, shared_data):
    pixels = cv2.imread(
        str(shared_data / "id_documents" / "bank_card" / "visa_template_freepsdfiles.jpg")
    )
    result = ocr.scan_id_cards(decoded(pixels))
    assert result.kind is DocumentKind.other_card
    assert result.cards == ()


def test_a_blank_image_is_nothing(ocr_models):
    result = ocr.scan_id_cards(decoded(np.full((400, 640, 3), 200, np.uint8)))
    assert result.kind is DocumentKind.none
