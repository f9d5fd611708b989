"""Finding a machine-readable zone by its shape, without the text detector.

An ICAO 9303 zone is two or three rows of one fixed-pitch font (OCR-B) running across the
bottom of the document, each row the same number of characters (30, 36 or 44) at the same
pitch. Such a band shows in classic morphology: a black-hat transform keeps dark marks
smaller than a character's height on a lighter ground, a horizontal closing joins the
characters of a row (fillers included) into one bar, and the bars that are long, thin and
stacked at a regular spacing are the rows. Each row is levelled (a line fitted through its ink),
and its character cells are found from the ink's own marks: the centres of a fixed-pitch
font's characters lie on a lattice, fitted by least squares. This costs a few milliseconds,
against the detector's 0.4-1.3 s on a passport page, and gives every row the zone's full
width, where the detector ends boxes at runs of fillers.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import cv2
import numpy as np

from engine.ocr._machine_zone import FORMATS

WORK_WIDTH = 1000  # the band is looked for on a copy this wide
BLACKHAT = 31  # px at WORK_WIDTH: more than a character's height, less than a photo's
JOIN = 25  # horizontal closing: wider than the gap between two characters
MIN_WIDTH = 0.4  # of the image's width: a zone spans most of its document
MIN_ELONGATION = 12.0  # a row of 30 characters is ~20 times as wide as high
MIN_FILL = 0.2  # of its box a bar fills: a tilted row fills a long thin diagonal of it
SAME_LINE = 0.5  # bars overlapping this share of the lower one's height are one row
ROW_SPACING = (1.1, 3.0)  # row pitch over row height between two rows of one zone
# characters a row -> rows of the zone (TD1 30 × 3, TD2 36 × 2, TD3 44 × 2)
WIDTHS = {width: count for count, width, _ in FORMATS.values()}
PITCH_RANGE = 0.15  # the pitch is looked for this far either side of the median step
PITCH_STEPS = 301
MIN_MARKS = 10
WIDE_MARK = 1.4  # a mark this many times the median width holds two characters
TRACK = 6  # the local pitch is fitted over this many marks
REFITS = 2
MARGIN = 0.35  # of a row's height, kept above and below it when it is cut out


@dataclass(frozen=True)
class ZoneRow:
    """One row of the zone in the image: its cut-out `pixels` (levelled), the map from the
    cut-out's pixels back to the image's, and its character cells: cell i spans
    [edges[i], edges[i + 1]) along the cut-out."""

    pixels: np.ndarray
    to_image: np.ndarray
    edges: np.ndarray

    @property
    def cells(self) -> int:
        return len(self.edges) - 1


@dataclass(frozen=True)
class _Bar:
    left: float
    top: float
    right: float
    bottom: float
    thickness: float  # its mean height: a tilted row's box is higher than the row
    sums: tuple[float, float, float, float, float]  # n, Σx, Σy, Σx², Σxy of its pixels

    def line(self) -> tuple[float, float]:
        """Slope and height at x = 0 of the least-squares line through its pixels."""
        n, sx, sy, sxx, sxy = self.sums
        spread = n * sxx - sx * sx
        slope = (n * sxy - sx * sy) / spread if spread > 0 else 0.0
        return slope, (sy - slope * sx) / n

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


def find_zone(pixels: np.ndarray) -> list[ZoneRow]:
    """The rows of the machine-readable zone of an upright image, top to bottom; empty when
    the image shows no band of 2-3 rows of a zone's shape."""
    gray: np.ndarray = cv2.cvtColor(pixels, cv2.COLOR_BGR2GRAY) if pixels.ndim == 3 else pixels
    height, width = gray.shape
    scale = WORK_WIDTH / width
    size = (WORK_WIDTH, max(1, round(height * scale)))
    small = cv2.resize(gray, size, interpolation=cv2.INTER_LINEAR)
    bars = [_scaled(bar, 1 / scale) for bar in _bars(_ink(small))]
    full_ink: np.ndarray | None = None
    for group in _stacks(bars, width):
        if full_ink is None:
            full_ink = _ink(gray, round(BLACKHAT / scale))
        rows = _zone(pixels, full_ink, group)
        if rows:
            return rows
    return []


def _zone(pixels: np.ndarray, ink: np.ndarray, group: list[_Bar]) -> list[ZoneRow]:
    """The group's rows with their cells, when they have a zone's count of them."""
    left = min(bar.left for bar in group)
    right = max(bar.right for bar in group)
    found = [_cut(pixels, ink, bar, left, right) for bar in group]
    marks = [_marks(cut_ink) for _, _, cut_ink in found]
    if any(len(m) < MIN_MARKS for m in marks):
        return []
    pitch = _pitch(marks)
    rows = [
        ZoneRow(cut, to_image, _cells(centres, pitch))
        for (cut, to_image, _), centres in zip(found, marks, strict=True)
    ]
    # every row of a zone has the same count (a row ending in fillers too)
    if len({row.cells for row in rows}) != 1 or WIDTHS.get(rows[0].cells) != len(rows):
        return []
    return rows


def _ink(gray: np.ndarray, size: int = BLACKHAT) -> np.ndarray:
    """Dark marks smaller than `size` on a lighter ground, as a 0/255 mask (Otsu's cut)."""
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (size, size))
    black = cv2.morphologyEx(gray, cv2.MORPH_BLACKHAT, kernel)
    _, mask = cv2.threshold(black, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return mask


def _bars(ink: np.ndarray) -> list[_Bar]:
    """Runs of characters joined into bars, the pieces of one line merged."""
    joined = cv2.morphologyEx(
        ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (JOIN, 1))
    )
    joined = cv2.morphologyEx(
        joined, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 5))
    )
    count, labels, stats, _ = cv2.connectedComponentsWithStats(joined)
    pieces = [
        _Bar(float(x), float(y), float(x + w), float(y + h), float(area / w),
             _sums(labels[y : y + h, x : x + w] == i, x, y))
        for i, (x, y, w, h, area) in enumerate(stats[1:count], start=1)
        if w >= 3 * h and area >= MIN_FILL * w * h
    ]  # fmt: skip
    merged: list[_Bar] = []
    for piece in sorted(pieces, key=lambda bar: bar.middle):
        same = next((bar for bar in merged if _same_line(bar, piece)), None)
        if same is None:
            merged.append(piece)
        else:
            merged[merged.index(same)] = _Bar(
                min(same.left, piece.left),
                min(same.top, piece.top),
                max(same.right, piece.right),
                max(same.bottom, piece.bottom),
                _mean_thickness(same, piece),
                tuple(a + b for a, b in zip(same.sums, piece.sums, strict=True)),  # type: ignore[arg-type]
            )
    return merged


def _sums(mask: np.ndarray, x: int, y: int) -> tuple[float, float, float, float, float]:
    rows, cols = np.nonzero(mask)
    xs = cols.astype(np.float64) + x
    ys = rows.astype(np.float64) + y
    return float(len(xs)), float(xs.sum()), float(ys.sum()), float(xs @ xs), float(xs @ ys)


def _mean_thickness(a: _Bar, b: _Bar) -> float:
    wa, wb = a.right - a.left, b.right - b.left
    return (a.thickness * wa + b.thickness * wb) / (wa + wb)


def _same_line(a: _Bar, b: _Bar) -> bool:
    overlap = min(a.bottom, b.bottom) - max(a.top, b.top)
    return overlap >= SAME_LINE * min(a.height, b.height)


def _scaled(bar: _Bar, factor: float) -> _Bar:
    n, sx, sy, sxx, sxy = bar.sums
    return _Bar(
        bar.left * factor,
        bar.top * factor,
        bar.right * factor,
        bar.bottom * factor,
        bar.thickness * factor,
        (n, sx * factor, sy * factor, sxx * factor**2, sxy * factor**2),
    )


def _stacks(bars: list[_Bar], width: int) -> list[list[_Bar]]:
    """Runs of 3 or 2 long bars stacked at a zone's row spacing, the lowest first."""
    long = sorted(
        (b for b in bars if b.right - b.left >= MIN_WIDTH * width and _elongated(b)),
        key=lambda b: b.middle,
    )
    return [
        long[end - count : end]
        for end in range(len(long), 1, -1)
        for count in (3, 2)
        if end >= count and _stacked(long[end - count : end])
    ]


def _elongated(bar: _Bar) -> bool:
    return bar.right - bar.left >= MIN_ELONGATION * bar.thickness


def _stacked(group: list[_Bar]) -> bool:
    height = float(np.median([b.thickness for b in group]))
    for upper, lower in itertools.pairwise(group):
        spacing = (lower.middle - upper.middle) / height
        if not ROW_SPACING[0] <= spacing <= ROW_SPACING[1]:
            return False
        if min(upper.right, lower.right) - max(upper.left, lower.left) < 0.5 * (
            lower.right - lower.left
        ):
            return False
    return True


def _cut(
    pixels: np.ndarray, ink: np.ndarray, bar: _Bar, left: float, right: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The row cut out level along its bar from `left` to `right` (the zone's extent, and a
    character's height beyond), the map from the cut-out back to the image, and its ink."""
    slope, intercept = bar.line()
    # the box of a tilted row is higher than the row by the tilt over its width
    glyph_height = max(bar.thickness, bar.height - abs(slope) * (bar.right - bar.left))
    margin = MARGIN * glyph_height
    pad = glyph_height  # room beyond the ends, for the lattice and the first cell
    # the row's centre line: the line through the pixels of its bar
    cx = (left + right) / 2
    cy = intercept + slope * cx
    half = glyph_height / 2 + margin
    length = right - left + 2 * pad
    direction = np.array([1.0, slope]) / np.hypot(1.0, slope)
    normal = np.array([-direction[1], direction[0]])
    centre = np.array([cx, cy])
    start = centre - direction * length / 2
    quad = np.array(
        [start - normal * half, start + direction * length - normal * half,
         start + direction * length + normal * half, start + normal * half],
        dtype=np.float32,
    )  # fmt: skip
    size = (max(1, round(length)), max(1, round(2 * half)))
    target = np.array([[0, 0], [size[0], 0], [size[0], size[1]], [0, size[1]]], dtype=np.float32)
    forward = cv2.getPerspectiveTransform(quad, target)
    cut = cv2.warpPerspective(
        pixels, forward, size, flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE
    )
    cut_ink = cv2.warpPerspective(ink, forward, size, flags=cv2.INTER_NEAREST)
    return cut, np.linalg.inv(forward), cut_ink


def _marks(ink: np.ndarray) -> np.ndarray:
    """The horizontal centres of the row's marks of ink, one per character in OCR-B; marks
    much wider than most (two characters run together in a blurred photo) are left out, their
    centre lying between two cells."""
    count, _, stats, centroids = cv2.connectedComponentsWithStats(ink)
    height = ink.shape[0]
    tall = [i for i in range(1, count) if stats[i][3] >= 0.25 * height and stats[i][4] >= 4]
    if not tall:
        return np.zeros(0)
    widest = WIDE_MARK * float(np.median([stats[i][2] for i in tall]))
    return np.array(sorted(float(centroids[i][0]) for i in tall if stats[i][2] <= widest))


def _pitch(marks: list[np.ndarray]) -> float:
    """The pitch whose lattice the rows' centres fit best: the strongest line of their
    periodogram (each row at its own phase) within 15% of the median step."""
    step = float(np.median(np.concatenate([np.diff(m) for m in marks])))
    pitches = step * np.linspace(1 - PITCH_RANGE, 1 + PITCH_RANGE, PITCH_STEPS)
    power = sum(
        np.abs(np.exp(2j * np.pi * m[None, :] / pitches[:, None]).sum(axis=1)) for m in marks
    )
    return float(pitches[int(np.argmax(power))])


def _cells(centres: np.ndarray, pitch: float) -> np.ndarray:
    """The edges of a row's cells along its cut-out. Each centre is given its cell by its step
    from the one before at the local pitch (a photo's perspective draws the far end of a row
    closer: the pitch drifts along it), a mark less than half a pitch from the last being a
    piece of the same character; centre against cell is then fitted by a parabola, and cell
    i spans the fit's values at i - 1/2 and i + 1/2."""
    cells = [0]
    kept = [float(centres[0])]
    local = pitch
    for centre in centres[1:]:
        step = round((centre - kept[-1]) / local)
        if step < 1:
            continue
        cells.append(cells[-1] + step)
        kept.append(float(centre))
        if len(kept) >= TRACK:
            local = float(np.polyfit(cells[-TRACK:], kept[-TRACK:], 1)[0])
    degree = 2 if len(kept) > TRACK else 1
    index = np.array(cells, dtype=np.float64)
    positions = np.array(kept)
    for _ in range(REFITS):  # each centre's cell again, from the fit of all of them
        fit = np.polyfit(index, positions, degree)
        index = index[0] + np.round(_inverse(fit, positions, index) - index[0])
    fit = np.polyfit(index, positions, degree)
    return np.polyval(fit, np.arange(int(index[-1] - index[0]) + 2) + index[0] - 0.5)


def _inverse(fit: np.ndarray, positions: np.ndarray, guess: np.ndarray) -> np.ndarray:
    """The cell index at each position under the fit, by Newton steps from `guess`."""
    index = guess.astype(np.float64)
    slope = np.polyder(fit)
    for _ in range(3):
        index = index - (np.polyval(fit, index) - positions) / np.polyval(slope, index)
    return index
