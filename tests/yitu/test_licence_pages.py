"""§9.4 ocr with ocr_type 2 and 3 and the licences' second pages (副页), signed like the
vendor SDK: the manual lists the main page's keys only; the second page answers its own in
the same style (docs/yitu-ocr.md) with `page` 2; another document is `license_type` -2."""

from __future__ import annotations

import numpy as np
import pytest

from tests.yitu.test_ocr import OCR, call, ok, png


@pytest.mark.parametrize("photo", [False, True])
def test_driving_licence_second_page(yitu, specimen, photo):
    made = specimen("driving_licence_second", photo=photo)
    result = ok(call(yitu, OCR, png(made.image), ocr_type=2))["driving_license_ocr_result"]
    truth = made.truth
    assert result == {
        "page": 2,
        "name": truth["name"],
        "citizen_id": truth["id_number"],
        "file_no": truth["file_number"],
        "record": truth["record"],
        "barcode": truth["barcode"],
        "id_number_check": "valid",
        "license_type": 1,
    }


@pytest.mark.parametrize("photo", [False, True])
def test_vehicle_licence_second_page(yitu, specimen, photo):
    made = specimen("vehicle_licence_second", seed=2, photo=photo)
    result = ok(call(yitu, OCR, png(made.image), ocr_type=3))["vehicle_license_ocr_result"]
    keys = {
        "plate_no": "plate_number", "file_no": "file_number", "approved_passengers": "passengers",
        "gross_mass": "gross_mass", "unladen_mass": "unladen_mass",
        "approved_load": "approved_load", "overall_dimension": "dimensions",
        "remark": "comment", "inspection_record": "inspection_record", "barcode": "barcode",
    }  # fmt: skip
    expected = {key: made.truth[name] for key, name in keys.items() if name in made.truth}
    assert result == {"page": 2, **expected, "license_type": 1}


def test_main_page_says_its_page(yitu, specimen):
    made = specimen("vehicle_licence")
    result = ok(call(yitu, OCR, png(made.image), ocr_type=3))["vehicle_license_ocr_result"]
    assert result["page"] == 1 and result["vin"] == made.truth["vin"]
    assert "file_no" not in result


def test_the_other_licence_and_a_blank_are_not_a_licence(yitu, specimen):
    second = png(specimen("vehicle_licence_second").image)
    result = ok(call(yitu, OCR, second, ocr_type=2))["driving_license_ocr_result"]
    assert result == {"license_type": -2}
    blank = png(np.full((540, 856, 3), 235, np.uint8))
    result = ok(call(yitu, OCR, blank, ocr_type=3))["vehicle_license_ocr_result"]
    assert result == {"license_type": -2}


def test_a_truncated_file_is_no_image(yitu, specimen):
    truncated = png(specimen("driving_licence_second").image)[:500]
    assert call(yitu, OCR, truncated, ocr_type=2)["rtn"] == -304  # cannot be decoded
