"""Faces: detection (YuNet, MTCNN), orientation, alignment, 68 points, SFace embedding, quality.

The capabilities below take and return contract types; the modules behind them each hold one
step. Models load on first use, or at start-up through engine.models.warm_up().
"""

from engine.face._appearance import Appearance, Glasses, MaskPosition, mask_position
from engine.face._appearance import cheeks as cheek_visibility
from engine.face._appearance import measure as appearance
from engine.face._attributes import estimate as estimate_attributes
from engine.face._capabilities import (
    FaceImage,
    compare,
    detect,
    embed,
    embed_all,
    quality,
    upright,
)
from engine.face._emotion import Expression, expression
from engine.face._jobs import detect_with_attributes, embed_face

__all__ = [
    "Appearance",
    "Expression",
    "FaceImage",
    "Glasses",
    "MaskPosition",
    "appearance",
    "cheek_visibility",
    "compare",
    "detect",
    "detect_with_attributes",
    "embed",
    "embed_all",
    "embed_face",
    "estimate_attributes",
    "expression",
    "mask_position",
    "quality",
    "upright",
]
