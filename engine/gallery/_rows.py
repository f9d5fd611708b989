"""A graph collection's float32 vectors in a flat file, read back by label to re-score.

A graph's scores are approximate, so its best candidates are re-scored in float32. Reading 16
random rows from SQLite's B-tree cost 0.2 ms at the median and 1.0 ms at p99 of a million-face
search on 2 cores; 16 `pread`s from a flat file cost 0.025 ms. Row `label` lives at byte
`label * dim * 4`: labels are issued in order per collection and never reused, so a row is
written once and holes (removed or never-indexed labels) read back as zeros. Pages read this
way sit in the OS page cache, not in the process's memory, so the file adds nothing to RSS.

The file is a cache of SQLite, like the graph it serves: a row is written before its vector
enters the graph, and the file is flushed to disk before a snapshot of the graph is written,
so after any crash every label of the snapshot has its row and the log replay rewrites the
rest. Rows are still checked when read: one that is missing (zeros, or past the end of a file
an older build never wrote) or torn by a power cut (its norm is not 1; the gallery stores unit
vectors) is not answered from here, and the caller reads it from SQLite and `write`s it back.
"""

from __future__ import annotations

import contextlib
import os
import weakref
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

SUFFIX = ".f32"
_NORM_TOLERANCE = 1e-4  # |‖v‖² - 1| of a stored unit vector is ~1e-7; a torn row is far off


class FloatRows:
    """The float32 row file of one collection; its methods are safe on several threads (one
    descriptor, positional reads and writes)."""

    def __init__(self, path: Path, dim: int) -> None:
        self._width = 4 * dim
        flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
        self._fd = os.open(path, flags, 0o600)
        # Closed when the last reference goes, never under a search still reading it: a closed
        # descriptor's number is reused by the next open file.
        weakref.finalize(self, os.close, self._fd)

    def write(self, labels: np.ndarray, vectors: np.ndarray) -> None:
        """Write each label's row; a run of consecutive labels (a batch enrolled together)
        goes in one call."""
        if not len(labels):
            return
        order = np.argsort(labels, kind="stable")
        labels, vectors = labels[order], np.ascontiguousarray(vectors[order], dtype="<f4")
        breaks = np.flatnonzero(np.diff(labels) != 1) + 1
        for start, stop in zip([0, *breaks.tolist()], [*breaks.tolist(), len(labels)], strict=True):
            os.pwrite(self._fd, vectors[start:stop].tobytes(), int(labels[start]) * self._width)

    def read(self, labels: Sequence[int]) -> dict[int, np.ndarray]:
        """The sound rows among those labels (see the module docstring for what is left out)."""
        found: dict[int, np.ndarray] = {}
        for label in labels:
            raw = os.pread(self._fd, self._width, int(label) * self._width)
            if len(raw) != self._width:
                continue
            row = np.frombuffer(raw, dtype="<f4")
            if abs(float(row @ row) - 1.0) <= _NORM_TOLERANCE:
                found[int(label)] = row
        return found

    def sync(self) -> None:
        os.fsync(self._fd)


def path_for(directory: Path, collection_id: str) -> Path:
    return directory / f"{collection_id}{SUFFIX}"


def remove(directory: Path, collection_id: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        path_for(directory, collection_id).unlink()


def retain(directory: Path, collection_ids: Iterable[str]) -> None:
    """Delete the row files of collections that no longer exist."""
    kept = set(collection_ids)
    for path in directory.glob(f"*{SUFFIX}"):
        if path.stem not in kept:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
