"""dlib's face ResNet rebuilt on onnxruntime gives dlib's own descriptors.

The packaged calibration and every stored feature were made with dlib running the network, so
the rebuilt graph must agree with it to float rounding, on real chips and on noise alike.
"""

from __future__ import annotations

import cv2
import dlib
import numpy as np
import pytest

from engine import dlib_resnet, face, models
from engine.face import _align as align
from tests.face.conftest import Load

PORTRAITS = ["faces/barack_obama/obama3.jpg", "faces/angelina_jolie/img6.jpg"]


@pytest.fixture(scope="module")
def reference() -> dlib.face_recognition_model_v1:
    return dlib.face_recognition_model_v1(str(models.face_encoder().path))


def _chip(load: Load, name: str) -> np.ndarray:
    image = load(name)
    found = face.detect(image).faces[0]
    rgb = cv2.cvtColor(image.pixels, cv2.COLOR_BGR2RGB)
    box = np.array([found.box.left, found.box.top, found.box.right, found.box.bottom])
    return align.chip(rgb, align.shape5(rgb, box))


def test_descriptors_equal_dlibs_own(load: Load, reference: dlib.face_recognition_model_v1) -> None:
    noise = np.random.default_rng(7).integers(0, 256, (150, 150, 3), dtype=np.uint8)
    chips = [_chip(load, name) for name in PORTRAITS] + [noise]
    ours = models.face_encoder().model(np.stack(chips))
    for chip, mine in zip(chips, ours, strict=True):
        theirs = np.asarray(reference.compute_face_descriptor(chip))
        assert np.abs(mine - theirs).max() < 1e-4
        assert np.dot(mine, theirs) / np.linalg.norm(mine) / np.linalg.norm(theirs) > 0.99999


def test_a_batch_gives_what_single_chips_give(load: Load) -> None:
    chips = np.stack([_chip(load, name) for name in PORTRAITS])
    encoder = models.face_encoder().model
    batch = encoder(chips)
    singles = np.concatenate([encoder(chip[None]) for chip in chips])
    np.testing.assert_allclose(batch, singles, atol=1e-5)


def test_a_file_of_another_shape_is_refused() -> None:
    data = models.face_encoder().path.read_bytes()
    with pytest.raises(dlib_resnet.FormatError):
        dlib_resnet.read_layers(data[: len(data) // 2])
    with pytest.raises(dlib_resnet.FormatError):
        dlib_resnet.read_layers(models.shape_predictor_5().path.read_bytes())
    with pytest.raises(dlib_resnet.FormatError):
        dlib_resnet.read_layers(data + b"\x00")
