"""A document drawn as text on a tinted background: the one renderer every template uses."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

# Debian's fonts-noto-cjk and fonts-ocr-b (installed by .ci/run); faces 2 and 3 are Noto Sans
# CJK SC and TC, face 7 Noto Sans Mono CJK SC (card numbers); "ocrb" is OCR-B, the typeface
# ICAO 9303 prescribes for machine-readable zones (Debian's free OCR-B, the Tsukurimashou
# project's). Each is (file, index in the collection, the package that installs it).
FONT_DIRS = (
    Path("/usr/share/fonts/opentype/noto"),
    Path("/usr/share/fonts/opentype/ocr-b"),
    Path("/usr/local/share/fonts"),
)
FONT_FILE = "NotoSansCJK-Regular.ttc"
BOLD_FILE = "NotoSansCJK-Bold.ttc"
OCRB_FILE = "OCRB.otf"
FACES = {"sc": 2, "tc": 3, "mono": 7}
OCRB_ADVANCE = 0.723  # OCR-B's fixed advance, in ems (every glyph is this wide)


@dataclass(frozen=True)
class Text:
    x: int
    y: int
    text: str
    size: int = 26
    face: str = "sc"
    bold: bool = False
    colour: tuple[int, int, int] = (25, 25, 25)


@dataclass(frozen=True)
class Rule:
    """A rectangle drawn before the text: a stamp's frame (`thickness` px) or, filled
    (`thickness` -1), a bar of a barcode."""

    left: int
    top: int
    right: int
    bottom: int
    colour: tuple[int, int, int]
    thickness: int = -1


@dataclass
class Sheet:
    """What a template draws: its size in pixels, background colours (top and bottom of a
    vertical gradient), the texts, rectangles (stamps, barcodes) and a portrait box (left,
    top, right, bottom) or None."""

    width: int
    height: int
    top: tuple[int, int, int]
    bottom: tuple[int, int, int]
    texts: list[Text] = field(default_factory=list)
    portrait: tuple[int, int, int, int] | None = None
    rules: list[Rule] = field(default_factory=list)

    def add(self, x: int, y: int, text: str, size: int = 26, **style: object) -> None:
        self.texts.append(Text(x, y, text, size, **style))  # type: ignore[arg-type]


def font_path(bold: bool = False, face: str = "sc") -> Path:
    """The font file of a face; FileNotFoundError names the package to install."""
    name = OCRB_FILE if face == "ocrb" else BOLD_FILE if bold else FONT_FILE
    for folder in FONT_DIRS:
        if (folder / name).is_file():
            return folder / name
    package = "fonts-ocr-b" if face == "ocrb" else "fonts-noto-cjk"
    raise FileNotFoundError(f"{name} not found: install Debian's {package}")


@cache
def _font(size: int, face: str, bold: bool) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_path(bold, face)), size, index=FACES.get(face, 0))


def render(sheet: Sheet, portrait: np.ndarray | None) -> np.ndarray:
    """The sheet as a BGR image: gradient, a faint guilloche of sine waves, portrait, text."""
    height, width = sheet.height, sheet.width
    ramp = np.linspace(0.0, 1.0, height)[:, None, None]
    top, bottom = np.array(sheet.top[::-1], float), np.array(sheet.bottom[::-1], float)
    pixels = np.repeat(top * (1 - ramp) + bottom * ramp, width, axis=1).astype(np.uint8)
    xs = np.arange(width)
    for k in range(6):
        ys = height * (0.15 + 0.14 * k) + 12 * np.sin(xs / (37 + 9 * k) + k)
        points = np.stack([xs, ys], axis=1).astype(np.int32).reshape(-1, 1, 2)
        tint = tuple(int(c) for c in (pixels[height // 2, width // 2] * 0.92))
        cv2.polylines(pixels, [points], False, tint, 1, cv2.LINE_AA)
    if sheet.portrait is not None:
        left, top_, right, bottom_ = sheet.portrait
        if portrait is None:
            pixels[top_:bottom_, left:right] = (205, 205, 205)
        else:
            pixels[top_:bottom_, left:right] = _fit(portrait, right - left, bottom_ - top_)
    for rule in sheet.rules:
        colour = tuple(int(c) for c in rule.colour[::-1])
        cv2.rectangle(pixels, (rule.left, rule.top), (rule.right, rule.bottom), colour,
                      rule.thickness, cv2.LINE_AA)  # fmt: skip
    image = Image.fromarray(cv2.cvtColor(pixels, cv2.COLOR_BGR2RGB))
    draw = ImageDraw.Draw(image)
    for text in sheet.texts:
        draw.text(
            (text.x, text.y), text.text, font=_font(text.size, text.face, text.bold),
            fill=text.colour,
        )  # fmt: skip
    return cv2.cvtColor(np.asarray(image), cv2.COLOR_RGB2BGR)


def _fit(photo: np.ndarray, width: int, height: int) -> np.ndarray:
    """The photo's centre cropped to the box's aspect and scaled to it."""
    ph, pw = photo.shape[:2]
    scale = max(width / pw, height / ph)
    resized = cv2.resize(photo, (max(width, round(pw * scale)), max(height, round(ph * scale))))
    top = (resized.shape[0] - height) // 3
    left = (resized.shape[1] - width) // 2
    return resized[top : top + height, left : left + width]
