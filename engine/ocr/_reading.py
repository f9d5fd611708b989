"""Documents other than the resident ID card, read from an image: find it, read it upright,
parse the fields its type prints, check its numbers.

Cards (bank cards, permits, licences, passports) are looked for by outline first, as the ID
card is (engine.ocr._card), and each outline is warped flat keeping its own aspect; pages
(licences and certificates on paper) and images where no outline gives a document are read
whole, turned by quarter turns as their text requires. A passport or MRZ identity card is
read from its machine-readable zone alone, found by its shape and read cell by cell
(engine.ocr._zone_band, engine.ocr._zone_reader), without the text detector; the detector's
reading is kept for a zone found no other way. Every position is mapped back to the input
image.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import cv2
import numpy as np

from contracts.documents import Document, DocumentScan, DocumentType, TextField
from contracts.images import DecodedImage
from engine import stages
from engine.media import encode_image
from engine.ocr._bankcard import parse_bank_card
from engine.ocr._card import find_cards, warp
from engine.ocr._geometry import map_points, rotation_of, to_quad, turn, turn_matrix
from engine.ocr._hkid import is_hk_id, latin_name, parse_hk_id
from engine.ocr._labelled import labels_found, parse_labelled
from engine.ocr._layouts import LAYOUTS, MIN_LABELS, Layout
from engine.ocr._machine_zone import CLASSES, FORMATS, parse_zone
from engine.ocr._reader import TextReader, reader
from engine.ocr._text import MIN_ASPECT, Line, UprightText, read_upright
from engine.ocr._tokens import Token, table, text_of, token_field
from engine.ocr._zone_band import ZoneRow, find_zone
from engine.ocr._zone_reader import read_zone

CARD_SIDE = 856  # the long side of a card's flat view, as the ID card's
PAGE_SIDE = 1400  # and of a page read whole: its smallest print stays ~20 px high
# a passport's zone is 44 characters across the page: at 1200-1400 px each is 20 px wide;
# only lines this many times as wide as high are recognised (a zone row of 30 characters or a
# long part of one; the visual zone's lines are skipped)
ZONE_SIDES = (1200, 1400)
ZONE_ASPECT = 8.0
ZONE_SQUEEZE = 0.7  # a row that looks misread is read again at 70% of its width (read_upright)
ZONE_CLS_PIECES = 4  # the direction classifier sees the first quarter of each zone row
JPEG_QUALITY = 90
_LATIN_NAME = r"[A-Z][A-Z'\-]+(?: [A-Z][A-Z'\-]+)*, ?[A-Z][A-Za-z'\-]+(?: [A-Z][A-Za-z'\-]+)*"


@dataclass(frozen=True)
class Parsed:
    fields: dict[str, TextField]
    checks: dict[str, bool]
    page: int = 1


@stages.timed("ocr.documents")
def scan_documents(image: DecodedImage, kind: DocumentType) -> DocumentScan:
    """Every document of `kind` in the image (a photocopy can show two sides)."""
    text_reader = reader()
    pixels = image.pixels
    page = kind in LAYOUTS and LAYOUTS[kind].page
    zone = kind is DocumentType.passport
    card_side, whole_side = ZONE_SIDES if zone else (CARD_SIDE, PAGE_SIDE if page else CARD_SIDE)
    aspect = ZONE_ASPECT if zone else MIN_ASPECT
    squeeze = ZONE_SQUEEZE if zone else 1.0
    found: list[Document] = []
    lines = 0

    def read(view: np.ndarray, to_image: np.ndarray, *, detected: bool) -> None:
        """Read one view and keep its document: a card's warped view is level, so it can
        only be upside down; the whole image may also be turned by quarter turns."""
        nonlocal lines
        upright = read_upright(
            text_reader,
            view,
            quarter_turns=not detected,
            min_side=min(view.shape[:2]),
            min_aspect=aspect,
            squeeze=squeeze,
        )
        lines = max(lines, len(upright.lines))
        document = _document(kind, upright, to_image, detected=detected)
        if document is not None:
            found.append(document)

    if zone:
        zone_scan = _scan_zone(text_reader, pixels)
        if zone_scan is not None:
            return zone_scan
    if not page:
        for outline in find_cards(pixels):
            view, _, to_image = warp(pixels, outline, long_side=card_side)
            read(view, to_image, detected=True)
    if not found:
        read(*_whole(pixels, whole_side), detected=False)
    return DocumentScan(type=kind, documents=tuple(found), lines=lines)


def _scan_zone(text_reader: TextReader, pixels: np.ndarray) -> DocumentScan | None:
    """A passport or ID card read from its machine-readable zone alone, found by its shape
    (engine.ocr._zone_band) and read cell by cell (engine.ocr._zone_reader): in the document's
    outline warped flat, else in the whole image, which may be turned by quarter turns. None
    when no zone is read so; the text detector's reading is then the one used."""
    views = [
        (view, to_image, True)
        for view, _, to_image in (
            warp(pixels, outline, long_side=ZONE_SIDES[0]) for outline in find_cards(pixels)
        )
    ]
    views.append((*_whole(pixels, ZONE_SIDES[1]), False))
    for view, to_image, detected in views:
        upright = _zone_upright(text_reader, view, quarter_turns=not detected)
        if upright is None:
            continue
        document = _document(DocumentType.passport, upright, to_image, detected=detected)
        if document is not None:
            return DocumentScan(
                type=DocumentType.passport, documents=(document,), lines=len(upright.lines)
            )
    return None


def _zone_upright(
    text_reader: TextReader, view: np.ndarray, *, quarter_turns: bool
) -> UprightText | None:
    """The zone's rows read from the view turned upright: the turns in which a zone's band
    shows, the direction classifier saying which of a half turn apart is upright."""
    for base in (0, 90) if quarter_turns else (0,):
        turned = turn(view, base)
        rows = find_zone(turned)
        if not rows:
            continue
        rotation = base
        if _upside_down(text_reader, rows):
            rotation = base + 180
            turned = turn(view, rotation)
            rows = find_zone(turned)
            if not rows:
                continue
        name = next(n for n, (_, width, _) in FORMATS.items() if width == rows[0].cells)
        lines = read_zone(text_reader, rows, CLASSES[name])
        if lines is None:
            return None
        height, width = view.shape[:2]
        to_source = np.linalg.inv(turn_matrix(rotation, width, height))
        return UprightText(
            pixels=turned, rotation=rotation, lines=tuple(lines), to_source=to_source
        )
    return None


def _upside_down(text_reader: TextReader, rows: list[ZoneRow]) -> bool:
    """Whether the direction classifier finds the rows' starts upside down, on the whole."""
    crops = [row.pixels[:, : max(1, round(row.pixels.shape[1] / ZONE_CLS_PIECES))] for row in rows]
    return float(np.mean(text_reader.upside_down(crops))) > 0.5


def read_document(image: DecodedImage, kind: DocumentType) -> Document | None:
    """The first document of `kind` in the image, or None."""
    scan = scan_documents(image, kind)
    return scan.documents[0] if scan.documents else None


def parse_document(kind: DocumentType, upright: UprightText) -> Parsed | None:
    """The fields of a document of `kind` from its upright text, or None when the text is not
    that of such a document. A field whose check fails keeps its value, with `valid` False."""
    parsed = _parse(kind, upright.lines)
    if parsed is None:
        return None
    fields = dict(parsed.fields)
    for name, ok in parsed.checks.items():
        if not ok and name in fields:
            fields[name] = fields[name].model_copy(update={"valid": False})
    return Parsed(fields, parsed.checks, parsed.page)


def _parse(kind: DocumentType, lines: tuple[Line, ...]) -> Parsed | None:
    if kind is DocumentType.bank_card:
        fields, checks = parse_bank_card(table(lines, spaces=True))
        return Parsed(fields, checks) if fields else None
    if kind is DocumentType.hk_id:
        rows = table(lines, spaces=True)
        fields, checks = parse_hk_id(rows)
        return Parsed(fields, checks) if is_hk_id(rows) or "id_number" in fields else None
    if kind is DocumentType.passport:
        fields, checks = parse_zone(table(lines))
        return Parsed(fields, checks) if fields else None
    return _labelled(LAYOUTS[kind], table(lines, spaces=True))


def _labelled(layout: Layout, rows: list[list[Token]]) -> Parsed | None:
    text = "".join(text_of(row) for row in rows).replace(" ", "")
    titled = any(title in text for title in layout.titles)
    # labels inside a title (代码 in 组织机构代码证) are not labels
    body = [
        row for row in rows if not any(t in text_of(row).replace(" ", "") for t in layout.titles)
    ]
    fields = parse_labelled(body, layout.labels)
    for name, pattern in layout.patterns:
        fields |= _pattern(rows, name, pattern)
    if "name_en" not in fields and (latin := _pattern(rows, "name_en", _LATIN_NAME)):
        fields |= latin
    if "name_en" in fields:
        english = fields["name_en"]
        fields["name_en"] = english.model_copy(update={"value": latin_name(english.value)})
    if layout.type is DocumentType.macao_id and "name" in fields:
        fields |= _macao_name(fields["name"])
    checks = layout.checks(fields)
    if layout.back_titles:
        # the residence permits: a back names the permit; a front is the ID card's layout,
        # told apart by its number's prefix (a failed check does not make it another card)
        back = any(title in text for title in layout.back_titles) and "id_number" not in fields
        number = fields.get("id_number")
        if not back and (number is None or not _prefix_ok(layout, number.value)):
            return None
        page = 2 if back else 1
    else:
        if not titled and labels_found(rows, layout.labels) < MIN_LABELS:
            return None
        page = 1
    if len(fields) < 2:
        return None
    return Parsed(fields, checks, page)


def _macao_name(name: TextField) -> dict[str, TextField]:
    """姓 and 名 (SenseTime's firstName and secondName) from the printed Chinese name: the
    first character is the surname; a two-character surname (歐陽) is not told apart."""
    if len(name.value) < 2:
        return {}
    return {
        "surname": name.model_copy(update={"name": "surname", "value": name.value[:1]}),
        "given_name": name.model_copy(update={"name": "given_name", "value": name.value[1:]}),
    }


def _prefix_ok(layout: Layout, number: str) -> bool:
    prefixes = ("81", "82") if layout.type is DocumentType.hk_macao_residence else ("83",)
    return number.startswith(prefixes)


def _pattern(rows: list[list[Token]], name: str, pattern: str) -> dict[str, TextField]:
    for row in rows:
        found = re.search(pattern, text_of(row))
        if found is not None:
            return {name: token_field(name, row[found.start() : found.end()])}
    return {}


def _document(
    kind: DocumentType, upright: UprightText, to_view: np.ndarray, *, detected: bool
) -> Document | None:
    parsed = parse_document(kind, upright)
    if parsed is None:
        return None
    to_image = to_view @ upright.to_source
    height, width = upright.pixels.shape[:2]
    corners = map_points(to_image, np.array([[0, 0], [width, 0], [width, height], [0, height]]))
    return Document(
        type=kind,
        fields={name: _mapped(field, to_image) for name, field in parsed.fields.items()},
        checks=parsed.checks,
        page=parsed.page,
        rotation=rotation_of(corners),
        outline=to_quad(corners),
        outline_detected=detected,
        crop_jpeg=encode_image(upright.pixels, "jpeg", JPEG_QUALITY),
    )


def _mapped(field: TextField, to_image: np.ndarray) -> TextField:
    if field.quad is None:
        return field
    points = np.array([[p.x, p.y] for p in field.quad.points])
    return field.model_copy(update={"quad": to_quad(map_points(to_image, points))})


def _whole(pixels: np.ndarray, side: int) -> tuple[np.ndarray, np.ndarray]:
    """The image scaled so its longer side is `side` (never up more than twice), and the map
    back."""
    height, width = pixels.shape[:2]
    scale = min(side / max(height, width), 2.0)
    size = (round(width * scale), round(height * scale))
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
    view = cv2.resize(pixels, size, interpolation=interpolation)
    return view, np.diag([width / size[0], height / size[1], 1.0])
