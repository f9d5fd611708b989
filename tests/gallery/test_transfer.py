"""Moving a gallery between backends keeps every collection, item and id."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from contracts.errors import ErrorKind, IdfError
from contracts.gallery import CollectionSpec
from engine.gallery import Gallery, GallerySettings, open_gallery
from engine.gallery._transfer import copy_gallery
from tests.gallery.helpers import MODEL, NS, QUIET, new_items


def test_items_page_through_a_collection_in_id_order(
    gallery: Gallery, db: str, rng: np.random.Generator
) -> None:
    stored = gallery.insert_many(NS, db, new_items(rng, 7))

    first = gallery.items(NS, db, limit=4)
    rest = gallery.items(NS, db, after=first[-1].item_id, limit=4)

    assert [i.item_id for i in first + rest] == sorted(i.item_id for i in stored)
    assert {i.item_id: i for i in first + rest} == {i.item_id: i for i in stored}


def test_restored_items_keep_their_ids_and_an_id_present_is_refused(
    gallery: Gallery, db: str, rng: np.random.Generator
) -> None:
    saved = gallery.insert_many(NS, db, new_items(rng, 3))
    gallery.delete_collection(NS, db)
    gallery.create_collection(CollectionSpec(namespace=NS, name=db, max_size=10))

    gallery.restore(NS, db, saved)

    assert gallery.items(NS, db) == sorted(saved, key=lambda i: i.item_id)
    with pytest.raises(IdfError) as caught:
        gallery.restore(NS, db, saved[:1])
    assert caught.value.kind == ErrorKind.already_exists
    assert gallery.collection(NS, db).size == 3


def test_copy_moves_an_embedded_gallery_to_the_target_backend(
    settings: GallerySettings, tmp_path: Path, rng: np.random.Generator
) -> None:
    source_settings = GallerySettings(data_dir=tmp_path / "source", hnsw=QUIET)
    with open_gallery(source_settings) as source, open_gallery(settings) as target:
        source.create_collection(
            CollectionSpec(namespace=NS, name="TEST13", max_size=5000, metadata={"dbType": "Face"})
        )
        source.create_collection(CollectionSpec(namespace="yitu:1", name="vip", max_size=9))
        source.create_collection(
            CollectionSpec(namespace="yitu:1", name="new", max_size=9, model=MODEL)
        )
        sensetime = source.insert_many(NS, "TEST13", new_items(rng, 1500, remark='{"a": 1}'))
        yitu = source.insert_many("yitu:1", "vip", new_items(rng, 3))

        assert copy_gallery(source, target) == 1503

        assert target.collections(None) == source.collections(None)
        for item in sensetime[::100] + yitu:
            assert target.get(item.namespace, item.collection, item.item_id) == item
            assert target.search(item.namespace, item.embedding)[0].item_id == item.item_id
