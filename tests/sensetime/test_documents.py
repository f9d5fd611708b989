"""SenseTime §6.5–§6.21 over HTTP in the manual's formdata: every document API with its
synthetic specimen (and the real passport specimens), the printed aliases, extraInfo and
rotate, checks reported as `valid`, and the errors of images that hold no such document."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import pytest

from specimens import Specimen
from tests.harness import form_call, ok
from vendors.sensetime.documents import ENDPOINTS, Endpoint

SPECIMENS = {
    "bankCard": "bank_card",
    "hkIdcard": "hk_id",
    "macaoidcard": "macao_id",
    "hkMacaoPermit": "hk_macao_residence",
    "taiwanIdcard": "taiwan_residence",
    "hkMacaoReturnPermit": "hk_macao_travel",
    "taiwanReturnPermit": "taiwan_travel",
    "foreignerPermit": "foreign_permanent_2023",
    "driverLicense": "driving_licence",
    "vehicleLicense": "vehicle_licence",
    "businessLicense": "business_licence",
    "organizationCode": "organisation_code",
    "bankAccount": "bank_account",
    "passportMRZ": "passport_td3",
}
BY_NAME = {endpoint.name: endpoint for endpoint in ENDPOINTS}


def png(pixels: np.ndarray) -> bytes:
    return cv2.imencode(".png", pixels)[1].tobytes()


def post(client, api: str, **fields) -> dict:
    return form_call(client, f"/ssid-ocr/v2/{api}", **fields)


def expected_text(endpoint: Endpoint, key: str, name: str, truth: dict[str, str]) -> str | None:
    value = truth.get(name)
    if value is None:
        if name == "name" and "surname" in truth:  # the passport's name is the MRZ's
            return f"{truth['surname']} {truth['given_names']}"
        if name in ("line1", "line2"):
            return truth["mrz"].splitlines()[int(name[-1]) - 1]
        return None
    if key in endpoint.yymmdd:
        return value[2:].replace("-", "")
    if name == "sex" and endpoint.bilingual_sex:
        return {"男": "男 M", "女": "女 F"}[value]
    return value


def test_every_document_api_has_a_specimen() -> None:
    assert set(SPECIMENS) == set(BY_NAME)


@pytest.mark.slow
@pytest.mark.parametrize("api", sorted(SPECIMENS))
def test_reads_its_document(st_open, specimen: Callable[..., Specimen], api: str) -> None:
    endpoint = BY_NAME[api]
    made = specimen(SPECIMENS[api])
    data = ok(post(st_open, api, file=png(made.image)))
    assert data["images"] == []
    (info,) = data[endpoint.key]
    for alias in endpoint.aliases:
        assert data[alias] == data[endpoint.key]
    for key, name in endpoint.fields.items():
        if key == "birth" and endpoint.birth_bean:
            year, month, day = made.truth["birth"].split("-")
            assert [info["birth"][p]["text"] for p in ("year", "month", "day")] == [
                year,
                month,
                day,
            ]
            assert info["birth"]["data"] == info["birth"]["day"]
            continue
        want = expected_text(endpoint, key, name, made.truth)
        if want is not None:
            assert info[key]["text"] == want, key
            assert info[key]["valid"] is True, key
            assert isinstance(info[key]["score"], str) and "rect" not in info[key]
    assert info["rotation"] == 0
    if endpoint.result_type == "side":
        assert info["resultType"] == 0
    elif endpoint.result_type == "page":
        assert info["resultType"] == "1"


def test_printed_alias_path(st_open, specimen: Callable[..., Specimen]) -> None:
    """§6.6 prints the path as hkldcard (capital I read as l)."""
    made = specimen("hk_id")
    data = ok(post(st_open, "hkldcard", file=png(made.image)))
    assert data["hkldcardInfos"][0]["idNumber"]["text"] == made.truth["id_number"]


def test_failed_check_is_invalid_not_corrected(st_open, specimen: Callable[..., Specimen]) -> None:
    made = specimen("bank_card", valid=False)
    (info,) = ok(post(st_open, "bankCard", file=png(made.image)))["cardInfos"]
    assert info["cardNumber"]["text"] == made.truth["card_number"]
    assert info["cardNumber"]["valid"] is False


def test_back_side_result_type(st_open, specimen: Callable[..., Specimen]) -> None:
    made = specimen("hk_macao_residence", back=True)
    (info,) = ok(post(st_open, "hkMacaoPermit", file=png(made.image)))["hkMacaoPermitInfos"]
    assert info["resultType"] == 1
    assert info["passNumber"]["text"] == made.truth["pass_number"]
    assert info["validDate"]["text"] == made.truth["validity"]


def test_extra_info_and_rotate(st_open, specimen: Callable[..., Specimen]) -> None:
    made = specimen("driving_licence")
    turned = np.ascontiguousarray(np.rot90(made.image, -1))  # a quarter turn clockwise
    data = ok(post(st_open, "driverLicense", file=png(turned), extraInfo="true", rotate="true"))
    (info,) = data["driverInfos"]
    assert info["rotation"] == 3  # a quarter turn back, counter-clockwise
    assert info["idCard"]["text"] == made.truth["id_number"]
    box = info["idCard"]["rect"]
    assert 0 <= box["upperLeftX"] < box["lowerRightX"] <= turned.shape[1]
    (image,) = data["images"]
    assert image["roilImage"]


def test_real_passport_specimen(st_open, shared_data: Path) -> None:
    data = (shared_data / "id_documents" / "passport" / "pass-can_martin_sarah.jpg").read_bytes()
    (info,) = ok(post(st_open, "passportMRZ", file=data))["passportMRZInfos"]
    assert info["passportNumber"]["text"] == "ZE000509"
    assert info["birth"]["text"] == "850101" and info["expireDate"]["text"] == "230114"
    assert info["machineData2"]["text"] == "ZE000509<9CAN8501019F2301147<<<<<<<<<<<<<<08"
    assert all(info[key]["valid"] for key in ("passportNumber", "birth", "expireDate"))


def test_wrong_document_is_no_document(st_open, specimen: Callable[..., Specimen]) -> None:
    reply = post(st_open, "vehicleLicense", file=png(specimen("bank_card").image))
    assert reply["code"] == "65040301" and reply["data"] is None


def test_blank_image_is_no_document(st_open) -> None:
    reply = post(st_open, "bankCard", file=png(np.full((300, 480, 3), 230, np.uint8)))
    assert reply["code"] == "65040301"


def test_not_an_image(st_open) -> None:
    reply = post(st_open, "businessLicense", file=b"not an image at all")
    assert reply["code"].startswith("6501") and reply["data"] is None


def test_missing_image(st_open) -> None:
    reply = post(st_open, "passportMRZ")
    assert reply["code"] == "65010201"


@pytest.mark.parametrize("api", ["general", "print", "handWriting"])
def test_text_apis(st_open, specimen: Callable[..., Specimen], api: str) -> None:
    made = specimen("business_licence")
    data = ok(post(st_open, api, file=png(made.image), extraInfo="true"))
    key = {"general": "generalInfos", "print": "printInfos", "handWriting": "handWritingInfos"}
    (info,) = data[key[api]]
    texts = [bean["text"] for bean in info["data"]]
    assert "营业执照" in texts
    assert any(made.truth["code"] in text for text in texts)
    assert all("rect" in bean and isinstance(bean["score"], str) for bean in info["data"])
    assert data["images"][0]["roilImage"]


def test_text_api_without_text(st_open) -> None:
    reply = post(st_open, "general", file=png(np.full((300, 480, 3), 230, np.uint8)))
    assert reply["code"] == "65040301"
