"""SenseTime singleImageVerify (seed 000 §2.7) and select (§2.8) over HTTP.

singleImageVerify is tested on composites built here from real photos: a live photo of a
person, and beside it an ID card, either the synthetic Chinese ID card of the shared data
(portrait: azure_family1_dad) or a plain card with a portrait of someone pasted on it.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

import engine.face as face_engine
from contracts import calibration
from contracts.images import DecodedImage
from tests.sensetime.test_face import ok, post

DAD_CARD = "id_documents/cn_id_card/cnid_syn_s1_front.jpg"  # portrait: azure_family1_dad
MOM_CARD = "id_documents/cn_id_card/cnid_syn_s2_front.jpg"  # portrait: azure_family1_mom
DAD = "faces/azure_family1_dad/Family1-Dad2.jpg"
SON = "faces/azure_family1_son/Family1-Son1.jpg"
OBAMA = "faces/barack_obama/obama2.jpg"
OBAMA_OTHER = "faces/barack_obama/obama.jpg"
BIDEN = "faces/joe_biden/biden.jpg"
MIRANDA = "faces/lin_manuel_miranda/lin-manuel-miranda.png"


@pytest.fixture(scope="module")
def pixels(shared_data: Path):
    return lambda name: cv2.imread(str(shared_data / name))


def face_crop(image: np.ndarray, margin: float = 0.3) -> np.ndarray:
    """The largest face of a photo with a margin around it, as an ID photo frames it."""
    box = face_engine.detect(DecodedImage(pixels=image, format="png")).faces[0].box
    grow = margin * box.width
    top, left = max(0, int(box.top - grow)), max(0, int(box.left - grow))
    return image[top : int(box.bottom + grow), left : int(box.right + grow)]


def plain_card(portrait: np.ndarray) -> np.ndarray:
    """A pale ID-1 card (340×214 px) with lines of 'text' and the portrait on the right."""
    card = np.full((214, 340, 3), (236, 238, 240), np.uint8)
    for row in range(5):
        cv2.line(card, (18, 40 + 30 * row), (170, 40 + 30 * row), (110, 100, 90), 5)
    card[28:168, 210:322] = cv2.resize(portrait, (112, 140))
    return card


def holding(live: np.ndarray, card: np.ndarray, *, card_width: int = 340) -> np.ndarray:
    """The live photo 640 px tall on a plain backdrop, the card beside it near the bottom."""
    live = cv2.resize(live, (round(live.shape[1] * 640 / live.shape[0]), 640))
    card = cv2.resize(card, (card_width, round(card.shape[0] * card_width / card.shape[1])))
    out = np.full((680, live.shape[1] + card_width + 60, 3), (70, 90, 110), np.uint8)
    out[20:660, 20 : 20 + live.shape[1]] = live
    top, left = 650 - card.shape[0], live.shape[1] + 40
    out[top : top + card.shape[0], left : left + card_width] = card
    return out


def with_bystander(photo: np.ndarray, face: np.ndarray) -> np.ndarray:
    """A square face pasted top right, larger than the card's portrait, off the card."""
    out = photo.copy()
    out[40:190, -170:-20] = cv2.resize(face, (150, 150))
    return out


def jpeg(image: np.ndarray) -> bytes:
    return cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 95])[1].tobytes()


def verify_holding(client, image: np.ndarray, **fields) -> dict:
    return ok(post(client, "singleImageVerify", file=jpeg(image), **fields))


# --- singleImageVerify (§2.7) ---------------------------------------------------------------


@pytest.mark.slow
def test_holder_matches_the_portrait_on_their_id_card(st_open, pixels):
    data = verify_holding(st_open, holding(pixels(DAD), pixels(DAD_CARD), card_width=420))
    assert data["similarity"] >= calibration.sensetime_threshold()
    assert data["rotation"] == 0 and data["path"] is None


@pytest.mark.slow
def test_holder_does_not_match_someone_elses_card(st_open, pixels):
    data = verify_holding(st_open, holding(pixels(DAD), pixels(MOM_CARD), card_width=420))
    assert data["similarity"] < calibration.sensetime_threshold()


@pytest.mark.slow
def test_a_pasted_portrait_of_the_same_person_matches_and_of_another_does_not(st_open, pixels):
    live = pixels(OBAMA)
    same = verify_holding(st_open, holding(live, plain_card(face_crop(pixels(OBAMA_OTHER)))))
    other = verify_holding(st_open, holding(live, plain_card(face_crop(pixels(BIDEN)))))
    assert same["similarity"] >= calibration.sensetime_threshold() > other["similarity"]


@pytest.mark.slow
def test_the_portrait_on_the_card_wins_over_a_larger_bystander(st_open, pixels):
    photo = holding(pixels(DAD), pixels(DAD_CARD), card_width=420)
    crowded = with_bystander(photo, face_crop(pixels(SON), 0.4))
    data = verify_holding(st_open, crowded)
    assert data["similarity"] >= calibration.sensetime_threshold()


@pytest.mark.slow
def test_a_sideways_photo_is_turned_upright_when_asked(st_open, pixels):
    photo = holding(pixels(DAD), pixels(DAD_CARD), card_width=420)
    sideways = cv2.rotate(photo, cv2.ROTATE_90_COUNTERCLOCKWISE)
    data = verify_holding(st_open, sideways, rotate="true")
    assert data["rotation"] == 1
    assert data["similarity"] >= calibration.sensetime_threshold()


def test_a_photo_with_one_face_has_no_card_portrait(st_open, pixels):
    reply = post(st_open, "singleImageVerify", file=jpeg(pixels(DAD)))
    assert reply["code"] == "62040301" and reply["data"] is None
    assert reply["msg"] == "[ssid-face]Image file no face errors"


def test_single_image_verify_needs_an_image(st_open):
    reply = post(st_open, "singleImageVerify", data="")
    assert reply["msg"] == "[ssid-face]Param file,data can not both be blank"


# --- select (§2.8) --------------------------------------------------------------------------


def select(client, video: bytes, **fields) -> dict:
    reply = client.post(
        "/ssid-face/v2/select",
        files={"file": ("clip.mp4", video, "video/mp4")},
        data=fields,
    )
    return reply.json()


def frame_of(data: dict) -> Image.Image:
    return Image.open(io.BytesIO(base64.b64decode(data["frameImage"])))


@pytest.mark.slow
def test_select_returns_the_best_face_frame_of_a_video(st_open, shared_data):
    video = (shared_data / "videos/intel_head_pose_male.mp4").read_bytes()
    data = ok(select(st_open, video))
    assert frame_of(data).size == (480, 270)
    assert data["rotation"] == 0 and data["path"] is None
    assert data["maxFace"] == data["maxface"]
    face = data["maxFace"]
    vertex = face["faceRect"]["vertex"]
    assert 0 <= vertex["left"] < vertex["right"] <= 480 and 0 <= vertex["top"] < vertex["bottom"]
    assert len(face["landmarks"]["points"]) == 5
    pose = face["quality"]["headpose"]
    assert abs(pose["yaw"]) < 20 and abs(pose["roll"]) < 15


@pytest.mark.slow
def test_select_picks_the_performer_in_an_edited_clip(st_open, shared_data):
    video = (shared_data / "videos/short_hamilton_clip.mp4").read_bytes()
    data = ok(select(st_open, video))
    assert frame_of(data).size == (640, 360)
    compared = ok(
        post(
            st_open,
            "compareImages",
            firstData=data["frameImage"],
            secondFile=(shared_data / MIRANDA).read_bytes(),
        )
    )
    assert compared["result"][0]["similarity"] >= calibration.sensetime_threshold()


def clip(tmp_path: Path, seconds: float, fps: int = 10) -> bytes:
    """An mp4 of a still photo lasting `seconds`."""
    path = tmp_path / "clip.mp4"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, (320, 240))
    frame = np.full((240, 320, 3), 120, np.uint8)
    for _ in range(round(seconds * fps)):
        writer.write(frame)
    writer.release()
    return path.read_bytes()


def test_a_video_under_three_seconds_is_refused(st_open, tmp_path):
    reply = select(st_open, clip(tmp_path, 1.0))
    assert reply["code"] == "62010209" and reply["data"] is None


def test_a_video_without_faces_has_no_frame_to_select(st_open, tmp_path):
    reply = select(st_open, clip(tmp_path, 3.5))
    assert reply["code"] == "62040301"


def test_an_image_is_not_a_video(st_open, shared_data):
    reply = select(st_open, (shared_data / DAD).read_bytes())
    assert reply["code"] == "62040401"
    assert reply["msg"].startswith("[ssid-face]Video file errors")


def test_select_needs_a_video(st_open):
    reply = st_open.post("/ssid-face/v2/select", data={"data": ""}).json()
    assert reply["msg"] == "[ssid-face]Param file,data can not both be blank"


def test_select_refuses_frames_over_the_image_limits_before_decoding(st_open, tmp_path):
    path = tmp_path / "wide.mp4"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), 10, (5008, 16))
    for _ in range(40):
        writer.write(np.zeros((16, 5008, 3), np.uint8))
    writer.release()
    reply = select(st_open, path.read_bytes())
    assert reply["code"] == "62010506" and reply["data"] is None
