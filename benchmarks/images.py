"""Reading the data set's images for the benchmarks: a file OpenCV cannot read stops the run
with its name, instead of a None that fails later as an attribute error."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np


def imread(path: Path | str) -> np.ndarray:
    """The image at `path` as BGR pixels."""
    pixels = cv2.imread(str(path))
    if pixels is None:
        raise FileNotFoundError(f"no readable image at {path}")
    return pixels


def reencoded(pixels: np.ndarray, ext: str, params: list[int]) -> np.ndarray:
    """`pixels` written as `ext` with `params` and decoded again (JPEG loss, say)."""
    ok, data = cv2.imencode(ext, pixels, params)
    decoded = cv2.imdecode(data, cv2.IMREAD_COLOR) if ok else None
    if decoded is None:
        raise ValueError(f"cannot re-encode as {ext}")
    return decoded
