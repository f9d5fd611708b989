"""The 128-d face descriptor of SFace, the model every new feature and collection gets.

The network runs on onnxruntime (engine.sface), which releases the GIL and is safe to call from
several threads at once; chips of one image go through it as one batch. The chips are aligned
to the ArcFace template (engine.face._arcface).

SFace sees every chip as luminance (ITU-R BT.601 grey, copied into its three channels), colour
photos included. Many faces a verification service sees are grey (scanned ID portraits,
archive and news photos, infrared cameras), and SFace's colour descriptors of a grey and a
colour photo of one person differ by more than those of two colour photos. Measured on the
East-Asian pairs, which mix grayscale LFW with colour photos: best accuracy 0.955 → 0.962,
TAR at FAR 1e-2 0.919 → 0.926, 1e-3 0.809 → 0.826, and on the colour pairs alone the equal
error rate 0.104 → 0.089; the general set stays at 1.000 (docs/face-engine.md). The model
version names this convention (`sface-2021dec-grey`), so descriptors of colour chips are
refused as another model's rather than compared with these.

A chip plus its mirror image (flip-augmented embedding) was measured and not kept: on the
East-Asian pairs it lowered TAR at FAR 1e-3 and doubled the cost.
"""

from __future__ import annotations

import numpy as np

from contracts.embeddings import Embedding
from engine import models

# BT.601 luma weights in BGR order, as cv2.COLOR_BGR2GRAY uses them.
_LUMA = np.array([0.114, 0.587, 0.299], dtype=np.float32)


def grey(chips: np.ndarray) -> np.ndarray:
    """BGR chips (n, h, w, 3) as float32 luminance in all three channels."""
    luma = chips.astype(np.float32) @ _LUMA
    return np.repeat(luma[..., None], 3, axis=-1)


def describe(chip: np.ndarray) -> Embedding:
    """The unit-length embedding of an aligned 112×112 BGR chip, tagged with the model's
    version."""
    return describe_all([chip])[0]


def describe_all(chips: list[np.ndarray]) -> list[Embedding]:
    """Embeddings of several chips, computed as one batch."""
    encoder = models.embedder()
    vectors = encoder.model(grey(np.stack(chips)))
    return [Embedding.from_array(vector, encoder.version) for vector in vectors]
