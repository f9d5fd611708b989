"""SenseTime 1:1 face APIs over HTTP (seed 000 §2.1–§2.6): detect, quality, extract, verify,
compareImages, in the manual's formdata, with real photos from ../shared/data/faces."""

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
from contracts.embeddings import Embedding
from gateway.app import create_app
from gateway.settings import load_settings
from tests.harness import form_call, ok
from vendors.common.tokens import pack_embedding, seal
from vendors.sensetime.context import FEATURE_PURPOSE

OBAMA = "faces/barack_obama/obama.jpg"
GROUP = "faces/ramiz_raja/5.jpg"  # Ramiz in front, a second, smaller face beside him
OBAMA_2 = "faces/barack_obama/obama2.jpg"
BIDEN = "faces/joe_biden/biden.jpg"
JOLIE = "faces/angelina_jolie/img1.jpg"
JOLIE_2 = "faces/angelina_jolie/img2.jpg"
CARD_BACK = "id_documents/cn_id_card/cnid_syn_s1_back.jpg"  # no face on it


def post(client, api: str, headers: dict[str, str] | None = None, **fields):
    return form_call(client, f"/ssid-face/v2/{api}", headers, **fields)


@pytest.fixture(scope="module")
def photo(shared_data: Path):
    return lambda name: (shared_data / name).read_bytes()


@pytest.fixture(scope="module")
def obama_detect(st_open, photo) -> dict:
    return ok(post(st_open, "detect", file=photo(OBAMA)))


@pytest.fixture(scope="module")
def group_detect(st_open, photo) -> dict:
    return ok(post(st_open, "detect", file=photo(GROUP)))


def turned(data: bytes) -> bytes:
    """The photo turned 90° clockwise, as PNG (no EXIF to undo it)."""
    pixels = cv2.rotate(cv2.imdecode(np.frombuffer(data, np.uint8), 1), cv2.ROTATE_90_CLOCKWISE)
    return cv2.imencode(".png", pixels)[1].tobytes()


def jpeg_size(b64: str) -> tuple[int, int]:
    return Image.open(io.BytesIO(base64.b64decode(b64))).size


# --- detect (§2.1) --------------------------------------------------------------------------


def test_detect_reports_faces_marked_image_and_context(obama_detect):
    data = obama_detect
    assert data["numOfFaces"] == len(data["faces"]) == 1
    assert data["rotation"] == 0
    assert data["path"] is None  # base64 mode keeps no copy of the input
    front = data["faces"][0]
    assert front["faceId"] == "0"
    vertex = front["rect"]["vertex"]
    assert all(isinstance(vertex[k], int) for k in ("left", "top", "right", "bottom"))
    # Obama's face is in the upper middle of the 910×1137 photo
    assert 300 < vertex["left"] < vertex["right"] < 700 and 50 < vertex["top"] < 450
    assert front["rect"]["confidence"] > 0.99
    assert "revisedVertex" not in front["rect"]
    points = front["landmarks"]["points"]
    assert len(points) == 5 and "revisedPoints" not in front["landmarks"]
    left_eye, right_eye, nose = points[0], points[1], points[2]
    assert left_eye["x"] < nose["x"] < right_eye["x"] and nose["y"] > left_eye["y"]
    assert front["landmarks"]["occlusion"] == [1, 1, 1, 1, 1]
    assert jpeg_size(data["markedImg"]) == (910, 1137)
    # encrypted (seed 000 §2.1: "该字符串已进行加密处理"): no readable JSON inside
    assert "." not in data["context"] and not data["context"].startswith("eyJ")


def test_detect_numbers_every_face_largest_first(group_detect):
    assert group_detect["numOfFaces"] == 2
    first, second = (face["rect"]["vertex"] for face in group_detect["faces"])
    assert [face["faceId"] for face in group_detect["faces"]] == ["0", "1"]
    assert first["right"] - first["left"] > 2 * (second["right"] - second["left"])


def test_marked_image_shows_the_boxes(obama_detect, photo):
    marked = cv2.imdecode(np.frombuffer(base64.b64decode(obama_detect["markedImg"]), np.uint8), 1)
    original = cv2.imdecode(np.frombuffer(photo(OBAMA), np.uint8), 1)
    vertex = obama_detect["faces"][0]["rect"]["vertex"]
    edge = (slice(vertex["top"] + 20, vertex["bottom"] - 20), vertex["left"])
    drawn = marked[edge].astype(int)
    assert np.abs(drawn - original[edge].astype(int)).mean() > 40
    assert (drawn[:, 1] > 150).mean() > 0.8  # the box is green


def test_detect_accepts_base64_data_the_same_as_a_file(st_open, photo, obama_detect):
    data = ok(post(st_open, "detect", data=base64.b64encode(photo(OBAMA)).decode()))
    assert [f["rect"] for f in data["faces"]] == [f["rect"] for f in obama_detect["faces"]]


@pytest.mark.slow
def test_detect_with_rotate_finds_the_upright_faces(st_open, photo, obama_detect):
    data = ok(post(st_open, "detect", file=turned(photo(OBAMA)), rotate="true"))
    # the input was turned a quarter clockwise: three more quarter turns make it upright
    assert data["rotation"] == 3
    front = data["faces"][0]
    upright = obama_detect["faces"][0]["rect"]["vertex"]
    revised = front["rect"]["revisedVertex"]
    assert all(abs(revised[k] - upright[k]) <= 8 for k in upright)
    vertex = front["rect"]["vertex"]  # in the turned input, 1137 wide: x = 1137 − y
    assert abs(vertex["right"] - (1137 - upright["top"])) <= 8
    assert len(front["landmarks"]["revisedPoints"]) == 5
    assert jpeg_size(data["markedImg"]) == (910, 1137)  # drawn upright


def test_detect_of_a_faceless_image_reports_none(st_open, photo):
    data = ok(post(st_open, "detect", file=photo(CARD_BACK)))
    assert data["numOfFaces"] == 0 and data["faces"] == []


# --- quality (§2.3) -------------------------------------------------------------------------


def test_quality_of_the_largest_face_with_both_mouth_spellings(st_open, photo):
    data = ok(post(st_open, "quality", file=photo(JOLIE)))
    assert data["numOfFaces"] == 1 and data["rotation"] == 0
    (face,) = data["faces"]
    quality = face["quality"]
    assert face["faceId"] == "0"
    assert set(quality["headpose"]) == {"yaw", "pitch", "roll"}
    assert abs(quality["headpose"]["yaw"]) < 25 and abs(quality["headpose"]["roll"]) < 15
    assert 0.3 < quality["blur"] <= 1.0
    assert quality["mouth"] == quality["mouse"]


def test_quality_from_a_context_matches_the_image(st_open, obama_detect, photo):
    from_image = ok(post(st_open, "quality", file=photo(OBAMA)))
    from_context = ok(post(st_open, "quality", context=obama_detect["context"]))
    assert from_context["faces"] == from_image["faces"]
    assert from_context["numOfFaces"] == 1


def test_index_selects_every_face_or_one_face_of_a_context(st_open, group_detect):
    every = ok(post(st_open, "quality", context=group_detect["context"], index="-1"))
    assert [f["faceId"] for f in every["faces"]] == ["0", "1"]
    second = ok(post(st_open, "quality", context=group_detect["context"], index="1"))
    assert [f["faceId"] for f in second["faces"]] == ["1"]


def test_face_number_without_a_context_or_past_the_last_face_is_refused(
    st_open, obama_detect, photo
):
    without = post(st_open, "quality", file=photo(OBAMA), index="1")
    assert without["code"] == "62010205" and without["data"] is None
    assert without["msg"].startswith("[ssid-face]Param index illegal errors")
    past = post(st_open, "quality", context=obama_detect["context"], index="2")
    assert past["code"] == "62010205"
    assert post(st_open, "quality", context=obama_detect["context"], index="-3")["code"] == (
        "62010205"
    )


def test_tampered_context_is_refused(st_open, obama_detect):
    context = obama_detect["context"]
    forged = context[:40] + ("A" if context[40] != "A" else "B") + context[41:]
    reply = post(st_open, "extract", context=forged)
    assert reply["code"] == "62040101" and reply["data"] is None
    assert reply["msg"].startswith("[ssid-face]Context context analysis errors")


# --- extract (§2.4) and verify (§2.5) -------------------------------------------------------


@pytest.fixture(scope="module")
def features(st_open, photo) -> dict[str, str]:
    found = {}
    for name in (OBAMA, OBAMA_2, BIDEN):
        data = ok(post(st_open, "extract", file=photo(name)))
        (face,) = data["faces"]
        assert face["feature"] == face["Feature"]
        found[name] = face["feature"]
    return found


def similarity(client, first: str, second: str) -> float:
    return ok(post(client, "verify", feature1=first, feature2=second))["similarity"]


def test_extract_gives_an_opaque_feature_of_the_largest_face(st_open, features, group_detect):
    assert all(feature.startswith("eyJ") for feature in features.values())
    data = ok(post(st_open, "extract", context=group_detect["context"], index="-1"))
    assert data["numOfFaces"] == 2 and [f["faceId"] for f in data["faces"]] == ["0", "1"]


def test_verify_matches_the_same_person_and_not_another(st_open, features):
    same = similarity(st_open, features[OBAMA], features[OBAMA_2])
    other = similarity(st_open, features[OBAMA], features[BIDEN])
    assert same >= calibration.sensetime_threshold() > other
    assert 0.0 <= other < same <= 1.0
    assert similarity(st_open, features[BIDEN], features[BIDEN]) == pytest.approx(1.0, abs=1e-4)


def test_feature_from_a_context_matches_one_from_the_image(st_open, features, obama_detect):
    data = ok(post(st_open, "extract", context=obama_detect["context"]))
    from_context = data["faces"][0]["feature"]
    # the context keeps a ≤320-px JPEG of the face region, not the original pixels
    assert similarity(st_open, from_context, features[OBAMA]) > 0.98


def test_tampered_feature_is_incorrect(st_open, features):
    head, tail = features[BIDEN].split(".")
    reply = post(st_open, "verify", feature1=features[OBAMA], feature2=f"{head}.{tail[::-1]}")
    assert reply["code"] == "62040705"
    assert reply["msg"].startswith("[ssid-face]Incorrect feature")


def test_feature_of_another_model_version_is_refused(st_open, features):
    services = st_open.app.state.services
    old = Embedding.from_array(np.ones(128, dtype=np.float32), "dlib-resnet-v1:00000000")
    foreign = seal(services.sealer, FEATURE_PURPOSE, pack_embedding(old))
    reply = post(st_open, "verify", feature1=features[OBAMA], feature2=foreign)
    assert reply["code"] == "62040510"
    assert "Feature version not match" in reply["msg"]


def test_verify_needs_both_features(st_open, features):
    reply = post(st_open, "verify", feature1=features[OBAMA])
    assert reply["code"] == "62010202"
    assert reply["msg"] == "[ssid-face]Param feature2 can not be blank"


# --- compareImages (§2.6) -------------------------------------------------------------------


@pytest.mark.slow
def test_compare_images_scores_the_same_person_above_the_threshold(st_open, photo):
    data = ok(post(st_open, "compareImages", firstFile=photo(JOLIE), secondFile=photo(JOLIE_2)))
    (result,) = data["result"]
    assert result["firstFaceId"] == "0" and result["secondFaceId"] == "0"
    assert result["similarity"] >= calibration.sensetime_threshold()
    assert data["firstRotation"] == data["secondRotation"] == 0
    assert data["firstPath"] is None and data["secondPath"] is None


def test_compare_images_mixes_data_and_context_and_every_face(st_open, photo, group_detect):
    data = ok(
        post(
            st_open,
            "compareImages",
            firstContext=group_detect["context"],
            firstIndex="-1",
            secondData=base64.b64encode(photo(BIDEN)).decode(),
        )
    )
    scores = {r["firstFaceId"]: r["similarity"] for r in data["result"]}
    assert set(scores) == {"0", "1"}
    assert scores["0"] < calibration.sensetime_threshold()  # Ramiz is not Biden


def test_compare_images_names_the_missing_side(st_open, photo):
    reply = post(st_open, "compareImages", firstFile=photo(JOLIE))
    assert reply["code"] == "62010201"
    assert reply["msg"] == "[ssid-face]Param secondFile,secondData can not both be blank"


# --- errors (§1.2, chapter 7) ---------------------------------------------------------------


def png(width: int, height: int) -> bytes:
    return cv2.imencode(".png", np.full((height, width, 3), 128, np.uint8))[1].tobytes()


@pytest.mark.parametrize(
    ("make", "code", "message"),
    [
        (lambda p: p(JOLIE)[: len(p(JOLIE)) // 2], "62010502", "[ssid-face]Image corrupted"),
        (lambda p: b"%PDF-1.4 not an image", "62010505", "[ssid-face]Param illegal image type"),
        (lambda p: png(8, 100), "62010506", "[ssid-face]Image height or width need to be"),
        (lambda p: png(5001, 20), "62010506", "[ssid-face]Image height or width need to be"),
        (lambda p: p(JOLIE) + bytes(5 * 1024 * 1024), "62010501", "[ssid-face]Image over size"),
    ],
    ids=["corrupt", "not-an-image", "too-narrow", "too-wide", "over-5MB"],
)
def test_bad_images_get_the_manuals_codes(st_open, photo, make, code, message):
    reply = post(st_open, "extract", file=make(photo))
    assert reply["code"] == code and reply["data"] is None
    assert reply["msg"].startswith(message)


def test_no_input_at_all_names_file_and_data(st_open):
    for api in ("detect", "quality", "extract"):
        reply = post(st_open, api, data="")
        assert reply == {
            "code": "62010201",
            "msg": "[ssid-face]Param file,data can not both be blank",
            "data": None,
        }


def test_a_faceless_image_has_no_face_to_extract(st_open, photo):
    reply = post(st_open, "extract", file=photo(CARD_BACK))
    assert reply["code"] == "62040301"
    assert reply["msg"] == "[ssid-face]Image file no face errors"


# --- account mode and path mode -------------------------------------------------------------


def test_account_mode_calls_need_a_grant(st_account, st_login, photo):
    granted = st_login("ssid-face/extract")
    data = ok(post(st_account, "extract", granted, file=photo(JOLIE)))
    assert data["faces"][0]["feature"].startswith("eyJ")
    refused = post(st_account, "quality", granted, file=photo(JOLIE))
    assert refused["code"] == "62010304"
    assert post(st_account, "extract", file=photo(JOLIE))["code"] == "62010401"


@pytest.fixture(scope="module")
def st_paths(tmp_path_factory):
    """A gateway that returns images as paths under its data directory."""
    data = tmp_path_factory.mktemp("st-paths")
    settings = load_settings({"data": data, "warm_up": False, "image_return": "path"}, environ={})
    with TestClient(create_app(settings)) as client:
        yield client


def test_path_mode_keeps_the_input_and_the_marked_image(st_paths, photo):
    data = ok(post(st_paths, "detect", file=photo(JOLIE)))
    assert Path(data["path"]).read_bytes() == photo(JOLIE)
    marked = Image.open(data["markedImg"])
    assert marked.format == "JPEG" and marked.size == Image.open(data["path"]).size
    later = ok(post(st_paths, "quality", context=data["context"]))
    assert later["path"] == data["path"]
