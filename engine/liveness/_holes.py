"""Cut-out masks: a photograph with holes at the eyes, held before a face so the eyes blink.

A hole's rim is a closed edge around the eye at a steady distance, where a face has no edge at
all below and beside the eye (only the brow and lid crease above it). From each eye's centre,
`RAYS` rays are cast over the lower and outer three quarters of the circle; on each the largest
grey step between 0.6 and 1.8 eye-widths out is found. A ray counts when that step is strong
(over `STEP` of the face's contrast) and lies at about the distance the others do (a rim is
round or oval, not scattered). The score is the share of rays that count, averaged over both
eyes.

Dark glasses rims and deep eye sockets under a top light also make such edges; a hole cut well
larger than the eye, or one whose rim blends with the skin, is missed.
"""

from __future__ import annotations

import cv2
import numpy as np

from engine.liveness._view import EYES, FrameView

RAYS = 24
STEP = 0.18
NEAR, FAR = 0.6, 1.8  # search range along a ray, in eye widths
# Angles in image coordinates (y down, 0 to the right); the top quarter, the brow's,
# is left out.
_ANGLES = np.radians(np.linspace(-45, 225, RAYS, endpoint=False))


def score(view: FrameView) -> float | None:
    if view.landmarks is None or view.box is None:
        return None
    gray = cv2.GaussianBlur(view.gray, (3, 3), 0).astype(np.float32)
    contrast = view.contrast()
    shares = [_rim_share(gray, view.landmarks[eye], contrast) for eye in EYES]
    return float(np.mean(shares))


def _rim_share(gray: np.ndarray, points: np.ndarray, contrast: float) -> float:
    centre = points.mean(axis=0)
    width = max(float(np.linalg.norm(points[3] - points[0])), 2.0)
    radii = np.linspace(NEAR * width, FAR * width, 24)
    xs = centre[0] + np.cos(_ANGLES)[:, None] * radii[None, :]
    ys = centre[1] + np.sin(_ANGLES)[:, None] * radii[None, :]
    profiles = cv2.remap(
        gray,
        xs.astype(np.float32),
        ys.astype(np.float32),
        cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_REPLICATE,
    )
    steps = np.abs(np.diff(profiles, axis=1))
    where = steps.argmax(axis=1)
    strong = steps.max(axis=1) > STEP * contrast
    if strong.sum() < 3:
        return 0.0
    typical = np.median(where[strong])
    steady = np.abs(where - typical) <= 0.25 * len(radii)
    return float((strong & steady).mean())
