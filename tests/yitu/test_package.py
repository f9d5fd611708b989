"""check_image_package (seed 001 §9.1 101.3) end to end, with bundles from the client's packer."""

from __future__ import annotations

import base64

import cv2
import numpy as np
import pytest

from contracts.credentials import Vendor
from gateway.credentials import SqliteCredentialStore, mint
from vendors.yitu.client import YituClient

PREFIX = "query_image_package_"
ALL_CHECKS = ("anti_screen", "dark_illumination", "anti_picture", "anti_eye_blockage", "anti_hole")


def result(reply: dict) -> dict:
    assert reply["rtn"] == 0, reply
    return reply["query_image_package_result"]


def darkened(jpeg: bytes, factor: float) -> bytes:
    pixels = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)
    dark = np.clip(pixels.astype(np.float32) * factor, 0, 255).astype(np.uint8)
    return cv2.imencode(".jpg", dark)[1].tobytes()


@pytest.fixture(scope="session")
def antispoof(shared_data):
    def read(name: str) -> bytes:
        return (shared_data / "antispoof" / name).read_bytes()

    return read


@pytest.mark.slow
def test_bundle_opens_to_its_frames_content_and_same_person(yitu, photo):
    frames = [photo("barack_obama", "obama.jpg"), photo("barack_obama", "obama2.jpg")]
    package = yitu.pack_bundle(frames, content="user defined content")
    found = result(yitu.check_image_package(package, **{f"{PREFIX}check_same_person": True}))
    assert found["is_valid_package"] is True
    assert found["customer_defined_content"] == "user defined content"
    assert [base64.b64decode(f) for f in found["query_image_contents"]] == frames
    assert found["is_same_person"] is True


@pytest.mark.slow
def test_frames_of_two_people_are_not_the_same_person(yitu, photo):
    frames = [photo("barack_obama", "obama.jpg"), photo("joe_biden", "biden.jpg")]
    options = {f"{PREFIX}check_same_person": True, f"{PREFIX}return_image_list": False}
    found = result(yitu.check_image_package(yitu.pack_bundle(frames), **options))
    assert found["is_same_person"] is False
    assert "query_image_contents" not in found


def test_tampered_bundle_is_not_valid(yitu, photo):
    package = bytearray(base64.b64decode(yitu.pack_bundle([photo("joe_biden", "biden.jpg")])))
    package[200] ^= 0x20
    reply = yitu.check_image_package(base64.b64encode(bytes(package)).decode())
    assert result(reply) == {"is_valid_package": False}


def test_bundle_of_another_access_id_is_not_valid(yitu, yitu_http, new_account, photo):
    other = new_account()
    packer = YituClient(
        "http://testserver", other.access_id, other.access_key, other.public_key_pem, http=yitu_http
    )
    package = packer.pack_bundle([photo("joe_biden", "biden.jpg")])
    assert result(packer.check_image_package(package))["is_valid_package"] is True
    assert result(yitu.check_image_package(package)) == {"is_valid_package": False}


def test_unsigned_gateway_authenticates_bundles_by_their_own_access_id(
    unsigned_http, unsigned_data, photo
):
    credential, shown = mint(Vendor.yitu)
    SqliteCredentialStore(unsigned_data / "credentials.db").add(credential)
    packer = YituClient(
        "http://testserver",
        shown["access_id"],
        shown["access_key"],
        shown["public_key_pem"],
        http=unsigned_http,
    )
    package = packer.pack_bundle([photo("joe_biden", "biden.jpg")], content="kiosk 3")
    body = {"query_image_package": package, "query_image_package_return_image_list": False}
    reply = unsigned_http.post("/face/basic/check_image_package", json=body).json()
    assert result(reply) == {"is_valid_package": True, "customer_defined_content": "kiosk 3"}
    forged = YituClient("http://testserver", shown["access_id"], "f" * 32, "", http=unsigned_http)
    body["query_image_package"] = forged.pack_bundle([photo("joe_biden", "biden.jpg")])
    reply = unsigned_http.post("/face/basic/check_image_package", json=body).json()
    assert result(reply) == {"is_valid_package": False}


@pytest.mark.slow
def test_checks_catch_a_replay_and_a_dark_frame_and_pass_a_live_one(yitu, antispoof):
    live = antispoof("live/silentface_image_T1.jpg")
    checks = {f"{PREFIX}check_{name}": True for name in ALL_CHECKS}
    found = result(yitu.check_image_package(yitu.pack_bundle([live]), **checks))
    for name in ALL_CHECKS:
        assert found[f"is_{name}_check_valid"] is True
        assert found[f"is_{name}_check_passed"] is True, name
        assert 0.0 <= found[f"is_{name}_check_score"] < 1.0

    replay = yitu.pack_bundle([antispoof("replay/silentface_image_F2.jpg")])
    screen = {f"{PREFIX}check_anti_screen": True, f"{PREFIX}check_anti_screen_threshold": "high"}
    found = result(yitu.check_image_package(replay, **screen))
    assert found["is_anti_screen_check_passed"] is False
    assert found["is_anti_screen_check_score"] >= 0.75

    dark = yitu.pack_bundle([darkened(live, 0.12)])
    strict = {
        f"{PREFIX}check_dark_illumination": True,
        f"{PREFIX}check_dark_illumination_threshold": "low",
    }
    # §9.1: "判断光线不足会返回错误": too dark is the error, not a flag
    reply = yitu.check_image_package(dark, **strict)
    assert reply["rtn"] == -307 and "dark" in reply["message"]


def test_checks_without_a_face_are_not_valid(yitu, shared_data):
    card = (shared_data / "id_documents" / "bank_card" / "credit_card_01.png").read_bytes()
    options = {f"{PREFIX}check_anti_picture": True, f"{PREFIX}check_anti_eye_blockage": True}
    found = result(yitu.check_image_package(yitu.pack_bundle([card]), **options))
    assert found["is_anti_picture_check_valid"] is False
    assert found["is_anti_picture_check_passed"] is False
    assert found["is_anti_eye_blockage_check_valid"] is False


@pytest.mark.slow
def test_feature_string_from_a_bundle_verifies_against_a_photo(yitu, photo):
    package = yitu.pack_bundle([photo("joe_biden", "biden.jpg")])
    options = {f"{PREFIX}return_feature_string": True, f"{PREFIX}feature_number": 1}
    feature = result(yitu.check_image_package(package, **options))["feature_string"]
    reply = yitu.face_pair_verification(
        database_image_content=photo("joe_biden", "biden2.jpg"),
        database_image_type=3,
        query_image_feature=feature,
        true_negative_rate="99.9",
    )
    assert reply["rtn"] == 0 and reply["pair_verify_result"] == 0


def test_a_package_that_is_not_base64_is_not_valid(yitu):
    assert result(yitu.check_image_package("not base64 at all!")) == {"is_valid_package": False}


def test_missing_package_and_bad_level_are_refused(yitu, photo):
    reply = yitu.call("check_image_package", {"query_image_package_return_image_list": True})
    assert reply["rtn"] == -201 and "query_image_package" in reply["message"]
    package = yitu.pack_bundle([photo("joe_biden", "biden.jpg")])
    bad = {f"{PREFIX}check_anti_hole": True, f"{PREFIX}check_anti_hole_threshold": "extreme"}
    reply = yitu.check_image_package(package, **bad)
    assert reply["rtn"] == -203 and "anti_hole_threshold" in reply["message"]


def test_undecodable_frame_in_a_valid_bundle_is_an_image_error(yitu):
    reply = yitu.check_image_package(yitu.pack_bundle([b"\xff\xd8\xff truncated"]))
    assert reply["rtn"] in (-303, -304) and "query_image_package[0]" in reply["message"]
