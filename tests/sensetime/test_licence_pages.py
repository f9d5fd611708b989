"""§6.13 driverLicense and §6.14 vehicleLicense with the licences' second pages (副页), over
HTTP in the manual's formdata: `resultType` "2" and the second page's beans (档案编号, 记录,
核定载人数, masses, 外廓尺寸, 检验记录, the barcode), the main page's beans empty; a second
page of the other licence, a blank and a truncated file refused."""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np
import pytest

from specimens import Specimen
from tests.harness import form_call, ok
from vendors.sensetime.documents import ENDPOINTS

BY_NAME = {endpoint.name: endpoint for endpoint in ENDPOINTS}
SECOND_PAGES = {
    "driverLicense": "driving_licence_second",
    "vehicleLicense": "vehicle_licence_second",
}


def png(pixels: np.ndarray) -> bytes:
    return cv2.imencode(".png", pixels)[1].tobytes()


@pytest.mark.slow
@pytest.mark.parametrize("photo", [False, True])
@pytest.mark.parametrize("api", sorted(SECOND_PAGES))
def test_second_page(st_open, specimen: Callable[..., Specimen], api: str, photo: bool) -> None:
    endpoint = BY_NAME[api]
    made = specimen(SECOND_PAGES[api], photo=photo)
    data = ok(form_call(st_open, f"/ssid-ocr/v2/{api}", file=png(made.image)))
    (info,) = data[endpoint.key]
    assert info["resultType"] == "2"
    for key, name in endpoint.fields.items():
        if name in made.truth:
            assert info[key]["text"] == made.truth[name], key
            assert info[key]["valid"] is True, key
        else:  # the main page's fields, and a car's approved load: not on this page
            assert info[key] == {"text": "", "score": "0.0", "valid": False}, key


def test_second_page_number_failing_its_check(st_open, specimen: Callable[..., Specimen]) -> None:
    made = specimen("driving_licence_second", valid=False)
    data = ok(form_call(st_open, "/ssid-ocr/v2/driverLicense", file=png(made.image)))
    (info,) = data["driverInfos"]
    assert info["idCard"] == {**info["idCard"], "text": made.truth["id_number"], "valid": False}
    assert info["fileNumber"]["text"] == made.truth["file_number"]


@pytest.mark.parametrize(
    ("api", "kind"),
    [("driverLicense", "vehicle_licence_second"), ("vehicleLicense", "driving_licence_second")],
)
def test_the_other_licences_second_page_is_no_document(
    st_open, specimen: Callable[..., Specimen], api: str, kind: str
) -> None:
    reply = form_call(st_open, f"/ssid-ocr/v2/{api}", file=png(specimen(kind).image))
    assert reply["code"] == "65040301" and reply["data"] is None
    assert "some other text" in reply["msg"]


def test_blank_and_truncated(st_open, specimen: Callable[..., Specimen]) -> None:
    blank = png(np.full((540, 856, 3), 235, np.uint8))
    reply = form_call(st_open, "/ssid-ocr/v2/vehicleLicense", file=blank)
    assert reply["code"] == "65040301" and "no text" in reply["msg"]
    truncated = png(specimen("vehicle_licence_second").image)[:500]
    reply = form_call(st_open, "/ssid-ocr/v2/vehicleLicense", file=truncated)
    assert reply["code"].startswith("6501") and reply["data"] is None
