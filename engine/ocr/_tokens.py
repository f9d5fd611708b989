"""Rows of recognised characters, and fields cut from them with their own box and score.

Every document parser works on the same material: the upright view's lines grouped into rows
(engine.ocr._text.rows), each row flattened to its characters with the line and position each
came from, so that a value cut from beside its printed label keeps its own box and confidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from contracts.documents import TextField
from engine.ocr._geometry import to_quad
from engine.ocr._text import Line, rows


@dataclass(frozen=True)
class Token:
    """One character of a row, and where it came from."""

    char: str
    score: float
    line: Line
    index: int


def table(lines: tuple[Line, ...], *, spaces: bool = False) -> list[list[Token]]:
    """The non-empty rows of the view, top to bottom, as characters; with `spaces`, the spaces
    the recogniser read stay in (Latin names need them), and lines side by side are parted by
    one."""
    found = (row_tokens(r, spaces=spaces) for r in rows(list(lines)))
    return [row for row in found if any(not t.char.isspace() for t in row)]


def row_tokens(row: list[Line], *, spaces: bool = False) -> list[Token]:
    """The row's characters left to right. Where two detected lines overlap, characters of the
    later one that lie over the earlier are dropped: both read the same ink, the later one only
    part of a character."""
    tokens: list[Token] = []
    edge = float("-inf")
    for line in row:
        if spaces and tokens and line.glyphs:
            tokens.append(Token(" ", 1.0, line, 0))
        tokens.extend(
            Token(glyph.char, glyph.score, line, index)
            for index, glyph in enumerate(line.glyphs)
            if (spaces or not glyph.char.isspace()) and line.glyph_x(index) > edge
        )
        edge = max(edge, line.right)
    return tokens


def text_of(tokens: list[Token]) -> str:
    return "".join(t.char for t in tokens)


def token_field(
    name: str, tokens: list[Token], *, valid: bool = True, value: str | None = None
) -> TextField:
    """A field of the tokens read: their text (or `value`), mean confidence and extent."""
    inked = [t for t in tokens if not t.char.isspace()] or tokens
    return TextField(
        name=name,
        value=value if value is not None else text_of(tokens),
        score=round(float(np.mean([t.score for t in inked])), 4),
        quad=to_quad(tokens_quad(tokens)),
        valid=valid,
    )


def tokens_quad(tokens: list[Token]) -> np.ndarray:
    """The tokens' extent: their span of the line when on one line, else the rectangle around
    the spans of every line they cover."""
    pieces = []
    for line in dict.fromkeys(t.line for t in tokens):
        indices = [t.index for t in tokens if t.line is line]
        pieces.append(line.span_quad(min(indices), max(indices)))
    if len(pieces) == 1:
        return pieces[0]
    points = np.vstack(pieces)
    (left, top), (right, bottom) = points.min(axis=0), points.max(axis=0)
    return np.array([[left, top], [right, top], [right, bottom], [left, bottom]])


def is_date(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True
