"""Faces: detection (MTCNN), orientation, alignment, 68 points, embedding, quality (dlib).

The capabilities below take and return contract types; the modules behind them each hold one
step. Models load on first use, or at start-up through engine.models.warm_up().
"""

from engine.face.attributes import estimate as estimate_attributes
from engine.face.capabilities import (
    FaceImage,
    compare,
    detect,
    embed,
    embed_all,
    quality,
    upright,
)
from engine.face.jobs import embed_face

__all__ = [
    "FaceImage",
    "compare",
    "detect",
    "embed",
    "embed_all",
    "embed_face",
    "estimate_attributes",
    "quality",
    "upright",
]
