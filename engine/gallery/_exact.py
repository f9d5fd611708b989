"""A small collection's index: its float32 vectors in one matrix, searched exactly.

Below a few tens of thousands of vectors one matrix-vector product answers faster than a graph
walk (docs/scale-out.md has the crossover measured on 2 cores), needs no build, and is exact,
so the scores need no re-scoring. A removal moves the last row into the freed one, so the
matrix never holds dead rows. The snapshot is the labels and the matrix, raw, after a header
that says how many of each; a file of any other length is refused.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from engine.gallery._rwlock import RWLock

_MAGIC = b"IDFEXACT"
_HEADER = np.dtype([("magic", "S8"), ("count", "<u8"), ("dim", "<u8")])
_MIN_CAPACITY = 1024


class ExactScan:
    """Labels and their unit vectors; searches take the read side of an RWLock, changes the
    write side. `seq`, `deleted` (always 0 here) and `pending` are as on a graph."""

    kind = "exact"

    def __init__(
        self, dim: int, seq: int, labels: np.ndarray, matrix: np.ndarray, count: int
    ) -> None:
        """`labels` and `matrix` may have room beyond their first `count` rows."""
        self.dim = dim
        self.seq = seq
        self.deleted = 0
        self.pending = 0
        self._count = count
        self._labels = labels
        self._matrix = matrix
        self._rows = {int(label): row for row, label in enumerate(labels[:count].tolist())}
        self._rw = RWLock()

    @classmethod
    def new(cls, dim: int, seq: int, capacity: int = 0) -> ExactScan:
        capacity = max(capacity, _MIN_CAPACITY)
        matrix = np.empty((capacity, dim), dtype=np.float32)
        return cls(dim, seq, np.empty(capacity, dtype=np.int64), matrix, 0)

    @classmethod
    def load(cls, path: Path, dim: int, seq: int) -> ExactScan:
        """Raises ValueError for a file that is not a whole snapshot of `dim`-d vectors."""
        raw = path.read_bytes()
        if len(raw) < _HEADER.itemsize:
            raise ValueError(f"{path} is too short for an exact snapshot")
        header = np.frombuffer(raw, dtype=_HEADER, count=1)[0]
        count, stored_dim = int(header["count"]), int(header["dim"])
        body = raw[_HEADER.itemsize :]
        if header["magic"] != _MAGIC or stored_dim != dim or len(body) != count * (8 + 4 * dim):
            raise ValueError(f"{path} is not a whole exact snapshot of {dim}-d vectors")
        labels = np.frombuffer(body, dtype="<i8", count=count).astype(np.int64)
        matrix = np.frombuffer(body, dtype="<f4", offset=8 * count).reshape(count, dim).copy()
        return cls(dim, seq, labels, matrix, count)

    @property
    def size(self) -> int:
        return self._count

    @property
    def live(self) -> int:
        return self._count

    def labels(self) -> np.ndarray:
        """The live labels (int64), in row order."""
        with self._rw.read():
            return self._labels[: self._count].copy()

    def add(self, labels: np.ndarray, vectors: np.ndarray) -> None:
        with self._rw.write():
            needed = self._count + len(labels)
            if needed > len(self._matrix):
                capacity = max(needed, 2 * len(self._matrix))
                self._matrix = _grown(self._matrix, capacity)
                self._labels = _grown(self._labels, capacity)
            end = self._count + len(labels)
            self._matrix[self._count : end] = vectors
            self._labels[self._count : end] = labels
            for row, label in enumerate(labels.tolist(), start=self._count):
                self._rows[int(label)] = row
            self._count = end

    def remove(self, label: int) -> None:
        with self._rw.write():
            row = self._rows.pop(int(label), None)
            if row is None:
                return
            last = self._count - 1
            if row != last:
                moved = int(self._labels[last])
                self._matrix[row] = self._matrix[last]
                self._labels[row] = moved
                self._rows[moved] = row
            self._count = last

    def search(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        """The k most similar (label, cosine) pairs, best first."""
        with self._rw.read():
            count = self._count
            if not count:
                return []
            scores = self._matrix[:count] @ vector
            k = min(k, count)
            best = np.argpartition(-scores, k - 1)[:k] if k < count else np.arange(count)
            best = best[np.argsort(-scores[best], kind="stable")]
            labels = self._labels[best]
            return [
                (int(label), float(scores[row])) for label, row in zip(labels, best, strict=True)
            ]

    def save(self, path: Path) -> None:
        with self._rw.read():
            header = np.array([(_MAGIC, self._count, self.dim)], dtype=_HEADER)
            with path.open("wb") as f:
                f.write(header.tobytes())
                f.write(self._labels[: self._count].astype("<i8").tobytes())
                f.write(self._matrix[: self._count].astype("<f4").tobytes())


def _grown(array: np.ndarray, capacity: int) -> np.ndarray:
    grown = np.empty((capacity, *array.shape[1:]), dtype=array.dtype)
    grown[: len(array)] = array
    return grown
