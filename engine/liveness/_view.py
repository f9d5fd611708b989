"""One frame as the checks see it: upright pixels, the largest face's box and its 68 landmarks.

A face from engine.face.detect gives both in the upright frame (`revised_box`, `landmarks68`),
so the pixels must be the upright image (engine.face.upright). Landmarks follow iBUG 300-W:
36-41 and 42-47 are the two eyes' contours, 27-30 the nose bridge.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from contracts.faces import Face

EYES = (slice(36, 42), slice(42, 48))


@dataclass(frozen=True, eq=False)
class FrameView:
    pixels: np.ndarray  # BGR uint8
    box: np.ndarray | None = None  # x1 y1 x2 y2 of the largest face
    landmarks: np.ndarray | None = None  # (68, 2), in the frame's own coordinates

    @classmethod
    def of(cls, pixels: np.ndarray, face: Face | None) -> FrameView:
        if face is None:
            return cls(pixels)
        up = face.revised_box
        box = np.array([up.left, up.top, up.right, up.bottom])
        points = np.array([[p.x, p.y] for p in face.landmarks68]) if face.landmarks68 else None
        return cls(pixels, box, points)

    @property
    def gray(self) -> np.ndarray:
        return cv2.cvtColor(self.pixels, cv2.COLOR_BGR2GRAY)

    def face_patch(self, size: int, *, channels: bool = False) -> np.ndarray:
        """The face as a size×size square, reflecting past the frame's edge.

        The square is the landmarks' extent where there are landmarks (brows to chin, ear to
        ear), else the face box: the detector clips its box to the frame, which would move a
        face at the edge off the square's centre.
        """
        if self.landmarks is not None:
            low, high = self.landmarks.min(axis=0), self.landmarks.max(axis=0)
        elif self.box is not None:
            low, high = self.box[:2], self.box[2:]
        else:
            raise ValueError("no face in this frame")
        (cx, cy), side = (low + high) / 2, max(float((high - low).max()), 1.0)
        scale = size / side
        affine = np.array(
            [[scale, 0.0, size / 2 - cx * scale], [0.0, scale, size / 2 - cy * scale]]
        )
        source = self.pixels if channels else self.gray
        shrink = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
        return cv2.warpAffine(
            source, affine, (size, size), flags=shrink, borderMode=cv2.BORDER_REFLECT
        )

    def contrast(self) -> float:
        """The face's 10th-90th percentile spread of grey levels; texture cues scale with it."""
        patch = self.face_patch(96)
        low, high = np.percentile(patch, [10, 90])
        return float(max(high - low, 1.0))
