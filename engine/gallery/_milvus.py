"""The scale-out backend: vectors in Milvus, metadata in SQL (PostgreSQL or SQLite).

Each gallery collection is one Milvus collection, `idf_<collection id>`, made on its first insert
(when the dimension is known): an INT64 primary key (the label) and a FLOAT_VECTOR field under
an AUTOINDEX with the COSINE metric, so Milvus's score is the cosine similarity. Collections are
created with Strong consistency, so a search sees every acknowledged insert, as the embedded
backend's does.

Milvus and SQL commit separately. New vectors go to Milvus before the metadata commits and old
ones leave after it, so whatever crashes in between, a committed item always has its vector;
what can be left is a vector no item names, which searches skip, `get` never asks for, and the
next insert under its label overwrites.
The same code talks to a Milvus cluster (`http://host:19530`) and to milvus-lite (a local file).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from contracts.errors import ErrorKind, IdfError
from engine.gallery._base import Change
from engine.gallery._metadata import CollectionRow, Session


class MilvusIndex:
    """A `VectorIndex` over one Milvus deployment, through pymilvus's MilvusClient."""

    def __init__(self, uri: str, token: str = "") -> None:
        try:
            from pymilvus import DataType, MilvusClient
        except ImportError as exc:
            raise IdfError(
                ErrorKind.unsupported, "the Milvus gallery needs pip install 'idfacade[milvus]'"
            ) from exc
        self._client: Any = MilvusClient(uri=uri, token=token)
        self._types: Any = DataType
        self._existing: set[str] = set()
        self._lock = threading.Lock()

    # VectorIndex

    def create(self, session: Session, collection: CollectionRow) -> None:
        """Nothing yet: the Milvus collection needs the dimension, which the first insert binds."""

    def write(self, session: Session, collection: CollectionRow, change: Change) -> None:
        if not len(change.labels):
            return
        name = self._ensure(collection)
        # upsert, not insert: a label is new to the metadata, but a crash (or rollback) before
        # an earlier commit may have left an orphan under it, and Milvus keeps duplicate keys.
        self._client.upsert(
            name,
            [
                {"label": int(label), "vector": vector.tolist()}
                for label, vector in zip(change.labels, change.vectors, strict=True)
            ],
        )

    def published(self, collection: CollectionRow, change: Change) -> None:
        if change.removed and self._exists(collection):
            self._client.delete(_name(collection), ids=list(change.removed))

    def drop(self, session: Session, collection: CollectionRow) -> None:
        """Nothing inside the transaction: the vectors go once the deletion has committed."""

    def dropped(self, collection: CollectionRow) -> None:
        if self._exists(collection):
            self._client.drop_collection(_name(collection))
        with self._lock:
            self._existing.discard(_name(collection))

    def search(
        self, collection: CollectionRow, vector: np.ndarray, k: int
    ) -> list[tuple[int, float]]:
        if not self._exists(collection):
            return []
        results = self._client.search(
            _name(collection),
            data=[vector.tolist()],
            limit=k,
            search_params={"metric_type": "COSINE"},
        )
        return [(int(hit["label"]), float(hit["distance"])) for hit in results[0]]

    def vectors(
        self, session: Session, collection: CollectionRow, labels: Sequence[int]
    ) -> dict[int, np.ndarray]:
        if not labels or not self._exists(collection):
            return {}
        rows = self._client.get(
            _name(collection), ids=[int(label) for label in labels], output_fields=["vector"]
        )
        return {int(r["label"]): np.asarray(r["vector"], dtype=np.float32) for r in rows}

    def compact(self, collection: CollectionRow) -> None:
        if self._exists(collection):
            self._client.compact(_name(collection))

    def checkpoint(self) -> None:
        """Seal the growing segments, so that a restart does not replay Milvus's log."""
        with self._lock:
            names = sorted(self._existing)
        for name in names:
            self._client.flush(name)

    def close(self) -> None:
        self._client.close()

    # helpers

    def _exists(self, collection: CollectionRow) -> bool:
        name = _name(collection)
        with self._lock:
            if name in self._existing:
                return True
        if not self._client.has_collection(name):
            return False
        with self._lock:
            self._existing.add(name)
        return True

    def _ensure(self, collection: CollectionRow) -> str:
        """The collection's Milvus collection, made now if this is its first insert."""
        name = _name(collection)
        if self._exists(collection):
            return name
        assert collection.dim is not None  # the gallery binds before it writes
        schema = self._client.create_schema(auto_id=False, enable_dynamic_field=False)
        schema.add_field("label", self._types.INT64, is_primary=True)
        schema.add_field("vector", self._types.FLOAT_VECTOR, dim=collection.dim)
        index = self._client.prepare_index_params()
        index.add_index(field_name="vector", index_type="AUTOINDEX", metric_type="COSINE")
        self._client.create_collection(
            name, schema=schema, index_params=index, consistency_level="Strong"
        )
        with self._lock:
            self._existing.add(name)
        return name


def _name(collection: CollectionRow) -> str:
    return f"idf_{collection.id}"
