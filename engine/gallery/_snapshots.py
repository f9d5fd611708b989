"""The snapshot files of every collection's index, in one directory.

A snapshot's name carries the change-log position (`seq`) the index reflects, the number of
deleted entries inside it and the kind of structure it holds:
`<collection>-<seq>-<deleted>.<kind>` (`usearch` for a graph, `exact` for a flat matrix). It is
written under a temporary name, made private (0600), flushed and renamed, so a snapshot that
has its name is whole.
"""

from __future__ import annotations

import contextlib
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

KINDS = ("usearch", "exact")
_STALE_TMP = 3600.0  # seconds: a temporary file older than this belongs to a dead writer
_FORMER = ("*.hnsw",)  # snapshots of an earlier index library: rebuilt from SQLite instead


@dataclass(frozen=True)
class Snapshot:
    path: Path
    collection_id: str
    seq: int
    deleted: int
    kind: str


class Snapshots:
    """Save, list and prune the snapshots of every collection."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        for tmp in directory.glob(".*.tmp"):
            with contextlib.suppress(OSError):
                if time.time() - tmp.stat().st_mtime > _STALE_TMP:
                    tmp.unlink()
        for pattern in _FORMER:
            for former in directory.glob(pattern):
                with contextlib.suppress(OSError):
                    former.unlink()

    def list(self, collection_id: str) -> list[Snapshot]:
        """Newest first."""
        found = [s for s in map(_parse, self.directory.glob(f"{collection_id}-*")) if s]
        return sorted(found, key=lambda s: s.seq, reverse=True)

    def save(
        self, write: Callable[[Path], None], collection_id: str, seq: int, deleted: int, kind: str
    ) -> Snapshot:
        """Write a snapshot atomically with `write(path)`, then delete the older snapshots it
        supersedes."""
        name = f"{collection_id}-{seq}-{deleted}.{kind}"
        tmp = self.directory / f".{collection_id}-{uuid.uuid4().hex}.tmp"
        try:
            write(tmp)
            os.chmod(tmp, 0o600)
            _fsync(tmp)
            os.replace(tmp, self.directory / name)
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        _fsync(self.directory)
        saved = Snapshot(self.directory / name, collection_id, seq, deleted, kind)
        for older in self.list(collection_id):
            if older.path != saved.path and older.seq <= saved.seq:
                with contextlib.suppress(FileNotFoundError):
                    older.path.unlink()
        return saved

    def remove(self, collection_id: str) -> None:
        for snapshot in self.list(collection_id):
            with contextlib.suppress(FileNotFoundError):
                snapshot.path.unlink()

    def retain(self, collection_ids: set[str]) -> None:
        """Delete the snapshots of collections that no longer exist."""
        for path in self.directory.iterdir():
            snapshot = _parse(path)
            if snapshot and snapshot.collection_id not in collection_ids:
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()


def _parse(path: Path) -> Snapshot | None:
    kind = path.suffix.removeprefix(".")
    parts = path.stem.split("-")
    if kind not in KINDS or len(parts) != 3 or not (parts[1].isdigit() and parts[2].isdigit()):
        return None
    return Snapshot(path, parts[0], int(parts[1]), int(parts[2]), kind)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
