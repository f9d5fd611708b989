"""Reading all text of an image upright: detect lines, find which way up, recognise.

The detector runs at the input's orientation; when the lines it finds say the image is turned
(engine.ocr._orientation), the turn is undone and detection repeated once, because ink that is
not text (an emblem, a pattern) is found as different boxes, and read as different junk, the
wrong way up.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from contracts.documents import OcrPage, TextLine
from contracts.images import DecodedImage
from engine import stages
from engine.ocr._geometry import crop_quad, map_points, span, to_quad, turn, turn_matrix
from engine.ocr._orientation import upright_turn
from engine.ocr._reader import Glyph, Recognition, TextReader, reader

ROW_OVERLAP = 0.5  # lines overlapping this much of the lower height share a row
MIN_ASPECT = 0.6  # once upright, a line narrower than this is a stray mark
MIN_LINE_SCORE = 0.5  # rapidocr's own cut: below it a "line" is a smudge read as a character
ZONE_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<")  # ICAO 9303's
GAP = 1.6  # a step between two characters' centres this many pitches wide skips one
FIRST_CENTRE = 1.2  # the first character's centre lies half a pitch in from the left edge


@dataclass(frozen=True, eq=False)
class Line:
    """A recognised line in the upright frame (compared by identity)."""

    quad: np.ndarray
    text: str
    score: float
    glyphs: tuple[Glyph, ...]

    def span_quad(self, first: int, last: int) -> np.ndarray:
        """The quad of glyphs first..last (inclusive)."""
        return span(self.quad, self.glyphs[first].left, self.glyphs[last].right)

    def glyph_x(self, index: int) -> float:
        """Horizontal centre of a glyph in the upright frame."""
        glyph = self.glyphs[index]
        return float(span(self.quad, glyph.left, glyph.right)[:, 0].mean())

    @property
    def right(self) -> float:
        return float(self.quad[:, 0].max())

    @property
    def top(self) -> float:
        return float(self.quad[:, 1].min())

    @property
    def bottom(self) -> float:
        return float(self.quad[:, 1].max())

    @property
    def left(self) -> float:
        return float(self.quad[:, 0].min())


@dataclass(frozen=True)
class UprightText:
    """The text of an image read upright. `rotation` is the clockwise turn applied to the
    pixels given; `to_source` maps upright coordinates back to them."""

    pixels: np.ndarray
    rotation: int
    lines: tuple[Line, ...]
    to_source: np.ndarray


@stages.timed("ocr.text")
def read_text(image: DecodedImage) -> OcrPage:
    """Every line of text in the image, read upright whichever way up the image is."""
    upright = read_upright(reader(), image.pixels)
    lines = tuple(
        TextLine(
            text=line.text,
            score=round(line.score, 4),
            quad=to_quad(map_points(upright.to_source, line.quad)),
        )
        for line in upright.lines
    )
    return OcrPage(lines=lines, rotation=upright.rotation, width=image.width, height=image.height)


def read_upright(
    text_reader: TextReader,
    pixels: np.ndarray,
    *,
    quarter_turns: bool = True,
    min_side: int = 736,
    min_aspect: float = MIN_ASPECT,
    squeeze: float = 1.0,
) -> UprightText:
    """Read every line of `pixels`, turned so the text is upright.

    `quarter_turns=False` is for views already known to be level (a card warped to
    landscape), which can then only be upside down. Only lines at least `min_aspect` times as
    wide as high are recognised: once upright, a line taller than wide is noise or a stray
    mark, and a reader that wants only long lines (a passport's zone) saves the rest.
    `squeeze` below 1 is for a machine-readable zone: a row that looks misread (_gapped: a
    dropped character's gap, a symbol no zone holds) is read again narrowed to that share of
    its width, and the reading with more letters and digits is kept. The recogniser drops
    letters from the widely spaced OCR-B of a sharp zone and reads it narrowed well; a
    blurred zone it reads better at full width, where it leaves no gap.
    """
    height, width = pixels.shape[:2]
    quads = text_reader.detect(pixels, min_side=min_side)
    rotation = upright_turn(text_reader, pixels, quads, quarter_turns=quarter_turns)
    if rotation:
        pixels = turn(pixels, rotation)
        quads = text_reader.detect(pixels, min_side=min_side)
    quads = [q for q in quads if _aspect(q) >= min_aspect]
    crops = [crop_quad(pixels, q) for q in quads]
    recognitions = text_reader.recognize(crops)
    if squeeze < 1.0:
        suspect = [i for i, found in enumerate(recognitions) if _gapped(found)]
        again = text_reader.recognize([_narrowed(crops[i], squeeze) for i in suspect])
        for i, found in zip(suspect, again, strict=True):
            recognitions[i] = max(recognitions[i], found, key=_fullness)
    lines = [
        Line(quad=q, text=r.text, score=r.score, glyphs=r.glyphs)
        for q, r in zip(quads, recognitions, strict=True)
        if r.text.strip() and r.score >= MIN_LINE_SCORE
    ]
    to_source = np.linalg.inv(turn_matrix(rotation, width, height))
    return UprightText(
        pixels=pixels, rotation=rotation, lines=tuple(reading_order(lines)), to_source=to_source
    )


def _narrowed(crop: np.ndarray, share: float) -> np.ndarray:
    width = max(8, round(crop.shape[1] * share))
    return cv2.resize(crop, (width, crop.shape[0]), interpolation=cv2.INTER_AREA)


def _gapped(recognition: Recognition) -> bool:
    """Whether a zone row was misread in a way a second reading may mend: a character that
    no zone holds (a space, a symbol), the first character a pitch or more in from the box's
    left edge, or two neighbouring characters (neither a filler) a character's width further
    apart than the pitch (one between them was dropped)."""
    glyphs = recognition.glyphs
    if len(glyphs) < 4:
        return False
    if not set(recognition.text) <= ZONE_CHARACTERS:
        return True
    centres = [(g.left + g.right) / 2 for g in glyphs]
    steps = np.diff(centres)
    pitch = float(np.median(steps))
    if centres[0] > FIRST_CENTRE * pitch:
        return True
    return any(
        step > GAP * pitch and "<" not in (a.char, b.char)
        for step, a, b in zip(steps, glyphs, glyphs[1:], strict=False)
    )


def _fullness(recognition: Recognition) -> tuple[int, float]:
    """Letters and digits read (fillers, spaces and symbols no zone holds not counted), then
    confidence."""
    text = recognition.text
    return sum(c in ZONE_CHARACTERS and c != "<" for c in text), recognition.score


def reading_order(lines: list[Line]) -> list[Line]:
    """Top to bottom by rows, left to right within a row (tilted photos put the start of one
    line above the end of the previous, so plain sorting by top edge interleaves them)."""
    return [line for row in rows(lines) for line in row]


def rows(lines: list[Line]) -> list[list[Line]]:
    """Lines grouped into rows by vertical overlap, each row sorted left to right."""
    grouped: list[list[Line]] = []
    for line in sorted(lines, key=lambda item: (item.top + item.bottom) / 2):
        row = grouped[-1] if grouped else None
        if row is not None and _overlap(row, line) >= ROW_OVERLAP:
            row.append(line)
        else:
            grouped.append([line])
    return [sorted(row, key=lambda item: item.left) for row in grouped]


def _overlap(row: list[Line], line: Line) -> float:
    top = max(min(item.top for item in row), line.top)
    bottom = min(max(item.bottom for item in row), line.bottom)
    height = min(line.bottom - line.top, min(item.bottom - item.top for item in row))
    return (bottom - top) / height if height > 0 else 0.0


def _aspect(quad: np.ndarray) -> float:
    width = float(np.linalg.norm(quad[1] - quad[0]))
    height = float(np.linalg.norm(quad[3] - quad[0]))
    return width / max(height, 1e-6)
