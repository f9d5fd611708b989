"""Which way is up: the quarter turn under which an image's faces stand upright.

MTCNN alone cannot tell. It finds many faces lying on their side or upside down (O-Net scores of
0.99 for a face turned 90°), and O-Net places its five landmarks from a learned template, so
"eyes above mouth" holds in whatever frame it looks at. dlib's HOG frontal detector is strictly
upright (its five filters cover frontal and turned faces with a little roll, never a face on its
side or upside down), so it serves as the judge: each
orientation's faces are scored by the HOG detector's margin on a crop around the face, plus a
small share of MTCNN's confidence (its logit) to break near-ties.

Measured on the 96 images of ../shared/data/faces, each at 0/90/180/270 on the 512-px preview
the search judges: the upright orientation scored ≥ 3.91, every wrong one ≤ 2.79, and all 384
turned copies come out right. So an orientation scoring `DECISIVE` or more is accepted at once
(upright inputs, the common case, cost one preview detection); otherwise all four are tried and
the best wins.

What it cannot do: profile faces and heavily occluded faces give the HOG judge nothing, and a
face rolled by about 45° is as upright at one quarter turn as at the next; the best MTCNN
confidence then decides, which may be wrong.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from engine import models
from engine.face import _detector as detector
from engine.face._mtcnn import MIN_FACE, RawFaces
from engine.face._rotation import turn
from engine.face._warp import warp

DECISIVE = 3.3
PREVIEW_SIDE = 512
LOGIT_WEIGHT = 0.5
JUDGED_FACES = 3
_CROP_FACE_WIDTH = 100  # HOG's window is 80 px; a 100-px face sits comfortably in it
_HOG_FLOOR = -1.0
_ORDER = (0, 1, 3, 2)  # sideways phone photos are commoner than upside-down ones

# dlib's object detector is documented as unsafe for concurrent use of one instance.
_hog_lock = threading.Lock()


@dataclass(frozen=True)
class Oriented:
    """Faces found in the image turned clockwise by `rotation` quarter turns."""

    rotation: int
    faces: RawFaces


def search(rgb: np.ndarray, nets: models.MtcnnNets, *, min_face: int) -> Oriented:
    """The upright orientation and its faces, for an image at detection size.

    The orientations are judged on a preview (PREVIEW_SIDE px, a quarter of the detection
    cost); the faces are then found at full detection size in the winning orientation. Faces
    too small for the preview are judged at full size.
    """
    preview, scale = detector.shrunk(rgb, PREVIEW_SIDE)
    judged = judge(preview, nets, min_face=min_face if scale == 1.0 else MIN_FACE)
    if scale == 1.0:
        return judged
    if not len(judged.faces):
        return judge(rgb, nets, min_face=min_face)
    return Oriented(
        judged.rotation, detector.find(turn(rgb, judged.rotation), nets, min_face=min_face)
    )


def judge(rgb: np.ndarray, nets: models.MtcnnNets, *, min_face: int) -> Oriented:
    """Detect in each orientation until one is decisively upright; else take the best."""
    best: tuple[float, Oriented] | None = None
    for k in _ORDER:
        turned = turn(rgb, k)
        faces = detector.find(turned, nets, min_face=min_face)
        if not len(faces):
            continue
        score = uprightness(turned, faces)
        if score >= DECISIVE:
            return Oriented(k, faces)
        if best is None or score > best[0]:
            best = (score, Oriented(k, faces))
    return best[1] if best else Oriented(0, RawFaces.empty())


def uprightness(rgb: np.ndarray, faces: RawFaces) -> float:
    """How upright the image's faces look: the best of its largest faces' scores."""
    count = min(JUDGED_FACES, len(faces))
    probs = np.clip(faces.scores[:count].astype(np.float64), 1e-7, 1 - 1e-7)
    logits = np.log(probs / (1 - probs))
    return max(hog_margin(rgb, faces.boxes[i]) + LOGIT_WEIGHT * logits[i] for i in range(count))


def hog_margin(rgb: np.ndarray, box: np.ndarray) -> float:
    """dlib HOG's best score on a crop around the box (the box plus half its width each side),
    scaled so the face is ~100 px wide; `_HOG_FLOOR` when it sees no upright face there."""
    x1, y1, x2, y2 = (float(v) for v in box)
    width = max(x2 - x1, 1.0)
    margin = width / 2
    scale = _CROP_FACE_WIDTH / width
    affine = np.array([[scale, 0, -(x1 - margin) * scale], [0, scale, -(y1 - margin) * scale]])
    size = (round((width + 2 * margin) * scale), round((y2 - y1 + 2 * margin) * scale))
    crop = warp(rgb, affine, size)
    with _hog_lock:
        _, scores, _ = models.frontal_hog().model.run(crop, 0, _HOG_FLOOR)
    return float(max(scores, default=_HOG_FLOOR))
