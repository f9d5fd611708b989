"""Vectors that stand in for face embeddings: random unit vectors, and noisy views of them."""

from __future__ import annotations

import numpy as np

from contracts.embeddings import Embedding
from contracts.gallery import NewItem
from engine.gallery import HnswSettings

MODEL = "face-test-v1"
DIM = 32
NS = "sensetime"
QUIET = HnswSettings(maintenance_interval=None)  # upkeep runs only when a test asks for it
# The same with every collection on the graph: test collections are far below `exact_below`.
GRAPH = HnswSettings(maintenance_interval=None, exact_below=0)


def unit_vectors(rng: np.random.Generator, n: int, dim: int = DIM) -> np.ndarray:
    vectors = rng.standard_normal((n, dim)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def embed(vector: np.ndarray, model: str = MODEL) -> Embedding:
    return Embedding.from_array(vector, model)


def new_items(rng: np.random.Generator, n: int, model: str = MODEL, **fields: str) -> list[NewItem]:
    return [
        NewItem(embedding=embed(v, model), external_id=f"person-{i}", **fields)
        for i, v in enumerate(unit_vectors(rng, n))
    ]


def probe(rng: np.random.Generator, vector: tuple[float, ...], similarity: float) -> Embedding:
    """Another view of the same face: a unit vector at about `similarity` cosine from it."""
    noise = unit_vectors(rng, 1, len(vector))[0]
    mixed = similarity * np.asarray(vector) + np.sqrt(1 - similarity**2) * noise
    return embed(mixed)
