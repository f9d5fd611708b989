"""Card image quality as measurements on the upright card view (SenseTime seed 000 §6.3,
Waiqin's card_quality and photo_status).

Each score is a documented measurement mapped to [0, 1], not a trained classifier:
- blur: edge steepness of the printed text (the 98th-percentile gradient across each line over
  the line's contrast, the weaker of the horizontal and vertical directions so that motion blur
  counts), on a logistic around the value measured for Gaussian blur of σ ≈ 1.8 px at 856 px;
- crop: how much of the card outline lies outside the image, or text running into the edge of
  the view; with no outline found, also expected fields missing while the text comes near
  the image's edge;
- occlusion: the worst expected field, counting a field not read at all as confidence 0;
- strong light: clipped, textureless white covering the card (a specular highlight wipes out
  the guilloche, which a white card background keeps);
- weak light: median luminance of the text block below what a lit card shows.
docs/ocr.md lists the values measured on ../shared/data and what these cannot see.
"""

from __future__ import annotations

import cv2
import numpy as np

from contracts.documents import CardQuality, CardSide, TextField

EXPECTED = {
    CardSide.front: ("name", "sex", "nation", "birth", "address", "id_number"),
    CardSide.back: ("authority", "validity"),
    CardSide.temporary: (
        "name", "sex", "nation", "birth", "address", "id_number", "authority", "validity",
    ),
}  # fmt: skip
SHARP_MIDPOINT = 2.0  # text edge steepness (1/px) where blur reads 0.5
SHARP_SPREAD = 0.25
MIN_LINE_CONTRAST = 20
GLARE_FULL = 0.04  # share of the card clipped flat white that counts as fully glared
DARK_FULL = 60  # median luminance (0-255) that counts as fully dark
DARK_NONE = 140
EDGE_MARGIN = 0.005  # text this close (share of the side) to the view's edge is cut off
NEAR_EDGE = 0.12  # text this close to an edge, with fields missing, means the card goes on


def assess_quality(
    view: np.ndarray,
    lines: list[np.ndarray],
    side: CardSide | None,
    fields: dict[str, TextField],
    *,
    outside: float | None,
) -> CardQuality:
    """Quality of an upright card `view` with its text-line quads, the side and fields read from
    it (None and none where it could not be read as a card), and the share of the card's
    outline that falls outside the input image (None when no outline was found and the view is
    the whole image)."""
    grey = cv2.cvtColor(view, cv2.COLOR_BGR2GRAY)
    if outside is None:
        crop = _cut_off(view, lines, side, fields)
    else:
        crop = max(min(1.0, 4 * outside), _cut_off(view, lines, None, {}))
    return CardQuality(
        blur=_round(_blur(grey, lines)),
        crop=_round(crop),
        occlusion=_round(_occlusion(side, fields)),
        strong_light=_round(_glare(view)),
        weak_light=_round(_darkness(grey, lines)),
    )


def _blur(grey: np.ndarray, lines: list[np.ndarray]) -> float:
    image = grey.astype(np.float32)
    gx = np.abs(cv2.Sobel(image, cv2.CV_32F, 1, 0))
    gy = np.abs(cv2.Sobel(image, cv2.CV_32F, 0, 1))
    steepness = []
    for quad in lines:
        (x0, y0), (x1, y1) = np.floor(quad.min(axis=0)), np.ceil(quad.max(axis=0))
        window = np.s_[max(int(y0), 0) : int(y1), max(int(x0), 0) : int(x1)]
        patch = image[window]
        if patch.size < 64:
            continue
        contrast = float(np.percentile(patch, 95) - np.percentile(patch, 5))
        if contrast < MIN_LINE_CONTRAST:
            continue
        edge = min(np.percentile(gx[window], 98), np.percentile(gy[window], 98))
        steepness.append(edge / contrast)
    if not steepness:
        return 1.0
    return float(1.0 / (1.0 + np.exp((np.median(steepness) - SHARP_MIDPOINT) / SHARP_SPREAD)))


def _cut_off(
    view: np.ndarray, lines: list[np.ndarray], side: CardSide | None, fields: dict[str, TextField]
) -> float:
    """1 when a line runs into the view's edge. When `side` is given (the view is the whole
    image) and expected fields are missing while the text comes near an edge, the card goes on
    beyond it: at least 0.5, growing with the share missing."""
    if not lines:
        return 0.0
    height, width = view.shape[:2]
    points = np.vstack(lines)
    gap = min(
        points[:, 0].min() / width,
        1 - points[:, 0].max() / width,
        points[:, 1].min() / height,
        1 - points[:, 1].max() / height,
    )
    if gap <= EDGE_MARGIN:
        return 1.0
    expected = EXPECTED[side] if side is not None else ()
    missing = sum(name not in fields for name in expected)
    if missing and gap <= NEAR_EDGE:
        return 0.5 + 0.5 * missing / len(expected)
    return 0.0


def _occlusion(side: CardSide | None, fields: dict[str, TextField]) -> float:
    if side is None:
        return 1.0
    scores = [fields[name].score if name in fields else 0.0 for name in EXPECTED[side]]
    return 1.0 - min(scores)


def _glare(view: np.ndarray) -> float:
    luminance = cv2.cvtColor(view, cv2.COLOR_BGR2LAB)[:, :, 0].astype(np.float32)
    mean = cv2.blur(luminance, (15, 15))
    spread = np.sqrt(np.maximum(cv2.blur(luminance * luminance, (15, 15)) - mean * mean, 0))
    clipped = (view.min(axis=2) >= 250) & (spread < 2)
    return min(1.0, float(clipped.mean()) / GLARE_FULL)


def _darkness(grey: np.ndarray, lines: list[np.ndarray]) -> float:
    """Median luminance over the text block (the card, where the view is the whole image)."""
    if lines:
        points = np.vstack(lines)
        (x0, y0), (x1, y1) = points.min(axis=0).astype(int), points.max(axis=0).astype(int)
        grey = grey[max(y0, 0) : y1 + 1, max(x0, 0) : x1 + 1]
    median = float(np.median(grey))
    return float(np.clip((DARK_NONE - median) / (DARK_NONE - DARK_FULL), 0.0, 1.0))


def _round(value: float) -> float:
    return round(float(value), 4)
