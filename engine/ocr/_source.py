"""Where a card image came from (SenseTime seed 000 §6.2, Waiqin's risk_type and edit_tool).

Measurements, not a trained classifier:
- copy: a resident ID card is printed in colour (blue and pink guilloche, red emblem), so a
  view with almost no chroma, relative to its brightness, is a greyscale photocopy or scan;
- screen: a photo of a screen carries moiré, the beat of the screen's pixel grid with the
  camera's, which shows as a narrow peak in the spectrum of the high-passed view, standing
  far above the spectrum around it (printed guilloche and blur spread their energy instead);
- temporary: the card was read as a temporary resident ID card;
- edited: the file's own metadata names image-editing software (EXIF Software, XMP
  CreatorTool, PNG text). Pixels edited and re-saved without that trace are not detected.
docs/ocr.md gives the values measured on ../shared/data and the limits of each.
"""

from __future__ import annotations

import io
import re

import cv2
import numpy as np
from PIL import Image, UnidentifiedImageError

from contracts.documents import CardSide, CardSource, SourceAssessment

CHROMA_NONE = 2.0  # colourfulness (normalised to a lit card) of a greyscale copy
CHROMA_FULL = 8.0  # and the least that a colour card measured
PEAK_NONE = 1.8  # spectral peak prominence: printed and blurred cards measured 1.35-1.51
PEAK_FULL = 2.4  # moiré of 5% contrast measured 2.5-3.1
EDITORS = re.compile(
    r"photoshop|gimp|paint\.net|pixelmator|affinity|lightroom|snapseed|picsart|canva|"
    r"meitu|美图|photoscape|corel|acdsee|fotor|inpixio",
    re.IGNORECASE,
)
_SOFTWARE_TAG = 0x0131
_XMP_TOOL = re.compile(rb"CreatorTool(?:>|=\")([^<\"]+)")


def classify_source(
    view: np.ndarray, side: CardSide, *, edit_tool: str | None = None
) -> SourceAssessment:
    """Scores for each source of an upright card view; `edit_tool` is what `find_edit_tool`
    found in the file the view was decoded from."""
    scores = {
        CardSource.copy: _round(_greyness(view)),
        CardSource.screen: _round(_moire(view)),
        CardSource.temporary: 1.0 if side is CardSide.temporary else 0.0,
        CardSource.edited: 1.0 if edit_tool else 0.0,
    }
    worst = max(scores, key=scores.__getitem__)
    scores[CardSource.normal] = _round(1.0 - scores[worst])
    source = worst if scores[worst] >= 0.5 else CardSource.normal
    return SourceAssessment(source=source, scores=scores, edit_tool=edit_tool)


def find_edit_tool(data: bytes) -> str | None:
    """The image-editing software an image file says it was saved by, as the file names it."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            named = [str(image.getexif().get(_SOFTWARE_TAG, ""))]
            named += [str(v) for k, v in image.info.items() if str(k).lower() == "software"]
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None
    named += [m.decode("utf-8", "replace") for m in _XMP_TOOL.findall(data[: 1 << 20])]
    return next((name.strip() for name in named if EDITORS.search(name)), None)


def _greyness(view: np.ndarray) -> float:
    """Colourfulness (Hasler and Süsstrunk 2003), scaled to a card lit to luminance 220."""
    blue, green, red = (channel.astype(np.float32) for channel in cv2.split(view))
    rg = red - green
    yb = 0.5 * (red + green) - blue
    colourful = np.hypot(rg.std(), yb.std()) + 0.3 * np.hypot(rg.mean(), yb.mean())
    lit = max(float(np.mean(cv2.cvtColor(view, cv2.COLOR_BGR2GRAY))), 40.0)
    chroma = float(colourful) * 220.0 / lit
    return float(np.clip((CHROMA_FULL - chroma) / (CHROMA_FULL - CHROMA_NONE), 0.0, 1.0))


def _moire(view: np.ndarray) -> float:
    """How far the strongest spectral peak of the high-passed view stands above the spectrum
    around it (natural-log units): moiré is a narrow peak, print and blur are broad."""
    grey = cv2.cvtColor(view, cv2.COLOR_BGR2GRAY).astype(np.float32)
    detail = grey - cv2.GaussianBlur(grey, (0, 0), 3)
    height, width = detail.shape
    window = np.outer(np.hanning(height), np.hanning(width)).astype(np.float32)
    spectrum = np.log(np.abs(np.fft.rfft2(detail * window)) + 1e-3).astype(np.float32)
    prominence = spectrum - cv2.GaussianBlur(spectrum, (0, 0), 6)
    fy = np.abs(np.fft.fftfreq(height))[:, None]
    fx = np.fft.rfftfreq(width)[None, :]
    radius = np.hypot(fx, fy)
    # periods of 3 to 24 px, off the axes where edges and JPEG blocks put their energy
    band = (radius > 1 / 24) & (radius < 1 / 3) & (fx > 0.01) & (fy > 0.01)
    peak = float(prominence[band].max())
    return float(np.clip((peak - PEAK_NONE) / (PEAK_FULL - PEAK_NONE), 0.0, 1.0))


def _round(value: float) -> float:
    return round(float(value), 4)
