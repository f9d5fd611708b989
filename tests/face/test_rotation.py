from __future__ import annotations

import numpy as np
import pytest

from contracts.faces import Face, Point
from engine import face
from engine.face import _rotation as rotation
from tests.face.conftest import Load, decoded

UPRIGHT = [
    "faces/sundar_pichai/img25.jpg",
    "faces/angelina_jolie/img2.jpg",  # wrongly scores 0.997 on its side with MTCNN alone
    "faces/azure_family1_dad/Family1-Dad1.jpg",
    "faces/ramiz_raja/5.jpg",  # two faces
]


def _corners(f: Face, frame: str) -> np.ndarray:
    box = f.box if frame == "input" else f.revised_box
    return np.array([box.left, box.top, box.right, box.bottom])


def _points(points: tuple[Point, ...]) -> np.ndarray:
    return np.array([(p.x, p.y) for p in points])


@pytest.mark.parametrize("k", [0, 1, 2, 3])
def test_turning_points_follows_the_pixels(k: int) -> None:
    image = np.zeros((30, 50), np.uint8)
    image[7, 11] = 255  # the pixel whose centre is (11.5, 7.5)
    turned = rotation.turn(image, k)
    y, x = np.argwhere(turned == 255)[0]
    moved = rotation.turn_points(np.array([11.5, 7.5]), 50, 30, k)
    assert tuple(moved) == (x + 0.5, y + 0.5)
    assert turned.shape[::-1] == rotation.turned_size(50, 30, k)


def test_turning_back_restores_boxes() -> None:
    boxes = np.array([[3.0, 4.0, 20.0, 11.0]])
    width, height = 40, 25
    for k in range(4):
        tw, th = rotation.turned_size(width, height, k)
        there = rotation.turn_boxes(boxes, width, height, k)
        assert np.allclose(rotation.turn_boxes(there, tw, th, -k % 4), boxes)


def test_an_upright_image_needs_no_rotation(load: Load) -> None:
    detection = face.detect(load(UPRIGHT[0]), rotate=True)
    assert detection.rotation == 0
    assert len(detection.faces) == 1


@pytest.mark.parametrize("path", UPRIGHT)
@pytest.mark.parametrize("turns", [1, 2, 3])
def test_a_turned_copy_reports_the_turn_and_upright_coordinates(
    load: Load, path: str, turns: int
) -> None:
    image = load(path)
    reference = face.detect(image)
    # np.rot90 turns counter-clockwise, so `turns` clockwise quarter turns make it upright
    turned = decoded(np.rot90(image.pixels, turns))
    detection = face.detect(turned, rotate=True)

    assert detection.rotation == turns
    assert (detection.width, detection.height) == (image.width, image.height)
    assert len(detection.faces) == len(reference.faces)
    for got, want in zip(detection.faces, reference.faces, strict=True):
        assert np.allclose(_corners(got, "revised"), _corners(want, "revised"), atol=1.0)
        assert np.allclose(
            _points(got.revised_landmarks5), _points(want.revised_landmarks5), atol=1.0
        )
        # box/landmarks5 are in the turned input's frame: turning them back gives the upright
        back = rotation.turn_boxes(_corners(got, "input")[None], turned.width, turned.height, turns)
        assert np.allclose(back[0], _corners(want, "revised"), atol=1.0)
        assert got.box.right <= turned.width and got.box.bottom <= turned.height


def test_upright_turns_the_pixels_back(load: Load) -> None:
    image = load(UPRIGHT[0])
    turned = decoded(np.rot90(image.pixels, 1))
    detection = face.detect(turned, rotate=True)
    assert np.array_equal(face.upright(turned, detection.rotation).pixels, image.pixels)


def test_a_turned_face_gives_the_same_embedding_once_upright(load: Load) -> None:
    image = load(UPRIGHT[0])
    turned = decoded(np.rot90(image.pixels, 3))
    upright_embedding = face.embed(image, face.detect(image), 0)
    turned_detection = face.detect(turned, rotate=True)
    turned_embedding = face.embed(turned, turned_detection, 0)
    assert float(upright_embedding.array() @ turned_embedding.array()) > 0.999


def test_without_rotate_a_turned_face_is_not_reported_as_turned(load: Load) -> None:
    turned = decoded(np.rot90(load(UPRIGHT[0]).pixels, 1))
    assert face.detect(turned).rotation == 0
