"""The embedded backend: vectors in SQLite beside the metadata, searched in memory.

SQLite (WAL) is the source of truth. A write puts its vectors and a change-log row per added or
removed label into the same transaction as its items, so the commit is the acknowledgement. Each
collection's in-memory index is a cache of that log: an exact float32 scan while the collection
is small, a usearch graph past `exact_below` (structures.py). Before it answers it is brought up
to the log's head, which replays this process's own writes, another process's writes to the same
data directory, and (on start) everything after the newest snapshot. An index that cannot be
loaded is rebuilt from the items' vectors. So a kill -9 at any moment loses no acknowledged write.

A graph's scores are approximate (its vectors are quantised): its best `candidates` labels are
re-scored with their float32 vectors before they are answered, so the order of the answer and
each score are exact among the candidates. Those vectors are read from the collection's row file
(rows.py), a flat copy of SQLite's written ahead of the graph, or from SQLite for any row the
file does not soundly hold.

Snapshots are taken in the background once enough changes accumulate (see HnswSettings), on
`checkpoint()` and on close; each one lets the log below it be pruned, together with the vectors
of removed entries. Deleted entries stay in a graph, marked, until `compact()` rebuilds it;
the background task does that once they reach `compact_fraction` of it, and rebuilds a
collection whose structure no longer suits its size (a scan grown past `exact_below`).

Several processes may share one data directory: each keeps its own graphs and follows the log.
A process that finds the log pruned past its graph (another one snapshotted) reloads.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from contracts.errors import ErrorKind, IdfError
from engine.gallery import _rows
from engine.gallery._base import Change
from engine.gallery._exact import ExactScan
from engine.gallery._metadata import CollectionRow, MetadataStore, Session
from engine.gallery._rows import FloatRows
from engine.gallery._settings import HnswSettings
from engine.gallery._snapshots import Snapshots
from engine.gallery._structures import Structure, load_structure, new_structure, suits

log = logging.getLogger(__name__)

LOG_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS hnsw_vectors (
        collection_id TEXT NOT NULL,
        label INTEGER NOT NULL,
        vector BLOB NOT NULL,
        PRIMARY KEY (collection_id, label)
    )""",
    # AUTOINCREMENT: a seq is never reused after pruning, so snapshot positions stay meaningful.
    """CREATE TABLE IF NOT EXISTS hnsw_changes (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        collection_id TEXT NOT NULL,
        label INTEGER NOT NULL,
        removed INTEGER NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS hnsw_changes_collection ON hnsw_changes (collection_id, seq)",
    # The log of a collection is pruned up to `seq`; the row exists while the collection does.
    """CREATE TABLE IF NOT EXISTS hnsw_floors (
        collection_id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL
    )""",
)

_BATCH = 10_000  # rows per fetch when replaying or rebuilding


@dataclass
class _Slot:
    """One collection in this process: its index (None until first needed) and its locks."""

    collection_id: str
    dim: int
    graph: Structure | None = None
    rows: FloatRows | None = None  # a graph's float32 rows, opened with the first graph
    mutex: threading.Lock = field(default_factory=threading.Lock)  # changes to the graph
    compacting: threading.Lock = field(default_factory=threading.Lock)


class EmbeddedIndex:
    """A `VectorIndex` over SQLite and usearch; see the module docstring for the guarantees."""

    def __init__(self, store: MetadataStore, directory: Path, params: HnswSettings) -> None:
        if store.dialect.postgres:
            raise IdfError(ErrorKind.unsupported, "the embedded gallery needs SQLite metadata")
        store.install(LOG_SCHEMA)
        self._store = store
        self._params = params
        self._snapshots = Snapshots(directory)
        self._slots: dict[str, _Slot] = {}
        self._slots_lock = threading.Lock()
        with store.read() as session:
            rows = session.collections()
        self._snapshots.retain({row.id for row in rows})
        _rows.retain(directory, (row.id for row in rows))
        for row in rows:
            if row.dim is not None:
                self._current(row.id, row.dim)
        self._stop = threading.Event()
        self._maintenance: threading.Thread | None = None
        if params.maintenance_interval is not None:
            self._maintenance = threading.Thread(
                target=self._maintain, args=(params.maintenance_interval,), daemon=True
            )
            self._maintenance.start()

    # VectorIndex

    def create(self, session: Session, collection: CollectionRow) -> None:
        session.execute(
            "INSERT INTO hnsw_floors (collection_id, seq) VALUES (?, 0)", (collection.id,)
        )

    def write(self, session: Session, collection: CollectionRow, change: Change) -> None:
        session.executemany(
            "INSERT INTO hnsw_vectors (collection_id, label, vector) VALUES (?, ?, ?)",
            [
                (collection.id, int(label), vector.tobytes())
                for label, vector in zip(change.labels, change.vectors, strict=True)
            ],
        )
        session.executemany(
            "INSERT INTO hnsw_changes (collection_id, label, removed) VALUES (?, ?, ?)",
            [(collection.id, int(label), 0) for label in change.labels]
            + [(collection.id, label, 1) for label in change.removed],
        )

    def published(self, collection: CollectionRow, change: Change) -> None:
        if collection.dim is not None:
            self._current(collection.id, collection.dim)

    def drop(self, session: Session, collection: CollectionRow) -> None:
        for table in ("hnsw_vectors", "hnsw_changes", "hnsw_floors"):
            session.execute(f"DELETE FROM {table} WHERE collection_id = ?", (collection.id,))

    def dropped(self, collection: CollectionRow) -> None:
        with self._slots_lock:
            self._slots.pop(collection.id, None)
        self._snapshots.remove(collection.id)
        _rows.remove(self._snapshots.directory, collection.id)

    def search(
        self, collection: CollectionRow, vector: np.ndarray, k: int
    ) -> list[tuple[int, float]]:
        assert collection.dim is not None  # the gallery searches bound collections only
        slot = self._slot(collection.id, collection.dim)
        # One read transaction when the index is current (the usual case): the head check and
        # the re-scoring share it, so the answer is as of one committed state.
        with self._store.read() as session:
            graph = slot.graph
            head = self._head(session, collection.id)
            if graph is not None and head is not None and graph.seq >= head:
                return self._answer(session, collection.id, graph, vector, k)
        graph = self._current(collection.id, collection.dim)
        if graph is None:
            return []
        with self._store.read() as session:
            return self._answer(session, collection.id, graph, vector, k)

    def vectors(
        self, session: Session, collection: CollectionRow, labels: Sequence[int]
    ) -> dict[int, np.ndarray]:
        return {
            label: np.frombuffer(blob, dtype=np.float32)
            for label, blob in _stored(session, collection.id, labels)
        }

    def _answer(
        self, session: Session, collection_id: str, graph: Structure, vector: np.ndarray, k: int
    ) -> list[tuple[int, float]]:
        """The index's k best, a graph's re-scored: its best `candidates` labels with their
        float32 cosine, best first. A row the row file lacks is read from SQLite and written
        back to it; a label whose vector is gone there too (its removal already pruned) is
        dropped."""
        if isinstance(graph, ExactScan):
            return graph.search(vector, k)
        labels = [label for label, _ in graph.search(vector, max(k, self._params.candidates))]
        stored = graph.rows.read(labels)
        missing = [label for label in labels if label not in stored]
        if missing and (fetched := _stored(session, collection_id, missing)):
            found, vectors = _vectors(fetched, graph.dim)
            graph.rows.write(found, vectors)
            stored.update(zip(found.tolist(), vectors, strict=True))
        kept = [label for label in labels if label in stored]
        if not kept:
            return []
        scores = np.stack([stored[label] for label in kept]) @ vector
        order = np.argsort(-scores, kind="stable")[:k]
        return [(kept[i], float(scores[i])) for i in order]

    def compact(self, collection: CollectionRow) -> None:
        if collection.dim is not None:
            self._compact(self._slot(collection.id, collection.dim))

    def checkpoint(self) -> None:
        for slot in self._loaded():
            with slot.mutex:
                if slot.graph is not None and slot.graph.pending:
                    self._save(slot, slot.graph)

    def close(self) -> None:
        self._stop.set()
        if self._maintenance is not None:
            self._maintenance.join()
        self.checkpoint()

    # the graph of a collection, brought up to the log

    def _slot(self, collection_id: str, dim: int) -> _Slot:
        with self._slots_lock:
            slot = self._slots.get(collection_id)
            if slot is None:
                slot = self._slots[collection_id] = _Slot(collection_id, dim)
            return slot

    def _rows(self, slot: _Slot) -> FloatRows:
        """The slot's row file, opened on first use (a collection searched by an exact scan
        never needs one)."""
        with self._slots_lock:
            if slot.rows is None:
                path = _rows.path_for(self._snapshots.directory, slot.collection_id)
                slot.rows = FloatRows(path, slot.dim)
            return slot.rows

    def _loaded(self) -> list[_Slot]:
        with self._slots_lock:
            return list(self._slots.values())

    def _current(self, collection_id: str, dim: int) -> Structure | None:
        """The collection's graph with every committed change applied; None once the collection
        is gone (deleted by another thread or process)."""
        slot = self._slot(collection_id, dim)
        with self._store.read() as session:
            head = self._head(session, collection_id)
        graph = slot.graph
        if head is not None and graph is not None and graph.seq >= head:
            return graph
        with slot.mutex, self._store.read() as session:
            floor = self._floor(session, collection_id)
            if floor is None:
                with self._slots_lock:
                    self._slots.pop(collection_id, None)
                return None
            graph = slot.graph
            if graph is None or graph.seq < floor:
                graph = self._load(session, slot, floor)
                self._replay(session, graph, collection_id)
                self._reconcile(session, graph, collection_id)
            else:
                self._replay(session, graph, collection_id)
            slot.graph = graph
            return graph

    def _head(self, session: Session, collection_id: str) -> int | None:
        """The newest log position of the collection (its floor when the log is pruned)."""
        found = session.execute(
            "SELECT f.seq, (SELECT max(c.seq) FROM hnsw_changes c "
            "WHERE c.collection_id = f.collection_id) "
            "FROM hnsw_floors f WHERE f.collection_id = ?",
            (collection_id,),
        ).fetchone()
        return None if found is None else max(found[0], found[1] or 0)

    def _floor(self, session: Session, collection_id: str) -> int | None:
        found = session.execute(
            "SELECT seq FROM hnsw_floors WHERE collection_id = ?", (collection_id,)
        ).fetchone()
        return None if found is None else int(found[0])

    def _load(self, session: Session, slot: _Slot, floor: int) -> Structure:
        """The newest usable snapshot, or a rebuild from the items when there is none."""
        issued = session.execute(
            "SELECT seq FROM sqlite_sequence WHERE name = 'hnsw_changes'"
        ).fetchone()
        last = issued[0] if issued else 0
        for snapshot in self._snapshots.list(slot.collection_id):
            if snapshot.seq > last:
                continue  # newer than this database (restored from a backup): not ours
            if snapshot.seq < floor:
                break  # the log it would need is pruned
            try:
                return load_structure(
                    snapshot, slot.dim, self._params, functools.partial(self._rows, slot)
                )
            except (ValueError, RuntimeError, OSError) as exc:
                log.warning("gallery snapshot %s unusable, trying older: %s", snapshot.path, exc)
        return self._rebuild(session, slot)

    def _rebuild(self, session: Session, slot: _Slot) -> Structure:
        """An index of the live vectors as of the session's view, of the kind their number
        calls for."""
        head = self._head(session, slot.collection_id) or 0
        (count,) = session.execute(
            "SELECT count(*) FROM gallery_items WHERE collection_id = ?", (slot.collection_id,)
        ).fetchone()
        graph = new_structure(
            slot.dim, self._params, head, count, functools.partial(self._rows, slot)
        )
        cursor = session.execute(
            "SELECT i.label, v.vector FROM gallery_items i JOIN hnsw_vectors v "
            "ON v.collection_id = i.collection_id AND v.label = i.label "
            "WHERE i.collection_id = ?",
            (slot.collection_id,),
        )
        while rows := cursor.fetchmany(_BATCH):
            _add(graph, rows, slot.dim)
        graph.pending = count
        return graph

    def _replay(self, session: Session, graph: Structure, collection_id: str) -> None:
        """Apply the log after the index's position, in order; consecutive additions go to it
        as one batch, which a graph spreads over every core."""
        cursor = session.execute(
            "SELECT c.seq, c.label, c.removed, v.vector FROM hnsw_changes c "
            "LEFT JOIN hnsw_vectors v ON v.collection_id = c.collection_id AND v.label = c.label "
            "WHERE c.collection_id = ? AND c.seq > ? ORDER BY c.seq",
            (collection_id, graph.seq),
        )
        dim = graph.dim
        while rows := cursor.fetchmany(_BATCH):
            added: list[tuple[int, bytes]] = []
            for _, label, removed, blob in rows:
                if removed:
                    _add(graph, added, dim)
                    added = []
                    graph.remove(label)
                else:
                    added.append((label, blob))
            _add(graph, added, dim)
            graph.seq = rows[-1][0]
            graph.pending += len(rows)

    def _reconcile(self, session: Session, graph: Structure, collection_id: str) -> None:
        """Make a freshly loaded index hold exactly the collection's live labels as of the
        session's view: whatever a snapshot missed is added from SQLite, whatever it holds that
        SQLite does not is removed. The log replay already does this for a sound snapshot; this
        keeps one that is not (written by a faulty build, or older than the log it claims) from
        hiding an acknowledged item or answering a deleted one."""
        live = np.fromiter(
            (
                label
                for (label,) in session.execute(
                    "SELECT label FROM gallery_items WHERE collection_id = ?", (collection_id,)
                )
            ),
            dtype=np.int64,
        )
        held = graph.labels()
        missing = np.setdiff1d(live, held, assume_unique=True)
        extra = np.setdiff1d(held, live, assume_unique=True)
        if not (len(missing) or len(extra)):
            return
        log.warning(
            "gallery index of %s reconciled with SQLite: %d added, %d removed",
            collection_id,
            len(missing),
            len(extra),
        )
        for label in extra.tolist():
            graph.remove(label)
        _add(graph, _stored(session, collection_id, missing.tolist()), graph.dim)
        graph.pending += len(missing) + len(extra)

    # snapshots

    def _save(self, slot: _Slot, graph: Structure) -> None:
        """Snapshot the index (the caller holds the slot's mutex), then prune the log below it
        and the vectors only that part of the log still needed."""
        self._snapshots.save(graph.save, slot.collection_id, graph.seq, graph.deleted, graph.kind)
        graph.pending = 0
        with self._store.write() as session:
            session.execute(
                "DELETE FROM hnsw_vectors WHERE collection_id = ? AND label IN "
                "(SELECT label FROM hnsw_changes WHERE collection_id = ? AND removed = 1 "
                "AND seq <= ?)",
                (slot.collection_id, slot.collection_id, graph.seq),
            )
            session.execute(
                "DELETE FROM hnsw_changes WHERE collection_id = ? AND seq <= ?",
                (slot.collection_id, graph.seq),
            )
            session.execute(
                "UPDATE hnsw_floors SET seq = ? WHERE collection_id = ? AND seq < ?",
                (graph.seq, slot.collection_id, graph.seq),
            )

    def _compact(self, slot: _Slot, judged: Structure | None = None) -> None:
        """Rebuild the index without its deleted entries, as the structure its size calls for.
        The rebuild runs beside the old index, which keeps answering, and replaces it once it
        has caught up with the log. Upkeep passes the index it `judged` in need: if another
        rebuild replaced it while this one waited for the lock, there is nothing left to do."""
        with slot.compacting:
            if judged is not None and slot.graph is not judged:
                return
            graph = self._current(slot.collection_id, slot.dim)
            if graph is None or (not graph.deleted and suits(graph, self._params)):
                return
            with self._store.read() as session:
                fresh = self._rebuild(session, slot)
            with slot.mutex:
                with self._store.read() as session:
                    floor = self._floor(session, slot.collection_id)
                    if floor is None or fresh.seq < floor:
                        return  # deleted, or another process pruned past the rebuild meanwhile
                    self._replay(session, fresh, slot.collection_id)
                slot.graph = fresh
                self._save(slot, fresh)

    def maintain(self) -> None:
        """One round of upkeep (the background thread runs it every `maintenance_interval`):
        rebuild indexes with many deleted entries or of a structure their size no longer suits,
        snapshot those with many unsaved changes."""
        params = self._params
        for slot in self._loaded():
            graph = slot.graph
            if graph is None:
                continue
            sparse = graph.deleted and graph.deleted >= params.compact_fraction * graph.size
            if sparse or not suits(graph, params):
                self._compact(slot, graph)
            elif graph.pending >= max(
                params.snapshot_min_changes, params.snapshot_fraction * graph.size
            ):
                with slot.mutex:
                    if slot.graph is graph:
                        self._save(slot, graph)

    def _maintain(self, interval: float) -> None:
        while not self._stop.wait(interval):
            try:
                self.maintain()
            except Exception:
                log.exception("gallery upkeep failed; retrying in %s s", interval)


def _stored(session: Session, collection_id: str, labels: Sequence[int]) -> list[tuple[int, bytes]]:
    """The (label, float32 blob) rows of those labels that still have a vector."""
    found: list[tuple[int, bytes]] = []
    for start in range(0, len(labels), 500):
        chunk = [int(label) for label in labels[start : start + 500]]
        found += session.execute(
            "SELECT label, vector FROM hnsw_vectors WHERE collection_id = ? "
            f"AND label IN ({', '.join('?' * len(chunk))})",
            (collection_id, *chunk),
        ).fetchall()
    return found


def _add(graph: Structure, added: list[tuple[int, bytes]], dim: int) -> None:
    if added:
        graph.add(*_vectors(added, dim))


def _vectors(rows: list[tuple[int, bytes]], dim: int) -> tuple[np.ndarray, np.ndarray]:
    """(label, float32 blob) rows as their labels (int64) and one matrix."""
    labels = np.fromiter((label for label, _ in rows), dtype=np.int64, count=len(rows))
    return labels, _matrix([blob for _, blob in rows], dim)


def _matrix(blobs: list[bytes], dim: int) -> np.ndarray:
    return np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(len(blobs), dim)
