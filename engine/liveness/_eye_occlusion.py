"""Eyes covered: a hand, a sheet of paper, sunglasses or hair over one or both eyes.

A visible eye is the most contrasted small patch of a face: a dark iris and pupil against the
sclera and the eyelids' shadows. Each eye's patch (from its six landmarks, 1.5 eye-widths wide,
0.9 high) is measured by its 5th-95th percentile spread of grey levels relative to the
brightness of the skin on the nose bridge (a Weber contrast, so the lighting cancels out): live
eyes on ../shared/data/antispoof measure 0.38-0.84, a cover under the eye's points 0-0.15. The
score is the shortfall of the flatter eye below `OPEN_CONTRAST`, so one covered eye is enough.

The landmark model places points where eyes should be even when they are covered, which is what
makes this work; but it may also take a cover's edge for the eye and move the points there,
where the patch is contrasted, and the cover is missed. A face turned far aside, or closed
eyes in a dim and blurred frame, can score as covered. Clear glasses do not (their rims add
contrast); dark sunglasses do.
"""

from __future__ import annotations

import numpy as np

from engine.liveness._view import EYES, FrameView

OPEN_CONTRAST = 0.5
NOSE_BRIDGE = slice(27, 31)


def _patch(gray: np.ndarray, centre: np.ndarray, half_width: float, half_height: float):
    h, w = gray.shape
    x1, x2 = int(centre[0] - half_width), int(centre[0] + half_width) + 1
    y1, y2 = int(centre[1] - half_height), int(centre[1] + half_height) + 1
    return gray[max(y1, 0) : min(y2, h), max(x1, 0) : min(x2, w)]


def eye_contrast(gray: np.ndarray, landmarks: np.ndarray) -> float | None:
    """The lower of the two eyes' contrasts, or None where the patches fall off the frame."""
    widths = [max(float(np.linalg.norm(landmarks[e][3] - landmarks[e][0])), 2.0) for e in EYES]
    bridge = _patch(gray, landmarks[NOSE_BRIDGE].mean(axis=0), *(0.3 * float(np.mean(widths)),) * 2)
    eyes = [
        _patch(gray, landmarks[e].mean(axis=0), 0.75 * w, 0.45 * w)
        for e, w in zip(EYES, widths, strict=True)
    ]
    if bridge.size < 4 or min(p.size for p in eyes) < 4:
        return None
    skin = max(float(np.median(bridge)), 1.0)
    return min(float(np.subtract(*np.percentile(p, [95, 5]))) for p in eyes) / skin


def score(view: FrameView) -> float | None:
    if view.landmarks is None:
        return None
    contrast = eye_contrast(view.gray, view.landmarks)
    if contrast is None:
        return None
    return float(np.clip(1.0 - contrast / OPEN_CONTRAST, 0.0, 1.0))
