"""A large collection's index: a usearch HNSW graph over quantised vectors, in memory.

usearch was chosen over hnswlib and faiss (HNSW + SQ8) by benchmarks/gallery.py on the same
vectors (docs/scale-out.md): at the same graph degree it builds faster on every core, and its
8-bit vectors (`i8`, a quarter of float32) keep a million faces inside the memory target. The
quantised scores only rank candidates: the embedded index re-scores the best of them in float32
from SQLite, so quantisation never changes who ranks first or whether a threshold passes.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from usearch.index import Index

from engine.gallery._rwlock import RWLock
from engine.gallery._settings import HnswSettings

# One thread per add. usearch's concurrent add() can leave a node stored but unreachable by any
# search (unum-cloud/USearch issue #735, unfixed in 2.26): a node half-linked by one thread
# becomes another's descent seed. An enrolled face that no search reaches is a wrong answer, so
# the graph is built serially; the measured cost is in docs/scale-out.md.
_THREADS = 1


class Graph:
    """A usearch index (cosine metric) with its log position and its count of deleted entries.

    Changes take the write side of an RWLock and searches the read side (see rwlock.py).
    `seq` and `pending` (changes not yet in a snapshot) are kept by the one thread that holds
    the collection's mutex in the embedded index.
    """

    kind = "usearch"
    approximate = True

    def __init__(self, index: Index, seq: int, deleted: int) -> None:
        self.index = index
        self.dim = int(index.ndim)
        self.seq = seq
        self.deleted = deleted
        self.pending = 0
        self._rw = RWLock()

    @classmethod
    def new(cls, dim: int, params: HnswSettings, seq: int) -> Graph:
        index = Index(
            ndim=dim,
            metric="cos",
            dtype=params.quantization,
            connectivity=params.m,
            expansion_add=params.ef_construction,
            expansion_search=params.ef_search,
        )
        return cls(index, seq, 0)

    @classmethod
    def load(cls, path: Path, dim: int, params: HnswSettings, seq: int, deleted: int) -> Graph:
        """Raises ValueError, RuntimeError (usearch's) or OSError for an unusable file."""
        index = Index.restore(str(path))
        if index is None:
            raise OSError(f"{path} is not a usearch index")
        if int(index.ndim) != dim:
            raise ValueError(f"{path} holds {index.ndim}-d vectors, not {dim}-d")
        # usearch defines this setter away from its getter, which mypy does not pair up
        index.expansion_search = params.ef_search  # type: ignore[misc]
        return cls(index, seq, deleted)

    @property
    def size(self) -> int:
        """Entries in the graph, deleted ones included."""
        return len(self.index) + self.deleted

    @property
    def live(self) -> int:
        return len(self.index)

    def labels(self) -> np.ndarray:
        """The live labels (int64), in no particular order."""
        with self._rw.read():
            return np.asarray(self.index.keys[:], dtype=np.int64)

    def add(self, labels: np.ndarray, vectors: np.ndarray) -> None:
        with self._rw.write():
            self.index.add(labels.astype(np.uint64), vectors, threads=_THREADS)

    def remove(self, label: int) -> None:
        with self._rw.write():
            if self.index.remove(int(label)):
                self.deleted += 1

    def search(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        """Up to k (label, approximate cosine) pairs, best first; usearch searches with
        max(ef_search, k) candidates, so a large k costs more but is honoured."""
        with self._rw.read():
            found = self.index.search(vector, k, threads=1)
            return [
                (int(label), 1.0 - float(distance))
                for label, distance in zip(found.keys, found.distances, strict=True)
            ]

    def save(self, path: Path) -> None:
        with self._rw.read():
            self.index.save(str(path))
