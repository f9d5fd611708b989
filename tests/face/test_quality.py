from __future__ import annotations

import cv2
import numpy as np
import pytest

from contracts.faces import Detection, Quality
from contracts.images import DecodedImage
from engine import face
from tests.face.conftest import Load, decoded

FRONTAL = "faces/sundar_pichai/img25.jpg"
TURNED_LEFT = "faces/mark_zuckerberg/img58.jpg"  # nose towards the image's right
TURNED_RIGHT = "faces/kit_harington/john2.jpeg"


def measured(image: DecodedImage) -> tuple[Detection, Quality]:
    detection = face.detect(image, with_quality=True)
    quality = detection.faces[0].quality
    assert quality is not None
    return detection, quality


def _eye_distance(detection: Detection) -> float:
    left, right = detection.faces[0].revised_landmarks5[:2]
    return float(np.hypot(right.x - left.x, right.y - left.y))


def test_a_frontal_face_has_small_angles_and_a_high_score(load: Load) -> None:
    _, quality = measured(load(FRONTAL))
    assert abs(quality.pose.yaw) < 10
    assert abs(quality.pose.pitch) < 10
    assert abs(quality.pose.roll) < 10
    assert quality.score > 0.9
    assert quality.occlusion == (False,) * 5


def test_yaw_says_which_way_the_head_turns(load: Load) -> None:
    assert measured(load(TURNED_LEFT))[1].pose.yaw > 25
    assert measured(load(TURNED_RIGHT))[1].pose.yaw < -25


def test_a_mirrored_face_turns_the_other_way(load: Load) -> None:
    image = load(TURNED_LEFT)
    yaw = measured(image)[1].pose.yaw
    mirrored = measured(decoded(image.pixels[:, ::-1]))[1].pose.yaw
    assert mirrored == pytest.approx(-yaw, abs=5)


def test_roll_follows_a_clockwise_turn_of_the_image(load: Load) -> None:
    image = load(FRONTAL)
    before = measured(image)[1].pose.roll
    turn = cv2.getRotationMatrix2D((200, 200), -20, 1.0)  # OpenCV: negative is clockwise
    tilted = decoded(
        cv2.warpAffine(image.pixels, turn, (400, 400), borderMode=cv2.BORDER_REPLICATE)
    )
    assert measured(tilted)[1].pose.roll - before == pytest.approx(20, abs=3)


def test_turned_faces_score_lower_than_frontal_ones(load: Load) -> None:
    frontal = measured(load(FRONTAL))[1].score
    assert measured(load(TURNED_LEFT))[1].score < frontal
    assert measured(load(TURNED_RIGHT))[1].score < frontal


def test_a_blurred_copy_is_less_sharp(load: Load) -> None:
    image = load(FRONTAL)
    detection, sharp = measured(image)
    blurred = decoded(cv2.GaussianBlur(image.pixels, (0, 0), 0.04 * _eye_distance(detection)))
    _, soft = measured(blurred)
    assert sharp.sharpness > 0.7
    assert soft.sharpness < 0.4
    assert soft.score < sharp.score


def test_open_eyes_and_a_closed_mouth_read_as_such(load: Load) -> None:
    _, quality = measured(load("faces/angelina_jolie/img6.jpg"))
    assert 0.22 <= quality.eye_aspect <= 0.44  # open eyes, MODELS.md
    assert quality.eyes_open == 1.0
    assert quality.eye_openness == (1.0, 1.0)
    assert quality.mouth_aspect < 0.05 and quality.mouth_closed == 1.0


def test_an_open_mouth_reads_as_open(load: Load) -> None:
    _, quality = measured(load("faces/elvis_presley/7.jpg"))  # singing
    assert quality.mouth_aspect > 0.3
    assert quality.mouth_closed == 0.0


def test_a_dark_copy_is_darker_and_less_well_lit(load: Load) -> None:
    image = load(FRONTAL)
    _, normal = measured(image)
    _, dark = measured(decoded((image.pixels * 0.25).astype(np.uint8)))
    assert normal.lighting is not None and dark.lighting is not None
    assert normal.brightness == 1.0
    assert dark.brightness < 0.5
    assert dark.lighting.mean < 0.3 * normal.lighting.mean
    assert dark.lighting.dark_fraction > 0.9 > normal.lighting.dark_fraction


def test_sunglasses_cover_the_eyes(load: Load) -> None:
    image = load(FRONTAL)
    detection, _ = measured(image)
    covered = image.pixels.copy()
    radius = round(0.42 * _eye_distance(detection))
    for eye in detection.faces[0].landmarks5[:2]:
        cv2.circle(covered, (round(eye.x), round(eye.y)), radius, (30, 25, 25), -1)
    _, quality = measured(decoded(covered))
    assert quality.occlusion == (True, True, False, False, False)
    assert max(quality.visibility[:2]) < 0.2


def test_a_mask_covers_the_nose_and_mouth(load: Load) -> None:
    image = load(FRONTAL)
    detection, _ = measured(image)
    left_eye, right_eye, nose, mouth_left, _ = detection.faces[0].landmarks5
    distance = _eye_distance(detection)
    masked = image.pixels.copy()
    top_left = (round(left_eye.x - 0.7 * distance), round(nose.y - 0.3 * distance))
    bottom_right = (round(right_eye.x + 0.7 * distance), round(mouth_left.y + 0.9 * distance))
    cv2.rectangle(masked, top_left, bottom_right, (230, 200, 170), -1)  # pale blue, BGR
    noise = np.random.default_rng(1).normal(0, 6, masked.shape)
    masked = np.clip(masked + noise, 0, 255).astype(np.uint8)  # cloth is not perfectly flat
    _, quality = measured(decoded(masked))
    assert quality.occlusion == (False, False, True, True, True)


def test_quality_on_request_matches_quality_with_detection(load: Load) -> None:
    image = load(FRONTAL)
    plain = face.detect(image)
    with_68 = face.detect(image, landmarks68=True)
    _, inline = measured(image)
    assert face.quality(image, plain, 0) == inline
    assert face.quality(image, with_68, 0) == inline
