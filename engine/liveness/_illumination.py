"""Darkness: how little light falls on the face.

The score is the shortfall of the face's median luma below mid-grey (128 → 0, 64 → 0.5, 0 → 1),
measured on the central part of the face box so hair and background do not count. A frame too
dark for the detector to find a face is measured as a whole, which is exactly the case this
check exists for. It cannot tell a dark scene from a dark-skinned face under good light at the
strict point; the lenient point only refuses faces whose details are hard to see.
"""

from __future__ import annotations

import numpy as np

from engine.liveness._view import FrameView

MID_GREY = 128.0


def score(view: FrameView) -> float:
    # Without a face, the whole frame; with one, its centre: eyes, nose, cheeks.
    region = view.gray if view.box is None else view.face_patch(64)[16:48, 12:52]
    luma = float(np.median(region))
    return float(np.clip(1.0 - luma / MID_GREY, 0.0, 1.0))
