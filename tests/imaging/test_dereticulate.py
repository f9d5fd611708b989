"""Mesh watermark removal (engine.imaging._dereticulate) on real faces with a synthetic police
mesh: the cleaned photo must look more like the person than the meshed one, and more like the
clean original, and a photo without a mesh must come back untouched."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

import engine.face as face_engine
from contracts.images import DecodedImage
from engine.imaging._dereticulate import mesh_mask, remove_mesh
from tests.imaging.mesh import DARK, LIGHT, as_jpeg, mesh_alpha, meshed

DAD = "faces/azure_family1_dad/Family1-Dad1.jpg"  # a 203×241 portrait, like a police photo
DAD_ELSEWHERE = "faces/azure_family1_dad/Family1-Dad3.jpg"
OBAMA = "faces/barack_obama/obama.jpg"
OBAMA_ELSEWHERE = "faces/barack_obama/obama2.jpg"

MESHES = {
    "light": {},
    "dark": {"colour": DARK, "opacity": 0.6},
    "slanted": {"slant": 20.0},
    "dense-thick": {"spacing": 12.0, "thickness": 2, "opacity": 0.6, "wavelength": 40.0},
}


def read(shared_data: Path, relative: str) -> np.ndarray:
    pixels = cv2.imread(str(shared_data / relative), cv2.IMREAD_COLOR)
    assert pixels is not None, relative
    return pixels


def decoded(pixels: np.ndarray) -> DecodedImage:
    return DecodedImage(pixels=np.ascontiguousarray(pixels), format="jpeg")


def as_delivered(pixels: np.ndarray) -> np.ndarray:
    """Meshed photos arrive as JPEGs: the lines carry compression ringing."""
    return cv2.imdecode(np.frombuffer(as_jpeg(pixels), np.uint8), cv2.IMREAD_COLOR)


@pytest.fixture(scope="module")
def portraits(shared_data: Path) -> dict[str, tuple[np.ndarray, DecodedImage]]:
    """Police-photo-like portraits and another photo of the same person to compare with."""
    obama = read(shared_data, OBAMA)[0:560, 200:655]  # head and shoulders, 358×441 like GA 461
    obama = cv2.resize(obama, (358, 441), interpolation=cv2.INTER_AREA)
    return {
        "dad": (read(shared_data, DAD), decoded(read(shared_data, DAD_ELSEWHERE))),
        "obama": (obama, decoded(read(shared_data, OBAMA_ELSEWHERE))),
    }


@pytest.mark.slow
@pytest.mark.parametrize("who", ["dad", "obama"])
@pytest.mark.parametrize("mesh", list(MESHES))
def test_removing_the_mesh_brings_the_face_back(portraits, who, mesh):
    clean, elsewhere = portraits[who]
    with_mesh = as_delivered(meshed(clean, **MESHES[mesh]))
    cleaned = remove_mesh(decoded(with_mesh)).pixels

    before = face_engine.compare(decoded(with_mesh), elsewhere).score
    after = face_engine.compare(decoded(cleaned), elsewhere).score
    assert after > before + 0.015, (before, after)
    assert cv2.PSNR(clean, cleaned) > cv2.PSNR(clean, with_mesh) + 5.0


def test_the_mask_follows_the_drawn_lines(shared_data):
    clean = read(shared_data, DAD)
    truth = mesh_alpha(clean.shape[:2]) > 0.1
    found = mesh_mask(as_delivered(meshed(clean, LIGHT)))
    assert np.mean(found[truth]) > 0.8  # most of every line is filled in
    assert found.mean() < 1.6 * truth.mean()  # most of the face between the lines is kept


@pytest.mark.parametrize(
    "photo",
    [
        DAD,
        OBAMA,
        "faces/angelina_jolie/img1.jpg",  # large: analysed in several windows
        "faces/elvis_presley/6.jpg",
        "faces/mark_zuckerberg/img15.jpg",
        "id_documents/cn_id_card/cnid_syn_s1_front.jpg",
    ],
)
def test_a_photo_without_a_mesh_comes_back_untouched(shared_data, photo):
    image = decoded(read(shared_data, photo))
    assert remove_mesh(image) is image


def test_tiny_images_are_left_alone():
    image = decoded(np.full((20, 30, 3), 128, np.uint8))
    assert remove_mesh(image) is image
