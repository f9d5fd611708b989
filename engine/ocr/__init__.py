"""Text and identity documents read from images, with the PP-OCR models of rapidocr-onnxruntime.

The capability functions take decoded images and return contract types (contracts.documents);
positions are in the input image's frame, rotations clockwise. `scan_documents` reads every
other document type (contracts.documents.DocumentType), and tells a licence's main page from
its second page (`Document.page`); `checksums` holds the check-digit rules.
"""

from engine.ocr import _checksums as checksums
from engine.ocr._citizen_id import check_citizen_id, check_digit
from engine.ocr._documents import pick_side, read_id_card, scan_id_cards
from engine.ocr._geometry import turn as turn_image
from engine.ocr._licence_pages import read_document, scan_documents
from engine.ocr._nations import NATIONS, normalise_nation
from engine.ocr._reader import ready, version, warm_up
from engine.ocr._reading import parse_document
from engine.ocr._source import find_edit_tool
from engine.ocr._text import read_text

__all__ = [
    "NATIONS",
    "check_citizen_id",
    "check_digit",
    "checksums",
    "find_edit_tool",
    "normalise_nation",
    "parse_document",
    "pick_side",
    "read_document",
    "read_id_card",
    "read_text",
    "ready",
    "scan_documents",
    "scan_id_cards",
    "turn_image",
    "version",
    "warm_up",
]
