"""Face-swap evidence in one photo (SenseTime §5.5): does the face carry the same detail and
noise as the picture around it?

A pasted face (the classic landmark-aligned swap: warp another photo's face onto this one and
blend it with Poisson cloning) brings the detail of its own photo: resampled to fit, usually
softer or sharper than its new surroundings, with different sensor and compression noise. Two
measures compare the face (its 68-point hull, eroded) with a ring around it (hair, ears, neck,
background):

- sharpness: the 90th percentile of |Laplacian|, as log(face / ring);
- noise: the RMS of the fine residual (luma minus its σ = 1 blur) over the flatter half of each
  region's pixels (by gradient), as log(face / ring).

Real photos: the face is in focus and the ring often is not (portraits blur their background),
so the face may be much sharper, but it is rarely much softer. The evidence is the largest of
−sharpness / 0.62, sharpness / 1.0 and |noise| / 0.95, each of which is 1 at the threshold set on
../shared/data/faces and on swaps simulated from them (tests/imaging/swaps.py); the manual's
score is 0.96 × evidence, capped at 1, so its "above 0.96 is an attack" falls on those
thresholds. Rates: `python -m benchmarks.defake` and docs/sensetime-advanced.md.

What it cannot catch: faces generated whole (GANs, diffusion: face and surroundings come from
one process, with one noise), modern swap networks that re-render the face at the target's
resolution, swaps between photos of equal sharpness and noise, and edits re-compressed so hard
that both regions lose their detail. It is a screening signal, not proof either way.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from contracts.faces import Face

ATTACK_ABOVE = 0.96  # the manual's threshold
_SOFTER = 0.62  # log sharpness ratio (face softer than its surroundings) scoring 1
_SHARPER = 1.0  # face sharper than its surroundings
_NOISE = 0.95  # |log noise ratio|
_INNER = 0.16  # erosion of the hull, in face widths
_RING = (0.06, 0.30)  # the ring around the hull, in face widths
_MIN_PIXELS = 200


@dataclass(frozen=True)
class Evidence:
    sharpness: float  # log(face / ring)
    noise: float  # log(face / ring)
    score: float  # the manual's 0..1; above ATTACK_ABOVE reads as a swap

    @property
    def passed(self) -> bool:
        return self.score <= ATTACK_ABOVE


def examine(bgr: np.ndarray, face: Face) -> Evidence:
    """Swap evidence for a face whose 68 points (upright frame of `bgr`) are known."""
    points = np.array([(p.x, p.y) for p in face.landmarks68], np.float64)
    grey = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY).astype(np.float32)
    height, width = grey.shape
    face_width = max(float(points[16, 0] - points[0, 0]), 8.0)
    hull = np.zeros((height, width), np.uint8)
    cv2.fillConvexPoly(hull, cv2.convexHull(np.round(points[:27]).astype(np.int32)), 255)
    inner = cv2.erode(hull, _disc(_INNER * face_width))
    ring = cv2.subtract(
        cv2.dilate(hull, _disc(_RING[1] * face_width)),
        cv2.dilate(hull, _disc(_RING[0] * face_width)),
    )
    if min(np.count_nonzero(inner), np.count_nonzero(ring)) < _MIN_PIXELS:
        return Evidence(0.0, 0.0, 0.0)  # too small to compare: no evidence either way
    laplacian = np.abs(cv2.Laplacian(grey, cv2.CV_32F))
    residual = grey - cv2.GaussianBlur(grey, (0, 0), 1.0)
    gradient = np.hypot(cv2.Sobel(grey, cv2.CV_32F, 1, 0), cv2.Sobel(grey, cv2.CV_32F, 0, 1))

    def sharpness(mask: np.ndarray) -> float:
        return float(np.percentile(laplacian[mask > 0], 90)) + 0.5

    def noise(mask: np.ndarray) -> float:
        where = mask > 0
        flat = gradient[where] <= np.percentile(gradient[where], 50)
        return float(np.sqrt(np.mean(residual[where][flat] ** 2))) + 0.05

    sharp = float(np.log(sharpness(inner) / sharpness(ring)))
    grain = float(np.log(noise(inner) / noise(ring)))
    evidence = max(-sharp / _SOFTER, sharp / _SHARPER, abs(grain) / _NOISE, 0.0)
    return Evidence(sharpness=sharp, noise=grain, score=min(ATTACK_ABOVE * evidence, 1.0))


def _disc(diameter: float) -> np.ndarray:
    side = max(3, int(diameter) | 1)
    return cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (side, side))
