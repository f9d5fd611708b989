"""Finding faces in one upright image: YuNet proposes, MTCNN's O-Net places the five points.

YuNet (engine.yunet) finds faces in one pass, about 3× faster than MTCNN's P-Net pyramid and
R-Net, and found every face of both shared sets (MTCNN missed one East-Asian crop). Its own
five points, used to align SFace's chip, cost accuracy on the East-Asian pairs (TAR at FAR
1e-2 0.86 against 0.92 with MTCNN's); O-Net run on YuNet's squared box gives MTCNN's points
back at the cost of one 48-px crop per face (0.91, the same within the set's noise). So each
YuNet box goes through O-Net, which also refines the box and gives the score. Where O-Net does
not accept a YuNet face, YuNet's own box and points are kept only if YuNet is sure of it
(score ≥ `YUNET_ALONE`, OpenCV's default threshold): the national emblem on the back of an ID
card scores 0.65 with YuNet and is refused by O-Net. Faces smaller than `min_face`
are dropped, as MTCNN's pyramid would never have looked for them. Only when YuNet finds no
face does the whole MTCNN cascade run (measured both ways in docs/face-engine.md).

Detection runs on a copy at most `MAX_SIDE` pixels on its long side: the detectors' costs
grow with the pixel count, and faces that matter for verification stay well above the 20-px
minimum at that size. Coordinates are mapped back to the full-size image.

Both detectors can miss faces that fill the frame (ID photos, face crops); MTCNN misses them
because the face is then larger than the largest square P-Net's pyramid proposes, and
R-Net/O-Net never see the whole face. Padding
the image by 30% on every side with replicated borders and detecting again finds them. A face
missed that way fills most of the frame, so the retry runs on a copy at most `RETRY_SIDE` pixels
long, which keeps a faceless image (a document, a blank) from costing a second full detection.
"""

from __future__ import annotations

import cv2
import numpy as np

from engine import models
from engine.face import _mtcnn as mtcnn
from engine.face._mtcnn import RawFaces
from engine.models import MtcnnNets

MAX_SIDE = 1024
PAD = 0.3
RETRY_SIDE = 480
YUNET_ALONE = 0.9


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
    faces = _both(rgb, nets, min_face)
    if not len(faces):
        height, width = rgb.shape[:2]
        pad = max(1, round(PAD * max(height, width)))
        padded = cv2.copyMakeBorder(rgb, pad, pad, pad, pad, cv2.BORDER_REPLICATE)
        small, scale = shrunk(padded, RETRY_SIDE)
        faces = _both(small, nets, min_face).mapped(scale, -pad, -pad)
    return largest_first(faces)


def _both(rgb: np.ndarray, nets: MtcnnNets, min_face: int) -> RawFaces:
    faces = proposed(rgb, nets, min_face)
    return faces if len(faces) else mtcnn.detect(rgb, nets, min_face=min_face)


def proposed(rgb: np.ndarray, nets: MtcnnNets, min_face: int = mtcnn.MIN_FACE) -> RawFaces:
    """YuNet's faces of at least `min_face` px, each finished by O-Net where O-Net accepts it."""
    boxes, scores, points = models.proposer().model(rgb[:, :, ::-1])
    large = np.maximum(boxes[:, 2] - boxes[:, 0], boxes[:, 3] - boxes[:, 1]) >= min_face
    boxes, scores, points = boxes[large], scores[large], points[large]
    out_boxes, out_scores, out_points = [], [], []
    for box, score, marks in zip(boxes, scores, points, strict=True):
        square = mtcnn.squared(box[None])
        finished = mtcnn.finish(rgb, nets, square)
        if len(finished):
            box, score, marks = finished.boxes[0], finished.scores[0], finished.points[0]
        elif score < YUNET_ALONE:
            continue
        out_boxes.append(box)
        out_scores.append(score)
        out_points.append(marks)
    if not out_boxes:
        return RawFaces.empty()
    return RawFaces(np.array(out_boxes), np.array(out_scores), np.array(out_points))


def largest_first(faces: RawFaces) -> RawFaces:
    """Faces ordered by box area, largest first; ties (rare) left to right, then top down."""
    area = (faces.boxes[:, 2] - faces.boxes[:, 0]) * (faces.boxes[:, 3] - faces.boxes[:, 1])
    order = np.lexsort((faces.boxes[:, 1], faces.boxes[:, 0], -np.round(area, 3)))
    return RawFaces(faces.boxes[order], faces.scores[order], faces.points[order])
