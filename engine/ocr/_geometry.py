"""Quadrilaterals and the transforms between an input image and the upright views read from it.

Reading happens in an upright frame (a card warped flat, or a page turned by quarter turns);
every position is mapped back to the input frame with one 3×3 matrix before it leaves the
engine, because the manuals report positions on the original image.
"""

from __future__ import annotations

import cv2
import numpy as np

from contracts.documents import Quad
from contracts.faces import Point


def turn(pixels: np.ndarray, degrees: int) -> np.ndarray:
    """The image turned clockwise by a multiple of 90 degrees."""
    return np.ascontiguousarray(np.rot90(pixels, k=-(degrees // 90) % 4))


def turn_matrix(degrees: int, width: int, height: int) -> np.ndarray:
    """The 3×3 map from a width×height image's pixels to those of the image turned clockwise."""
    c = {0: (1, 0, 0, 1), 90: (0, -1, 1, 0), 180: (-1, 0, 0, -1), 270: (0, 1, -1, 0)}
    a, b, d, e = c[degrees % 360]
    # corners of the pixel grid stay on the grid: x' = a·x + b·y + tx, y' = d·x + e·y + ty
    tx = {0: 0, 90: height, 180: width, 270: 0}[degrees % 360]
    ty = {0: 0, 90: 0, 180: height, 270: width}[degrees % 360]
    return np.array([[a, b, tx], [d, e, ty], [0, 0, 1]], dtype=np.float64)


def map_points(matrix: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Apply a 3×3 projective map to an (n, 2) array of points."""
    pts = np.asarray(points, dtype=np.float64).reshape(-1, 1, 2)
    return cv2.perspectiveTransform(pts, matrix).reshape(-1, 2)


def clockwise(points: np.ndarray) -> np.ndarray:
    """Four points in clockwise order (in image coordinates, y down), starting top-left."""
    pts = np.asarray(points, dtype=np.float32).reshape(4, 2)
    centre = pts.mean(axis=0)
    angles = np.arctan2(pts[:, 1] - centre[1], pts[:, 0] - centre[0])
    pts = pts[np.argsort(angles)]
    start = int(np.argmin(pts.sum(axis=1)))
    return np.roll(pts, -start, axis=0)


def crop_quad(pixels: np.ndarray, quad: np.ndarray) -> np.ndarray:
    """The quad's content warped flat, as wide and high as its longer edges."""
    quad = np.asarray(quad, dtype=np.float32)
    width = max(1, round(max(_length(quad[0], quad[1]), _length(quad[3], quad[2]))))
    height = max(1, round(max(_length(quad[0], quad[3]), _length(quad[1], quad[2]))))
    target = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(quad, target)
    return cv2.warpPerspective(
        pixels, matrix, (width, height), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE
    )


def span(quad: np.ndarray, left: float, right: float) -> np.ndarray:
    """The part of a line's quad between two fractions of its width."""
    quad = np.asarray(quad, dtype=np.float64)
    top = quad[0] + (quad[1] - quad[0]) * np.array([[left], [right]])
    bottom = quad[3] + (quad[2] - quad[3]) * np.array([[right], [left]])
    return np.vstack([top, bottom])


def to_quad(points: np.ndarray) -> Quad:
    pts = np.asarray(points, dtype=np.float64).reshape(4, 2)
    return Quad(points=tuple(Point(x=round(float(x), 1), y=round(float(y), 1)) for x, y in pts))


def rotation_of(quad: np.ndarray) -> int:
    """Clockwise degrees, to the nearest quarter turn, that bring an upright-ordered quad (its
    first edge is the content's top) level in the input."""
    dx, dy = np.asarray(quad[1], dtype=np.float64) - np.asarray(quad[0], dtype=np.float64)
    tilt = float(np.degrees(np.arctan2(dy, dx)))
    return int((-round(tilt / 90) * 90) % 360)


def _length(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(a - b))
