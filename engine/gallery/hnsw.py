"""One collection's hnswlib graph in memory, and its snapshots on disk.

A graph knows the change-log position (`seq`) it reflects, so that on start it can be loaded
from a snapshot and brought up to the log. A snapshot's file name carries that position and
the number of deleted entries inside it, `<collection>-<seq>-<deleted>.hnsw`; it is written
under a temporary name, flushed and renamed, so a snapshot that has its name is whole.
"""

from __future__ import annotations

import contextlib
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import hnswlib
import numpy as np

from engine.gallery.rwlock import RWLock
from engine.gallery.settings import HnswSettings

_MIN_CAPACITY = 1024
_GROWTH = 1.5  # each resize copies the graph; growing by half keeps that amortized O(1)
_STALE_TMP = 3600.0  # seconds: a temporary file older than this belongs to a dead writer


class Graph:
    """An hnswlib index (cosine space) with its log position and its count of deleted entries.

    Mutations take the write side of an RWLock and searches the read side (see rwlock.py).
    `seq` and `pending` (changes not yet in a snapshot) are kept by the one thread that holds
    the collection's mutex in the embedded index.
    """

    def __init__(self, index: hnswlib.Index, seq: int, deleted: int) -> None:
        self.index = index
        self.seq = seq
        self.deleted = deleted
        self.pending = 0
        self._rw = RWLock()

    @classmethod
    def new(cls, dim: int, params: HnswSettings, seq: int, capacity: int = 0) -> Graph:
        index = hnswlib.Index(space="cosine", dim=dim)
        index.init_index(
            max_elements=max(capacity, _MIN_CAPACITY),
            ef_construction=params.ef_construction,
            M=params.m,
        )
        index.set_ef(params.ef_search)
        return cls(index, seq, 0)

    @classmethod
    def load(cls, snapshot: Snapshot, dim: int, params: HnswSettings) -> Graph:
        """Raises RuntimeError (hnswlib's) or OSError when the file is unreadable or corrupt."""
        index = hnswlib.Index(space="cosine", dim=dim)
        index.load_index(str(snapshot.path))
        index.set_ef(params.ef_search)
        return cls(index, snapshot.seq, snapshot.deleted)

    @property
    def size(self) -> int:
        """Entries in the graph, deleted ones included."""
        return int(self.index.element_count)

    @property
    def live(self) -> int:
        return self.size - self.deleted

    def add(self, labels: np.ndarray, vectors: np.ndarray) -> None:
        with self._rw.write():
            needed = self.size + len(labels)
            capacity = int(self.index.max_elements)
            if needed > capacity:
                self.index.resize_index(max(needed, int(capacity * _GROWTH)))
            self.index.add_items(vectors, labels)

    def remove(self, label: int) -> None:
        with self._rw.write():
            self.index.mark_deleted(label)
            self.deleted += 1

    def search(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        """Up to k (label, cosine similarity) pairs, best first; hnswlib searches with
        max(ef_search, k) candidates, so a large k costs more but is honoured."""
        with self._rw.read():
            k = min(k, self.live)
            while k:
                try:
                    labels, distances = self.index.knn_query(vector, k=k, num_threads=1)
                except RuntimeError:
                    # hnswlib refuses when it reaches fewer than k live entries, which deleted
                    # entries can cause in a small graph: ask for fewer.
                    k //= 2
                    continue
                return [
                    (int(label), 1.0 - float(distance))
                    for label, distance in zip(labels[0], distances[0], strict=True)
                ]
        return []

    def save(self, path: Path) -> None:
        with self._rw.read():
            self.index.save_index(str(path))


@dataclass(frozen=True)
class Snapshot:
    path: Path
    collection_id: str
    seq: int
    deleted: int


class Snapshots:
    """The snapshot files of every collection, in one directory."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        for tmp in directory.glob(".*.tmp"):
            with contextlib.suppress(OSError):
                if time.time() - tmp.stat().st_mtime > _STALE_TMP:
                    tmp.unlink()

    def list(self, collection_id: str) -> list[Snapshot]:
        """Newest first."""
        found = [s for s in map(_parse, self.directory.glob(f"{collection_id}-*.hnsw")) if s]
        return sorted(found, key=lambda s: s.seq, reverse=True)

    def save(self, graph: Graph, collection_id: str) -> Snapshot:
        """Write the graph atomically, then delete the older snapshots it supersedes."""
        name = f"{collection_id}-{graph.seq}-{graph.deleted}.hnsw"
        tmp = self.directory / f".{collection_id}-{uuid.uuid4().hex}.tmp"
        try:
            graph.save(tmp)
            _fsync(tmp)
            os.replace(tmp, self.directory / name)
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        _fsync(self.directory)
        saved = Snapshot(self.directory / name, collection_id, graph.seq, graph.deleted)
        for older in self.list(collection_id):
            if older.seq < saved.seq:
                with contextlib.suppress(FileNotFoundError):
                    older.path.unlink()
        return saved

    def remove(self, collection_id: str) -> None:
        for snapshot in self.list(collection_id):
            with contextlib.suppress(FileNotFoundError):
                snapshot.path.unlink()

    def retain(self, collection_ids: set[str]) -> None:
        """Delete the snapshots of collections that no longer exist."""
        for path in self.directory.glob("*.hnsw"):
            snapshot = _parse(path)
            if snapshot and snapshot.collection_id not in collection_ids:
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()


def _parse(path: Path) -> Snapshot | None:
    parts = path.stem.split("-")
    if len(parts) != 3 or not (parts[1].isdigit() and parts[2].isdigit()):
        return None
    return Snapshot(path, parts[0], int(parts[1]), int(parts[2]))


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
