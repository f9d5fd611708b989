"""Screens: a face replayed on a phone, tablet or monitor.

Two cues, and the score is the stronger:

- bezel: the device's frame. Long straight edges beside the face on its four sides (Canny and
  a probabilistic Hough transform on the frame at 480 px), each side scored by how much darker
  the frame is just outside the edge than just inside it, as a black bezel around a lit screen
  is: a step of `FULL_STEP` grey levels or more counts in full. The four sides' sum is divided
  by four. Door frames, shelves and pillars behind a live face rarely are darker on the far
  side on three sides at once.
- moiré: the screen's pixel grid beating against the camera's, a sharp peak in the face's
  spectrum above the spectrum's local level. It shows only when the camera resolves the
  screen's pixels; at the 200-600 px of a phone's capture frame it usually does not.
"""

from __future__ import annotations

import cv2
import numpy as np

from engine.liveness._view import FrameView

WORK_SIDE = 480
TILT = 15.0  # degrees a device may be turned and its edges still count as sides
REACH = 2.5  # how far from the face, in face widths, a bezel may lie
FULL_STEP = 60.0  # grey levels darker outside than inside that make a side count in full
STRIP = 6  # pixels sampled on each side of an edge
MOIRE_FLOOR, MOIRE_SPAN = 1.45, 0.8


def score(view: FrameView) -> float | None:
    if view.box is None:
        return None
    return float(min(1.0, max(bezel(view) / 4, moire(view))))


def bezel(view: FrameView) -> float:
    """How much of a dark frame surrounds the face: per side (top, bottom, left, right), the
    strongest dark-outside step of a straight edge along it, 0 to 1, summed (0 to 4)."""
    gray = view.gray
    scale = min(1.0, WORK_SIDE / max(gray.shape))
    if scale < 1.0:
        gray = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    box = view.box * scale
    width, height = box[2] - box[0], box[3] - box[1]
    edges = cv2.Canny(cv2.GaussianBlur(gray, (3, 3), 0), 50, 150)
    lines = cv2.HoughLinesP(
        edges,
        1,
        np.pi / 180,
        threshold=40,
        minLineLength=max(8, int(0.5 * min(width, height))),
        maxLineGap=10,
    )
    strength: dict[str, float] = {}
    for segment in lines.reshape(-1, 4).astype(float) if lines is not None else ():
        side = _side(segment, box)
        if side is not None:
            step = np.clip(_step(gray, segment, side) / FULL_STEP, 0.0, 1.0)
            strength[side] = max(strength.get(side, 0.0), float(step))
    return sum(strength.values())


def _side(segment: np.ndarray, box: np.ndarray) -> str | None:
    """Which side of the face box the segment runs along, if any."""
    x1, y1, x2, y2 = segment
    left, top, right, bottom = box
    width, height = right - left, bottom - top
    angle = np.degrees(np.arctan2(y2 - y1, x2 - x1)) % 180
    mid_x, mid_y = (x1 + x2) / 2, (y1 + y2) / 2
    if min(angle, 180 - angle) < TILT and min(x1, x2) < right and max(x1, x2) > left:
        if top - REACH * height < mid_y < top:
            return "top"
        if bottom < mid_y < bottom + REACH * height:
            return "bottom"
    if abs(angle - 90) < TILT and min(y1, y2) < bottom and max(y1, y2) > top:
        if left - REACH * width < mid_x < left:
            return "left"
        if right < mid_x < right + REACH * width:
            return "right"
    return None


def _step(gray: np.ndarray, segment: np.ndarray, side: str) -> float:
    """Mean grey a few pixels inside the edge (towards the face) less that outside it."""
    x1, y1, x2, y2 = segment
    normal = {"top": (0, -1), "bottom": (0, 1), "left": (-1, 0), "right": (1, 0)}[side]
    ts = np.linspace(0.1, 0.9, 16)
    xs, ys = x1 + ts * (x2 - x1), y1 + ts * (y2 - y1)
    outer = _sample(gray, xs + normal[0] * STRIP, ys + normal[1] * STRIP)
    inner = _sample(gray, xs - normal[0] * STRIP, ys - normal[1] * STRIP)
    return inner - outer


def _sample(gray: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> float:
    h, w = gray.shape
    cols = np.clip(np.round(xs).astype(int), 0, w - 1)
    rows = np.clip(np.round(ys).astype(int), 0, h - 1)
    return float(gray[rows, cols].mean())


def moire(view: FrameView) -> float:
    """Height of the strongest isolated spectral peak of the face, scaled to [0, 1]."""
    size = 128
    patch = view.face_patch(size).astype(np.float32)
    window = np.outer(np.hanning(size), np.hanning(size))
    spectrum = np.log1p(np.abs(np.fft.fftshift(np.fft.fft2((patch - patch.mean()) * window))))
    residual = spectrum - cv2.medianBlur(spectrum.astype(np.float32), 5)
    yy, xx = np.mgrid[-size // 2 : size // 2, -size // 2 : size // 2]
    radius = np.hypot(yy, xx)
    # Off the axes: JPEG blocks and the face's own straight edges put energy there.
    band = (radius > 0.12 * size) & (radius < 0.48 * size) & (abs(xx) > 2) & (abs(yy) > 2)
    peak = float(residual[band].max())
    return float(np.clip((peak - MOIRE_FLOOR) / MOIRE_SPAN, 0.0, 1.0))
