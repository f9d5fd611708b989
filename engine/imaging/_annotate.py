"""Faces marked on an image: a box, the five landmarks and the face's number on each.

Facades return it for a person to check what was found (SenseTime's `markedImg`, seed 000
§2.1), so line widths and dot sizes follow the image's size and stay visible on a phone photo
as on a thumbnail.
"""

from __future__ import annotations

from collections.abc import Iterable

import cv2

from contracts.faces import Face
from contracts.images import DecodedImage

BOX_COLOUR = (0, 220, 0)  # BGR
POINT_COLOUR = (0, 0, 255)
LABEL_COLOUR = (255, 255, 255)


def mark_faces(image: DecodedImage, faces: Iterable[Face]) -> DecodedImage:
    """A copy of the upright image with each face's `revised_box`, `revised_landmarks5` and
    `index` drawn on it (without rotation search the upright image is the input itself)."""
    pixels = image.pixels.copy()
    stroke = max(1, round(max(image.width, image.height) / 400))
    for face in faces:
        box = face.revised_box
        top_left = (round(box.left), round(box.top))
        cv2.rectangle(pixels, top_left, (round(box.right), round(box.bottom)), BOX_COLOUR, stroke)
        radius = max(2, round(box.width / 40))
        for point in face.revised_landmarks5:
            centre = (round(point.x), round(point.y))
            cv2.circle(pixels, centre, radius, POINT_COLOUR, -1, cv2.LINE_AA)
        label_at = (top_left[0], max(0, top_left[1] - 2 * stroke))
        cv2.putText(
            pixels,
            str(face.index),
            label_at,
            cv2.FONT_HERSHEY_SIMPLEX,
            0.5 * stroke,
            LABEL_COLOUR,
            stroke,
            cv2.LINE_AA,
        )
    return DecodedImage(pixels=pixels, format=image.format, source_bytes=image.source_bytes)
