"""The printed portrait of a card's front, found with the face engine.

The face detector runs on the upright card view; the largest face whose centre lies in the
card's photo area is widened to the head-and-shoulders framing the card prints. When no face
is found (a cartoon avatar, a covered photo) the photo area of the standard layout is used.
"""

from __future__ import annotations

import numpy as np

from contracts.images import DecodedImage

# The photo area of the standard layout, as shares of the card view (left, top, right, bottom).
PHOTO_AREA = (0.61, 0.12, 0.95, 0.76)
# The printed photo around a detected face box, in face widths / heights (the specimens
# measure 0.1-0.4 each side, 0.1-0.15 above, 0.05-0.3 below).
FRAME_SIDE = 0.25
FRAME_ABOVE = 0.15
FRAME_BELOW = 0.2


def portrait_box(view: np.ndarray) -> np.ndarray:
    """Corners (top-left, top-right, bottom-right, bottom-left) of the portrait in the view."""
    height, width = view.shape[:2]
    left, top, right, bottom = (
        PHOTO_AREA[0] * width,
        PHOTO_AREA[1] * height,
        PHOTO_AREA[2] * width,
        PHOTO_AREA[3] * height,
    )
    face = _face_in(view, left, top, right, bottom)
    if face is not None:
        f_left, f_top, f_right, f_bottom = face
        f_width, f_height = f_right - f_left, f_bottom - f_top
        left = max(left, f_left - FRAME_SIDE * f_width)
        right = min(right, f_right + FRAME_SIDE * f_width)
        top = max(top, f_top - FRAME_ABOVE * f_height)
        bottom = min(bottom, f_bottom + FRAME_BELOW * f_height)
    return np.array([[left, top], [right, top], [right, bottom], [left, bottom]])


def _face_in(
    view: np.ndarray, left: float, top: float, right: float, bottom: float
) -> tuple[float, float, float, float] | None:
    """The largest face centred inside the area, from engine.face (imported on first use so
    that reading text does not load the face models)."""
    from engine.face import detect

    detection = detect(DecodedImage(pixels=view, format="jpeg"))
    inside = [
        face.box
        for face in detection.faces
        if left <= (face.box.left + face.box.right) / 2 <= right
        and top <= (face.box.top + face.box.bottom) / 2 <= bottom
    ]
    if not inside:
        return None
    box = max(inside, key=lambda b: b.area)
    return box.left, box.top, box.right, box.bottom
