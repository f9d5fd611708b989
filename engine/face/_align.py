"""Alignment: dlib's 5-point model placed in the MTCNN box, and the face chip cut from it.

dlib's ResNet was trained on chips made by `get_face_chip` from its own 5-point model (eye
corners and the base of the nose), so the chip is built from those points, not from MTCNN's
five (eye centres, nose tip, mouth corners). The MTCNN box serves as the 5-point model's
rectangle: measured 1.9% of the eye distance away from what a HOG box gives, and the
embedding stays within cosine 0.99 of the upright one up to 40° of roll.
"""

from __future__ import annotations

import cv2
import dlib
import numpy as np

from engine import models
from engine.face._warp import warp

CHIP_SIZE = 150
CHIP_PADDING = 0.25  # the framing dlib's ResNet was trained with


def rectangle(box: np.ndarray) -> dlib.rectangle:
    """A dlib rectangle (inclusive integer corners) for a continuous x1 y1 x2 y2 box."""
    x1, y1, x2, y2 = (round(float(v)) for v in box)
    return dlib.rectangle(x1, y1, max(x1, x2 - 1), max(y1, y2 - 1))


def shape5(rgb: np.ndarray, box: np.ndarray) -> dlib.full_object_detection:
    """dlib's five points (eye corners, nose base) for the face in `box`."""
    return models.shape_predictor_5().model(rgb, rectangle(box))


def chip(rgb: np.ndarray, shape: dlib.full_object_detection) -> np.ndarray:
    """The aligned 150×150 RGB face chip the embedding network expects."""
    return dlib.get_face_chip(rgb, shape, size=CHIP_SIZE, padding=CHIP_PADDING)


def points(shape: dlib.full_object_detection) -> np.ndarray:
    """A dlib shape's parts as an (n, 2) float array."""
    return np.array([(p.x, p.y) for p in shape.parts()], dtype=np.float64)


# MTCNN's five points in a 112-px ArcFace-style chip, scaled to NORMALISED_SIZE.
NORMALISED_SIZE = 128
_TEMPLATE = (
    np.array(
        [
            (38.2946, 51.6963),
            (73.5318, 51.5014),
            (56.0252, 71.7366),
            (41.5493, 92.3655),
            (70.7299, 92.2041),
        ]
    )
    * NORMALISED_SIZE
    / 112
)


def normalised(rgb: np.ndarray, points5: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A 128-px crop in which MTCNN's five points sit at fixed places (scale and roll undone),
    and the five points in it. Quality measures use it so that their numbers do not depend on
    the face's size or tilt."""
    affine, _ = cv2.estimateAffinePartial2D(points5, _TEMPLATE)
    crop = warp(rgb, affine, (NORMALISED_SIZE, NORMALISED_SIZE))
    return crop, points5 @ affine[:, :2].T + affine[:, 2]
