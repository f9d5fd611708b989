"""A canonical head frame for the attribute heuristics: the face warped so that MTCNN's five
points sit at fixed places on a 192 × 240 canvas, with room above for a hat and below for a beard.

Eyes are 48 px apart at y 100 (the ArcFace template's proportions, scaled), so every region
below is a fixed rectangle of the canvas, whatever the face's size or roll. Regions are
(top, bottom, left, right) in canvas pixels.
"""

from __future__ import annotations

import cv2
import numpy as np

from engine.face._warp import warp

WIDTH, HEIGHT = 192, 240
EYE_DISTANCE = 48.0
TEMPLATE = np.array([(72.0, 100.0), (120.0, 100.0), (96.0, 127.4), (76.1, 155.4), (115.9, 155.4)])

Region = tuple[int, int, int, int]
BETWEEN_BROWS: Region = (78, 92, 88, 104)  # skin least often covered: the reference
LEFT_EYE: Region = (90, 110, 58, 86)  # image left
RIGHT_EYE: Region = (90, 110, 106, 134)
BRIDGE: Region = (90, 108, 89, 103)  # between the eyes, where a frame's bridge crosses
BELOW_EYES: Region = (110, 122, 56, 136)  # where a lower rim runs
UPPER_LIP: Region = (136, 149, 82, 110)
CHIN: Region = (170, 196, 80, 112)
JAW_LEFT: Region = (150, 184, 56, 74)
JAW_RIGHT: Region = (150, 184, 118, 136)
LEFT_CHEEK: Region = (118, 146, 56, 80)
RIGHT_CHEEK: Region = (118, 146, 112, 136)
FOREHEAD: Region = (56, 76, 70, 122)
ABOVE_HEAD: Region = (0, 34, 48, 144)  # the crown: hair, a hat or a helmet
TEMPLE_LEFT: Region = (60, 104, 22, 48)  # beside the eyes, outside the face
TEMPLE_RIGHT: Region = (60, 104, 144, 170)


def canonical(rgb: np.ndarray, points5: np.ndarray) -> np.ndarray:
    """The RGB head on the canonical canvas (outside the image is edge-replicated)."""
    affine, _ = cv2.estimateAffinePartial2D(points5.astype(np.float64), TEMPLATE)
    return warp(rgb, affine, (WIDTH, HEIGHT))


def region(pixels: np.ndarray, where: Region) -> np.ndarray:
    top, bottom, left, right = where
    return pixels[top:bottom, left:right]


def inside(rgb: np.ndarray, points5: np.ndarray, where: Region) -> float:
    """The share of a canvas region that lies inside the image (replicated edges are not)."""
    affine, _ = cv2.estimateAffinePartial2D(points5.astype(np.float64), TEMPLATE)
    ones = np.full(rgb.shape[:2], 255, np.uint8)
    seen = cv2.warpAffine(ones, affine, (WIDTH, HEIGHT), flags=cv2.INTER_NEAREST)
    return float((region(seen, where) > 0).mean())
