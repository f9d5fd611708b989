"""A large collection's index: a usearch HNSW graph over quantised vectors, in memory.

usearch was chosen over hnswlib and faiss (HNSW + SQ8) by benchmarks/gallery.py on the same
vectors (docs/scale-out.md): at the same graph degree it builds faster on every core, and its
8-bit vectors (`i8`, a quarter of float32) keep a million faces inside the memory target. The
quantised scores only rank candidates: the embedded index re-scores the best of them in float32,
so quantisation never changes who ranks first or whether a threshold passes. Those float32 rows
go to the collection's row file (rows.py) before each vector enters the graph, and the file is
flushed before each snapshot, so the re-scoring reads them without SQLite.

The graph compares by inner product: the gallery stores unit vectors, whose inner product is
their cosine, and usearch's 8-bit cosine kernel recomputes both norms on every comparison. On
the same 200,000 face-like vectors the inner product built in two thirds of the CPU time and
searched a quarter faster at the same recall (docs/scale-out.md). Snapshots written
under the cosine metric load as they are: the metric is in the file.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import numpy as np
from usearch.index import Index

from engine.gallery._rows import FloatRows
from engine.gallery._rwlock import RWLock
from engine.gallery._settings import HnswSettings

log = logging.getLogger(__name__)

# usearch's concurrent add() can leave a node stored but unreachable by any search
# (unum-cloud/USearch issue #735, unfixed in 2.26): a node half-linked by one thread becomes
# another's descent seed. An enrolled face that no search reaches is a wrong answer, so a batch
# added on several threads is checked: each of its vectors is searched for (a read-only batch
# search, safe on threads), and one that its own search does not reach is removed and added
# again on one thread, which links it fully. A cheap search checks all of them, a wide one
# the few the cheap one missed, before anything is re-added.
_PARALLEL_FROM = 256  # smaller batches go on one thread: too little to share, nothing to check
_PROBES = ((32, 4), (256, 64))  # (expansion, answers) of the checking searches, cheap first
_RELINK_ROUNDS = 3


class Graph:
    """A usearch index (inner product of unit vectors) with its log position and its count of
    deleted entries.

    Changes take the write side of an RWLock and searches the read side (see rwlock.py).
    `seq` and `pending` (changes not yet in a snapshot) are kept by the one thread that holds
    the collection's mutex in the embedded index.
    """

    kind = "usearch"

    def __init__(
        self, index: Index, params: HnswSettings, rows: FloatRows, seq: int, deleted: int
    ) -> None:
        self.index = index
        self.params = params
        self.rows = rows
        self.threads = params.threads or os.cpu_count() or 1
        self.dim = int(index.ndim)
        self.seq = seq
        self.deleted = deleted
        self.pending = 0
        self._rw = RWLock()
        self._tune()

    @classmethod
    def new(cls, dim: int, params: HnswSettings, seq: int, rows: FloatRows) -> Graph:
        index = Index(
            ndim=dim,
            metric="ip",
            dtype=params.quantization,
            connectivity=params.m,
            expansion_add=params.ef_construction,
        )
        return cls(index, params, rows, seq, 0)

    @classmethod
    def load(
        cls, path: Path, dim: int, params: HnswSettings, seq: int, deleted: int, rows: FloatRows
    ) -> Graph:
        """Raises ValueError, RuntimeError (usearch's) or OSError for an unusable file."""
        index = Index.restore(str(path))
        if index is None:
            raise OSError(f"{path} is not a usearch index")
        if int(index.ndim) != dim:
            raise ValueError(f"{path} holds {index.ndim}-d vectors, not {dim}-d")
        return cls(index, params, rows, seq, deleted)

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
        keys = labels.astype(np.uint64)
        # Rows first, so a label the graph answers always has one; positional writes need no
        # lock, and searches are not held up while they run.
        self.rows.write(labels, vectors)
        with self._rw.write():
            if self.threads == 1 or len(keys) < _PARALLEL_FROM:
                self.index.add(keys, vectors, threads=1)
            else:
                self.index.add(keys, vectors, threads=self.threads)
                self._relink(keys, vectors)
            self._tune()

    def _tune(self) -> None:
        """Search with the ef_search the live count calls for (HnswSettings.ef_search_for);
        the caller holds the write lock, or no one else holds the graph yet."""
        # usearch defines this setter away from its getter, which mypy does not pair up
        self.index.expansion_search = self.params.ef_search_for(len(self.index))  # type: ignore[misc]

    def _relink(self, keys: np.ndarray, vectors: np.ndarray) -> None:
        """Re-add on one thread each vector of a parallel add that a search for it does not
        reach (see _PROBES); the caller holds the write lock, so no search sees it meanwhile."""
        for _ in range(_RELINK_ROUNDS):
            for expansion, count in _PROBES:
                missed = self._unreached(keys, vectors, expansion, count)
                keys, vectors = keys[missed], vectors[missed]
                if not len(keys):
                    return
            log.info("gallery graph: re-linking %d vectors a parallel add stranded", len(keys))
            for key, vector in zip(keys.tolist(), vectors, strict=True):
                if self.index.remove(key):
                    self.deleted += 1
                self.index.add(key, vector, threads=1)
        log.warning("gallery graph: %d vectors stay unreached by their own search", len(keys))

    def _unreached(
        self, keys: np.ndarray, vectors: np.ndarray, expansion: int, count: int
    ) -> np.ndarray:
        """A mask of the keys that are not among the answers to their own vector."""
        default = self.index.expansion_search
        self.index.expansion_search = expansion  # type: ignore[misc]
        try:
            found = self.index.search(vectors, min(count, len(self.index)), threads=self.threads)
        finally:
            self.index.expansion_search = default  # type: ignore[misc]
        answers = np.asarray(found.keys).reshape(len(keys), -1)
        return ~np.any(answers == keys[:, None], axis=1)

    def remove(self, label: int) -> None:
        with self._rw.write():
            if self.index.remove(int(label)):
                self.deleted += 1
                self._tune()

    def search(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        """Up to k (label, approximate cosine) pairs, best first; usearch searches with
        max(ef_search, k) candidates (ef_search as _tune set it), so a large k costs more but
        is honoured."""
        with self._rw.read():
            found = self.index.search(vector, k, threads=1)
            return [
                (int(label), 1.0 - float(distance))
                for label, distance in zip(found.keys, found.distances, strict=True)
            ]

    def save(self, path: Path) -> None:
        """Flush the rows first: every label the snapshot holds then has its row on disk."""
        with self._rw.read():
            self.rows.sync()
            self.index.save(str(path))
