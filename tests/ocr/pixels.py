"""Pixels as the engine takes them: facades decode first, tests wrap what cv2 read."""

import numpy as np

from contracts.images import DecodedImage


def decoded(pixels: np.ndarray) -> DecodedImage:
    return DecodedImage(pixels=np.ascontiguousarray(pixels), format="jpeg")
