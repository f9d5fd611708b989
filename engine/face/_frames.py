"""An input image seen in its upright frame, cut into RGB patches around faces on demand.

Alignment, 68 points and quality need full-resolution pixels, but only around each face. A
12-megapixel photo converted to RGB and turned upright whole costs 36 MB per copy and ~30 ms;
a patch around a face costs a fraction of that. A patch is the upright frame's pixels in a
rectangle clipped to the image, so models see exactly what they would see in the whole image
(outside the image stays outside).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from engine.face._rotation import turn, turn_boxes, turned_size

# What the models read around a face box, in box sides beyond each edge: the 150-px chip
# (padding 0.25) and the 68-point crop (1.5 × the HOG-like square), both turned by up to 45°
# of roll, reach 0.56 of a side past the box.
MARGIN = 0.6


@dataclass(frozen=True)
class Patch:
    """RGB pixels of the upright frame, and where their top-left pixel sits in that frame."""

    rgb: np.ndarray
    origin: np.ndarray  # (x, y) in the upright frame

    def local(self, points: np.ndarray) -> np.ndarray:
        """Upright-frame coordinates (…, 2) or boxes (…, 4) in the patch's coordinates."""
        return points - np.tile(self.origin, points.shape[-1] // 2)


@dataclass(frozen=True)
class Upright:
    """The BGR input and the clockwise quarter turns that make it upright."""

    bgr: np.ndarray
    rotation: int

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) of the upright frame."""
        height, width = self.bgr.shape[:2]
        return turned_size(width, height, self.rotation)

    def patch(self, box: np.ndarray, margin: float = MARGIN) -> Patch:
        """The upright pixels of `box` (x1 y1 x2 y2) grown by `margin` × its longer side."""
        width, height = self.size
        grow = margin * max(box[2] - box[0], box[3] - box[1])
        x1 = min(max(math.floor(box[0] - grow), 0), width - 1)
        y1 = min(max(math.floor(box[1] - grow), 0), height - 1)
        x2 = max(min(math.ceil(box[2] + grow), width), x1 + 1)
        y2 = max(min(math.ceil(box[3] + grow), height), y1 + 1)
        back = -self.rotation % 4
        ix1, iy1, ix2, iy2 = (
            int(v) for v in turn_boxes(np.array([[x1, y1, x2, y2]]), width, height, back)[0]
        )
        pixels = turn(self.bgr[iy1:iy2, ix1:ix2], self.rotation)
        return Patch(cv2.cvtColor(pixels, cv2.COLOR_BGR2RGB), np.array([x1, y1], dtype=np.float64))
