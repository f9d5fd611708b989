"""Finding ID-1 cards (85.6 × 54 mm) in a photo and warping each flat to a standard view.

Two cues find the card outline, and the best-shaped quadrilateral of either wins:
- colour distance from the background, estimated from the image border (a card on a table,
  a scan on a dark or white page);
- edges (Canny, closed), for backgrounds that vary.
A candidate must be convex, cover at least `MIN_AREA` of the image and have roughly the card's
aspect once perspective is allowed for. Cards have rounded corners, so each side is refitted
as a straight line through the outline's points along it, and the corners are the lines'
intersections: the sharp corners of the card, not points on the rounding.
"""

from __future__ import annotations

import cv2
import numpy as np

from engine.ocr._geometry import clockwise

CARD_SIZE = (856, 540)  # pixels, 10 px per mm
WORK_SIDE = 640  # outline search runs on a copy this large
MIN_AREA = 0.1
ASPECT_RANGE = (1.4, 1.9)  # 1.59 for a card seen square-on; perspective stretches it
MIN_FILL = 0.9  # outline area over quad area: a card's rounded corners lose ~1%
# An image of a card's own shape is a scan cropped to the card; an outline covering less than
# PART_OF_SCAN of it is something printed on the card (the portrait), not a card.
SCAN_ASPECT = (1.52, 1.66)
PART_OF_SCAN = 0.35


def find_cards(pixels: np.ndarray) -> list[np.ndarray]:
    """Card quads in the image, clockwise from the top-left, at most two (a photocopy can show
    both sides), in reading order."""
    height, width = pixels.shape[:2]
    scale = WORK_SIDE / max(height, width)
    size = (round(width * scale), round(height * scale))
    small = cv2.resize(pixels, size, interpolation=cv2.INTER_AREA)
    candidates = []
    for mask in (_foreground(small), _edges(small)):
        candidates.extend(_quads(mask))
    if SCAN_ASPECT[0] <= max(height, width) / min(height, width) <= SCAN_ASPECT[1]:
        least = PART_OF_SCAN * small.shape[0] * small.shape[1]
        candidates = [(fit, quad) for fit, quad in candidates if _area(quad) >= least]
    chosen: list[tuple[float, np.ndarray]] = []
    for fit, quad in sorted(candidates, key=lambda item: -_area(item[1]) * item[0]):
        if all(_iou(quad, other) < 0.5 for _, other in chosen):
            chosen.append((fit, quad))
    cards = [quad / scale for _, quad in chosen[:2]]
    return sorted(cards, key=lambda quad: (quad[:, 1].min(), quad[:, 0].min()))


def warp(
    pixels: np.ndarray, quad: np.ndarray, *, long_side: int | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The card flat at CARD_SIZE, long side horizontal (possibly upside down), with the quad
    reordered so that its first edge is the view's top, and the 3×3 map from the view back to
    the image. With `long_side`, the view keeps the outline's own aspect instead (documents
    other than ID-1 cards: a passport page, a licence booklet)."""
    quad = clockwise(quad)
    if _edge(quad, 0) + _edge(quad, 2) < _edge(quad, 1) + _edge(quad, 3):
        quad = np.roll(quad, -1, axis=0)
    width, height = CARD_SIZE
    if long_side is not None:
        aspect = (_edge(quad, 1) + _edge(quad, 3)) / max(_edge(quad, 0) + _edge(quad, 2), 1.0)
        width, height = long_side, round(long_side * aspect)
    target = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
    forward = cv2.getPerspectiveTransform(quad.astype(np.float32), target)
    view = cv2.warpPerspective(
        pixels, forward, (width, height), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )
    return view, quad, np.linalg.inv(forward)


def _foreground(small: np.ndarray) -> np.ndarray:
    """Pixels far, in Lab colour, from the median colour of the image border."""
    lab = cv2.cvtColor(cv2.GaussianBlur(small, (5, 5), 0), cv2.COLOR_BGR2LAB).astype(np.float32)
    border = np.concatenate([lab[0], lab[-1], lab[:, 0], lab[:, -1]])
    distance = np.linalg.norm(lab - np.median(border, axis=0), axis=2)
    _, mask = cv2.threshold(
        np.clip(distance * 4, 0, 255).astype(np.uint8), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU
    )
    return cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((5, 5), np.uint8))


def _edges(small: np.ndarray) -> np.ndarray:
    grey = cv2.GaussianBlur(cv2.cvtColor(small, cv2.COLOR_BGR2GRAY), (5, 5), 0)
    edges = cv2.Canny(grey, 30, 90)
    closed = cv2.morphologyEx(edges, cv2.MORPH_CLOSE, np.ones((7, 7), np.uint8))
    contours, _ = cv2.findContours(closed, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    filled = np.zeros_like(closed)
    cv2.drawContours(filled, contours, -1, 255, thickness=cv2.FILLED)
    return filled


def _quads(mask: np.ndarray) -> list[tuple[float, np.ndarray]]:
    """(fill, quad) for each card-shaped outline in a binary mask."""
    image_area = mask.shape[0] * mask.shape[1]
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    found = []
    for contour in contours:
        hull = cv2.convexHull(contour)
        area = cv2.contourArea(hull)
        if area < MIN_AREA * image_area:
            continue
        corners = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True)
        if len(corners) != 4:
            continue
        quad = _refit(clockwise(corners.reshape(4, 2)), contour.reshape(-1, 2))
        if quad is None or not cv2.isContourConvex(quad.astype(np.float32).reshape(-1, 1, 2)):
            continue
        fill = area / max(_area(quad), 1.0)
        long = _edge(quad, 0) + _edge(quad, 2)
        short = _edge(quad, 1) + _edge(quad, 3)
        aspect = max(long, short) / max(min(long, short), 1.0)
        if fill >= MIN_FILL and ASPECT_RANGE[0] <= aspect <= ASPECT_RANGE[1]:
            found.append((min(fill, 1.0), quad))
    return found


def _refit(corners: np.ndarray, outline: np.ndarray) -> np.ndarray | None:
    """Sharp corners: a straight line through the outline points along the middle of each side,
    intersected with its neighbours."""
    lines = []
    for i in range(4):
        a, b = corners[i].astype(np.float64), corners[(i + 1) % 4].astype(np.float64)
        direction = b - a
        length = float(np.linalg.norm(direction))
        if length == 0:
            return None
        offset = outline - a
        along = offset @ direction / length**2
        across = np.abs(direction[0] * offset[:, 1] - direction[1] * offset[:, 0]) / length
        near = outline[(along > 0.15) & (along < 0.85) & (across < 0.03 * length + 2)]
        if len(near) < 5:
            lines.append((a, direction / length))
            continue
        vx, vy, x0, y0 = cv2.fitLine(near.astype(np.float32), cv2.DIST_HUBER, 0, 0.01, 0.01)
        lines.append((np.array([x0[0], y0[0]]), np.array([vx[0], vy[0]])))
    points = []
    for i in range(4):
        (p, u), (q, v) = lines[i - 1], lines[i]
        denominator = u[0] * v[1] - u[1] * v[0]
        if abs(denominator) < 1e-6:
            return None
        t = ((q[0] - p[0]) * v[1] - (q[1] - p[1]) * v[0]) / denominator
        points.append(p + t * u)
    return np.array(points, dtype=np.float64)


def _edge(quad: np.ndarray, i: int) -> float:
    return float(np.linalg.norm(quad[(i + 1) % 4] - quad[i]))


def _area(quad: np.ndarray) -> float:
    return float(cv2.contourArea(np.asarray(quad, dtype=np.float32).reshape(-1, 1, 2)))


def _iou(a: np.ndarray, b: np.ndarray) -> float:
    inter, _ = cv2.intersectConvexConvex(a.astype(np.float32), b.astype(np.float32))
    union = _area(a) + _area(b) - inter
    return inter / union if union > 0 else 0.0
