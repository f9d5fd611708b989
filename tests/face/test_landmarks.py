from __future__ import annotations

import cv2
import numpy as np
import pytest

from contracts.faces import Point
from engine import face
from tests.face.conftest import Load, decoded

PORTRAIT = "faces/angelina_jolie/img10.jpg"


def _array(points: tuple[Point, ...]) -> np.ndarray:
    return np.array([(p.x, p.y) for p in points])


def test_68_points_outline_the_face_in_order(load: Load) -> None:
    only = face.detect(load(PORTRAIT), landmarks68=True).faces[0]
    points = _array(only.landmarks68)
    assert points.shape == (68, 2)
    jaw, right_brow, left_brow = points[0:17], points[17:22], points[22:27]
    nose_tip, mouth = points[30], points[48:68]
    assert np.all(np.diff(jaw[:9, 1]) > -2)  # the jaw runs down to the chin (point 8)
    assert jaw[0, 0] < nose_tip[0] < jaw[16, 0]
    assert max(right_brow[:, 1].max(), left_brow[:, 1].max()) < nose_tip[1] < mouth[:, 1].min()
    box = only.box
    inside = (
        (points[:, 0] > box.left - 10)
        & (points[:, 0] < box.right + 10)
        & (points[:, 1] > box.top)
        & (points[:, 1] < box.bottom + 10)
    )
    assert inside.mean() > 0.95


def test_68_points_are_only_computed_on_request(load: Load) -> None:
    assert face.detect(load(PORTRAIT)).faces[0].landmarks68 == ()


@pytest.mark.parametrize("degrees", [25, 45])
def test_a_rolled_face_gets_the_same_points_as_upright(load: Load, degrees: int) -> None:
    image = load(PORTRAIT)
    upright = _array(face.detect(image, landmarks68=True).faces[0].landmarks68)
    centre = (image.width / 2, image.height / 2)
    turn = cv2.getRotationMatrix2D(centre, degrees, 1.0)
    rolled_pixels = cv2.warpAffine(
        image.pixels, turn, (image.width, image.height), borderMode=cv2.BORDER_REPLICATE
    )
    rolled = _array(face.detect(decoded(rolled_pixels), landmarks68=True).faces[0].landmarks68)
    expected = upright @ turn[:, :2].T + turn[:, 2]
    eye_distance = np.linalg.norm(upright[36:42].mean(0) - upright[42:48].mean(0))
    assert np.linalg.norm(rolled - expected, axis=1).mean() < 0.05 * eye_distance
