"""Items: insert, update, get, delete (seed 000 §3.4.2, §3.6, §3.8, §3.9; seed 001 §9.3 102.1)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from contracts.embeddings import Embedding
from contracts.errors import ErrorKind, IdfError
from contracts.gallery import CollectionSpec, ItemPatch, NewItem
from engine.gallery import Gallery
from tests.gallery.helpers import DIM, MODEL, NS, embed, new_items, unit_vectors


def test_inserted_item_reads_back_whole(
    gallery: Gallery, db: str, rng: np.random.Generator
) -> None:
    vector = unit_vectors(rng, 1)[0]
    item = NewItem(
        embedding=embed(vector),
        external_id="test_uuit",
        remark='{"name": "张三"}',
        image_ref="/images/feature/20200629/98/eaf65537.jpg",
    )

    stored = gallery.insert(NS, db, item)
    read = gallery.get(NS, db, stored.item_id)

    assert read == stored
    assert (read.namespace, read.collection) == (NS, db)
    assert (read.external_id, read.remark, read.image_ref) == (
        "test_uuit",
        '{"name": "张三"}',
        "/images/feature/20200629/98/eaf65537.jpg",
    )
    assert read.embedding.model == MODEL
    np.testing.assert_allclose(read.embedding.array(), vector, atol=1e-6)


def test_item_ids_are_distinct_and_stable(
    gallery: Gallery, db: str, rng: np.random.Generator
) -> None:
    items = gallery.insert_many(NS, db, new_items(rng, 20))

    ids = [i.item_id for i in items]
    assert len(set(ids)) == 20
    assert [gallery.get(NS, db, i).item_id for i in ids] == ids


def test_update_changes_only_the_given_fields(
    gallery: Gallery, db: str, rng: np.random.Generator
) -> None:
    stored = gallery.insert(NS, db, new_items(rng, 1, remark="old", image_ref="/a.jpg")[0])

    updated = gallery.update(NS, db, stored.item_id, ItemPatch(remark='{"v": 2}', image_ref=None))

    assert updated.item_id == stored.item_id
    assert (updated.remark, updated.image_ref, updated.external_id) == (
        '{"v": 2}',
        None,
        "person-0",
    )
    assert updated.embedding == stored.embedding
    assert gallery.get(NS, db, stored.item_id) == updated


def test_update_with_an_embedding_moves_the_item_in_search(
    gallery: Gallery, db: str, rng: np.random.Generator
) -> None:
    stored = gallery.insert_many(NS, db, new_items(rng, 10))
    target = stored[4]
    replacement = embed(unit_vectors(rng, 1)[0])

    updated = gallery.update(NS, db, target.item_id, ItemPatch(embedding=replacement))

    assert updated.embedding == replacement
    assert gallery.collection(NS, db).size == 10
    best_for_new = gallery.search(NS, replacement, top_k=1)[0]
    assert (best_for_new.item_id, round(best_for_new.score, 4)) == (target.item_id, 1.0)
    hits_for_old = gallery.search(NS, target.embedding, top_k=10, threshold=0.99)
    assert hits_for_old == []


def test_updating_an_unknown_item_is_not_found(gallery: Gallery, db: str) -> None:
    with pytest.raises(IdfError) as caught:
        gallery.update(NS, db, "69e98924-0c82-4da1-bc5e-7c32870a63e5", ItemPatch(remark="x"))

    assert caught.value.kind == ErrorKind.not_found


def test_delete_reports_each_id_and_removes_from_search(
    gallery: Gallery, db: str, rng: np.random.Generator
) -> None:
    items = gallery.insert_many(NS, db, new_items(rng, 5))
    asked = [items[1].item_id, "no-such-id", items[3].item_id]

    result = gallery.delete(NS, db, asked)

    assert result == {items[1].item_id: True, "no-such-id": False, items[3].item_id: True}
    assert gallery.delete(NS, db, [items[1].item_id]) == {items[1].item_id: False}
    with pytest.raises(IdfError) as caught:
        gallery.get(NS, db, items[1].item_id)
    assert caught.value.kind == ErrorKind.not_found
    found = {h.item_id for h in gallery.search(NS, items[1].embedding, top_k=5)}
    assert found == {items[0].item_id, items[2].item_id, items[4].item_id}


def test_items_under_one_external_id_are_found_and_deleted_together(
    gallery: Gallery, db: str, rng: np.random.Generator
) -> None:
    faces = [NewItem(embedding=embed(v), external_id="b001") for v in unit_vectors(rng, 2)]
    kept = gallery.insert(
        NS, db, NewItem(embedding=embed(unit_vectors(rng, 1)[0]), external_id="b002")
    )
    stored = gallery.insert_many(NS, db, faces)

    assert [i.item_id for i in gallery.find(NS, db, "b001")] == [i.item_id for i in stored]
    assert sorted(gallery.delete_external(NS, db, "b001")) == sorted(i.item_id for i in stored)
    assert gallery.find(NS, db, "b001") == []
    assert gallery.delete_external(NS, db, "b001") == []
    assert [i.item_id for i in gallery.find(NS, db, "b002")] == [kept.item_id]
    assert gallery.collection(NS, db).size == 1


def test_full_collection_refuses_with_collection_full(
    gallery: Gallery, rng: np.random.Generator
) -> None:
    gallery.create_collection(CollectionSpec(namespace=NS, name="small", max_size=3))
    gallery.insert_many(NS, "small", new_items(rng, 2))

    with pytest.raises(IdfError) as caught:
        gallery.insert_many(NS, "small", new_items(rng, 2))

    assert caught.value.kind == ErrorKind.collection_full
    assert gallery.collection(NS, "small").size == 2  # nothing of the refused batch went in
    gallery.insert(NS, "small", new_items(rng, 1)[0])
    with pytest.raises(IdfError) as again:
        gallery.insert(NS, "small", new_items(rng, 1)[0])
    assert again.value.kind == ErrorKind.collection_full


def test_deleting_makes_room_in_a_full_collection(
    gallery: Gallery, rng: np.random.Generator
) -> None:
    gallery.create_collection(CollectionSpec(namespace=NS, name="small", max_size=2))
    items = gallery.insert_many(NS, "small", new_items(rng, 2))

    gallery.delete(NS, "small", [items[0].item_id])
    gallery.insert(NS, "small", new_items(rng, 1)[0])

    assert gallery.collection(NS, "small").size == 2


def test_first_insert_binds_the_model_and_another_is_refused(
    gallery: Gallery, db: str, rng: np.random.Generator
) -> None:
    gallery.insert(NS, db, new_items(rng, 1)[0])

    for item in (
        new_items(rng, 1, model="face-test-v2")[0],
        NewItem(embedding=embed(unit_vectors(rng, 1, DIM * 2)[0])),  # same name, other length
    ):
        with pytest.raises(IdfError) as caught:
            gallery.insert(NS, db, item)
        assert caught.value.kind == ErrorKind.model_mismatch
    assert gallery.collection(NS, db).size == 1


def test_a_model_named_at_creation_refuses_any_other_from_the_start(
    gallery: Gallery, rng: np.random.Generator
) -> None:
    gallery.create_collection(CollectionSpec(namespace=NS, name="v1", max_size=5, model=MODEL))

    with pytest.raises(IdfError) as caught:
        gallery.insert(NS, "v1", new_items(rng, 1, model="face-test-v2")[0])

    assert caught.value.kind == ErrorKind.model_mismatch
    assert gallery.insert(NS, "v1", new_items(rng, 1)[0]).embedding.model == MODEL


def test_a_batch_of_mixed_models_is_refused_whole(
    gallery: Gallery, db: str, rng: np.random.Generator
) -> None:
    batch = new_items(rng, 2) + new_items(rng, 1, model="face-test-v2")

    with pytest.raises(IdfError) as caught:
        gallery.insert_many(NS, db, batch)

    assert caught.value.kind == ErrorKind.model_mismatch
    assert gallery.collection(NS, db).size == 0


def test_update_to_another_model_is_refused(
    gallery: Gallery, db: str, rng: np.random.Generator
) -> None:
    stored = gallery.insert(NS, db, new_items(rng, 1)[0])
    other = new_items(rng, 1, model="face-test-v2")[0].embedding

    with pytest.raises(IdfError) as caught:
        gallery.update(NS, db, stored.item_id, ItemPatch(embedding=other, remark="lost"))

    assert caught.value.kind == ErrorKind.model_mismatch
    assert gallery.get(NS, db, stored.item_id) == stored


def test_vectors_are_stored_at_unit_length(gallery: Gallery, db: str) -> None:
    raw = Embedding(vector=(3.0, 4.0) + (0.0,) * (DIM - 2), model=MODEL)

    stored = gallery.insert(NS, db, NewItem(embedding=raw))

    np.testing.assert_allclose(stored.embedding.vector[:2], (0.6, 0.8), atol=1e-6)


def test_an_embedding_without_direction_is_a_bad_param(gallery: Gallery, db: str) -> None:
    zero = Embedding(vector=(0.0,) * DIM, model=MODEL)

    with pytest.raises(IdfError) as caught:
        gallery.insert(NS, db, NewItem(embedding=zero))

    assert caught.value.kind == ErrorKind.bad_param


def test_an_exclusive_insert_of_a_taken_key_is_refused_and_changes_nothing(
    gallery: Gallery, db: str, rng: np.random.Generator
) -> None:
    first, second = new_items(rng, 2)
    stored = gallery.insert(NS, db, first, exclusive=True)
    assert gallery.get(NS, db, stored.item_id).external_id == first.external_id
    again = second.model_copy(update={"external_id": first.external_id})

    with pytest.raises(IdfError) as taken:
        gallery.insert(NS, db, again, exclusive=True)

    assert taken.value.kind is ErrorKind.already_exists
    assert taken.value.field == "external_id"
    assert len(gallery.find(NS, db, first.external_id)) == 1
    assert gallery.collection(NS, db).size == 1
    gallery.insert(NS, db, again)  # without `exclusive` a key may name several items
    assert len(gallery.find(NS, db, first.external_id)) == 2


def test_of_concurrent_exclusive_inserts_of_one_key_exactly_one_wins(
    gallery: Gallery, db: str, rng: np.random.Generator
) -> None:
    items = [item.model_copy(update={"external_id": "user-1"}) for item in new_items(rng, 8)]

    def insert(item: NewItem) -> str:
        try:
            gallery.insert(NS, db, item, exclusive=True)
        except IdfError as error:
            return error.kind.value
        return "stored"

    with ThreadPoolExecutor(len(items)) as pool:
        outcomes = sorted(pool.map(insert, items))

    assert outcomes == ["already_exists"] * 7 + ["stored"]
    assert len(gallery.find(NS, db, "user-1")) == 1
