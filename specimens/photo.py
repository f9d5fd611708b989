"""A flat document as a phone would photograph it: on a table, at an angle, in uneven light,
slightly out of focus, saved as JPEG."""

from __future__ import annotations

import random

import cv2
import numpy as np


def photographed(flat: np.ndarray, seed: int, *, quality: int = 80) -> np.ndarray:
    """The document on a textured background with 3-5% perspective, a shadow falling across
    it, Gaussian blur of σ 0.7-1.0 px and JPEG compression; deterministic for a seed."""
    rng = random.Random(seed)
    height, width = flat.shape[:2]
    margin_x, margin_y = round(width * 0.12), round(height * 0.14)
    out_w, out_h = width + 2 * margin_x, height + 2 * margin_y
    noise = np.random.default_rng(seed).normal(0, 6, (out_h, out_w, 1))
    table = np.clip(np.array([70, 95, 120], float) + noise, 0, 255).astype(np.uint8)
    jitter = [
        (rng.uniform(-0.05, 0.05) * width, rng.uniform(-0.05, 0.05) * height) for _ in range(4)
    ]
    source = np.array([[0, 0], [width, 0], [width, height], [0, height]], np.float32)
    target = source + np.array([margin_x, margin_y], np.float32) + np.array(jitter, np.float32)
    matrix = cv2.getPerspectiveTransform(source, target)
    warped = cv2.warpPerspective(flat, matrix, (out_w, out_h), flags=cv2.INTER_LINEAR)
    mask = cv2.warpPerspective(np.full((height, width), 255, np.uint8), matrix, (out_w, out_h))
    image: np.ndarray = np.where(mask[:, :, None] > 127, warped, table).astype(np.float32)
    # light falling off from one corner: a shadow of up to 30%
    ys, xs = np.mgrid[0:out_h, 0:out_w].astype(np.float32)
    corner_x, corner_y = rng.choice([0, out_w]), rng.choice([0, out_h])
    distance = np.hypot(xs - corner_x, ys - corner_y) / np.hypot(out_w, out_h)
    image *= (0.7 + 0.3 * distance)[:, :, None]
    image = cv2.GaussianBlur(np.clip(image, 0, 255).astype(np.uint8), (0, 0), rng.uniform(0.7, 1))
    ok, encoded = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    decoded = cv2.imdecode(encoded, cv2.IMREAD_COLOR) if ok else None
    assert decoded is not None
    return decoded
