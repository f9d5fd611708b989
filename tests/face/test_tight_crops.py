"""Faces that fill the frame (ID photos, face crops) are found by padding and detecting again."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from contracts.calibration import load_calibration
from contracts.images import DecodedImage
from engine import face
from engine.face import _detector as detector
from engine.face import _mtcnn as mtcnn
from engine.models import mtcnn as mtcnn_nets
from tests.face.conftest import Load, decoded

# Measured: cut 30% inside MTCNN's own box and resized to 150×150, these faces are missed by
# the bare cascade (it never proposes a square as large as the frame); YuNet finds some.
# 12 of the 96 shared faces behave so; all 96 are found once padded.
MISSED_BARE = [
    "faces/sundar_pichai/img25.jpg",
    "faces/john_lennon/lennon-2.jpg",
    "faces/ramiz_raja/3.jpg",
    "faces/elvis_presley/3.jpg",
    "faces/azure_family1_daughter/Family1-Daughter1.jpg",
]


def tight_crop(image: DecodedImage, shrink: float = 0.3, size: int = 150) -> DecodedImage:
    """A square crop `shrink` inside the largest face's MTCNN box, resized to size×size."""
    small, scale = detector.shrunk(image.pixels)
    found = detector.largest_first(
        mtcnn.detect(cv2.cvtColor(small, cv2.COLOR_BGR2RGB), mtcnn_nets())
    ).mapped(scale)
    left, top, right, bottom = found.boxes[0]
    cx, cy = (left + right) / 2, (top + bottom) / 2
    half = max(right - left, bottom - top) * (1 - shrink) / 2
    x1, y1 = round(max(cx - half, 0)), round(max(cy - half, 0))
    x2, y2 = round(min(cx + half, image.width)), round(min(cy + half, image.height))
    return decoded(
        cv2.resize(image.pixels[y1:y2, x1:x2], (size, size), interpolation=cv2.INTER_AREA)
    )


@pytest.mark.parametrize("path", MISSED_BARE)
def test_a_face_filling_the_frame_is_found_after_padding(load: Load, path: str) -> None:
    crop = tight_crop(load(path))
    bare = mtcnn.detect(cv2.cvtColor(crop.pixels, cv2.COLOR_BGR2RGB), mtcnn_nets())
    assert len(bare) == 0  # the case padding exists for

    detection = face.detect(crop)
    assert len(detection.faces) == 1
    box = detection.faces[0].box
    assert box.width > 140 and box.height > 140  # the face is the frame: its box is clipped
    assert box.left >= 0 and box.top >= 0 and box.right <= 150 and box.bottom <= 150
    eyes = detection.faces[0].landmarks5[:2]
    assert all(0 < p.x < 150 and 0 < p.y < 90 for p in eyes)


@pytest.mark.parametrize("path", MISSED_BARE[:2])
def test_a_tight_crop_matches_its_source_photo(load: Load, path: str) -> None:
    image = load(path)
    crop = tight_crop(image)
    whole = face.embed(image, face.detect(image), 0)
    cropped = face.embed(crop, face.detect(crop), 0)
    # SFace's chip reaches past the cut, which the padding fills with replicated borders: the
    # crop still matches its photo at FAR 1e-5.
    assert float(whole.array() @ cropped.array()) > load_calibration().thresholds["1e-5"]


@pytest.mark.slow
def test_every_shared_face_is_found_in_a_tight_crop(load: Load, labels: dict[str, str]) -> None:
    missed = [path for path in labels if not face.detect(tight_crop(load(path))).faces]
    assert missed == []


def test_padding_is_not_tried_when_a_face_was_found(load: Load) -> None:
    crop = tight_crop(load("faces/sundar_pichai/img25.jpg"), shrink=-0.3)  # a loose crop
    bare = detector.proposed(cv2.cvtColor(crop.pixels, cv2.COLOR_BGR2RGB), mtcnn_nets())
    assert len(bare) == 1
    only = face.detect(crop).faces[0]
    assert np.allclose(
        [only.box.left, only.box.top, only.box.right, only.box.bottom],
        np.clip(bare.boxes[0], 0, 150),
    )
