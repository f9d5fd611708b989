"""Whether the service made an item's image travels with the item (issue 10 item 4)."""

from __future__ import annotations

import sqlite3

from contracts.gallery import CollectionSpec, ItemPatch, NewItem
from engine.gallery._metadata import MetadataStore
from tests.gallery.helpers import NS, embed, unit_vectors


def test_owns_image_is_stored_updated_and_defaults_to_the_callers(gallery, rng):
    gallery.create_collection(CollectionSpec(namespace=NS, name="own", max_size=10))
    vectors = unit_vectors(rng, 2)
    made = gallery.insert(
        NS, "own", NewItem(embedding=embed(vectors[0]), image_ref="/k.jpg", owns_image=True)
    )
    given = gallery.insert(NS, "own", NewItem(embedding=embed(vectors[1]), image_ref="/k.jpg"))
    assert gallery.get(NS, "own", made.item_id).owns_image is True
    assert gallery.get(NS, "own", given.item_id).owns_image is False
    changed = gallery.update(NS, "own", made.item_id, ItemPatch(remark="r"))
    assert changed.owns_image is True
    cleared = gallery.update(
        NS, "own", made.item_id, ItemPatch(image_ref="/c.jpg", owns_image=False)
    )
    assert cleared.owns_image is False and cleared.image_ref == "/c.jpg"


def test_a_gallery_made_before_the_column_gains_it(tmp_path):
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute(
            "CREATE TABLE gallery_items (item_id TEXT PRIMARY KEY, collection_id TEXT NOT NULL, "
            "label BIGINT NOT NULL, external_id TEXT, remark TEXT, image_ref TEXT, "
            "UNIQUE (collection_id, label))"
        )
        conn.execute("INSERT INTO gallery_items VALUES ('i', 'c', 0, NULL, NULL, '/old.jpg')")
    store = MetadataStore(str(path))
    with store.read() as session:
        [row] = session.items("c", ["i"])
    store.close()
    assert row.image_ref == "/old.jpg" and row.owns_image is False
