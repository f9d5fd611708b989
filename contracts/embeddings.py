"""Face embeddings and the scores that compare them.

Every embedding carries the version of the model that produced it: comparing vectors of two
models gives a number that means nothing, so such a comparison is refused (`model_mismatch`).
Scores leave the engine as cosine similarities; contracts.calibration maps them to vendor scales.
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, ConfigDict

from contracts.errors import ErrorKind, IdfError
from contracts.faces import Detection, Face


class Embedding(BaseModel):
    """A unit-length face descriptor and the model version that made it."""

    model_config = ConfigDict(frozen=True)

    vector: tuple[float, ...]
    model: str

    @classmethod
    def from_array(cls, array: np.ndarray, model: str) -> Embedding:
        vec = np.asarray(array, dtype=np.float32).ravel()
        norm = float(np.linalg.norm(vec))
        if not np.isfinite(norm) or norm == 0.0:
            raise IdfError(ErrorKind.bad_token, "embedding has no direction")
        return cls(vector=tuple(float(x) for x in vec / norm), model=model)

    def array(self) -> np.ndarray:
        return np.asarray(self.vector, dtype=np.float32)

    @property
    def dim(self) -> int:
        return len(self.vector)


def ensure_same_model(a: Embedding, b: Embedding) -> None:
    """Refuse to compare embeddings of different model versions."""
    if a.model != b.model or a.dim != b.dim:
        raise IdfError(
            ErrorKind.model_mismatch,
            f"feature of model {b.model!r} cannot be compared with model {a.model!r}",
        )


def cosine(a: Embedding, b: Embedding) -> float:
    """Cosine similarity in [-1, 1] of two unit embeddings of the same model."""
    ensure_same_model(a, b)
    return float(np.clip(np.dot(a.array(), b.array()), -1.0, 1.0))


class Match(BaseModel):
    """One comparison: which face of each side, and their cosine similarity."""

    model_config = ConfigDict(frozen=True)

    score: float
    first_face: int = 0
    second_face: int = 0


class FaceEmbedding(BaseModel):
    """One chosen face of an image and its embedding, with the detection it was chosen from."""

    model_config = ConfigDict(frozen=True)

    detection: Detection
    face: Face
    embedding: Embedding
