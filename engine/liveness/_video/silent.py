"""Silent video liveness: measurements of how the face moves, each turned into
attack-likeness in [0, 1], and their combination into one attack score.

- planarity: a printed photo or a screen is one plane, so between two frames its landmarks
  move by one homography up to landmark noise, while a real head turning shows parallax
  (the nose tip against the cheeks, the jaw's contour sliding). Over frame pairs 0.5 s and
  1 s apart whose rigid landmarks (jaw, brows, nose, eye corners) moved beyond a similarity
  transform (the head turned or tilted, not just slid), the share of that motion a
  homography explains decides: explained to the noise is flat. Needs the head to move.
- background: a photo carries its surroundings with it. Points tracked (Lucas-Kanade) in a
  ring around the face that follow the face's own motion, while the face moves, look like
  one rigid sheet; a real head moves against a still background (or, held in the hand, a
  background that moves with the camera, not with the face).
- stillness: a living face is never still: it blinks, its expression and lids move. With no
  spontaneous blink, the non-rigid motion of all 68 points (what one homography cannot
  explain between frames) near landmark noise reads as still.
- passive: the per-frame checks of engine.liveness over the sampled frames (screen bezel or
  moiré, print texture), each scaled so that its `normal` threshold reads 0.5; the median
  frame decides, so one odd frame does not.

The attack score is the larger of the screen check and the weighted mean of the motion
measures and the print-texture check: a replay on a phone moves like a real face (it *is*
one, recorded) and is caught only by its bezel, while the motion measures catch flat
presentations. docs/liveness.md gives the separation measured on ../shared/data and on the
simulated attacks, and what none of this can catch.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import cv2
import numpy as np

from contracts.liveness import SilentEvidence
from engine.liveness._video.track import Sample

RIGID = (*range(0, 27), *range(27, 36), 36, 39, 42, 45)
LAGS = (0.5, 1.0)  # seconds between the frames compared
NOISE, PARALLAX = 0.018, 0.035  # unexplained rigid motion, eye spans: landmark noise; a head
STILL_MOUTH, MOVING_MOUTH = 0.025, 0.08  # mouth-ratio spread: a photo's jitter; a live face
MOVING = 0.08  # face displacement, in eye spans, for the background test
RING = (1.35, 2.2)  # the ring around the face box, in box sides from its centre
# background is reported but not weighted: on ../shared/data it does not separate (hair and
# shoulders in the ring follow a live head as a sheet's margin follows a photo).
PRINT_WEIGHT = 0.25
SCREEN_QUANTILE = 75  # a device's bezel stays in view: most frames must show it


def evidence(
    samples: Sequence[Sample], blinks: int, mouths: int, passive: dict[str, list[float]]
) -> SilentEvidence:
    found = [s for s in samples if s.found]
    return SilentEvidence(
        planarity=planarity(found),
        background=background(samples),
        passive=_passive(passive),
        stillness=stillness(found, blinks + mouths),
        blinks=blinks,
    )


def attack_score(silent: SilentEvidence, passive: dict[str, list[float]]) -> float:
    """One attack score in [0, 1] from the evidence (module docstring).

    A flat presentation needs both: a face that never moved on its own (stillness) and, where
    the head moved, no parallax (planarity); their product is weighed 3:1 with the print
    texture. The screen check stands alone, since a replayed face moves like a live one.
    """
    screen = _percentile(passive.get("screen"), SCREEN_QUANTILE)
    printed = _percentile(passive.get("printed_photo"), 50)
    flat = None
    if silent.stillness is not None:
        flat = silent.stillness * (1.0 if silent.planarity is None else silent.planarity)
    elif silent.planarity is not None:
        flat = silent.planarity
    if flat is None:
        flat = 0.5
    if printed is not None:
        flat = (1 - PRINT_WEIGHT) * flat + PRINT_WEIGHT * printed
    return round(float(max(flat, screen or 0.0)), 4)


def planarity(found: Sequence[Sample]) -> float | None:
    """Attack-likeness from the absence of parallax: the 90th percentile, over frame pairs,
    of the rigid landmarks' motion that no homography explains (in eye spans)."""
    residuals = []
    for a, b in _pairs(found, LAGS):
        src, dst = _rigid(a), _rigid(b)
        homography, _ = cv2.findHomography(src, dst, 0)
        if homography is not None:
            residuals.append(_residual(src, dst, homography))
    if len(residuals) < 3:
        return None
    return _ramp(float(np.percentile(residuals, 90)), PARALLAX, NOISE)


def stillness(found: Sequence[Sample], expressions: int) -> float | None:
    """Attack-likeness from a face that never changes: 0 once it blinked or opened its
    mouth, else how little its mouth moved (the 10th-90th percentile spread of the mouth
    ratio)."""
    if expressions:
        return 0.0
    if len(found) < 3:
        return None
    mouth = np.array([s.mouth for s in found])
    spread = float(np.percentile(mouth, 90) - np.percentile(mouth, 10))
    return _ramp(spread, MOVING_MOUTH, STILL_MOUTH)


def background(samples: Sequence[Sample]) -> float | None:
    """Median over moving frame pairs of the share of ring points that follow the face."""
    shares = []
    for a, b in pairwise(samples):
        if not (a.found and b.found) or a.grey is None or b.grey is None:
            continue
        share = _ring_follows(a, b)
        if share is not None:
            shares.append(share)
    if len(shares) < 3:
        return None
    return _ramp(float(np.median(shares)), 0.3, 0.7)


def _ring_follows(a: Sample, b: Sample) -> float | None:
    assert a.points is not None and b.points is not None and a.box is not None
    assert a.grey is not None and b.grey is not None
    scale = a.grey_scale
    src, dst = a.points[list(RIGID)] * scale, b.points[list(RIGID)] * scale
    motion = _similarity(src, dst)
    span = a.eye_span * scale
    if np.median(np.linalg.norm(dst - src, axis=1)) < MOVING * span:
        return None
    corners = _ring_corners(a.grey, a.box * scale)
    if corners is None:
        return None
    moved, status, _ = cv2.calcOpticalFlowPyrLK(a.grey, b.grey, corners, None)  # type: ignore[call-overload]  # None: no initial guess (the stubs want an array)
    kept = status.ravel() == 1
    if kept.sum() < 8:
        return None
    start, end = corners[kept].reshape(-1, 2), moved[kept].reshape(-1, 2)
    predicted = _apply(motion, start)
    follows = np.linalg.norm(end - predicted, axis=1) < 0.1 * span
    return float(follows.mean())


def _ring_corners(grey: np.ndarray, box: np.ndarray) -> np.ndarray | None:
    centre = (box[:2] + box[2:]) / 2
    side = max(box[2] - box[0], box[3] - box[1])
    height, width = grey.shape
    ys, xs = np.mgrid[0:height, 0:width]
    reach = np.maximum(np.abs(xs - centre[0]), np.abs(ys - centre[1])) / side
    mask = ((reach >= RING[0] / 2) & (reach <= RING[1] / 2)).astype(np.uint8) * 255
    corners = cv2.goodFeaturesToTrack(grey, 60, 0.01, 5, mask=mask)
    return corners if corners is not None and len(corners) >= 8 else None


def _pairs(found: Sequence[Sample], lags: Sequence[float]) -> list[tuple[Sample, Sample]]:
    """Frame pairs about `lag` seconds apart (within a quarter of it)."""
    pairs = []
    times = np.array([s.timestamp for s in found])
    for a in found:
        for lag in lags:
            j = int(np.searchsorted(times, a.timestamp + lag))
            if j < len(found) and abs(times[j] - a.timestamp - lag) <= lag / 4:
                pairs.append((a, found[j]))
    return pairs


def _rigid(sample: Sample) -> np.ndarray:
    assert sample.points is not None
    return _normalised(sample, sample.points[list(RIGID)])


def _normalised(reference: Sample, points: np.ndarray | None) -> np.ndarray:
    """Points in units of the reference frame's eye span (float32 for OpenCV)."""
    assert points is not None
    return (points / reference.eye_span).astype(np.float32)


def _similarity(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """The least-squares similarity (rotation, scale, shift) from src to dst, as 3×3."""
    mu_s, mu_d = src.mean(axis=0), dst.mean(axis=0)
    a, b = src - mu_s, dst - mu_d
    norm = float((a**2).sum()) or 1e-12
    c = float((a * b).sum()) / norm
    s = float((a[:, 0] * b[:, 1] - a[:, 1] * b[:, 0]).sum()) / norm
    rot = np.array([[c, -s], [s, c]])
    shift = mu_d - rot @ mu_s
    return np.array([[c, -s, shift[0]], [s, c, shift[1]], [0.0, 0.0, 1.0]])


def _apply(transform: np.ndarray, points: np.ndarray) -> np.ndarray:
    moved = np.c_[points, np.ones(len(points))] @ transform.T
    return moved[:, :2] / moved[:, 2:3]


def _residual(src: np.ndarray, dst: np.ndarray, transform: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.sum((_apply(transform, src) - dst) ** 2, axis=1))))


def _passive(passive: dict[str, list[float]]) -> float | None:
    values = [
        v
        for v in (
            _percentile(passive.get("screen"), SCREEN_QUANTILE),
            _percentile(passive.get("printed_photo"), 50),
        )
        if v is not None
    ]
    return max(values) if values else None


def _percentile(scores: list[float] | None, q: float) -> float | None:
    return float(np.percentile(scores, q)) if scores else None


def _ramp(value: float, zero: float, one: float) -> float:
    """0 at `zero`, 1 at `one`, linear between (either direction)."""
    return round(float(np.clip((value - zero) / (one - zero), 0.0, 1.0)), 4)
