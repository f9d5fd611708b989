"""Finding faces in one upright image: scale it down, run MTCNN, and pad-and-retry tight crops.

Detection runs on a copy at most `MAX_SIDE` pixels on its long side: the P-Net pyramid costs
grow with the pixel count, and faces that matter for verification stay well above the 20-px
minimum at that size. Coordinates are mapped back to the full-size image.

MTCNN misses faces that fill the frame (ID photos, face crops): the face is then larger than
the largest square P-Net's pyramid proposes, and R-Net/O-Net never see the whole face. Padding
the image by 30% on every side with replicated borders and detecting again finds them. A face
missed that way fills most of the frame, so the retry runs on a copy at most `RETRY_SIDE` pixels
long, which keeps a faceless image (a document, a blank) from costing a second full detection.
"""

from __future__ import annotations

import cv2
import numpy as np

from engine.face import mtcnn
from engine.face.mtcnn import RawFaces
from engine.models import MtcnnNets

MAX_SIDE = 1024
PAD = 0.3
RETRY_SIDE = 480


def shrunk(pixels: np.ndarray, max_side: int = MAX_SIDE) -> tuple[np.ndarray, float]:
    """The image shrunk to at most `max_side` on its long side, and the factor applied."""
    height, width = pixels.shape[:2]
    scale = min(1.0, max_side / max(height, width))
    if scale == 1.0:
        return pixels, 1.0
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return cv2.resize(pixels, size, interpolation=cv2.INTER_AREA), scale


def find(rgb: np.ndarray, nets: MtcnnNets, *, min_face: int = mtcnn.MIN_FACE) -> RawFaces:
    """Faces in an image already at detection size, largest first; pads and retries if none."""
    faces = mtcnn.detect(rgb, nets, min_face=min_face)
    if not len(faces):
        height, width = rgb.shape[:2]
        pad = max(1, round(PAD * max(height, width)))
        padded = cv2.copyMakeBorder(rgb, pad, pad, pad, pad, cv2.BORDER_REPLICATE)
        small, scale = shrunk(padded, RETRY_SIDE)
        faces = mtcnn.detect(small, nets, min_face=min_face).mapped(scale, -pad, -pad)
    return largest_first(faces)


def largest_first(faces: RawFaces) -> RawFaces:
    """Faces ordered by box area, largest first; ties (rare) left to right, then top down."""
    area = (faces.boxes[:, 2] - faces.boxes[:, 0]) * (faces.boxes[:, 3] - faces.boxes[:, 1])
    order = np.lexsort((faces.boxes[:, 1], faces.boxes[:, 0], -np.round(area, 3)))
    return RawFaces(faces.boxes[order], faces.scores[order], faces.points[order])
