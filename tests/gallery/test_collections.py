"""Collections: SenseTime's addDb / getDbInfo / deleteDb (seed 000 §3.1–3.3), Yitu's repos."""

from __future__ import annotations

import numpy as np
import pytest

from contracts.errors import ErrorKind, IdfError
from contracts.gallery import CollectionInfo, CollectionSpec
from engine.gallery import Gallery
from tests.gallery.helpers import DIM, MODEL, NS, new_items


def test_created_collection_reports_its_spec_and_is_empty(gallery: Gallery) -> None:
    spec = CollectionSpec(namespace=NS, name="TEST13", max_size=200, metadata={"dbType": "Face"})

    created = gallery.create_collection(spec)

    expected = CollectionInfo(
        namespace=NS,
        name="TEST13",
        max_size=200,
        metadata={"dbType": "Face"},
        model=None,
        dim=None,
        size=0,
    )
    assert created == expected
    assert gallery.collection(NS, "TEST13") == expected


def test_size_counts_inserts_and_deletes(
    gallery: Gallery, db: str, rng: np.random.Generator
) -> None:
    items = gallery.insert_many(NS, db, new_items(rng, 5))
    gallery.delete(NS, db, [items[0].item_id, items[1].item_id])

    info = gallery.collection(NS, db)

    assert (info.size, info.model, info.dim) == (3, MODEL, DIM)


def test_duplicate_name_in_a_namespace_is_refused(gallery: Gallery, db: str) -> None:
    with pytest.raises(IdfError) as caught:
        gallery.create_collection(CollectionSpec(namespace=NS, name=db, max_size=5))

    assert caught.value.kind == ErrorKind.already_exists
    assert gallery.collection(NS, db).max_size == 100  # the first one is untouched


def test_namespaces_keep_same_named_collections_apart(
    gallery: Gallery, rng: np.random.Generator
) -> None:
    for namespace in ("sensetime", "yitu:1"):
        gallery.create_collection(CollectionSpec(namespace=namespace, name="vip", max_size=10))
    gallery.insert_many("yitu:1", "vip", new_items(rng, 2))

    assert gallery.collection("sensetime", "vip").size == 0
    assert gallery.collection("yitu:1", "vip").size == 2
    assert [c.name for c in gallery.collections("yitu:1")] == ["vip"]


def test_collections_lists_one_namespace_by_name(gallery: Gallery) -> None:
    for name in ("b", "a", "c"):
        gallery.create_collection(CollectionSpec(namespace="yitu:2", name=name, max_size=1))
    gallery.create_collection(CollectionSpec(namespace="yitu:1", name="z", max_size=1))

    assert [c.name for c in gallery.collections("yitu:2")] == ["a", "b", "c"]
    assert gallery.collections("nobody") == []


def test_unknown_collection_is_not_found(gallery: Gallery) -> None:
    with pytest.raises(IdfError) as caught:
        gallery.collection(NS, "missing")

    assert caught.value.kind == ErrorKind.not_found


def test_deleted_collection_is_gone_with_its_items(
    gallery: Gallery, db: str, rng: np.random.Generator
) -> None:
    items = gallery.insert_many(NS, db, new_items(rng, 3))

    gallery.delete_collection(NS, db)

    for call in (
        lambda: gallery.collection(NS, db),
        lambda: gallery.get(NS, db, items[0].item_id),
        lambda: gallery.search(NS, items[0].embedding, collections=[db]),
        lambda: gallery.delete_collection(NS, db),
    ):
        with pytest.raises(IdfError) as caught:
            call()
        assert caught.value.kind == ErrorKind.not_found


def test_a_name_can_be_reused_after_delete_and_starts_empty(
    gallery: Gallery, db: str, rng: np.random.Generator
) -> None:
    old = gallery.insert_many(NS, db, new_items(rng, 3))
    gallery.delete_collection(NS, db)

    gallery.create_collection(CollectionSpec(namespace=NS, name=db, max_size=7))
    fresh = gallery.insert(NS, db, new_items(rng, 1)[0])

    assert gallery.collection(NS, db).size == 1
    hits = gallery.search(NS, old[0].embedding, collections=[db], top_k=5)
    assert [h.item_id for h in hits] == [fresh.item_id]
