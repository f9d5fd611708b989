"""Machine-readable zones read directly (engine.ocr._zone_band, engine.ocr._zone_reader): the
band and its cells found by shape, the rows read cell by cell, whichever way up the document
lies; a wrong check digit stays as printed and flagged; the detector's reading remains for a
zone the band finder misses."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import pytest

from contracts.documents import DocumentType
from engine import ocr
from engine.ocr import _reading
from engine.ocr._geometry import turn
from engine.ocr._zone_band import find_zone
from engine.ocr._zone_reader import _align
from specimens import Specimen
from tests.ocr.pixels import decoded

ZONE_KINDS = ("passport_td3", "id_td1", "id_td2")


@pytest.mark.parametrize(
    ("kind", "rows", "cells"), [("passport_td3", 2, 44), ("id_td1", 3, 30), ("id_td2", 2, 36)]
)
def test_band_and_cells(
    specimen: Callable[..., Specimen], kind: str, rows: int, cells: int
) -> None:
    for photo in (False, True):
        found = find_zone(specimen(kind, photo=photo).image)
        assert [row.cells for row in found] == [cells] * rows
        for row in found:  # cells evenly spaced, a pitch about the row's glyph height
            steps = np.diff(row.edges)
            assert steps.min() > 0.8 * steps.mean()
            assert 0.3 * row.pixels.shape[0] < steps.mean() < row.pixels.shape[0]


def test_no_band_without_a_zone(specimen: Callable[..., Specimen]) -> None:
    assert find_zone(specimen("bank_card").image) == []
    assert find_zone(specimen("driving_licence").image) == []
    assert find_zone(np.full((400, 600, 3), 235, np.uint8)) == []


def test_alignment_keeps_order_and_leaves_a_cell_unread() -> None:
    centres = np.array([5.0, 15.0, 25.0, 35.0])
    # three peaks over four cells, the third a little early: the cell skipped is the third
    assert _align([4.0, 16.0, 33.0], centres, 10.0) == [(0, 0), (1, 1), (2, 3)]
    # a peak outside every cell is left unmatched
    assert _align([5.0, 15.0, 90.0], centres[:2], 10.0) == [(0, 0), (1, 1)]


def _read(pixels: np.ndarray):
    scan = ocr.scan_documents(decoded(pixels), DocumentType.passport)
    assert scan.documents
    return scan.documents[0]


@pytest.mark.parametrize("kind", ZONE_KINDS)
def test_read_by_the_band_not_the_detector(
    ocr_models: None,
    specimen: Callable[..., Specimen],
    kind: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def detector_path(*_: object, **__: object) -> None:
        raise AssertionError("the zone was read through the text detector")

    monkeypatch.setattr(_reading, "read_upright", detector_path)
    made = specimen(kind, photo=True)
    document = _read(made.image)
    assert document.value("mrz") == made.truth["mrz"]
    assert all(document.checks.values())


@pytest.mark.parametrize("degrees", [90, 180, 270])
def test_turned_documents(
    ocr_models: None, specimen: Callable[..., Specimen], degrees: int
) -> None:
    made = specimen("passport_td3", photo=True)
    pixels = turn(made.image, degrees)
    document = _read(pixels)
    assert document.value("mrz") == made.truth["mrz"]
    box = document.fields["mrz"].box
    height, width = pixels.shape[:2]
    assert 0 <= box.left < box.right <= width and 0 <= box.top < box.bottom <= height


@pytest.mark.parametrize("kind", ZONE_KINDS)
def test_wrong_check_digit_photographed_is_flagged_as_printed(
    ocr_models: None, specimen: Callable[..., Specimen], kind: str
) -> None:
    made = specimen(kind, valid=False, photo=True)
    document = _read(made.image)
    assert document.value("mrz") == made.truth["mrz"]  # as printed: nothing corrected
    assert document.checks["document_number"] is False
    for name, expected in made.checks.items():
        assert document.checks[name] is expected, name
    assert document.value("document_number") == made.truth["document_number"]
    assert not document.fields["document_number"].valid


def test_detector_reads_a_zone_the_band_finder_misses(
    ocr_models: None, specimen: Callable[..., Specimen], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_reading, "find_zone", lambda pixels: [])
    made = specimen("passport_td3")
    assert _read(made.image).value("mrz") == made.truth["mrz"]


@pytest.mark.slow
def test_real_passports(ocr_models: None, shared_data: Path) -> None:
    folder = shared_data / "id_documents" / "passport"
    truth = json.loads((folder / "ground_truth.json").read_text(encoding="utf-8"))
    for entry in truth:
        document = _read(cv2.imread(str(folder / entry["file"])))
        assert document.value("line1") == entry["mrz_line1"], entry["file"]
        assert document.value("line2") == entry["mrz_line2"], entry["file"]
        assert all(document.checks.values()), entry["file"]
