"""The gallery: collections of embeddings and 1:N search over them, on any vector backend.

Facades call this with contract types only. Metadata (collections, items, sizes, the model
binding) lives in SQL and is checked here, once, for every backend; the backend (`VectorIndex`)
only stores vectors by label and finds the nearest ones.
"""

from __future__ import annotations

import secrets
import time
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from types import TracebackType

import numpy as np

from contracts.embeddings import Embedding
from contracts.errors import ErrorKind, IdfError
from contracts.gallery import (
    CollectionInfo,
    CollectionSpec,
    GalleryItem,
    ItemPatch,
    NewItem,
    SearchHit,
)
from engine.gallery._base import Change, VectorIndex
from engine.gallery._metadata import CollectionRow, ItemRow, MetadataStore, Session

MAX_TOP_K = 1000


class Gallery:
    """Collections addressed by (namespace, name); items by the id the gallery assigns.

    One instance serves every thread of a process. Each write is one transaction: it is
    acknowledged (returns) once committed, and a failed one changes nothing.
    """

    def __init__(self, store: MetadataStore, index: VectorIndex) -> None:
        self._store = store
        self._index = index

    # collections

    def create_collection(self, spec: CollectionSpec) -> CollectionInfo:
        with self._store.write() as session:
            row = session.create_collection(spec)
            self._index.create(session, row)
        return row.info()

    def collection(self, namespace: str, name: str) -> CollectionInfo:
        with self._store.read() as session:
            return session.collection(namespace, name).info()

    def collections(self, namespace: str | None) -> list[CollectionInfo]:
        """The collections of one namespace by name, or of every namespace given None."""
        with self._store.read() as session:
            return [row.info() for row in session.collections(namespace)]

    def delete_collection(self, namespace: str, name: str) -> None:
        with self._store.write() as session:
            row = session.lock(namespace, name)
            session.delete_collection(row)
            self._index.drop(session, row)
        self._index.dropped(row)

    # items

    def insert(
        self, namespace: str, name: str, item: NewItem, *, exclusive: bool = False
    ) -> GalleryItem:
        """Insert one item. With `exclusive`, an item already stored under the same external id
        makes it `already_exists` instead: checked in the insert's own transaction, so of two
        concurrent inserts of one key (threads, processes, hosts) exactly one wins."""
        return self._insert(namespace, name, [(new_item_id(), item)], exclusive=exclusive)[0]

    def insert_many(self, namespace: str, name: str, items: Sequence[NewItem]) -> list[GalleryItem]:
        """Insert all items or none (one transaction): a full collection refuses the whole batch."""
        return self._insert(namespace, name, [(new_item_id(), item) for item in items])

    def restore(self, namespace: str, name: str, items: Sequence[GalleryItem]) -> None:
        """Insert items that keep the ids they have, as a copy from another gallery does (see
        transfer.py); all or none, and an id already present anywhere is `already_exists`."""
        self._insert(namespace, name, [(item.item_id, _new(item)) for item in items])

    def update(self, namespace: str, name: str, item_id: str, patch: ItemPatch) -> GalleryItem:
        """Change the fields the patch names; a new embedding replaces the old one atomically."""
        given = patch.model_fields_set
        with self._store.write() as session:
            row = session.lock(namespace, name)
            old = self._one(session, row, item_id)
            fields = ("external_id", "remark", "image_ref", "owns_image")
            new = replace(old, **{f: getattr(patch, f) for f in fields if f in given})
            change = Change()
            if patch.embedding is not None:
                model, vectors = _vectors([patch.embedding])
                row = self._bound(session, row, model, vectors.shape[1])
                new = replace(new, label=row.next_label)
                row = session.set_counters(row, size=row.size, next_label=row.next_label + 1)
                change = Change(np.array([new.label]), vectors, removed=(old.label,))
                self._index.write(session, row, change)
                vector = vectors[0]
            else:
                vector = self._vector(session, row, old.label)
            session.update_item(new)
        self._index.published(row, change)
        return _item(row, new, vector)

    def rebind(
        self,
        namespace: str,
        name: str,
        model: str,
        embeddings: Mapping[str, Embedding],
        *,
        drop: Sequence[str] = (),
    ) -> CollectionInfo:
        """Move a collection to embedding model `model` in one transaction: every item gets
        its embedding from `embeddings` (by item id) or, if its id is in `drop`, is deleted,
        and the collection is bound to the new model. An item neither given nor dropped (one
        inserted meanwhile, say) makes the whole call `model_mismatch` and changes nothing, so
        a collection never holds two models' vectors."""
        dropped = set(drop)
        with self._store.write() as session:
            row = session.lock(namespace, name)
            items = _all_items(session, row)
            missed = [r.item_id for r in items if r.item_id not in embeddings.keys() | dropped]
            if missed:
                raise IdfError(
                    ErrorKind.model_mismatch,
                    f"{len(missed)} items of {name!r} have no new embedding, e.g. {missed[0]!r}",
                )
            kept = [r for r in items if r.item_id not in dropped]
            dim = row.dim
            vectors = np.empty((0, dim or 0), dtype=np.float32)
            if kept:
                given, vectors = _vectors([embeddings[r.item_id] for r in kept])
                dim = vectors.shape[1]
                if given != model:
                    _check_model(replace(row, model=model, dim=dim), given, dim)
            first = row.next_label
            labels = np.arange(first, first + len(kept), dtype=np.int64)
            for item, label in zip(kept, labels, strict=True):
                session.update_item(replace(item, label=int(label)))
            session.delete_items(row.id, [r.item_id for r in items if r.item_id in dropped])
            row = session.bind(row, model, dim)
            row = session.set_counters(row, size=len(kept), next_label=first + len(kept))
            change = Change(labels, vectors, removed=tuple(r.label for r in items))
            self._index.write(session, row, change)
        self._index.published(row, change)
        return row.info()

    def get(self, namespace: str, name: str, item_id: str) -> GalleryItem:
        with self._store.read() as session:
            row = session.collection(namespace, name)
            found = self._one(session, row, item_id)
            return _item(row, found, self._vector(session, row, found.label))

    def items(
        self, namespace: str, name: str, *, after: str | None = None, limit: int = 1000
    ) -> list[GalleryItem]:
        """A page of the collection's items in item-id order: those after the id `after`."""
        with self._store.read() as session:
            row = session.collection(namespace, name)
            found = session.items_page(row.id, after or "", limit)
            vectors = self._index.vectors(session, row, [r.label for r in found])
            return [_item(row, r, vectors[r.label]) for r in found]

    def find(self, namespace: str, name: str, external_id: str) -> list[GalleryItem]:
        """Every item stored under the caller's key (Yitu's user_id may name several faces)."""
        with self._store.read() as session:
            row = session.collection(namespace, name)
            found = session.items_by_external_id(row.id, external_id)
            vectors = self._index.vectors(session, row, [r.label for r in found])
            return [_item(row, r, vectors[r.label]) for r in found]

    def delete(self, namespace: str, name: str, item_ids: Sequence[str]) -> dict[str, bool]:
        """Delete items by id; the answer says, per id asked for, whether it existed."""
        with self._store.write() as session:
            row = session.lock(namespace, name)
            found = session.items(row.id, list(dict.fromkeys(item_ids)))
            row, change = self._remove(session, row, found)
        self._index.published(row, change)
        deleted = {r.item_id for r in found}
        return {item_id: item_id in deleted for item_id in item_ids}

    def delete_external(self, namespace: str, name: str, external_id: str) -> list[str]:
        """Delete every item stored under the caller's key; the ids of those deleted."""
        with self._store.write() as session:
            row = session.lock(namespace, name)
            found = session.items_by_external_id(row.id, external_id)
            row, change = self._remove(session, row, found)
        self._index.published(row, change)
        return [r.item_id for r in found]

    # search

    def search(
        self,
        namespace: str,
        query: Embedding,
        *,
        collections: Iterable[str] | None = None,
        top_k: int = 1,
        threshold: float | None = None,
    ) -> list[SearchHit]:
        """The top_k items most similar to the query over the named collections of a namespace
        (all of them when `collections` is None), best first, none below `threshold` (cosine).

        Every collection searched must hold the query's model version (empty ones are skipped):
        one of another version makes the whole search fail with `model_mismatch`.
        """
        if not 1 <= top_k <= MAX_TOP_K:
            raise IdfError(ErrorKind.bad_param, f"top_k must be in 1..{MAX_TOP_K}", field="top_k")
        model, vectors = _vectors([query])
        with self._store.read() as session:
            if collections is None:
                rows = session.collections(namespace)
            else:
                rows = [session.collection(namespace, n) for n in dict.fromkeys(collections)]
        rows = [r for r in rows if r.dim is not None]
        for row in rows:
            _check_model(row, model, vectors.shape[1])
        scored = [
            (score, row, label)
            for row in rows
            for label, score in self._index.search(row, vectors[0], top_k)
            if threshold is None or score >= threshold
        ]
        scored.sort(key=lambda hit: -hit[0])
        return self._hits(scored, top_k)

    # upkeep

    def compact(self, namespace: str, name: str) -> None:
        """Reclaim the space of deleted and replaced vectors in one collection's index."""
        self._index.compact(self._row(namespace, name))

    def checkpoint(self) -> None:
        """Persist index state now, so that a restart replays nothing."""
        self._index.checkpoint()

    def close(self) -> None:
        self._index.close()
        self._store.close()

    def __enter__(self) -> Gallery:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # helpers

    def _insert(
        self,
        namespace: str,
        name: str,
        items: Sequence[tuple[str, NewItem]],
        *,
        exclusive: bool = False,
    ) -> list[GalleryItem]:
        """Insert (item id, item) pairs in one transaction, under labels the row allocates."""
        if not items:
            return []
        model, vectors = _vectors([item.embedding for _, item in items])
        with self._store.write() as session:
            row = self._bound(session, session.lock(namespace, name), model, vectors.shape[1])
            if exclusive:
                _refuse_taken_keys(session, row, [item for _, item in items])
            if row.size + len(items) > row.max_size:
                raise IdfError(
                    ErrorKind.collection_full,
                    f"collection {name!r} holds {row.size} of {row.max_size} items",
                )
            first = row.next_label
            labels = np.arange(first, first + len(items), dtype=np.int64)
            rows = [
                ItemRow(
                    item_id, row.id, int(label), i.external_id, i.remark, i.image_ref, i.owns_image
                )
                for label, (item_id, i) in zip(labels, items, strict=True)
            ]
            session.insert_items(rows)
            row = session.set_counters(
                row, size=row.size + len(items), next_label=first + len(items)
            )
            change = Change(labels=labels, vectors=vectors)
            self._index.write(session, row, change)
        self._index.published(row, change)
        return [_item(row, r, v) for r, v in zip(rows, vectors, strict=True)]

    def _row(self, namespace: str, name: str) -> CollectionRow:
        with self._store.read() as session:
            return session.collection(namespace, name)

    def _bound(self, session: Session, row: CollectionRow, model: str, dim: int) -> CollectionRow:
        """The row bound to this model: bind it on first use, refuse any other model after."""
        if row.dim is None and row.model in (None, model):
            return session.bind(row, model, dim)
        _check_model(row, model, dim)
        return row

    def _one(self, session: Session, row: CollectionRow, item_id: str) -> ItemRow:
        found = session.items(row.id, [item_id])
        if not found:
            raise IdfError(ErrorKind.not_found, f"no item {item_id!r} in {row.name!r}")
        return found[0]

    def _vector(self, session: Session, row: CollectionRow, label: int) -> np.ndarray:
        return self._index.vectors(session, row, [label])[label]

    def _remove(
        self, session: Session, row: CollectionRow, found: Sequence[ItemRow]
    ) -> tuple[CollectionRow, Change]:
        change = Change(removed=tuple(r.label for r in found))
        if found:
            session.delete_items(row.id, [r.item_id for r in found])
            row = session.set_counters(row, size=row.size - len(found), next_label=row.next_label)
            self._index.write(session, row, change)
        return row, change

    def _hits(self, scored: list[tuple[float, CollectionRow, int]], top_k: int) -> list[SearchHit]:
        """Best-first hits, naming only vectors that a committed item still points to."""
        wanted: dict[str, list[int]] = {}
        for _, row, label in scored:
            wanted.setdefault(row.id, []).append(label)
        with self._store.read() as session:
            items = {
                (item.collection_id, item.label): item
                for collection_id, labels in wanted.items()
                for item in session.items_by_label(collection_id, labels)
            }
        hits = []
        for score, row, label in scored:
            item = items.get((row.id, label))
            if item is not None:
                hits.append(
                    SearchHit(
                        namespace=row.namespace,
                        collection=row.name,
                        item_id=item.item_id,
                        score=min(1.0, max(-1.0, score)),
                        external_id=item.external_id,
                        remark=item.remark,
                        image_ref=item.image_ref,
                    )
                )
        return hits[:top_k]


def _all_items(session: Session, row: CollectionRow) -> list[ItemRow]:
    items: list[ItemRow] = []
    while page := session.items_page(row.id, items[-1].item_id if items else "", 10_000):
        items.extend(page)
    return items


def new_item_id() -> str:
    """A UUID in SenseTime's featureId form, time-ordered (version 7, RFC 9562): new ids sort
    after old ones, so inserts append to the id index instead of scattering across it, which
    keeps a million-item insert from slowing down as the index outgrows SQLite's cache."""
    millis = time.time_ns() // 1_000_000
    rand_a, rand_b = secrets.randbits(12), secrets.randbits(62)
    return str(uuid.UUID(int=(millis << 80) | (0x7 << 76) | (rand_a << 64) | (0b10 << 62) | rand_b))


def _vectors(embeddings: Sequence[Embedding]) -> tuple[str, np.ndarray]:
    """One model version and its unit vectors as float32 rows; mixed versions are refused."""
    model, dim = embeddings[0].model, embeddings[0].dim
    if any(e.model != model or e.dim != dim for e in embeddings):
        raise IdfError(ErrorKind.model_mismatch, "embeddings of several model versions")
    if dim == 0:
        raise IdfError(ErrorKind.bad_param, "an embedding has no values", field="feature")
    vectors = np.asarray([e.vector for e in embeddings], dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    if not np.all(np.isfinite(norms)) or np.any(norms == 0):
        raise IdfError(ErrorKind.bad_param, "an embedding has no direction", field="feature")
    # Vectors already unit length are kept bit for bit, so that a stored embedding reads back,
    # and copies between galleries, exactly as it was given.
    return model, np.where(np.abs(norms - 1) > 1e-6, vectors / norms, vectors)


def _check_model(row: CollectionRow, model: str, dim: int) -> None:
    if (row.model is not None and row.model != model) or (row.dim is not None and row.dim != dim):
        raise IdfError(
            ErrorKind.model_mismatch,
            f"collection {row.name!r} holds model {row.model!r} ({row.dim}-d); "
            f"got {model!r} ({dim}-d)",
        )


def _new(item: GalleryItem) -> NewItem:
    return NewItem(
        embedding=item.embedding,
        external_id=item.external_id,
        remark=item.remark,
        image_ref=item.image_ref,
        owns_image=item.owns_image,
    )


def _item(row: CollectionRow, item: ItemRow, vector: np.ndarray) -> GalleryItem:
    assert row.model is not None  # a collection with items is bound
    return GalleryItem(
        item_id=item.item_id,
        namespace=row.namespace,
        collection=row.name,
        embedding=Embedding(vector=tuple(vector.tolist()), model=row.model),
        external_id=item.external_id,
        remark=item.remark,
        image_ref=item.image_ref,
        owns_image=item.owns_image,
    )


def _refuse_taken_keys(session: Session, row: CollectionRow, items: Sequence[NewItem]) -> None:
    for item in items:
        key = item.external_id
        if key is not None and session.items_by_external_id(row.id, key):
            raise IdfError(
                ErrorKind.already_exists,
                f"{key!r} is already in collection {row.name!r}",
                field="external_id",
            )
