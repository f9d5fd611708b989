"""What a gallery holds outlives the process, and a failed write leaves nothing behind."""

from __future__ import annotations

import numpy as np
import pytest

from contracts.gallery import CollectionSpec, ItemPatch
from engine.gallery import Gallery, GallerySettings, open_gallery
from engine.gallery._base import Change
from tests.gallery.helpers import MODEL, NS, embed, new_items, unit_vectors


def test_a_reopened_gallery_holds_what_was_written(
    settings: GallerySettings, rng: np.random.Generator
) -> None:
    with open_gallery(settings) as gallery:
        gallery.create_collection(
            CollectionSpec(namespace=NS, name="db", max_size=10, metadata={"dbType": "Face"})
        )
        items = gallery.insert_many(NS, "db", new_items(rng, 6))
        gallery.delete(NS, "db", [items[0].item_id])
        updated = gallery.update(NS, "db", items[1].item_id, ItemPatch(remark="moved"))

    with open_gallery(settings) as gallery:
        info = gallery.collection(NS, "db")
        assert (info.size, info.max_size, info.metadata, info.model) == (
            5,
            10,
            {"dbType": "Face"},
            MODEL,
        )
        assert gallery.get(NS, "db", items[1].item_id) == updated
        for item in items[1:]:
            assert gallery.search(NS, item.embedding)[0].item_id == item.item_id
        assert items[0].item_id not in {
            h.item_id for h in gallery.search(NS, items[0].embedding, top_k=5)
        }


def test_a_write_that_fails_after_staging_vectors_leaves_nothing_searchable(
    gallery: Gallery, db: str, rng: np.random.Generator
) -> None:
    kept = gallery.insert_many(NS, db, new_items(rng, 3))
    orphan = unit_vectors(rng, 1)
    # The gallery's own steps, cut short where a crash would cut them: the backend has staged
    # the vector (Milvus holds it already) but the metadata transaction never commits.
    store, index = gallery._store, gallery._index
    with pytest.raises(RuntimeError), store.write() as session:
        row = session.lock(NS, db)
        index.write(session, row, Change(labels=np.array([row.next_label]), vectors=orphan))
        raise RuntimeError("crash before commit")

    hits = gallery.search(NS, embed(orphan[0]), top_k=10)

    assert sorted(h.item_id for h in hits) == sorted(i.item_id for i in kept)
    stored = gallery.insert(NS, db, new_items(rng, 1)[0])  # reuses the orphan's label
    assert gallery.search(NS, stored.embedding)[0].item_id == stored.item_id
    assert gallery.get(NS, db, stored.item_id).embedding == stored.embedding
