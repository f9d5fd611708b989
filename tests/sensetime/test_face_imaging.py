"""SenseTime `attribute` (seed 000 §2.2) and `deReticulatedImage` (§2.9) over HTTP, in the
manual's formdata, in open and account mode, with real photos from ../shared/data."""

from __future__ import annotations

import base64
from pathlib import Path

import cv2
import numpy as np
import pytest
from starlette.testclient import TestClient

import engine.face as face_engine
from contracts.images import DecodedImage
from gateway.app import create_app
from gateway.settings import load_settings
from tests.harness import form_call, ok
from tests.imaging.masks import BLUE, with_mask
from tests.imaging.mesh import DARK, as_jpeg, meshed

OBAMA = "faces/barack_obama/obama.jpg"
JOLIE = "faces/angelina_jolie/img1.jpg"
BIDEN = "faces/joe_biden/biden.jpg"  # 69
SON = "faces/azure_family1_son/Family1-Son1.jpg"  # about 6
GROUP = "faces/jennifer_aniston/img54.jpg"  # Jennifer Aniston and two people behind her
DAD = "faces/azure_family1_dad/Family1-Dad1.jpg"  # a portrait the size of a police photo

AGE, GENDER, MASK = "4", "5", "27"  # §2.2 keys
ADULT, ELDERLY, CHILD = "0", "1", "2"
MALE, FEMALE = "0", "1"
NOT_RECOGNISED, NO_MASK, MASKED = "1", "2", "3"


def post(client, api: str, headers: dict[str, str] | None = None, **fields):
    return form_call(client, f"/ssid-face/v2/{api}", headers, **fields)


def attributes_of(face: dict) -> dict[str, tuple[str, float]]:
    """attributeBean list as key → (value, confidence), checking the manual's types."""
    found = {}
    for bean in face["attributes"]:
        assert isinstance(bean["key"], str) and isinstance(bean["value"], str)
        assert isinstance(bean["confidence"], float) and 0.0 <= bean["confidence"] <= 100.0
        found[bean["key"]] = (bean["value"], bean["confidence"])
    assert list(found) == [AGE, GENDER, MASK]
    return found


def pixels_of(data: bytes) -> np.ndarray:
    return cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)


@pytest.fixture(scope="module")
def photo(shared_data: Path):
    return lambda name: (shared_data / name).read_bytes()


@pytest.fixture(scope="module")
def st_paths(tmp_path_factory):
    """A gateway that returns images as paths under its data directory."""
    data = tmp_path_factory.mktemp("st-imaging-paths")
    settings = load_settings({"data": data, "warm_up": False, "image_return": "path"}, environ={})
    with TestClient(create_app(settings)) as client:
        yield client


# --- attribute (§2.2) -----------------------------------------------------------------------


def test_attribute_of_a_man(st_open, photo):
    data = ok(post(st_open, "attribute", file=photo(OBAMA)))
    assert data["path"] is None and data["rotation"] == 0
    assert data["numOfFaces"] == len(data["faces"]) == 1
    face = data["faces"][0]
    assert face["faceId"] == "0"
    found = attributes_of(face)
    assert found[AGE][0] == ADULT and found[AGE][1] > 90
    assert found[GENDER][0] == MALE and found[GENDER][1] > 95
    assert found[MASK][0] == NO_MASK and found[MASK][1] > 60


def test_attribute_of_a_woman_sent_as_base64(st_open, photo):
    data = ok(post(st_open, "attribute", data=base64.b64encode(photo(JOLIE)).decode()))
    found = attributes_of(data["faces"][0])
    assert found[GENDER][0] == FEMALE and found[AGE][0] == ADULT


@pytest.mark.parametrize(("who", "group"), [(BIDEN, ELDERLY), (SON, CHILD)])
def test_attribute_age_groups(st_open, photo, who, group):
    found = attributes_of(ok(post(st_open, "attribute", file=photo(who)))["faces"][0])
    assert found[AGE][0] == group


def test_attribute_sees_a_mask(st_open, shared_data):
    image = DecodedImage(pixels=cv2.imread(str(shared_data / OBAMA)), format="jpeg")
    face = face_engine.detect(image, landmarks68=True).faces[0]
    masked = cv2.imencode(".jpg", with_mask(image.pixels, face, BLUE))[1].tobytes()
    found = attributes_of(ok(post(st_open, "attribute", file=masked))["faces"][0])
    assert found[MASK][0] == MASKED and found[MASK][1] > 60
    assert found[GENDER][0] == MALE


def test_attribute_of_every_face_and_of_one_face_from_a_context(st_open, photo):
    every = ok(post(st_open, "attribute", file=photo(GROUP), index="-1"))
    assert every["numOfFaces"] == 4  # with the blurred profile behind her shoulder
    assert [f["faceId"] for f in every["faces"]] == ["0", "1", "2", "3"]
    assert attributes_of(every["faces"][0])[GENDER][0] == FEMALE  # the largest face is hers

    largest = ok(post(st_open, "attribute", file=photo(GROUP)))
    assert [f["faceId"] for f in largest["faces"]] == ["0"]

    context = ok(post(st_open, "detect", file=photo(GROUP)))["context"]
    second = ok(post(st_open, "attribute", context=context, index="1"))
    assert second["numOfFaces"] == 4
    assert [f["faceId"] for f in second["faces"]] == ["1"]
    from_image = attributes_of(every["faces"][1])
    from_context = attributes_of(second["faces"][0])
    assert from_context[GENDER][0] == from_image[GENDER][0]
    assert from_context[AGE][0] == from_image[AGE][0]


@pytest.mark.slow
def test_attribute_with_rotate_on_a_turned_photo(st_open, photo):
    turned = cv2.rotate(pixels_of(photo(JOLIE)), cv2.ROTATE_90_CLOCKWISE)
    data = ok(
        post(st_open, "attribute", file=cv2.imencode(".png", turned)[1].tobytes(), rotate="true")
    )
    assert data["rotation"] == 3
    assert attributes_of(data["faces"][0])[GENDER][0] == FEMALE


def test_attribute_in_path_mode_reports_the_stored_input(st_paths, photo):
    data = ok(post(st_paths, "attribute", file=photo(JOLIE)))
    assert Path(data["path"]).read_bytes() == photo(JOLIE)


@pytest.mark.parametrize(
    ("fields", "code", "msg"),
    [
        ({}, "62010201", "[ssid-face]Param file,data can not both be blank"),
        ({"data": "bm90IGFuIGltYWdl"}, "62010505", "[ssid-face]Param illegal image type errors"),
        ({"context": "forged.token"}, "62040101", "[ssid-face]Context context analysis errors"),
        ({"index": "3"}, "62010205", "[ssid-face]Param index illegal errors"),
        ({"rotate": "maybe"}, "62010205", "[ssid-face]Param rotate illegal errors"),
    ],
)
def test_attribute_errors(st_open, photo, fields, code, msg):
    if "index" in fields or "rotate" in fields:
        fields = {**fields, "file": photo(JOLIE)}  # faceId n needs a context, not an image
    reply = post(st_open, "attribute", **fields)
    assert reply["code"] == code and reply["msg"].startswith(msg)
    assert reply["data"] is None


def test_attribute_of_an_image_without_a_face(st_open, photo):
    reply = post(st_open, "attribute", file=photo("id_documents/cn_id_card/cnid_syn_s1_back.jpg"))
    assert reply["code"] == "62040301"
    assert reply["msg"] == "[ssid-face]Image file no face errors"


def test_attribute_in_account_mode(st_account, st_login, photo):
    granted = st_login("ssid-face/attribute")
    data = ok(post(st_account, "attribute", granted, file=photo(OBAMA)))
    assert attributes_of(data["faces"][0])[GENDER][0] == MALE
    assert post(st_account, "attribute", file=photo(OBAMA))["code"] == "62010401"
    elsewhere = st_login("ssid-face/deReticulatedImage")
    assert post(st_account, "attribute", elsewhere, file=photo(OBAMA))["code"] == "62010304"


# --- deReticulatedImage (§2.9) --------------------------------------------------------------


@pytest.fixture(scope="module")
def police_photo(shared_data) -> tuple[np.ndarray, bytes]:
    """A portrait and the same portrait with a dark police mesh, as a JPEG."""
    clean = cv2.imread(str(shared_data / DAD))
    return clean, as_jpeg(meshed(clean, DARK, opacity=0.6))


def test_de_reticulated_image_removes_the_mesh(st_open, police_photo):
    clean, with_mesh = police_photo
    data = ok(post(st_open, "deReticulatedImage", file=with_mesh))
    assert list(data) == ["deReticulatedImage", "path"] and data["path"] is None
    cleaned = pixels_of(base64.b64decode(data["deReticulatedImage"]))
    assert cleaned.shape == clean.shape
    assert cv2.PSNR(clean, cleaned) > cv2.PSNR(clean, pixels_of(with_mesh)) + 5.0


def test_de_reticulated_image_in_account_mode_with_base64(st_account, st_login, police_photo):
    clean, with_mesh = police_photo
    granted = st_login("ssid-face/deReticulatedImage")
    encoded = base64.b64encode(with_mesh).decode()
    data = ok(post(st_account, "deReticulatedImage", granted, data=encoded))
    cleaned = pixels_of(base64.b64decode(data["deReticulatedImage"]))
    assert cv2.PSNR(clean, cleaned) > cv2.PSNR(clean, pixels_of(with_mesh)) + 5.0
    assert post(st_account, "deReticulatedImage", data=encoded)["code"] == "62010401"


def test_de_reticulated_image_in_path_mode(st_paths, police_photo):
    clean, with_mesh = police_photo
    data = ok(post(st_paths, "deReticulatedImage", file=with_mesh))
    assert Path(data["path"]).read_bytes() == with_mesh
    cleaned = cv2.imread(data["deReticulatedImage"])
    assert cv2.PSNR(clean, cleaned) > cv2.PSNR(clean, pixels_of(with_mesh)) + 5.0


def test_de_reticulated_image_of_a_clean_photo_is_the_photo(st_open, photo):
    data = ok(post(st_open, "deReticulatedImage", file=photo(DAD)))
    returned = pixels_of(base64.b64decode(data["deReticulatedImage"]))
    assert cv2.PSNR(pixels_of(photo(DAD)), returned) > 35  # only re-encoded


@pytest.mark.parametrize(
    ("fields", "code", "msg"),
    [
        ({}, "62010201", "[ssid-face]Param file,data can not both be blank"),
        ({"data": "bm90IGFuIGltYWdl"}, "62010505", "[ssid-face]Param illegal image type errors"),
        ({"file": b"\xff\xd8\xff\xe0 truncated"}, "62010502", "[ssid-face]Image corrupted"),
    ],
)
def test_de_reticulated_image_errors(st_open, fields, code, msg):
    reply = post(st_open, "deReticulatedImage", **fields)
    assert reply["code"] == code and reply["msg"].startswith(msg)
    assert reply["data"] is None
