"""Every document type read from its synthetic specimen, flat and photographed, through
engine.ocr.scan_documents: fields as the generator drew them, checks as the standards say.
The residence permits are read on both sides; invalid numbers are flagged, never corrected.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from contracts.documents import DocumentType
from engine import ocr
from specimens import KINDS, Specimen
from tests.ocr.pixels import decoded


def read(made: Specimen):
    scan = ocr.scan_documents(decoded(made.image), DocumentType(made.type))
    assert scan.documents, f"{made.kind}: no document read ({scan.lines} lines)"
    return scan.documents[0]


def assert_read(made: Specimen) -> None:
    document = read(made)
    wrong = {k: (v, document.value(k)) for k, v in made.truth.items() if document.value(k) != v}
    assert not wrong, wrong
    assert document.page == made.page
    for name, expected in made.checks.items():
        assert document.checks[name] is expected, name


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_flat(ocr_models: None, specimen: Callable[..., Specimen], kind: str) -> None:
    assert_read(specimen(kind))


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_photographed(ocr_models: None, specimen: Callable[..., Specimen], kind: str) -> None:
    assert_read(specimen(kind, photo=True))


@pytest.mark.parametrize("kind", ["hk_macao_residence", "taiwan_residence"])
def test_back_side(ocr_models: None, specimen: Callable[..., Specimen], kind: str) -> None:
    assert_read(specimen(kind, back=True))


@pytest.mark.parametrize(
    "kind",
    ["bank_card", "hk_id", "driving_licence", "vehicle_licence", "business_licence",
     "organisation_code", "foreign_permanent_2023", "passport_td3", "id_td1", "id_td2"],
)  # fmt: skip
def test_invalid_numbers_are_flagged_as_printed(
    ocr_models: None, specimen: Callable[..., Specimen], kind: str
) -> None:
    made = specimen(kind, valid=False)
    document = read(made)
    for name, expected in made.checks.items():
        assert document.checks[name] is expected, name
    failed = [name for name, ok in made.checks.items() if not ok]
    assert failed
    for name in failed:
        if name in made.truth and name in document.fields:
            assert document.value(name) == made.truth[name]  # as printed, not corrected
            assert not document.fields[name].valid


def test_wrong_type_is_not_read(ocr_models: None, specimen: Callable[..., Specimen]) -> None:
    bank_card = decoded(specimen("bank_card").image)
    assert not ocr.scan_documents(bank_card, DocumentType.driving_licence).documents
    assert not ocr.scan_documents(bank_card, DocumentType.passport).documents
    licence = decoded(specimen("driving_licence").image)
    assert not ocr.scan_documents(licence, DocumentType.vehicle_licence).documents


def test_blank_image(ocr_models: None) -> None:
    blank = decoded(np.full((400, 600, 3), 235, np.uint8))
    scan = ocr.scan_documents(blank, DocumentType.bank_card)
    assert scan.documents == () and scan.lines == 0


def test_positions_are_on_the_input(ocr_models: None, specimen: Callable[..., Specimen]) -> None:
    made = specimen("bank_card", photo=True)
    document = read(made)
    box = document.fields["card_number"].box
    height, width = made.image.shape[:2]
    assert 0 <= box.left < box.right <= width and 0 <= box.top < box.bottom <= height
    assert document.outline_detected
