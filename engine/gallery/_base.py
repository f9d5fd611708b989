"""What a vector backend does for the gallery, and the change it is handed on each write.

One `Gallery` holds the metadata, the validation and the search merging; a backend only stores
vectors by integer label and finds nearest ones. Every write comes in two steps, so that SQL
stays the source of truth for what exists:

1. `write`, inside the metadata transaction: the embedded backend adds the vectors and its
   change log to the same SQLite transaction; Milvus inserts new vectors before the commit, so a
   crash leaves at most an orphan vector that no item names and searches skip.
2. `published`, after the commit: the embedded backend brings its index up to the log; Milvus
   deletes the replaced and removed vectors, which only now no committed item needs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from engine.gallery._metadata import CollectionRow, Session


@dataclass(frozen=True)
class Change:
    """What one transaction does to a collection's vectors: rows of `vectors` (float32, unit
    length) are stored under `labels`; `removed` labels are dropped."""

    labels: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    vectors: np.ndarray = field(default_factory=lambda: np.empty((0, 0), dtype=np.float32))
    removed: tuple[int, ...] = ()


class VectorIndex(Protocol):
    """Vectors by label, one index per collection (`CollectionRow.id`)."""

    def create(self, session: Session, collection: CollectionRow) -> None:
        """A new collection, in the transaction that creates its row."""

    def write(self, session: Session, collection: CollectionRow, change: Change) -> None:
        """Stage a change inside the metadata transaction."""

    def published(self, collection: CollectionRow, change: Change) -> None:
        """The transaction that wrote `change` has committed."""

    def drop(self, session: Session, collection: CollectionRow) -> None:
        """The collection goes, in the transaction that deletes its row."""

    def dropped(self, collection: CollectionRow) -> None:
        """The deletion has committed: free the index."""

    def search(
        self, collection: CollectionRow, vector: np.ndarray, k: int
    ) -> list[tuple[int, float]]:
        """Up to k (label, cosine similarity) pairs, best first."""

    def vectors(
        self, session: Session, collection: CollectionRow, labels: Sequence[int]
    ) -> dict[int, np.ndarray]:
        """Stored vectors by label, as of the session's view where the backend can."""

    def compact(self, collection: CollectionRow) -> None:
        """Reclaim the space of removed vectors."""

    def checkpoint(self) -> None:
        """Persist what a restart would otherwise have to replay."""

    def close(self) -> None:
        """Checkpoint and release."""
