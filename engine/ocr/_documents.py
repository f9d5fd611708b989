"""Resident ID cards in an image: find each card, read it upright, parse and check it.

Every card outline found is warped flat to landscape and read there, where it can only be
upright or upside down. When no outline yields a card (a scan cropped to the card, a busy
background) the whole image is read instead, turned by quarter turns as its text requires.
Positions are mapped back to the input image; the card and portrait crops are the upright
views, as the manuals return them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import cv2
import numpy as np

from contracts.documents import (
    CardQuality,
    CardSide,
    DocumentKind,
    IdCard,
    IdCardScan,
    IdNumberCheck,
    TextField,
)
from contracts.images import DecodedImage
from engine import stages
from engine.media import encode_image
from engine.ocr._card import CARD_SIZE, SCAN_ASPECT, find_cards, warp
from engine.ocr._citizen_id import check_citizen_id
from engine.ocr._geometry import map_points, rotation_of, to_quad
from engine.ocr._idcard import ParsedCard, parse_id_card
from engine.ocr._portrait import portrait_box
from engine.ocr._quality import assess_quality
from engine.ocr._reader import reader
from engine.ocr._source import classify_source, find_edit_tool
from engine.ocr._text import UprightText, read_upright

# The card view is read at its own size: its text is 25-35 px high, which the detector finds
# as well as at the 736 px it was tuned for, in about 60% of the time.
CARD_DETECT_SIDE = CARD_SIZE[1]
WHOLE_DETECT_SIDE = 736
MIN_DOCUMENT_LINES = 2
JPEG_QUALITY = 90


@dataclass(frozen=True)
class _View:
    """One upright view read: a warped card outline, or the whole image."""

    upright: UprightText
    parsed: ParsedCard | None
    to_image: np.ndarray  # upright view -> input image
    outside: float | None  # share of the outline outside the image; None for the whole image


@stages.timed("ocr.id_cards")
def scan_id_cards(
    image: DecodedImage, *, portrait: bool = False, data: bytes | None = None
) -> IdCardScan:
    """Every ID card side in the image. `portrait` asks for the portrait crop of front sides
    (it runs the face detector); `data`, the encoded file, lets its metadata name an editor."""
    text_reader = reader()
    pixels = image.pixels
    views = []
    for outline in find_cards(pixels):
        view, quad, to_image = warp(pixels, outline)
        upright = read_upright(text_reader, view, quarter_turns=False, min_side=CARD_DETECT_SIDE)
        views.append(_read(upright, to_image, _outside(quad, pixels.shape)))
    if not any(view.parsed for view in views):
        whole, to_image = _whole(pixels)
        upright = read_upright(text_reader, whole, min_side=_detect_side(pixels))
        views.append(_read(upright, to_image, None))
    edit_tool = find_edit_tool(data) if data else None
    cards = tuple(
        _card(view, view.parsed, portrait, edit_tool) for view in views if view.parsed is not None
    )
    if cards:
        return IdCardScan(kind=DocumentKind.id_card, cards=cards, quality=cards[0].quality)
    main = max(views, key=lambda view: (view.outside is not None, len(view.upright.lines)))
    lines = len(main.upright.lines)
    documented = lines >= MIN_DOCUMENT_LINES or (main.outside is not None and lines > 0)
    kind = DocumentKind.other_card if documented else DocumentKind.none
    return IdCardScan(kind=kind, quality=_quality(main))


def read_id_card(
    image: DecodedImage,
    *,
    side: CardSide | None = None,
    portrait: bool = False,
    data: bytes | None = None,
) -> IdCard | None:
    """The ID card side in the image, preferring `side` where both are shown; None when the
    image holds no ID card (`scan_id_cards` says what it holds instead)."""
    return pick_side(scan_id_cards(image, portrait=portrait, data=data), side)


def pick_side(scan: IdCardScan, side: CardSide | None) -> IdCard | None:
    """The scan's card of `side` where it has one, else its first card, else None: a caller
    that asked for one side and got the other reports that (Waiqin's reversed_side)."""
    if not scan.cards:
        return None
    return next((card for card in scan.cards if card.side is side), scan.cards[0])


def _read(upright: UprightText, to_image: np.ndarray, outside: float | None) -> _View:
    parsed = parse_id_card(upright.lines, upright.pixels.shape[1])
    return _View(upright, parsed, to_image @ upright.to_source, outside)


def _card(view: _View, parsed: ParsedCard, portrait: bool, edit_tool: str | None) -> IdCard:
    pixels, to_image = view.upright.pixels, view.to_image
    height, width = pixels.shape[:2]
    corners = map_points(to_image, np.array([[0, 0], [width, 0], [width, height], [0, height]]))
    fields = {name: _mapped(field, to_image) for name, field in parsed.fields.items()}
    portrait_quad = portrait_jpeg = None
    if portrait and parsed.side is not CardSide.back:
        box = portrait_box(pixels)
        (left, top), (right, bottom) = box[0].astype(int), box[2].astype(int)
        portrait_jpeg = encode_image(pixels[top:bottom, left:right], "jpeg", JPEG_QUALITY)
        portrait_quad = to_quad(map_points(to_image, box))
    return IdCard(
        side=parsed.side,
        fields=fields,
        id_number_check=None if parsed.side is CardSide.back else _check(fields),
        rotation=rotation_of(corners),
        card=to_quad(corners),
        card_detected=view.outside is not None,
        card_jpeg=encode_image(pixels, "jpeg", JPEG_QUALITY),
        portrait=portrait_quad,
        portrait_jpeg=portrait_jpeg,
        quality=_quality(view),
        source=classify_source(pixels, parsed.side, edit_tool=edit_tool),
    )


def _check(fields: dict[str, TextField]) -> IdNumberCheck:
    number = fields.get("id_number")
    birth = fields.get("birth")
    sex = fields.get("sex")
    return check_citizen_id(
        number.value if number is not None else None,
        birth=date.fromisoformat(birth.value) if birth is not None and birth.valid else None,
        sex=sex.value if sex is not None and sex.valid else None,
    )


def _quality(view: _View) -> CardQuality:
    parsed = view.parsed
    return assess_quality(
        view.upright.pixels,
        [line.quad for line in view.upright.lines],
        parsed.side if parsed is not None else None,
        parsed.fields if parsed is not None else {},
        outside=view.outside,
    )


def _mapped(field: TextField, to_image: np.ndarray) -> TextField:
    if field.quad is None:
        return field
    points = np.array([[p.x, p.y] for p in field.quad.points])
    return field.model_copy(update={"quad": to_quad(map_points(to_image, points))})


def _whole(pixels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The whole image scaled so its longer side is the card view's width, and the map back."""
    height, width = pixels.shape[:2]
    scale = CARD_SIZE[0] / max(height, width)
    size = (round(width * scale), round(height * scale))
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
    view = cv2.resize(pixels, size, interpolation=interpolation)
    to_image = np.diag([width / size[0], height / size[1], 1.0])
    return view, to_image


def _detect_side(pixels: np.ndarray) -> int:
    """An image of the card's shape is the card, with text at the card view's scale; any other
    image is read at the detector's own scale, as its card (if any) may be small in it."""
    height, width = pixels.shape[:2]
    aspect = max(height, width) / min(height, width)
    return CARD_DETECT_SIDE if SCAN_ASPECT[0] <= aspect <= SCAN_ASPECT[1] else WHOLE_DETECT_SIDE


def _outside(quad: np.ndarray, shape: tuple[int, ...]) -> float:
    """The share of the quad's area that lies outside the image."""
    height, width = shape[:2]
    frame = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
    area = cv2.contourArea(quad.astype(np.float32))
    inside, _ = cv2.intersectConvexConvex(quad.astype(np.float32), frame)
    return float(max(0.0, 1.0 - inside / area)) if area > 0 else 0.0
