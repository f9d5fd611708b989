"""The 128-d face descriptor of dlib's ResNet (dlib_face_recognition_resnet_model_v1).

One descriptor costs ~75 ms on one core; dlib-bin holds the GIL throughout and batching gives
nothing, so descriptors are computed one chip at a time. dlib's networks keep their activations
inside the network object, so calls on the shared instance are serialised by a lock (free in
practice, since the GIL already serialises them).
"""

from __future__ import annotations

import threading

import numpy as np

from contracts.embeddings import Embedding
from engine import models

_lock = threading.Lock()


def describe(chip: np.ndarray) -> Embedding:
    """The unit-length embedding of an aligned chip, tagged with the model's version."""
    encoder = models.face_encoder()
    with _lock:
        vector = encoder.model.compute_face_descriptor(chip)
    return Embedding.from_array(np.asarray(vector), encoder.version)
