"""A synthetic face mask for tests: cloth over the nose and jaw, shaded towards the chin and
pleated, drawn along the face's 68-point outline."""

from __future__ import annotations

import cv2
import numpy as np

from contracts.faces import Face

BLUE = (230, 200, 160)  # surgical mask (BGR)
WHITE = (240, 240, 240)
BLACK = (35, 35, 35)


def with_mask(pixels: np.ndarray, face: Face, colour: tuple[int, int, int]) -> np.ndarray:
    """`pixels` (BGR, upright) with a mask of `colour` over `face`, whose 68 points are known."""
    points = np.array([(p.x, p.y) for p in face.landmarks68])
    outline = np.vstack([points[1:16], points[28]])  # jaw from ear to ear, then the nose bridge
    cover = np.zeros(pixels.shape[:2], np.uint8)
    cv2.fillPoly(cover, [np.round(outline).astype(np.int32)], 255, lineType=cv2.LINE_AA)
    top, bottom = points[28, 1], points[8, 1]
    depth = np.clip((np.arange(pixels.shape[0]) - top) / max(bottom - top, 1.0), 0.0, 1.0)
    pleats = np.where(np.sin(depth * 6 * np.pi) > 0.8, 0.88, 1.0)
    shade = ((1.0 - 0.25 * depth) * pleats)[:, None, None]
    cloth = np.array(colour, np.float32) * shade
    alpha = cover.astype(np.float32)[..., None] / 255.0
    out = pixels.astype(np.float32) * (1 - alpha) + cloth * alpha
    return np.clip(out.round(), 0, 255).astype(np.uint8)
