from __future__ import annotations

import itertools

import cv2
import numpy as np
import pytest

from contracts.errors import ErrorKind, IdfError
from contracts.faces import Box, Point
from contracts.images import ImageInput
from engine import face
from engine.face import _mtcnn as mtcnn
from engine.models import mtcnn as mtcnn_nets
from tests.face.conftest import Load, decoded

PORTRAIT = "faces/sundar_pichai/img25.jpg"  # 400×400, one frontal face


def _inside(point: Point, box: Box, slack: float = 0.0) -> bool:
    return (
        box.left - slack <= point.x <= box.right + slack
        and box.top - slack <= point.y <= box.bottom + slack
    )


def test_a_portrait_has_one_confident_face_with_its_landmarks_in_the_box(load: Load) -> None:
    detection = face.detect(load(PORTRAIT))
    assert len(detection.faces) == 1
    only = detection.faces[0]
    assert only.index == 0
    assert only.score > 0.99
    assert 120 < only.box.width < 300
    assert all(_inside(p, only.box) for p in only.landmarks5)
    left_eye, right_eye, nose, mouth_left, mouth_right = only.landmarks5
    assert left_eye.x < right_eye.x and mouth_left.x < mouth_right.x
    assert max(left_eye.y, right_eye.y) < nose.y < min(mouth_left.y, mouth_right.y)
    assert (detection.width, detection.height, detection.rotation) == (400, 400, 0)
    assert only.revised_box == only.box  # no rotation: both frames are the input's


@pytest.mark.parametrize(
    ("path", "at_least"),
    [("faces/jennifer_aniston/img54.jpg", 3), ("faces/ramiz_raja/5.jpg", 2)],
)
def test_a_group_photo_gives_several_faces_largest_first(
    load: Load, path: str, at_least: int
) -> None:
    detection = face.detect(load(path))
    assert len(detection.faces) >= at_least
    assert [f.index for f in detection.faces] == list(range(len(detection.faces)))
    areas = [f.box.area for f in detection.faces]
    assert areas == sorted(areas, reverse=True)
    assert detection.largest() == detection.faces[0]


def test_a_blank_image_has_no_face() -> None:
    detection = face.detect(decoded(np.full((300, 400, 3), 200, np.uint8)))
    assert detection.faces == ()
    assert (detection.width, detection.height) == (400, 300)


def test_a_bank_card_has_no_face(load: Load) -> None:
    assert face.detect(load("id_documents/bank_card/credit_card_01.png")).faces == ()


def test_a_large_photo_is_detected_at_reduced_size_in_full_size_coordinates(load: Load) -> None:
    image = load(PORTRAIT)
    enlarged = decoded(cv2.resize(image.pixels, None, fx=4, fy=4, interpolation=cv2.INTER_CUBIC))
    small = face.detect(image).faces[0]
    large = face.detect(enlarged).faces[0]  # 1600 px, detected at 1024
    assert large.box.width == pytest.approx(4 * small.box.width, rel=0.05)
    for a, b in zip(
        (small.box.left, small.box.top, small.box.right, small.box.bottom),
        (large.box.left, large.box.top, large.box.right, large.box.bottom),
        strict=True,
    ):
        # MTCNN's box wobbles by a few % between pyramid scales
        assert b == pytest.approx(4 * a, abs=0.05 * large.box.width)


def test_boxes_are_clipped_to_the_image(load: Load) -> None:
    image = load(PORTRAIT)
    cut = decoded(image.pixels[110:, 60:330])  # the chin near the bottom edge, sides cut
    only = face.detect(cut).faces[0]
    assert only.box.left >= 0 and only.box.right <= cut.width
    assert only.box.top >= 0 and only.box.bottom <= cut.height


def test_bytes_are_decoded_through_engine_media(shared_data) -> None:
    data = (shared_data / PORTRAIT).read_bytes()
    detection = face.detect(ImageInput(data=data, name="image"))
    assert len(detection.faces) == 1


def test_corrupt_bytes_are_an_image_error() -> None:
    with pytest.raises(IdfError) as error:
        face.detect(ImageInput(data=b"\xff\xd8\xff\xe0 not really a jpeg", name="image"))
    assert error.value.kind in {ErrorKind.image_decode, ErrorKind.image_type}


def test_a_min_face_below_the_network_window_is_refused(load: Load) -> None:
    with pytest.raises(IdfError) as error:
        face.detect(load(PORTRAIT), min_face=8)
    assert error.value.kind == ErrorKind.bad_param


def test_a_larger_min_face_skips_small_faces(load: Load) -> None:
    image = load("faces/jennifer_aniston/img54.jpg")
    everyone = face.detect(image)
    big_only = face.detect(image, min_face=120)  # 120 px at 1024 is 281 px of this 2400-px photo
    assert sum(f.box.width < 150 for f in everyone.faces) == 2  # two onlookers, ~50 px at 1024
    assert all(f.box.width >= 150 for f in big_only.faces)
    assert big_only.faces[0].box.width == pytest.approx(everyone.faces[0].box.width, rel=0.05)


def test_nms_keeps_the_best_of_overlapping_boxes() -> None:
    boxes = np.array(
        [[0, 0, 10, 10, 0.9], [1, 1, 11, 11, 0.95], [20, 20, 30, 30, 0.8], [2, 2, 8, 8, 0.7]]
    )
    assert sorted(mtcnn.nms(boxes, 0.5).tolist()) == [1, 2, 3]
    assert sorted(mtcnn.nms(boxes, 0.5, by_min=True).tolist()) == [1, 2]


def test_the_pyramid_starts_at_min_face_and_stops_at_the_network_window() -> None:
    scales = mtcnn.pyramid(480, 640, 20)
    assert scales[0] == pytest.approx(12 / 20)
    assert 480 * scales[-1] >= 12 > 480 * scales[-1] * mtcnn.SCALE_FACTOR
    assert all(b == pytest.approx(a * mtcnn.SCALE_FACTOR) for a, b in itertools.pairwise(scales))


def test_the_cascade_returns_boxes_scores_and_points_per_face(load: Load) -> None:
    rgb = cv2.cvtColor(load(PORTRAIT).pixels, cv2.COLOR_BGR2RGB)
    found = mtcnn.detect(rgb, mtcnn_nets())
    assert found.boxes.shape == (1, 4)
    assert found.points.shape == (1, 5, 2)
    assert found.scores[0] > 0.99
