"""Pixels as the engine takes them: facades decode first, tests wrap what cv2 read."""

import numpy as np

from contracts.images import DecodedImage


def decoded(pixels: np.ndarray) -> DecodedImage:
    return DecodedImage(pixels=np.ascontiguousarray(pixels), format="jpeg")


def temporary_card(front: np.ndarray, back: np.ndarray) -> np.ndarray:
    """A temporary card laid out from a front and a back scan: the front with the back's
    签发机关 and 有效期限 rows added below the number, as the temporary card prints them."""
    filler = np.tile(front[400:430, 60:600], (4, 2, 1))[:110, : front.shape[1]]
    card = np.vstack([front[:560], filler, front[560:]])
    card[565:600, 87:557] = back[434:469, 230:700]
    card[615:650, 87:577] = back[507:542, 230:720]
    return card
