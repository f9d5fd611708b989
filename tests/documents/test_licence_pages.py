"""The licences' second pages (副页) through engine.ocr.scan_documents: which page was read,
what a second page of one licence is to the other's reader, and the value forms they print.
(Every field of both pages, flat and photographed, is read by test_reading.py's templates.)"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from contracts.documents import DocumentType
from engine import ocr
from engine.ocr import _values as values
from specimens import Specimen
from tests.ocr.pixels import decoded


@pytest.mark.parametrize(
    ("kind", "page"),
    [("driving_licence", 1), ("driving_licence_second", 2), ("vehicle_licence", 1),
     ("vehicle_licence_second", 2)],
)  # fmt: skip
def test_the_page_read_is_told(
    ocr_models: None, specimen: Callable[..., Specimen], kind: str, page: int
) -> None:
    made = specimen(kind, seed=2)
    (document,) = ocr.scan_documents(decoded(made.image), DocumentType(made.type)).documents
    assert document.page == page
    assert {name: document.value(name) for name in made.truth} == made.truth


@pytest.mark.parametrize(
    ("kind", "asked"),
    [("driving_licence_second", DocumentType.vehicle_licence),
     ("vehicle_licence_second", DocumentType.driving_licence)],
)  # fmt: skip
def test_one_licences_second_page_is_not_the_other(
    ocr_models: None, specimen: Callable[..., Specimen], kind: str, asked: DocumentType
) -> None:
    scan = ocr.scan_documents(decoded(specimen(kind).image), asked)
    assert scan.documents == () and scan.lines > 0


def test_a_second_page_number_that_fails_is_flagged_as_printed(
    ocr_models: None, specimen: Callable[..., Specimen]
) -> None:
    made = specimen("driving_licence_second", valid=False)
    document = ocr.read_document(decoded(made.image), DocumentType.driving_licence)
    assert document is not None and document.page == 2
    assert document.checks == {"id_number": False}
    assert document.value("id_number") == made.truth["id_number"]
    assert not document.fields["id_number"].valid


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1500kg", ("1500kg", True)), ("1500 KG", ("1500kg", True)), ("1500kq", ("1500kg", True)),
     ("15OOkg", ("15OOkg", False)), ("--", ("--", False))],
)  # fmt: skip
def test_mass(text: str, expected: tuple[str, bool]) -> None:
    assert values.mass(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("4750×1800×1450mm", ("4750×1800×1450mm", True)),
     ("4750x1800X1450mm", ("4750×1800×1450mm", True)),
     ("4750 * 1800 * 1450 MM", ("4750×1800×1450mm", True)),
     ("4750×1800mm", ("4750×1800mm", False))],
)  # fmt: skip
def test_dimensions(text: str, expected: tuple[str, bool]) -> None:
    assert values.dimensions(text) == expected
