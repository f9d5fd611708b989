"""Liveness scores on each vendor's scale: one mapping from the engine's attack score.

The engine scores liveness as an attack score in [0, 1] (contracts.liveness), attack at
`ATTACK_THRESHOLD` and above. Each vendor publishes its own scale and threshold:

- SenseTime hacknessScore (seed 000 §4.1): 0..1, "大于 0.95 即判断为攻击" (above 0.95 = attack);
- SenseTime interactive and silent video liveness (§4.2, §4.3): 0..1, above 0.96 = attack;
- netocr 3035/3036 (PROTOCOLS.md): 0..100, threshold 50, lower = live.

Each map is piecewise linear through (0, bottom), (ATTACK_THRESHOLD, the vendor's threshold)
and (1, top), strictly increasing, so a threshold on a vendor's scale is the engine's
threshold and "attack" means the same thing on every scale.
"""

from __future__ import annotations

import numpy as np

from contracts.liveness import ATTACK_THRESHOLD

SENSETIME_IMAGE_THRESHOLD = 0.95
SENSETIME_VIDEO_THRESHOLD = 0.96
NETOCR_THRESHOLD = 50.0


def _scale(attack: float, threshold: float, top: float) -> float:
    return float(np.interp(attack, (0.0, ATTACK_THRESHOLD, 1.0), (0.0, threshold, top)))


def sensetime_image_score(attack: float) -> float:
    """SenseTime's hacknessScore for an image's attack score (> 0.95 = attack)."""
    return round(_scale(attack, SENSETIME_IMAGE_THRESHOLD, 1.0), 7)


def sensetime_video_score(attack: float) -> float:
    """SenseTime's video liveness score for a clip's attack score (> 0.96 = attack)."""
    return round(_scale(attack, SENSETIME_VIDEO_THRESHOLD, 1.0), 7)


def netocr_score(attack: float) -> float:
    """netocr's 0..100 liveness score for an attack score (lower = live, threshold 50)."""
    return round(_scale(attack, NETOCR_THRESHOLD, 100.0), 2)
