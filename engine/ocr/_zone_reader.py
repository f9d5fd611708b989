"""Reading a machine-readable zone cell by cell, from the rows engine.ocr._zone_band found.

PP-OCR's recogniser, trained on lines of a few words, drops and misreads the letters of a
44-character row of widely spaced OCR-B (`P<CHNLI<<XIAOYAN` read as `P<21<<X102`), and reads
the same row well in pieces of about a dozen characters. So each row is read in pieces, twice,
the second time with the pieces' joins moved half a piece (every character is then read once
away from a join), and each character the recogniser finds is placed, by where its column lies,
into the cell of the row's lattice it falls in. A cell's character is the one the readings
give most probability to among the characters its position may hold (ICAO 9303: letters,
digits, or either, and the filler `<` anywhere); a run of fillers therefore has the row's
exact count, whatever the recogniser made of it. Check digits take no part in this: they are
read as printed and checked afterwards (engine.ocr._machine_zone).
"""

from __future__ import annotations

import itertools
import re

import cv2
import numpy as np

from engine.ocr._geometry import map_points
from engine.ocr._reader import Glyph, TextReader
from engine.ocr._text import Line
from engine.ocr._zone_band import ZoneRow

ZONE = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
# what the recogniser reads for a filler, or for OCR-B's C
LOOKALIKES = {"＜": "<", "«": "<", "‹": "<", "く": "<", "℃": "C"}
ALLOWED = {"A": "ABCDEFGHIJKLMNOPQRSTUVWXYZ<", "N": "0123456789<", "X": ZONE}
PIECE = 12  # cells read in one piece
SIDE = 0.5  # of a pitch, kept either side of a piece
SCALE = 1.0  # pieces are read at this share of their width
# a cell not read is read again with this many neighbours either side, at this scale
RESCUE = ((0, 1.0), (1, 0.8), (PIECE // 4, 0.8))
RUN = 3  # fillers in a row after which the next cell is read alone
ALONE_SIDE = 0.3  # of a pitch, kept either side of a cell read alone
ALONE_SCORE = 0.5  # the probability a reading alone must give to decide the cell
SPACE = -2  # a space's index (no zone character)
SKIP = 1.0  # the cost of a cell or a peak left unmatched, in squared pitches


def read_zone(
    text_reader: TextReader, rows: list[ZoneRow], classes: tuple[str, ...]
) -> list[Line] | None:
    """The zone's rows as lines of one glyph a cell, in the frame the rows were found in; None
    when a cell was read in no reading (the caller then reads the zone another way)."""
    columns = np.array([_zone_index(c) for c in text_reader.alphabet])
    votes = [np.zeros((row.cells, len(ZONE))) for row in rows]
    pieces = [
        (r, start, end)
        for r, row in enumerate(rows)
        for shift in (0, PIECE // 2)
        for start, end in _pieces(row.cells, shift)
    ]
    _read(text_reader, rows, pieces, SCALE, votes, columns)
    # a cell no reading placed a character in is read again on its own, then with its
    # neighbours: after a long run of fillers the recogniser often reads nothing more
    # (`N<<<<<<<<<<<<0` read `<<<<<<<<<<<`), and reads the character alone
    for reach, scale in RESCUE:
        empty = {
            (r, *_around(c, reach, rows[r].cells)) for r, v in enumerate(votes) for c in _empty(v)
        }
        if not empty:
            break
        _read(text_reader, rows, sorted(empty), scale, votes, columns)
    _reread_run_ends(text_reader, rows, classes, votes, columns)
    lines = [
        _line(row, row_votes, kind)
        for row, row_votes, kind in zip(rows, votes, classes, strict=True)
    ]
    return [line for line in lines if line is not None] if all(lines) else None


def _reread_run_ends(
    text_reader: TextReader,
    rows: list[ZoneRow],
    classes: tuple[str, ...],
    votes: list[np.ndarray],
    columns: np.ndarray,
) -> None:
    """The last cell of every run of fillers, and the cell after it, read alone; where the
    recogniser is sure of what it reads there, that reading decides the cell. Having read a
    run of `<`, the recogniser tends to go on (`<<<<<<8` read `<<<<<<<`, the check digit
    lost), and alone, without the run before it, it reads the character printed."""
    targets = sorted(
        {
            (r, cell, cell + 1)
            for r, (row_votes, kind) in enumerate(zip(votes, classes, strict=True))
            for cell in _run_ends(_provisional(row_votes, kind))
        }
    )
    if not targets:
        return
    alone = [np.zeros_like(v) for v in votes]
    _read(text_reader, rows, targets, 1.0, alone, columns, side=ALONE_SIDE)
    for r, cell, _ in targets:
        cell_votes = alone[r][cell]
        allowed = ALLOWED[classes[r][cell]] if cell < len(classes[r]) else ZONE
        if cell_votes[_best(cell_votes, allowed)] >= ALONE_SCORE:
            votes[r][cell] = cell_votes


def _provisional(votes: np.ndarray, kind: str) -> str:
    return "".join(
        ZONE[_best(v, ALLOWED[kind[c]] if c < len(kind) else ZONE)] if v.sum() > 0 else "?"
        for c, v in enumerate(votes)
    )


def _run_ends(text: str) -> list[int]:
    """The last cell of each run of RUN or more fillers, and the cell after it."""
    ends = []
    for run in re.finditer(f"<{{{RUN},}}", text):
        ends.append(run.end() - 1)
        if run.end() < len(text):
            ends.append(run.end())
    return ends


def _best(cell_votes: np.ndarray, allowed: str) -> int:
    return max((ZONE.index(c) for c in allowed), key=lambda i: cell_votes[i])


def _read(
    text_reader: TextReader,
    rows: list[ZoneRow],
    pieces: list[tuple[int, int, int]],
    scale: float,
    votes: list[np.ndarray],
    columns: np.ndarray,
    *,
    side: float = SIDE,
) -> None:
    """Read the pieces (row, first cell, end cell) at `scale` of their width, and vote."""
    crops = [_crop(rows[r], start, end, side) for r, start, end in pieces]
    inputs = [_scaled(crop, scale) for crop, _ in crops]
    for (r, start, end), (crop, left), probabilities in zip(
        pieces, crops, text_reader.probabilities(inputs), strict=True
    ):
        _vote(votes[r], rows[r].edges, start, end, probabilities, crop.shape[1], left, columns)


def _empty(votes: np.ndarray) -> list[int]:
    return [int(c) for c in np.flatnonzero(votes.sum(axis=1) <= 0)]


def _around(cell: int, reach: int, cells: int) -> tuple[int, int]:
    """The cell and `reach` cells either side of it, inside the row."""
    return max(0, cell - reach), min(cells, cell + reach + 1)


def _zone_index(char: str) -> int:
    """The zone character a recogniser class stands for, as an index into ZONE; -1 for none,
    SPACE for a space."""
    if char.isspace():
        return SPACE
    char = LOOKALIKES.get(char, char)
    return ZONE.index(char) if len(char) == 1 and char in ZONE else -1


def _pieces(cells: int, shift: int) -> list[tuple[int, int]]:
    """Cells 0..cells cut into pieces of about PIECE, the first `shift` shorter."""
    joins = [0, *range(shift or PIECE, cells, PIECE), cells]
    bounds = sorted(set(joins))
    # a last piece of a few cells is read with the one before
    if len(bounds) > 2 and bounds[-1] - bounds[-2] < PIECE // 3:
        bounds.pop(-2)
    return list(itertools.pairwise(bounds))


def _crop(row: ZoneRow, start: int, end: int, side: float) -> tuple[np.ndarray, float]:
    """The piece's pixels, with `side` of a pitch either side, and where it starts in the
    row."""
    edges = row.edges
    pitch = (edges[-1] - edges[0]) / row.cells
    left = max(0, int(edges[start] - side * pitch))
    right = min(row.pixels.shape[1], int(np.ceil(edges[end] + side * pitch)))
    return row.pixels[:, left:right], float(left)


def _scaled(crop: np.ndarray, scale: float) -> np.ndarray:
    width = max(8, round(crop.shape[1] * scale))
    return cv2.resize(crop, (width, crop.shape[0]), interpolation=cv2.INTER_AREA)


def _vote(
    votes: np.ndarray,
    edges: np.ndarray,
    start: int,
    end: int,
    probabilities: np.ndarray,
    width: int,
    left: float,
    columns: np.ndarray,
) -> None:
    """Add one piece's reading to its cells: each character it found (a CTC peak) gives its
    column's probabilities of the zone's characters to the cell it is aligned with."""
    best = probabilities.argmax(axis=1)
    count = len(best)
    spaces = columns == SPACE
    # a space the recogniser reads between two characters is no character of a zone
    peaks = [
        t
        for t in range(count)
        if best[t] != 0 and (t == 0 or best[t] != best[t - 1]) and not spaces[best[t]]
    ]
    places = [left + (t + 0.5) / count * width for t in peaks]
    # the cells either side, which the piece shows in part, take what the recogniser read of
    # them and are not voted for
    first, last = max(0, start - 1), min(len(edges) - 1, end + 1)
    centres = (edges[first:last] + edges[first + 1 : last + 1]) / 2
    pitch = (edges[-1] - edges[0]) / (len(edges) - 1)
    known = columns >= 0
    for peak, cell in _align(places, centres, pitch):
        cell += first
        if start <= cell < end:
            np.add.at(votes[cell], columns[known], probabilities[peaks[peak]][known])


def _align(places: list[float], centres: np.ndarray, pitch: float) -> list[tuple[int, int]]:
    """Peaks matched to cells in order (each cell at most one peak, each peak at most one
    cell), at the least cost: the squared distance in pitches of a match, SKIP for a cell
    left without a peak, SKIP for a peak left without a cell. The recogniser keeps the order
    of what it reads; its columns place a character only to about a third of a pitch."""
    m, n = len(places), len(centres)
    cost = np.full((m + 1, n + 1), np.inf)
    move = np.zeros((m + 1, n + 1), dtype=np.int8)  # 0 match, 1 cell skipped, 2 peak skipped
    cost[0, :] = SKIP * np.arange(n + 1)
    cost[:, 0] = SKIP * np.arange(m + 1)
    move[0, 1:] = 1
    move[1:, 0] = 2
    for i in range(1, m + 1):
        for j in range(1, n + 1):
            options = (
                cost[i - 1, j - 1] + ((places[i - 1] - centres[j - 1]) / pitch) ** 2,
                cost[i, j - 1] + SKIP,
                cost[i - 1, j] + SKIP,
            )
            move[i, j] = int(np.argmin(options))
            cost[i, j] = options[move[i, j]]
    pairs = []
    i, j = m, n
    while i > 0 or j > 0:
        if move[i, j] == 0:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif move[i, j] == 1:
            j -= 1
        else:
            i -= 1
    return pairs[::-1]


def _line(row: ZoneRow, votes: np.ndarray, kind: str) -> Line | None:
    """The row's characters, each its cell's most voted among those its position allows."""
    glyphs = []
    span = row.edges[-1] - row.edges[0]
    for cell, cell_votes in enumerate(votes):
        total = cell_votes.sum()
        if total <= 0:
            return None
        index = _best(cell_votes, ALLOWED[kind[cell]] if cell < len(kind) else ZONE)
        glyphs.append(
            Glyph(
                ZONE[index],
                float(cell_votes[index] / total),
                float((row.edges[cell] - row.edges[0]) / span),
                float((row.edges[cell + 1] - row.edges[0]) / span),
            )
        )
    height = row.pixels.shape[0]
    corners = np.array(
        [[row.edges[0], 0], [row.edges[-1], 0], [row.edges[-1], height], [row.edges[0], height]]
    )
    quad = map_points(row.to_image, corners).astype(np.float32)
    text = "".join(g.char for g in glyphs)
    score = float(np.mean([g.score for g in glyphs]))
    return Line(quad=quad, text=text, score=score, glyphs=tuple(glyphs))
