"""Which way up an image is, from its text lines.

Quarter turns show in the geometry: lines of horizontal script detected in an image turned by
90° are taller than wide. Half turns do not, so the direction classifier votes on the longest
lines (turned level first, when the image is sideways), weighted by length; when it is unsure
(short lines, odd fonts) the recogniser reads the longest lines both ways and the reading it is
more confident in wins. The answer is the clockwise turn that makes the text upright.
"""

from __future__ import annotations

import numpy as np

from engine.ocr._geometry import crop_quad, turn
from engine.ocr._reader import TextReader

ELONGATED = 1.5  # a line this much longer than high has a direction; squarer ones do not
VOTES = 12
DECISIVE = 0.3
SECOND_OPINION_LINES = 3


def upright_turn(
    reader: TextReader, pixels: np.ndarray, quads: list[np.ndarray], *, quarter_turns: bool
) -> int:
    """Clockwise degrees (0, 90, 180, 270) that make the text of `pixels` upright.
    `quarter_turns=False` is for views known to be level, which can only be upside down."""
    sideways = quarter_turns and _is_sideways(quads)
    base = 90 if sideways else 0
    lines = sorted(
        (q for q in quads if _elongated(q, vertical=sideways)),
        key=lambda q: -max(_size(q)),
    )[:VOTES]
    if not lines:
        return base
    crops = [turn(crop_quad(pixels, q), base) for q in lines]
    return base + (180 if _upside_down(reader, crops, [max(_size(q)) for q in lines]) else 0)


def _is_sideways(quads: list[np.ndarray]) -> bool:
    """Whether more line length runs vertically than horizontally."""
    vertical = sum(_size(q)[1] for q in quads if _elongated(q, vertical=True))
    horizontal = sum(_size(q)[0] for q in quads if _elongated(q, vertical=False))
    return vertical > horizontal


def _upside_down(reader: TextReader, crops: list[np.ndarray], lengths: list[float]) -> bool:
    weights = np.array(lengths)
    flipped = np.array(reader.upside_down(crops))
    vote = float(np.sum(weights * (2 * flipped - 1)) / np.sum(weights))
    if abs(vote) >= DECISIVE:
        return vote > 0
    sample = crops[:SECOND_OPINION_LINES]
    as_is = np.mean([r.score for r in reader.recognize(sample)])
    turned = np.mean([r.score for r in reader.recognize([turn(c, 180) for c in sample])])
    return bool(turned > as_is)


def _elongated(quad: np.ndarray, *, vertical: bool) -> bool:
    width, height = _size(quad)
    return height >= ELONGATED * width if vertical else width >= ELONGATED * height


def _size(quad: np.ndarray) -> tuple[float, float]:
    width = float(np.linalg.norm(quad[1] - quad[0]))
    height = float(np.linalg.norm(quad[3] - quad[0]))
    return width, height
