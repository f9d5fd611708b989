"""Simulated presentation-attack clips made from real data, for benchmarks/liveness.py and tests.

../shared/data has no printed-photo or screen-replay video of usable resolution (MANIFEST.md:
only the 150×322 Silent-Face demo), so these clips are made, and named simulated wherever
they are reported:

- `printed_photo_clip`: a real face photograph on a sheet of paper (a white margin around
  the photo), held in front of a still camera: the sheet turns about its vertical and
  horizontal axes by a few degrees and drifts, i.e. every frame is the photo under one
  homography, over a background cut from a real clip's frame (a wooden wall).
- `screen_replay_clip`: a real live clip played on a phone: each frame shrunk into the
  screen of a black-bezelled device, which is held by a slightly shaking hand (a small
  homography per frame), over the same kind of background.
- `person_swap_clip`: one real person's clip cut to another's (a person change).

Simulations are easier than real attacks (no glare, no paper curl, no screen colour cast),
so the rates measured on them are upper bounds for what the checks catch.
"""

from __future__ import annotations

import math
from pathlib import Path

import cv2
import numpy as np

from benchmarks.images import imread

SIZE = (640, 480)


def backdrop(shared_data: Path) -> np.ndarray:
    """A still, face-free background: the wooden wall beside the man of frontal_gaze_demo.mp4
    (the frame's left 150 px), tiled mirror-wise to the frame's width."""
    capture = cv2.VideoCapture(str(shared_data / "videos/frontal_gaze_demo.mp4"))
    ok, frame = capture.read()
    capture.release()
    assert ok
    strip = cv2.resize(frame[:, :150], (160, SIZE[1]))
    tiles = [strip if i % 2 == 0 else strip[:, ::-1] for i in range(SIZE[0] // 160)]
    return np.ascontiguousarray(np.hstack(tiles))


def _tilt(
    width: int, height: int, yaw: float, pitch: float, shift: tuple[float, float]
) -> np.ndarray:
    """The homography of a sheet (width×height, centred on the frame) turned by yaw and pitch
    degrees about its centre, seen by a camera 2.5 sheet widths away, then shifted."""
    f = 2.5 * width
    corners = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]], dtype=np.float64) * (
        width / 2,
        height / 2,
    )
    a, b = math.radians(yaw), math.radians(pitch)
    rot = np.array(
        [[math.cos(a), 0, math.sin(a)], [0, 1, 0], [-math.sin(a), 0, math.cos(a)]]
    ) @ np.array([[1, 0, 0], [0, math.cos(b), -math.sin(b)], [0, math.sin(b), math.cos(b)]])
    pts3 = np.c_[corners, np.zeros(4)] @ rot.T + (0, 0, f)
    projected = pts3[:, :2] * f / pts3[:, 2:3] + (SIZE[0] / 2 + shift[0], SIZE[1] / 2 + shift[1])
    src = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
    return cv2.getPerspectiveTransform(src, projected.astype(np.float32))


def _write(path: Path, frames: list[np.ndarray], fps: float) -> Path:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"mp4v"), fps, SIZE)
    for frame in frames:
        writer.write(frame)
    writer.release()
    return path


def printed_photo_clip(
    photo: Path,
    background: np.ndarray,
    path: Path,
    *,
    seconds: float = 5.0,
    fps: float = 25.0,
    degrees: float = 12.0,
    still: bool = False,
) -> Path:
    """A photo on paper, turned about both axes by up to `degrees` (or held still)."""
    image = imread(photo)
    scale = 300 / image.shape[0]
    image = cv2.resize(image, (round(image.shape[1] * scale), 300), interpolation=cv2.INTER_AREA)
    sheet = cv2.copyMakeBorder(image, 30, 30, 30, 30, cv2.BORDER_CONSTANT, value=(235, 238, 240))
    height, width = sheet.shape[:2]
    frames = []
    for i in range(round(seconds * fps)):
        t = i / fps
        amount = 0.0 if still else 1.0
        yaw = amount * degrees * math.sin(2 * math.pi * t / 2.5)
        pitch = amount * 0.5 * degrees * math.sin(2 * math.pi * t / 3.1 + 1.0)
        shift = (amount * 15 * math.sin(2 * math.pi * t / 4.0), amount * 8 * math.cos(t))
        warp = _tilt(width, height, yaw, pitch, shift)
        frame = background.copy()
        cv2.warpPerspective(sheet, warp, SIZE, frame, borderMode=cv2.BORDER_TRANSPARENT)
        frames.append(frame)
    return _write(path, frames, fps)


def screen_replay_clip(
    clip: Path, background: np.ndarray, path: Path, *, seconds: float = 5.0
) -> Path:
    """A live clip played on a black-bezelled phone held in a slightly shaking hand."""
    capture = cv2.VideoCapture(str(clip))
    fps = capture.get(cv2.CAP_PROP_FPS) or 25.0
    frames = []
    screen_h = 340
    for i in range(round(seconds * fps)):
        ok, shown = capture.read()
        if not ok:
            break
        screen_w = round(shown.shape[1] * screen_h / shown.shape[0])
        shown = cv2.resize(shown, (screen_w, screen_h), interpolation=cv2.INTER_AREA)
        device = cv2.copyMakeBorder(shown, 36, 44, 14, 14, cv2.BORDER_CONSTANT, value=(18, 18, 20))
        height, width = device.shape[:2]
        t = i / fps
        warp = _tilt(
            width,
            height,
            3 * math.sin(3.1 * t),
            2 * math.sin(2.3 * t),
            (4 * math.sin(1.7 * t), 3 * math.sin(2.9 * t)),
        )
        frame = background.copy()
        cv2.warpPerspective(device, warp, SIZE, frame, borderMode=cv2.BORDER_TRANSPARENT)
        frames.append(frame)
    capture.release()
    return _write(path, frames, fps)


def person_swap_clip(first: Path, second: Path, path: Path, *, seconds: float = 3.0) -> Path:
    """`seconds` of one real clip, then `seconds` of another person's, as one 25-fps clip: a
    cut from one person to another (the swap netocr reports as 是否有换人)."""
    frames = []
    for clip in (first, second):
        capture = cv2.VideoCapture(str(clip))
        for _ in range(round(seconds * 25)):
            ok, frame = capture.read()
            if not ok:
                break
            frames.append(cv2.resize(frame, SIZE))
        capture.release()
    return _write(path, frames, 25.0)
