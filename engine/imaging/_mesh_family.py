"""Which family of ID-photo watermark a meshed photo carries (Yitu's image types 5, 7 and 9,
seed 001 §9.2, for photos sent as 101 "any of them").

The manual names three families, and integrators' code describes them the same way: the
financial industry's photo (5, "the old mesh without horizontal stripes"), the police's (7,
"the old mesh with horizontal stripes") and the wire mesh (9, "the new mesh", 铁丝网). They
differ in their lines: the old mesh is two crossing families of wavy lines, the police photo
adds straight horizontal stripes to it, and the wire mesh is straight lines in two directions.

So the mesh is first isolated as `_dereticulate` does (the spectral peaks transformed back,
its lines taken above the same level), in one window at the centre of the photo. A straight
line lies wholly on that line map, and a wavy one never does: a straight line through a wavy
line meets it only at crests, troughs and crossings. So the lines of the map's Hough transform
(1 px, 1°) whose votes reach `STRAIGHT` of their length are straight lines (lines shorter than
half the map's smaller side are not counted: a corner is short enough for a wavy line to fill
it), and a family of them is at least `MIN_LINES` such lines in one direction, since a mesh
repeats (an edge of the face or the clothes that the spectrum kept with the mesh makes one,
not several, or several close together, as a striped shirt does), spread over the map as a
watermark is. Two straight families make a wire mesh; one lying horizontal beside the wavy
mesh makes the police photo's stripes; none, the financial photo.

Measured on simulated meshes only (no real watermarked ID photo is in the shared data): the
figures and their limits are in docs/dereticulation.md.
"""

from __future__ import annotations

from typing import Literal

import cv2
import numpy as np

from contracts.images import DecodedImage
from engine.imaging._dereticulate import LINE_LEVEL, mesh_map, smooth_length

MeshFamily = Literal["financial", "police", "wire"]

STRAIGHT = 0.92  # share of a Hough line's length on the line map that makes it straight
MIN_LINES = 3  # straight lines in one direction that make a family of them
SPREAD = 0.3  # share of the map across them that a family's lines must spread over
HORIZONTAL = 4  # degrees from horizontal within which straight lines are stripes (横纹)
DISTINCT = 10  # degrees between two directions for them to be two families


def mesh_family(image: DecodedImage) -> MeshFamily | None:
    """The watermark family of a meshed photo, or None when it shows no mesh."""
    gray = cv2.cvtColor(image.pixels, cv2.COLOR_BGR2GRAY).astype(np.float32)
    mesh = mesh_map(_central(gray))
    if mesh is None:
        return None
    lines = (mesh > LINE_LEVEL * np.percentile(mesh, 99.5)).astype(np.uint8)
    straight = straight_families(lines)
    if len(straight) >= 2:
        return "wire"
    if any(_apart(angle, 0.0) <= HORIZONTAL for angle in straight):
        return "police"
    return "financial"


def straight_families(lines: np.ndarray) -> list[float]:
    """The directions (degrees from horizontal, -90 to 90) in which the line map holds a
    family of straight lines: at least `MIN_LINES` of them, spread over `SPREAD` of the map
    across their direction. Vertical lines are no family's: they come from the picture."""
    rows, cols = lines.shape
    shortest = 0.5 * min(rows, cols)
    found = cv2.HoughLinesWithAccumulator(lines, 1, np.pi / 180, int(STRAIGHT * shortest))
    families: dict[float, list[float]] = {}  # direction: the offsets (ρ) of its lines
    for rho, theta, votes in [] if found is None else found.reshape(-1, 3):
        length = _chord(rho, theta, cols, rows)
        if length < shortest or votes < STRAIGHT * length:
            continue
        angle = float(np.degrees(theta)) - 90.0  # theta is the normal's; the line's direction
        if _apart(angle, 90.0) <= HORIZONTAL:
            continue
        direction = next((d for d in families if _apart(angle, d) < DISTINCT), angle)
        families.setdefault(direction, []).append(float(rho))
    return [
        direction
        for direction, offsets in families.items()
        if len(offsets) >= MIN_LINES and np.ptp(offsets) >= SPREAD * _extent(direction, rows, cols)
    ]


def _chord(rho: float, theta: float, width: int, height: int) -> float:
    """The length inside the image of the line x·cos θ + y·sin θ = ρ."""
    c, s = np.cos(theta), np.sin(theta)
    points = []
    if abs(s) > 1e-9:
        points += [(x, (rho - x * c) / s) for x in (0.0, width - 1.0)]
    if abs(c) > 1e-9:
        points += [((rho - y * s) / c, y) for y in (0.0, height - 1.0)]
    inside = [(x, y) for x, y in points if -0.5 <= x <= width - 0.5 and -0.5 <= y <= height - 0.5]
    if len(inside) < 2:
        return 0.0
    xs, ys = np.array(inside).T
    return float(np.hypot(np.ptp(xs), np.ptp(ys)))


def _extent(direction: float, rows: int, cols: int) -> float:
    """How far the map reaches across lines of this direction."""
    normal = np.radians(direction + 90.0)
    return abs(cols * np.cos(normal)) + abs(rows * np.sin(normal))


def _apart(a: float, b: float) -> float:
    difference = abs(a - b) % 180
    return min(difference, 180 - difference)


def _central(gray: np.ndarray) -> np.ndarray:
    rows, cols = (smooth_length(n) for n in gray.shape)
    top, left = (gray.shape[0] - rows) // 2, (gray.shape[1] - cols) // 2
    return gray[top : top + rows, left : left + cols]
