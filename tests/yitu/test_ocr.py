"""ID-card OCR (§9.4) end to end, signed like the vendor SDK: ocr (105.1), distinguish (105.2),
license_classification (105.3), with the cards of ../shared/data/id_documents/cn_id_card."""

from __future__ import annotations

import base64
import io

import cv2
import numpy as np
import pytest
from PIL import Image

from contracts.credentials import Vendor
from gateway.credentials import SqliteCredentialStore, mint
from tests.conftest import CARDS
from vendors.yitu.client import YituClient, b64

OCR = "/face/basic/ocr"
DISTINGUISH = "/face/basic/distinguish"
CLASSIFY = "/face/basic/license_classification"
OBAMA = "faces/barack_obama/obama.jpg"


def call(client: YituClient, path: str, image: bytes | None, **options) -> dict:
    """A request as the manual's samples nest it: `user_info.image_content` and `options`."""
    info = {"image_content": b64(image)} if image is not None else {}
    return client.call(path, {"user_info": info, "options": options})


def png(pixels: np.ndarray) -> bytes:
    return cv2.imencode(".png", pixels)[1].tobytes()


def ok(reply: dict) -> dict:
    assert reply["rtn"] == 0 and reply["message"] == "OK", reply
    return reply


def front(expected: dict) -> dict[str, str]:
    """idcard_ocr_result of a front side: dates as yyyyMMdd."""
    return {
        "name": expected["name"],
        "gender": expected["sex"],
        "nation": expected["nation"],
        "birthday": expected["birth"].replace("-", ""),
        "address": expected["address"],
        "citizen_id": expected["id_number"],
    }


def back(expected: dict) -> dict[str, str]:
    begin, end = expected["valid"].replace(".", "").split("-")
    return {"agency": expected["authority"], "valid_date_begin": begin, "valid_date_end": end}


# --- ocr (105.1) ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["cnid_syn_s1_front.jpg", "cnid_syn_s3_front_photo.jpg"])
def test_front_fields_read_back_exactly(yitu, card, truth, name):
    reply = ok(call(yitu, OCR, card(name), ocr_type=1, ocr_mode=1, auto_rotate=True))
    assert reply["idcard_ocr_result"] == front(truth[name]) | {
        "citizen_id_check": "valid",
        "idcard_type": 1,
    }


def test_back_photo_reads_in_auto_mode(yitu, card, truth):
    name = "cnid_syn_s2_back_photo.jpg"
    reply = ok(call(yitu, OCR, card(name), ocr_type=1, ocr_mode=3))
    assert reply["idcard_ocr_result"] == back(truth[name]) | {"idcard_type": 2}


@pytest.mark.slow
def test_an_upside_down_photo_reads(yitu, card, truth):
    name = "cnid_syn_s1_front_photo.jpg"
    pixels = cv2.imdecode(np.frombuffer(card(name), np.uint8), cv2.IMREAD_COLOR)
    upside_down = cv2.imencode(".jpg", cv2.rotate(pixels, cv2.ROTATE_180))[1].tobytes()
    reply = ok(call(yitu, OCR, upside_down, ocr_type=1, ocr_mode=3, auto_rotate=True))
    assert reply["idcard_ocr_result"] == front(truth[name]) | {
        "citizen_id_check": "valid",
        "idcard_type": 1,
    }


@pytest.mark.slow
def test_both_sides_of_a_photocopy_read_in_mode_4_and_classify_as_both(yitu, card, truth):
    name = "specimen_airobot_bw_a4.png"
    result = ok(call(yitu, OCR, card(name), ocr_type=1, ocr_mode=4))["idcard_ocr_result"]
    expected = front(truth[name]) | back(truth[name])
    # the name is set in a face where capital I and small l are one glyph (docs/ocr.md)
    assert {k: v for k, v in result.items() if k != "name"} == {
        k: v for k, v in expected.items() if k != "name"
    } | {"citizen_id_check": "bad_check_digit", "idcard_type": 3}
    classified = ok(call(yitu, CLASSIFY, card(name), license_type=1))
    assert classified["classification_result"] == {"result": 3}


def test_invalid_check_digit_is_reported_beside_the_number_as_printed(yitu, card, truth):
    name = "specimen_weixiaobao_front.png"
    result = ok(call(yitu, OCR, card(name), ocr_type=1))["idcard_ocr_result"]
    assert result["citizen_id"] == "11204416541220243X"  # the check digit should be 4
    assert result["citizen_id_check"] == "bad_check_digit"
    assert result == front(truth[name]) | {
        "citizen_id_check": "bad_check_digit",
        "idcard_type": 1,
    }


def test_a_side_the_mode_does_not_ask_for_is_not_read(yitu, card):
    reply = ok(call(yitu, OCR, card("cnid_syn_s1_back.jpg"), ocr_type=1, ocr_mode=1))
    assert reply["idcard_ocr_result"] == {"idcard_type": -1}


# --- license_classification (105.3) and distinguish (105.2) ---------------------------------


@pytest.mark.parametrize(
    ("name", "result"),
    [
        (f"{CARDS}/cnid_syn_s2_front.jpg", 1),
        (f"{CARDS}/cnid_syn_s3_back_photo.jpg", 2),
        (OBAMA, -1),
    ],
    ids=["front", "back", "face-photo"],
)
def test_license_classification_names_the_side(yitu, shared_data, name, result):
    reply = ok(call(yitu, CLASSIFY, (shared_data / name).read_bytes(), license_type=1))
    assert reply["classification_result"] == {"result": result}


def test_a_genuine_card_photo_is_judged_genuine(yitu, card):
    reply = ok(call(yitu, DISTINGUISH, card("cnid_syn_s2_front_photo.jpg"), distinguish_type=1))
    result = reply["idcard_distinguish_result"]
    assert (result["result"], result["is_valid"]) == (1, True)
    assert 0.5 < result["confidence"] <= 1.0 and "reason" not in result
    width, height = Image.open(io.BytesIO(base64.b64decode(result["debug_image"]))).size
    assert width == 856 and 1.5 < width / height < 1.66  # the corrected card


def test_a_card_whose_number_fails_its_check_is_judged_forged(yitu, card):
    reply = ok(call(yitu, DISTINGUISH, card("specimen_weixiaobao_front.png")))
    result = reply["idcard_distinguish_result"]
    assert (result["result"], result["is_valid"], result["reason"]) == (0, False, "假身份证")


def test_a_face_photo_is_no_id_card(yitu, shared_data):
    photo = (shared_data / OBAMA).read_bytes()
    result = ok(call(yitu, DISTINGUISH, photo))["idcard_distinguish_result"]
    assert result == {"is_valid": False, "confidence": 0.0, "result": -2, "reason": "不是身份证"}


# --- refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "body", "rtn"),
    [
        (OCR, {"options": {}}, -201),
        (OCR, {"options": {"ocr_type": 2}}, -201),
        (OCR, {"options": {"ocr_type": 7}}, -203),
        (OCR, {"options": {"ocr_type": 1, "ocr_mode": 5}}, -203),
        (
            OCR,
            {"mode": 2, "user_info": {"feature_content": "eyJ9"}, "options": {"ocr_type": 1}},
            -303,
        ),
        (
            OCR,
            {"mode": 2, "user_info": {"image_content": "eyJ9"}, "options": {"ocr_type": 1}},
            -201,
        ),
        (OCR, {"user_info": {}, "options": {"ocr_type": 1}}, -201),
        (
            OCR,
            {"user_info": {"image_content": "bm90IGFuIGltYWdl"}, "options": {"ocr_type": 1}},
            -303,
        ),
        (DISTINGUISH, {"options": {"distinguish_type": 2}}, -201),
        (DISTINGUISH, {"options": {"distinguish_type": 3}}, -203),
        (CLASSIFY, {"options": {}}, -201),
        (CLASSIFY, {"options": {"license_type": 2}}, -203),
    ],
    ids=[
        "no-ocr-type",
        "driving-licence-without-image",
        "unknown-ocr-type",
        "unknown-ocr-mode",
        "feature-mode-not-an-image",
        "feature-mode-needs-feature-content",
        "no-image",
        "not-an-image",
        "driving-licence-distinguish-without-image",
        "unknown-distinguish-type",
        "no-license-type",
        "unknown-license-type",
    ],
)
def test_bad_requests_get_their_rtn(yitu, path, body, rtn):
    reply = yitu.call(path, body)
    assert reply["rtn"] == rtn, reply
    assert reply["message"]


def test_a_photo_over_3_mb_is_refused_before_decoding(yitu, card):
    big = card("cnid_syn_s1_front.jpg") + b"\0" * (3 * 1024 * 1024)
    reply = call(yitu, OCR, big, ocr_type=1)
    assert reply["rtn"] == -301 and "image_content" in reply["message"]


def test_signature_and_grants_are_checked(yitu_http, yitu_data, account):
    forged = YituClient(
        "http://testserver", account.access_id, "0" * 32, account.public_key_pem, http=yitu_http
    )
    assert call(forged, OCR, None, ocr_type=1)["rtn"] == -101
    credential, shown = mint(Vendor.yitu, ["ocr"])
    SqliteCredentialStore(yitu_data / "credentials.db").add(credential)
    narrow = YituClient(
        "http://testserver",
        shown["access_id"],
        shown["access_key"],
        shown["public_key_pem"],
        http=yitu_http,
    )
    assert call(narrow, DISTINGUISH, None)["rtn"] == -104
    assert call(narrow, OCR, None, ocr_type=1)["rtn"] == -201  # past the checks, to the image


def test_an_unsigned_private_cloud_reads_cards_too(unsigned_http, card, truth):
    name = "cnid_syn_s3_back.jpg"
    body = {
        "user_info": {"image_content": b64(card(name))},
        "options": {"ocr_type": 1, "ocr_mode": 2},
    }
    reply = ok(unsigned_http.post(OCR, json=body).json())
    assert reply["idcard_ocr_result"] == back(truth[name]) | {"idcard_type": 2}


# --- driving and vehicle licences, mode 2 ----------------------------------------------------


def test_driving_licence_ocr(yitu, specimen):
    made = specimen("driving_licence")
    result = ok(call(yitu, OCR, png(made.image), ocr_type=2))["driving_license_ocr_result"]
    truth = made.truth
    assert result["name"] == truth["name"] and result["citizen_id"] == truth["id_number"]
    assert result["birthday"] == truth["birth"].replace("-", "")
    assert result["issue_date"] == truth["first_issue_date"].replace("-", "")
    assert result["valid_date_begin"] == truth["valid_from"].replace("-", "")
    assert result["valid_date_end"] == truth["valid_to"].replace("-", "")
    assert result["vehicle_type"] == truth["class"] and result["gender"] == truth["sex"]
    assert result["license_type"] == 1 and result["id_number_check"] == "valid"


def test_vehicle_licence_ocr_flags_a_bad_vin(yitu, specimen):
    made = specimen("vehicle_licence", valid=False)
    result = ok(call(yitu, OCR, png(made.image), ocr_type=3))["vehicle_license_ocr_result"]
    assert result["vin"] == made.truth["vin"]  # as printed
    assert result["vin_check"] == "invalid"
    assert result["plate_no"] == made.truth["plate_number"]
    assert result["register_date"] == made.truth["register_date"].replace("-", "")


def test_not_a_driving_licence(yitu, specimen):
    made = specimen("bank_card")
    result = ok(call(yitu, OCR, png(made.image), ocr_type=2))["driving_license_ocr_result"]
    assert result == {"license_type": -2}


def test_driving_licence_distinguish(yitu, specimen):
    good = specimen("driving_licence")
    reply = ok(call(yitu, DISTINGUISH, png(good.image), distinguish_type=2))
    result = reply["driving_license_distinguish_result"]
    assert reply["driver_license_distinguish_result"] == result
    assert (result["result"], result["is_valid"]) == (1, True)
    assert Image.open(io.BytesIO(base64.b64decode(result["debug_image"]))).size[0] > 0
    bad = specimen("driving_licence", valid=False)
    result = ok(call(yitu, DISTINGUISH, png(bad.image), distinguish_type=2))[
        "driving_license_distinguish_result"
    ]
    assert (result["result"], result["is_valid"], result["reason"]) == (0, False, "假证")
    marked = cv2.imdecode(np.frombuffer(base64.b64decode(result["debug_image"]), np.uint8), 1)
    red = (marked[:, :, 2] > 200) & (marked[:, :, 1] < 60) & (marked[:, :, 0] < 60)
    assert marked.shape == bad.image.shape and red.sum() > 100  # the failed number is framed


def test_feature_mode_reads_the_captured_card(yitu, card, truth):
    name = "cnid_syn_s1_front.jpg"
    body = {
        "mode": 2,
        "user_info": {"feature_content": b64(card(name))},
        "options": {"ocr_type": 1},
    }
    result = ok(yitu.call(OCR, body))["idcard_ocr_result"]
    assert result["citizen_id"] == truth[name]["id_number"]
    body["options"] = {"license_type": 1}
    assert ok(yitu.call(CLASSIFY, body))["classification_result"]["result"] == 1
