"""A photo of someone holding their ID card: which face is live and which is the card's."""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from contracts.errors import ErrorKind, IdfError
from contracts.faces import Box, Face
from contracts.images import DecodedImage
from engine.ocr._card import find_cards

PORTRAIT_SHARE = 0.5  # a card's portrait face is at most this share of the card's width


def holder_and_portrait(image: DecodedImage, faces: Sequence[Face]) -> tuple[Face, Face]:
    """In a photo of a person holding their identity card: the live face and the card's.

    The live face is the largest. The portrait is the largest of the other faces that lies on
    an ID-1 card found in the photo (engine.ocr._card: its centre inside the card's outline, and
    narrower than `PORTRAIT_SHARE` of the card, so a photo-sized rectangle around the holder
    does not count), which passes over a bystander behind the holder. When no card is found
    (a card under 10% of the photo, or one that blends into its background), it is the next
    largest face.
    """
    if len(faces) < 2:
        raise IdfError(
            ErrorKind.no_face,
            f"{len(faces)} face(s) found; a live face and the card's portrait are needed",
        )
    holder, *others = sorted(faces, key=lambda face: face.box.area, reverse=True)
    cards = find_cards(image.pixels)
    on_card = [face for face in others if any(_on_card(face.box, card) for card in cards)]
    return holder, (on_card or others)[0]


def _on_card(box: Box, card: np.ndarray) -> bool:
    centre = ((box.left + box.right) / 2, (box.top + box.bottom) / 2)
    inside = cv2.pointPolygonTest(card.astype(np.float32), centre, False) >= 0
    card_width = float(np.ptp(card[:, 0]))
    return inside and box.width <= PORTRAIT_SHARE * card_width
