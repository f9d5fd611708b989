"""The 128-d face descriptor of dlib's ResNet (dlib_face_recognition_resnet_model_v1).

The network runs on onnxruntime (engine.dlib_resnet), which releases the GIL and is safe to call
from several threads at once; chips of one image go through it as one batch.
"""

from __future__ import annotations

import numpy as np

from contracts.embeddings import Embedding
from engine import models


def describe(chip: np.ndarray) -> Embedding:
    """The unit-length embedding of an aligned 150×150 RGB chip, tagged with the model's version."""
    return describe_all([chip])[0]


def describe_all(chips: list[np.ndarray]) -> list[Embedding]:
    """Embeddings of several chips, computed as one batch."""
    encoder = models.face_encoder()
    vectors = encoder.model(np.stack(chips))
    return [Embedding.from_array(vector, encoder.version) for vector in vectors]
