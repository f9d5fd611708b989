"""Is each of MTCNN's five landmarks visible, or covered (sunglasses, a mask, a hand)?

No model for this ships in a registry package, so it is a heuristic on the normalised crop
(align.normalised: scale and roll undone). Around each landmark a square patch of 0.4 eye
distances is compared with two expectations:

- *structure*: a visible eye, nostril or lip line has strong local contrast (the 90th minus the
  10th percentile of luma, relative to the skin's luma). Sunglasses, masks, scarves and hands
  are flatter. On the 96 faces of ../shared/data/faces the 5th percentile is 0.34 (eyes), 0.33
  (nose) and 0.21 (mouth corners);
- *colour*: the patch's median chroma (Cr, Cb) is near the skin's, measured between and just
  above the eyes, the skin least often covered. Clean patches stay within 34 (95th
  percentile, lips included); a surgical mask or coloured cloth is 37–75 away.

visibility = structure × colour, each ramped linearly to [0, 1]; a landmark is occluded below 0.5.
Measured on the shared faces with synthetic, noise-textured occluders: 1 clean landmark in 480
flagged; dark glasses and a pale mask flagged on every face; a flat skin-coloured patch over the
mouth on 75–83% of faces.

What it cannot catch: skin-coloured, textured occluders (a hand over the mouth can pass), thin
occluders (glasses frames are not occlusion, by design), and colour cues on greyscale images.
Deep shadow and strong blur read as occlusion, which is what a verification caller needs to know.
"""

from __future__ import annotations

import cv2
import numpy as np

PATCH = 0.4  # patch side, in eye distances
SKIN_ABOVE_EYES = 0.35  # reference skin patch centre, in eye distances above the eye line
OCCLUDED_BELOW = 0.5
# (low, high) relative contrast ramp per landmark: eyes, nose, mouth corners.
_CONTRAST = ((0.12, 0.30), (0.12, 0.30), (0.12, 0.30), (0.06, 0.18), (0.06, 0.18))
_CHROMA = (35.0, 55.0)


def visibility(crop: np.ndarray, points5: np.ndarray) -> np.ndarray:
    """Per landmark, 1.0 clearly visible … 0.0 covered, for an RGB normalised crop."""
    ycc = cv2.cvtColor(crop, cv2.COLOR_RGB2YCrCb).astype(np.float32)
    eye_distance = float(np.linalg.norm(points5[1] - points5[0]))
    half = max(2, round(PATCH * eye_distance / 2))
    skin = _patch(ycc, (points5[0] + points5[1]) / 2 - (0, SKIN_ABOVE_EYES * eye_distance), half)
    skin_luma = max(float(np.median(skin[:, 0])), 16.0)
    skin_chroma = np.median(skin[:, 1:], axis=0)
    scores = []
    for point, (low, high) in zip(points5, _CONTRAST, strict=True):
        patch = _patch(ycc, point, half)
        luma = patch[:, 0]
        contrast = (np.percentile(luma, 90) - np.percentile(luma, 10)) / skin_luma
        chroma = float(np.linalg.norm(np.median(patch[:, 1:], axis=0) - skin_chroma))
        scores.append(_ramp(contrast, low, high) * (1.0 - _ramp(chroma, *_CHROMA)))
    return np.array(scores)


def _patch(ycc: np.ndarray, centre: np.ndarray, half: int) -> np.ndarray:
    height, width = ycc.shape[:2]
    x, y = round(float(centre[0])), round(float(centre[1]))
    x1, x2 = min(max(x - half, 0), width - 1), min(max(x + half, 1), width)
    y1, y2 = min(max(y - half, 0), height - 1), min(max(y + half, 1), height)
    return ycc[y1:y2, x1:x2].reshape(-1, 3)


def _ramp(value: float, low: float, high: float) -> float:
    return float(np.clip((value - low) / (high - low), 0.0, 1.0))
