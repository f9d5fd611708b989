"""The watermark family of a meshed ID photo (engine.imaging.mesh_family), on real faces under
simulated meshes (tests/imaging/mesh.py): the old mesh (financial, Yitu 5), the old mesh with
horizontal stripes (police, 7), the wire mesh (9); a photo without a mesh has none."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from contracts.images import DecodedImage
from engine.imaging import mesh_family
from tests.imaging.mesh import DARK, as_jpeg, meshed

DAD = "faces/azure_family1_dad/Family1-Dad1.jpg"
OBAMA = "faces/barack_obama/obama.jpg"

MESHES = {
    "financial": [{}, {"colour": DARK, "opacity": 0.6}, {"slant": 20.0}],
    "police": [{"stripes": 24.0}, {"stripes": 18.0, "colour": DARK, "opacity": 0.6}],
    "wire": [{"wire": True}, {"wire": True, "spacing": 9.0, "angle": 35.0, "opacity": 0.5}],
}
CASES = [(family, index) for family, shapes in MESHES.items() for index in range(len(shapes))]


def delivered(pixels: np.ndarray) -> DecodedImage:
    jpeg = as_jpeg(pixels)
    return DecodedImage(pixels=cv2.imdecode(np.frombuffer(jpeg, np.uint8), 1), format="jpeg")


@pytest.fixture(scope="module")
def portraits(shared_data) -> list[np.ndarray]:
    """A police-database-sized portrait (358×441) and a small one (178×220)."""
    return [
        cv2.resize(cv2.imread(str(shared_data / OBAMA)), (358, 441)),
        cv2.resize(cv2.imread(str(shared_data / DAD)), (178, 220)),
    ]


@pytest.mark.parametrize(("family", "index"), CASES, ids=[f"{f}-{i}" for f, i in CASES])
def test_each_simulated_family_is_told(portraits, family, index):
    for portrait in portraits:
        assert mesh_family(delivered(meshed(portrait, **MESHES[family][index]))) == family


def test_a_photo_without_a_mesh_has_no_family(portraits):
    assert [mesh_family(delivered(portrait)) for portrait in portraits] == [None, None]
