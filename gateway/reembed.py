"""`idfacade gallery reembed DB`: move a collection to the current embedding model.

A collection is bound to the model that made its vectors, and a feature of one model means
nothing to another, so after a model change (dlib's ResNet → SFace) an old collection refuses
new searches and inserts (`model_mismatch`, the vendor's feature-version error) until it is
re-embedded. The images the facades kept (`image_ref`: a file under the data directory or the
image root, or a JPEG data URI) are read again, their largest face embedded with the current
model, and the whole collection switched in one transaction (Gallery.rebind).

Resumable and kill-safe: the new embeddings are first written to a journal
(`<data>/reembed/<collection id>.db`, committed every few items), which a later run reads
instead of embedding again. Until the final switch the collection is untouched and keeps
answering with its old model; the switch is all or nothing. Items whose image is gone, was
never kept (a caller's URL), or shows no face are listed; the switch then waits for
`--drop-unembeddable`, which deletes them in the same transaction.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import numpy as np
from tqdm import tqdm

from contracts.embeddings import Embedding
from contracts.errors import IdfError
from contracts.gallery import CollectionInfo, GalleryItem
from contracts.images import ImageInput
from engine import face, models
from engine.gallery import Gallery
from gateway.kept_images import kept_image

BATCH = 16


@dataclass
class Outcome:
    """What a run did: items embedded now or read from the journal, and those it could not."""

    collection: CollectionInfo
    embedded: int = 0
    resumed: int = 0
    unembeddable: dict[str, str] = field(default_factory=dict)  # item id -> why
    switched: bool = False


def reembed(
    gallery: Gallery,
    namespace: str,
    name: str,
    *,
    roots: tuple[Path, ...],
    journal_dir: Path,
    drop_unembeddable: bool = False,
    progress: TextIO | None = None,
) -> Outcome:
    """Re-embed collection (`namespace`, `name`) from its kept images with the current model."""
    model = models.embedding_version()
    info = gallery.collection(namespace, name)
    outcome = Outcome(collection=info)
    if info.model == model:
        return outcome
    journal = Journal.open(journal_dir, namespace, name, model)
    try:
        items = list(_all_items(gallery, namespace, name))
        done = journal.done()
        pending = [item for item in items if item.item_id not in done]
        outcome.resumed = len(items) - len(pending)
        bar = Progress(len(items), progress, journal.status_path, f"{namespace}/{name}")
        bar.show(outcome.resumed)
        for start in range(0, len(pending), BATCH):
            batch = pending[start : start + BATCH]
            journal.record([(item.item_id, *_embed(item, roots)) for item in batch])
            outcome.embedded += len(batch)
            bar.show(outcome.resumed + outcome.embedded)
        bar.close()
        embeddings, outcome.unembeddable = journal.results(model, {i.item_id for i in items})
        if outcome.unembeddable and not drop_unembeddable:
            return outcome
        outcome.collection = gallery.rebind(
            namespace, name, model, embeddings, drop=list(outcome.unembeddable)
        )
        outcome.switched = True
    finally:
        journal.close()
    journal.remove()
    return outcome


def _all_items(gallery: Gallery, namespace: str, name: str) -> Iterator[GalleryItem]:
    after = None
    while page := gallery.items(namespace, name, after=after):
        yield from page
        after = page[-1].item_id


def _embed(item: GalleryItem, roots: tuple[Path, ...]) -> tuple[Embedding | None, str]:
    """The new embedding of an item's kept image, or None and why there is none."""
    data, why = kept_image(item.image_ref, roots)
    if data is None:
        return None, why
    try:
        image = ImageInput(data=data, name="image")
        detection = face.detect(image)
        if not detection.faces:
            return None, "no face found in the image"
        return face.embed(image, detection, 0), ""
    except IdfError as error:
        return None, f"the image cannot be read: {error.detail}"


class Journal:
    """New embeddings by item id, in a private SQLite file committed batch by batch."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self._conn = conn

    @classmethod
    def open(cls, folder: Path, namespace: str, name: str, model: str) -> Journal:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        key = hashlib.sha256(f"{namespace}\0{name}\0{model}".encode()).hexdigest()[:16]
        path = folder / f"{key}.db"
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        os.close(fd)
        conn = sqlite3.connect(path)
        conn.execute(
            "CREATE TABLE IF NOT EXISTS reembedded "
            "(item_id TEXT PRIMARY KEY, vector BLOB, reason TEXT NOT NULL)"
        )
        conn.commit()
        return cls(path, conn)

    def done(self) -> set[str]:
        return {row[0] for row in self._conn.execute("SELECT item_id FROM reembedded")}

    def record(self, rows: list[tuple[str, Embedding | None, str]]) -> None:
        with self._conn:
            self._conn.executemany(
                "INSERT OR REPLACE INTO reembedded VALUES (?, ?, ?)",
                [
                    (item_id, e.array().tobytes() if e is not None else None, reason)
                    for item_id, e, reason in rows
                ],
            )

    def results(self, model: str, current: set[str]) -> tuple[dict[str, Embedding], dict[str, str]]:
        """(embeddings, reasons of the unembeddable) of the items still in the collection."""
        embeddings, failed = {}, {}
        for item_id, vector, reason in self._conn.execute("SELECT * FROM reembedded"):
            if item_id not in current:
                continue
            if vector is None:
                failed[item_id] = reason
            else:
                embeddings[item_id] = Embedding.from_array(np.frombuffer(vector, np.float32), model)
        return embeddings, failed

    def close(self) -> None:
        self._conn.close()

    @property
    def status_path(self) -> Path:
        return self.path.with_suffix(".progress.json")

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)
        self.status_path.unlink(missing_ok=True)


class Progress:
    """A progress bar (tqdm) on a terminal stream, and the same figure in a small JSON file
    beside the journal, which the admin console of a gateway on this data directory shows."""

    def __init__(self, total: int, stream: TextIO | None, status: Path, name: str) -> None:
        self._total, self._status, self._name = total, status, name
        self._started = time.time()
        self._bar = (
            tqdm(total=total, file=stream, unit="item", desc=f"reembed {name}", leave=True)
            if stream is not None
            else None
        )

    def show(self, done: int) -> None:
        if self._bar is not None:
            self._bar.update(done - self._bar.n)
        record = {"name": self._name, "done": done, "total": self._total}
        record |= {"started": self._started, "updated": time.time()}
        temporary = self._status.with_suffix(".tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "w") as out:
            json.dump(record, out)
        os.replace(temporary, self._status)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


def running_reembeds(journal_dir: Path) -> list[dict[str, Any]]:
    """The progress files of re-embeddings under way (or stopped short) on a data directory."""
    found = []
    for path in sorted(journal_dir.glob("*.progress.json")) if journal_dir.is_dir() else []:
        with contextlib.suppress(OSError, ValueError):
            found.append(json.loads(path.read_text()))
    return found


def default_progress() -> TextIO | None:
    """stderr when it is a terminal."""
    return sys.stderr if sys.stderr.isatty() else None
