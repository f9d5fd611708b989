"""Face regions cut out of an image, to travel without the rest of it (detect contexts,
returned face images)."""

from __future__ import annotations

import cv2

from contracts.faces import Box, Point
from contracts.images import DecodedImage


def face_region(
    image: DecodedImage, box: Box, *, margin: float, max_side: int
) -> tuple[DecodedImage, Point, float]:
    """The part of `image` around `box`, grown by `margin` × the box's longer side on every
    side and clipped to the image, shrunk (never enlarged) to at most `max_side` pixels.

    Returns the region, its top-left corner in `image`, and the scale applied, so that a point
    p of `image` lies at (p − corner) × scale in the region.
    """
    grow = margin * max(box.width, box.height)
    left = max(0, int(box.left - grow))
    top = max(0, int(box.top - grow))
    right = min(image.width, int(box.right + grow + 1))
    bottom = min(image.height, int(box.bottom + grow + 1))
    pixels = image.pixels[top:bottom, left:right]
    height, width = pixels.shape[:2]
    scale = min(1.0, max_side / max(height, width, 1))
    if scale < 1.0:
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        pixels = cv2.resize(pixels, size, interpolation=cv2.INTER_AREA)
        scale = size[0] / width
    region = DecodedImage(pixels=pixels.copy(), format=image.format)
    return region, Point(x=float(left), y=float(top)), scale
