"""SenseTime's advanced toolkit (seed 000 chapter 5) over HTTP in the manual's formdata: quality,
attribute, encoder, decoder and defake on real photos from ../shared/data, with accessories and
face swaps simulated on them (tests/imaging), and the chapter-7 errors with service prefix 64."""

from __future__ import annotations

import base64
import json
import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest
from starlette.testclient import TestClient

import engine.face as face_engine
from contracts.images import DecodedImage
from engine.imaging._watermark import psnr
from gateway.app import create_app
from gateway.settings import load_settings
from tests.harness import form_call, ok
from tests.imaging import accessories
from tests.imaging.masks import BLUE, with_mask
from tests.imaging.swaps import swap

OBAMA = "faces/barack_obama/obama.jpg"
JOLIE = "faces/angelina_jolie/img1.jpg"
DORSEY = "faces/jack_dorsey/img62.jpg"  # a full beard
PICHAI = "faces/sundar_pichai/img24.jpg"  # clear glasses
LENNON = "faces/john_lennon/lennon-1.jpg"  # 1200 × 1200
SCARLETT = "faces/scarlett_johansson/img8.jpg"
CODE = "idfacade: issued 2026-12-01 #42"  # 31 bytes
KEY = "1234"


def post(client, api: str, **fields):
    return form_call(client, f"/ssid-advanced/v2/{api}", None, **fields)


def photo(shared_data: Path, name: str) -> bytes:
    return (shared_data / name).read_bytes()


def decoded(shared_data: Path, name: str) -> tuple[np.ndarray, object]:
    pixels = cv2.imread(str(shared_data / name))
    face = face_engine.detect(DecodedImage(pixels=pixels, format="jpeg"), landmarks68=True).faces[0]
    return pixels, face


def png(pixels: np.ndarray) -> bytes:
    return cv2.imencode(".png", pixels)[1].tobytes()


def attributes_of(data: dict) -> dict[str, tuple[str, float]]:
    """key → (value, confidence) of the largest face, checking both spellings and the types."""
    beans = data["face"][0]["attribute"]
    assert [b["key"] for b in beans] == [str(k) for k in range(1, 13)]
    for bean in beans:
        assert isinstance(bean["value"], str)
        assert bean["confidence"] == bean["conf"] and 0.0 <= bean["conf"] <= 1.0
    return {b["key"]: (b["value"], b["conf"]) for b in beans}


@pytest.fixture(scope="module")
def image_root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("st-advanced-root")


@pytest.fixture(scope="module")
def st_paths(tmp_path_factory, image_root):
    """Open mode, server paths read below `image_root`, images returned as paths."""
    data = tmp_path_factory.mktemp("st-advanced")
    settings = load_settings(
        {"data": data, "warm_up": False, "image_root": image_root, "image_return": "path"},
        environ={},
    )
    with TestClient(create_app(settings)) as client:
        yield client


# --- quality (§5.1) -------------------------------------------------------------------------


def test_quality_of_a_frontal_portrait(st_open, shared_data):
    data = ok(post(st_open, "quality", file=photo(shared_data, OBAMA)))
    assert data["numOfFaces"] == len(data["face"]) == 1 and data["rotation"] == 0
    face = data["face"][0]
    assert face["faceId"] == "0"
    quality = face["quality"]
    assert 0.5 < quality["score"] <= 1.0
    light = quality["light"]
    assert 60 < light["mean"] < 200 and light["var"] > 0
    assert 0 <= light["over_dark"] < 0.5 and 0 <= light["over_glare"] < 0.5
    for eye in ("left_eyestate", "right_eyestate"):
        assert quality[eye]["open"] > 0.8 and quality[eye]["valid"] > 0.5
    assert abs(quality["headpose"]["yaw"]) < 15 and abs(quality["headpose"]["roll"]) < 10
    assert 0.3 < quality["blur"] <= 1.0
    assert quality["mouth"] == quality["mouse"]
    occlusion = quality["occlusion"]
    assert occlusion["left_cheek"] == occlusion["left-cheek"]
    assert occlusion["right_cheek"] == occlusion["right-cheek"]
    assert min(occlusion.values()) > 0.5


def test_quality_sees_a_mask_over_nose_mouth_and_cheeks(st_open, shared_data):
    pixels, face = decoded(shared_data, OBAMA)
    masked = png(with_mask(pixels, face, BLUE))
    occlusion = ok(post(st_open, "quality", file=masked))["face"][0]["quality"]["occlusion"]
    assert occlusion["mouth"] < 0.5 and occlusion["nose"] < 0.5
    assert occlusion["left_cheek"] < 0.5 and occlusion["right_cheek"] < 0.5
    assert occlusion["left_eye"] > 0.5 and occlusion["right_eye"] > 0.5


def test_quality_with_rotate_and_base64_data(st_open, shared_data):
    turned = cv2.rotate(cv2.imread(str(shared_data / JOLIE)), cv2.ROTATE_90_CLOCKWISE)
    data = ok(post(st_open, "quality", data=base64.b64encode(png(turned)).decode(), rotate="true"))
    assert data["rotation"] == 3 and data["numOfFaces"] == 1
    assert abs(data["face"][0]["quality"]["headpose"]["roll"]) < 15


# --- attribute (§5.2) -----------------------------------------------------------------------


def test_attributes_of_a_man_never_estimate_colour_or_ethnicity(st_open, shared_data):
    found = attributes_of(ok(post(st_open, "attribute", file=photo(shared_data, OBAMA))))
    assert found["7"][0] == "1" and found["7"][1] > 0.9  # §5.2: 1 is male
    assert 35 <= int(found["1"][0]) <= 65
    assert found["9"][0] == "1"  # smiling: happy
    assert found["4"][0] == "0" and found["5"] == ("0", 0.0)
    assert found["6"][0] == "0" and found["10"][0] == "0" and found["12"][0] == "0"
    for key in ("3", "8", "11"):  # skin colour, ethnicity, dark skin: not estimated
        assert found[key] == ("0", 0.0)


def test_attributes_of_a_woman_beard_and_glasses(st_open, shared_data):
    jolie = attributes_of(ok(post(st_open, "attribute", file=photo(shared_data, JOLIE))))
    assert jolie["7"][0] == "0" and jolie["2"][0] == "0"
    dorsey = attributes_of(ok(post(st_open, "attribute", file=photo(shared_data, DORSEY))))
    assert dorsey["2"][0] == "1" and dorsey["7"][0] == "1"
    pichai = attributes_of(ok(post(st_open, "attribute", file=photo(shared_data, PICHAI))))
    assert pichai["6"][0] == "1"


@pytest.mark.parametrize(("position", "value"), [("normal", "0"), ("nose", "1")])
def test_attribute_mask_and_its_position(st_open, shared_data, position, value):
    pixels, face = decoded(shared_data, OBAMA)
    masked = png(accessories.mask_at(pixels, face, position))
    found = attributes_of(ok(post(st_open, "attribute", file=masked)))
    assert found["4"][0] == "1" and found["5"][0] == value and found["5"][1] > 0.5


def test_attribute_sunglasses(st_open, shared_data):
    pixels, face = decoded(shared_data, OBAMA)
    found = attributes_of(
        ok(post(st_open, "attribute", file=png(accessories.sunglasses(pixels, face))))
    )
    assert found["6"][0] == "2"


# --- encoder / decoder (§5.3, §5.4) ---------------------------------------------------------


@pytest.fixture(scope="module")
def marked(st_open, shared_data) -> tuple[np.ndarray, np.ndarray]:
    original = photo(shared_data, LENNON)
    data = ok(post(st_open, "encoder", file=original, code=CODE, key=KEY))
    assert data["encodedImage"] == data["encodeImage"] and data["key"] == KEY
    pixels = cv2.imdecode(np.frombuffer(base64.b64decode(data["encodedImage"]), np.uint8), 1)
    return cv2.imdecode(np.frombuffer(original, np.uint8), 1), pixels


def test_watermark_is_invisible_and_read_back(st_open, marked):
    original, pixels = marked
    assert pixels.shape == original.shape and psnr(original, pixels) >= 38.0
    data = ok(post(st_open, "decoder", file=png(pixels), code=CODE, key=KEY))
    assert data["score"] < 0.1 and data["code"] == CODE and data["key"] == KEY


def test_watermark_survives_jpeg_resize_and_crop(st_open, marked):
    _, pixels = marked
    height, width = pixels.shape[:2]
    half = cv2.resize(pixels, (width // 2, height // 2), interpolation=cv2.INTER_AREA)
    cropped = half[20 : height // 2 - 15, 30 : width // 2 - 10]
    jpeg = cv2.imencode(".jpg", cropped, [cv2.IMWRITE_JPEG_QUALITY, 75])[1].tobytes()
    data = ok(post(st_open, "decoder", file=jpeg, code=CODE, key=KEY))
    assert data["score"] < 0.1 and data["code"] == CODE


def test_wrong_key_or_unmarked_image_is_untrusted(st_open, shared_data, marked):
    original, pixels = marked
    wrong_key = ok(post(st_open, "decoder", file=png(pixels), code=CODE, key="4321"))
    unmarked = ok(post(st_open, "decoder", file=png(original), code=CODE, key=KEY))
    for data in (wrong_key, unmarked):
        assert data["score"] > 0.3 and data["code"] is None


def test_code_and_key_as_java_byte_arrays(st_open, marked):
    _, pixels = marked
    as_bytes = json.dumps(list(CODE.encode()))
    data = ok(post(st_open, "decoder", file=png(pixels), code=as_bytes, key="[49, 50, 51, 52]"))
    assert data["score"] < 0.1


# --- defake (§5.5) --------------------------------------------------------------------------


def test_defake_passes_real_photos_and_flags_simulated_swaps(st_open, shared_data):
    for name in (OBAMA, JOLIE):
        real = ok(post(st_open, "defake", file=photo(shared_data, name)))
        assert real["pass"] is True and real["score"] <= 0.96 and real["rotation"] == 0
    target, target_face = decoded(shared_data, JOLIE)
    for source_name in (LENNON, SCARLETT):
        source, source_face = decoded(shared_data, source_name)
        fake = png(swap(target, target_face, source, source_face))
        swapped = ok(post(st_open, "defake", file=fake))
        assert swapped["pass"] is False and swapped["score"] > 0.96


# --- inputs and errors ----------------------------------------------------------------------


def test_server_path_input_and_path_output(st_paths, image_root, shared_data):
    shutil.copy(shared_data / OBAMA, image_root / "obama.jpg")
    data = ok(post(st_paths, "defake", data="obama.jpg"))
    assert Path(data["path"]).read_bytes() == photo(shared_data, OBAMA)
    encoded = ok(post(st_paths, "encoder", data="obama.jpg", code=CODE, key=KEY))
    assert Path(encoded["encodedImage"]).read_bytes().startswith(b"\x89PNG")
    reply = post(st_paths, "quality", data="../escape.jpg")
    assert reply["code"].startswith("64") and reply["data"] is None


@pytest.mark.parametrize(
    ("api", "fields", "code", "msg"),
    [
        ("quality", {}, "64010201", "[ssid-advanced]Param file,data can not both be blank"),
        ("attribute", {}, "64010201", "[ssid-advanced]Param file,data can not both be blank"),
        ("defake", {"file": b"not an image"}, "64010505", None),
        ("encoder", {"key": KEY}, "64010201", None),
        (
            "encoder",
            {"file": "PHOTO", "key": KEY},
            "64010202",
            "[ssid-advanced]Param code can not be blank",
        ),
        ("encoder", {"file": "PHOTO", "code": "x" * 33, "key": KEY}, "64010205", None),
        ("decoder", {"file": "PHOTO", "code": CODE, "key": "12345"}, "64010205", None),
        ("decoder", {"file": "PHOTO", "code": CODE}, "64010202", None),
    ],
)
def test_bad_input_gets_the_vendor_error(st_open, shared_data, api, fields, code, msg):
    fields = {k: photo(shared_data, OBAMA) if v == "PHOTO" else v for k, v in fields.items()}
    reply = post(st_open, api, **fields)
    assert reply["code"] == code, reply
    assert reply["data"] is None
    if msg is not None:
        assert reply["msg"] == msg


def test_no_face_is_the_vendor_error(st_open):
    blank = png(np.full((200, 200, 3), 128, np.uint8))
    reply = post(st_open, "defake", file=blank)
    assert reply["code"] == "64040301" and reply["data"] is None
    quality = ok(post(st_open, "quality", file=blank))
    assert quality["numOfFaces"] == 0 and quality["face"] == []
