"""Quarter turns of an image, and of points and boxes between the input and the upright frame.

`k` is always the number of clockwise quarter turns applied to the *input* to make it upright,
as contracts.faces.Detection.rotation defines it. Coordinates are continuous (pixel i spans
[i, i+1)), so turning is exact: a clockwise turn of a W×H image sends (x, y) to (H − y, x).
"""

from __future__ import annotations

import numpy as np

from contracts.faces import Box, Point


def turn(pixels: np.ndarray, k: int) -> np.ndarray:
    """The image turned clockwise by k quarter turns (a contiguous copy unless k is 0)."""
    k %= 4
    return pixels if k == 0 else np.ascontiguousarray(np.rot90(pixels, -k))


def turned_size(width: int, height: int, k: int) -> tuple[int, int]:
    """(width, height) after k quarter turns."""
    return (height, width) if k % 2 else (width, height)


def turn_points(points: np.ndarray, width: int, height: int, k: int) -> np.ndarray:
    """Points (…, 2) of a width×height image, in the frame of that image turned clockwise k."""
    x, y = points[..., 0], points[..., 1]
    k %= 4
    if k == 0:
        out = (x, y)
    elif k == 1:
        out = (height - y, x)
    elif k == 2:
        out = (width - x, height - y)
    else:
        out = (y, width - x)
    return np.stack(out, axis=-1)


def turn_boxes(boxes: np.ndarray, width: int, height: int, k: int) -> np.ndarray:
    """Boxes (n, 4) x1 y1 x2 y2 of a width×height image, in the turned frame."""
    corners = turn_points(boxes.reshape(-1, 2, 2), width, height, k)
    return np.concatenate([corners.min(axis=1), corners.max(axis=1)], axis=-1)


def to_box(row: np.ndarray) -> Box:
    left, top, right, bottom = (float(v) for v in row)
    return Box(left=left, top=top, right=right, bottom=bottom)


def to_points(rows: np.ndarray) -> tuple[Point, ...]:
    return tuple(Point(x=float(x), y=float(y)) for x, y in rows)
