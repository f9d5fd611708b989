"""SenseTime ID-card OCR over HTTP (seed 000 §6.1–§6.4): idcard, idcardSource, idcardQuality,
tempIdcard, in the manual's formdata, with the cards of ../shared/data/id_documents/cn_id_card.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image
from starlette.testclient import TestClient

from contracts import calibration
from gateway.app import create_app
from gateway.settings import load_settings
from tests.conftest import CARDS
from tests.harness import form_call, ok
from tests.ocr.pixels import temporary_card

FRONT_KEYS = {"name", "gender", "birth", "number", "address", "nation", "resultType", "rotation"}
CARD_WIDTH = 856  # the upright card crop, 10 px per mm


def post(client, api: str, headers: dict[str, str] | None = None, **fields):
    return form_call(client, f"/ssid-ocr/v2/{api}", headers, **fields)


def texts(info: dict) -> dict[str, str]:
    """The text of every field of an idInfosBean, birth as YYYY-MM-DD."""
    out = {k: v["text"] for k, v in info.items() if isinstance(v, dict) and "text" in v}
    if "birth" in info:
        year, month, day = (info["birth"][part]["text"] for part in ("year", "month", "day"))
        out["birth"] = f"{year}-{int(month):02d}-{int(day):02d}"
    return out


def front_texts(expected: dict) -> dict[str, str]:
    return {
        "name": expected["name"],
        "gender": expected["sex"],
        "nation": expected["nation"],
        "birth": expected["birth"],
        "address": expected["address"],
        "number": expected["id_number"],
    }


def turned(data: bytes, turns: int) -> bytes:
    """The image turned `turns` quarter turns clockwise, as PNG (no EXIF to undo it)."""
    pixels = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    pixels = np.ascontiguousarray(np.rot90(pixels, -turns))
    return cv2.imencode(".png", pixels)[1].tobytes()


def jpeg(text: str) -> Image.Image:
    image = Image.open(io.BytesIO(base64.b64decode(text)))
    assert image.format == "JPEG"
    return image


def card_shaped(image: Image.Image) -> bool:
    """The upright card crop: 856 px wide, landscape in the card's proportions (a scan cropped
    to the card is read whole, margins and all)."""
    width, height = image.size
    return width == CARD_WIDTH and 1.5 < width / height < 1.66


def inside(rect: dict[str, int], outer: dict[str, int]) -> bool:
    return (
        outer["upperLeftX"] <= rect["upperLeftX"] < rect["lowerRightX"] <= outer["lowerRightX"]
        and outer["upperLeftY"] <= rect["upperLeftY"] < rect["lowerRightY"] <= outer["lowerRightY"]
    )


@pytest.fixture(scope="module")
def s1_front(st_open, card) -> dict:
    """idcard with every extra on the s1 flat scan, read once for the tests that look at it."""
    return ok(post(st_open, "idcard", file=card("cnid_syn_s1_front.jpg"), extraInfo="true"))


# --- idcard (§6.1) --------------------------------------------------------------------------


def test_front_fields_read_back_exactly(s1_front, truth):
    (info,) = s1_front["idInfos"]
    assert set(info) == FRONT_KEYS
    assert texts(info) == front_texts(truth["cnid_syn_s1_front.jpg"])
    birth = info["birth"]
    assert [birth[p]["text"] for p in ("year", "month", "day")] == ["1986", "3", "15"]
    assert birth["data"] == birth["day"]  # the table's name for the day
    assert info["resultType"] == 0 and info["rotation"] == 0
    assert all(info[k]["valid"] for k in ("name", "gender", "number", "address", "nation"))
    assert 0.9 < float(info["number"]["score"]) <= 1.0
    assert s1_front["path"] is None  # base64 mode keeps no copy of the input


def test_extra_info_gives_positions_and_crops(s1_front):
    (info,), (images,) = s1_front["idInfos"], s1_front["images"]
    card_rect = {"upperLeftX": 0, "upperLeftY": 0, "lowerRightX": 972, "lowerRightY": 623}
    name, number = info["name"]["rect"], info["number"]["rect"]
    assert inside(name, card_rect) and inside(number, card_rect)
    assert name["lowerRightY"] < info["address"]["rect"]["upperLeftY"] < number["upperLeftY"]
    assert card_shaped(jpeg(images["roilImage"]))
    # the printed portrait sits in the right third of the card, beside the fields
    face = images["faceRect"]
    assert face["upperLeftX"] > name["lowerRightX"] and inside(face, card_rect)
    width, height = jpeg(images["faceImage"]).size
    assert 100 < width < height


@pytest.mark.slow
def test_the_portrait_crop_shows_the_card_holder(st_open, s1_front, shared_data):
    portrait = s1_front["images"][0]["faceImage"]

    def similarity(photo: str) -> float:
        reply = st_open.post(
            "/ssid-face/v2/compareImages",
            data={"firstData": portrait},
            files={"secondFile": ("b.jpg", (shared_data / "faces" / photo).read_bytes())},
        ).json()
        return ok(reply)["result"][0]["similarity"]

    threshold = calibration.sensetime_threshold()
    assert similarity("azure_family1_dad/Family1-Dad2.jpg") >= threshold
    assert similarity("azure_family1_mom/Family1-Mom1.jpg") < threshold


def test_back_photo_sent_as_base64_reads_authority_and_validity(st_open, card, truth):
    data = ok(
        post(st_open, "idcard", data=base64.b64encode(card("cnid_syn_s1_back_photo.jpg")).decode())
    )
    (info,) = data["idInfos"]
    expected = truth["cnid_syn_s1_back_photo.jpg"]
    assert texts(info) == {"authority": expected["authority"], "validity": expected["valid"]}
    assert info["resultType"] == 1 and info["authority"]["valid"] and info["validity"]["valid"]
    assert "rect" not in info["authority"]  # positions only with extraInfo
    assert data["images"] == []


@pytest.mark.slow
@pytest.mark.parametrize(("turns", "rotate", "rotation"), [(1, "true", 3), (2, "false", 0)])
def test_turned_photos_read_and_report_rotation_when_asked(
    st_open, card, truth, turns, rotate, rotation
):
    photo = turned(card("cnid_syn_s2_front_photo.jpg"), turns)
    (info,) = ok(post(st_open, "idcard", file=photo, rotate=rotate))["idInfos"]
    assert texts(info) == front_texts(truth["cnid_syn_s2_front_photo.jpg"])
    assert info["rotation"] == rotation  # §6.1: 0 when rotate is false


def test_invalid_check_digit_is_flagged_never_corrected(st_open, card, truth):
    data = ok(post(st_open, "idcard", file=card("specimen_weixiaobao_front.png")))
    (info,) = data["idInfos"]
    assert texts(info) == front_texts(truth["specimen_weixiaobao_front.png"])
    assert info["number"]["text"] == "11204416541220243X"  # the check digit should be 4
    assert info["number"]["valid"] is False
    assert info["name"]["valid"] and info["birth"]["year"]["valid"]


@pytest.mark.parametrize(
    ("photo", "reason"),
    [
        ("faces/barack_obama/obama.jpg", "no document was found in the image"),
        (
            "id_documents/bank_card/visa_template_freepsdfiles.jpg",
            "the image shows a card or document that is not a resident ID card",
        ),
    ],
    ids=["face-photo", "bank-card"],
)
def test_an_image_without_an_id_card_is_refused(st_open, shared_data, photo, reason):
    reply = post(st_open, "idcard", file=(shared_data / photo).read_bytes())
    assert reply["code"] == "65040301" and reply["data"] is None
    assert reply["msg"] == f"[ssid-ocr]Image file no idcard errors: {reason}"


# --- idcardSource (§6.2) and idcardQuality (§6.3) -------------------------------------------


@pytest.mark.slow
def test_a_greyscale_copy_of_both_sides_is_two_copies(st_open, card):
    data = ok(post(st_open, "idcardSource", file=card("specimen_airobot_bw_a4.png")))
    assert data["sourceInfos"] == data["source"]
    assert [info["source"] for info in data["sourceInfos"]] == [2, 2]  # 2 复印件
    assert all(info["score"] >= 0.5 for info in data["sourceInfos"])


def test_quality_of_a_phone_photo_is_good(st_open, card):
    data = ok(post(st_open, "idcardQuality", file=card("cnid_syn_s2_front_photo.jpg")))
    (quality,) = data["qualityInfos"]
    assert set(quality) == {"normal", "crop", "occlusion", "strongLight", "weakLight", "blur"}
    assert quality["normal"] > 0.9
    assert max(v for k, v in quality.items() if k != "normal") < 0.1
    (image,) = data["images"]
    assert card_shaped(jpeg(image["roilImage"]))


# --- tempIdcard (§6.4) ----------------------------------------------------------------------


@pytest.mark.slow
def test_temporary_card_reads_every_field(st_open, shared_data, truth):
    expected = truth["cnid_syn_s1_front.jpg"]
    front, back = (
        cv2.imread(str(shared_data / CARDS / expected["files"][side])) for side in ("front", "back")
    )
    photo = cv2.imencode(".png", temporary_card(front, back))[1].tobytes()
    data = ok(post(st_open, "tempIdcard", file=photo, extraInfo="true"))
    assert data["tempIdInfos"] == data["templdInfos"]  # the manual's spelling too
    (info,) = data["tempIdInfos"]
    assert texts(info) == front_texts(expected) | {
        "authority": expected["authority"],
        "validity": expected["valid"],
    }
    assert info["resultType"] == 0 and info["number"]["valid"]
    (image,) = data["images"]
    assert set(image) == {"roilImage"}  # §6.4's imageBean: the card crop only


def test_temp_idcard_refuses_a_regular_card(st_open, card):
    reply = post(st_open, "tempIdcard", file=card("cnid_syn_s3_back.jpg"))
    assert reply["code"] == "65040301"
    assert reply["msg"].endswith("the image shows a resident ID card, not a temporary one")


# --- requests that never reach the engine ---------------------------------------------------


@pytest.mark.parametrize("api", ["idcard", "idcardSource", "idcardQuality", "tempIdcard"])
def test_missing_or_unreadable_image_gets_the_manuals_codes(st_open, card, api):
    missing = post(st_open, api, data="")
    assert missing["code"] == "65010201"
    assert missing["msg"] == "[ssid-ocr]Param file,data can not both be blank"
    not_an_image = post(st_open, api, file=b"this is not an image")
    assert not_an_image["code"] == "65010505" and not_an_image["data"] is None
    cut = post(st_open, api, file=card("cnid_syn_s1_front.jpg")[:5000])
    assert cut["code"] == "65010502"
    assert cut["msg"].startswith("[ssid-ocr]Image corrupted")


def test_account_mode_needs_a_token_and_the_grant(st_account, st_login, card, truth):
    anonymous = post(st_account, "idcardSource", data="")
    assert anonymous["code"] == "65010401"
    assert anonymous["msg"].startswith("[ssid-ocr]Privilege check errors")
    headers = st_login("ssid-ocr/idcardSource") | {"bizNo": "OCR-7"}
    assert post(st_account, "idcard", headers, data="")["code"] == "65010304"
    response = st_account.post(
        "/ssid-ocr/v2/idcardSource",
        files={"file": ("card.jpg", card("cnid_syn_s1_front_photo.jpg"), "image/jpeg")},
        headers=headers,
    )
    assert response.headers["bizNo"] == "OCR-7"
    data = ok(response.json())
    assert data["sourceInfos"] == [{"source": 0, "score": 1.0}]  # 0 正常拍摄


# --- path mode ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def st_paths(tmp_path_factory):
    """A gateway that returns images as paths under its data directory."""
    data = tmp_path_factory.mktemp("st-ocr-paths")
    settings = load_settings({"data": data, "warm_up": False, "image_return": "path"}, environ={})
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.mark.slow
def test_path_mode_keeps_the_input_and_the_crops(st_paths, card, truth):
    sent = card("cnid_syn_s3_front.jpg")
    data = ok(post(st_paths, "idcard", file=sent, extraInfo="true"))
    assert Path(data["path"]).read_bytes() == sent
    (images,) = data["images"]
    assert card_shaped(Image.open(images["roilImage"]))
    assert Image.open(images["faceImage"]).format == "JPEG"  # a cartoon: the photo area
    assert data["idInfos"][0]["name"]["text"] == truth["cnid_syn_s3_front.jpg"]["name"]
