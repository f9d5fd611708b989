"""1:N search: searchByFeature over dbIds (seed 000 §3.10), retrieval_in_repo (seed 001 §9.3)."""

from __future__ import annotations

import numpy as np
import pytest

from contracts.errors import ErrorKind, IdfError
from contracts.gallery import CollectionSpec, NewItem
from engine.gallery import MAX_TOP_K, Gallery
from tests.gallery.helpers import NS, embed, new_items, probe, unit_vectors


def test_probe_finds_its_face_first_with_its_metadata(
    gallery: Gallery, db: str, rng: np.random.Generator
) -> None:
    stored = gallery.insert_many(NS, db, new_items(rng, 50, remark="test", image_ref="/img.jpg"))
    target = stored[17]
    query = probe(rng, target.embedding.vector, 0.8)

    hits = gallery.search(NS, query, collections=[db])

    assert len(hits) == 1
    hit = hits[0]
    assert (hit.item_id, hit.external_id, hit.remark, hit.image_ref) == (
        target.item_id,
        "person-17",
        "test",
        "/img.jpg",
    )
    assert (hit.namespace, hit.collection) == (NS, db)
    assert hit.score == pytest.approx(float(query.array() @ target.embedding.array()), abs=1e-5)


def test_scores_are_cosine_similarities_best_first(
    gallery: Gallery, db: str, rng: np.random.Generator
) -> None:
    vectors = unit_vectors(rng, 30)
    stored = gallery.insert_many(NS, db, [NewItem(embedding=embed(v)) for v in vectors])
    query = unit_vectors(rng, 1)[0]

    hits = gallery.search(NS, embed(query), top_k=30)

    exact = vectors @ query
    order = np.argsort(-exact)
    assert [h.item_id for h in hits] == [stored[i].item_id for i in order]
    np.testing.assert_allclose([h.score for h in hits], exact[order], atol=1e-5)


def test_threshold_drops_weaker_hits(gallery: Gallery, db: str, rng: np.random.Generator) -> None:
    stored = gallery.insert_many(NS, db, new_items(rng, 30))
    target = stored[3]

    hits = gallery.search(NS, probe(rng, target.embedding.vector, 0.9), top_k=10, threshold=0.7)

    assert [h.item_id for h in hits] == [target.item_id]


def test_top_k_counts_hits_over_several_collections(
    gallery: Gallery, rng: np.random.Generator
) -> None:
    for name in ("TEST1", "TEST2", "TEST3"):
        gallery.create_collection(CollectionSpec(namespace=NS, name=name, max_size=50))
    vectors = unit_vectors(rng, 30)
    owners = {}
    for n, vector in enumerate(vectors):
        name = f"TEST{n % 3 + 1}"
        owners[gallery.insert(NS, name, NewItem(embedding=embed(vector))).item_id] = name
    query = unit_vectors(rng, 1)[0]

    hits = gallery.search(NS, embed(query), collections=["TEST1", "TEST3"], top_k=5)

    eligible = [n for n in range(30) if n % 3 != 1]
    best = sorted(eligible, key=lambda n: -float(vectors[n] @ query))[:5]
    assert [round(h.score, 5) for h in hits] == [round(float(vectors[n] @ query), 5) for n in best]
    assert {owners[h.item_id] for h in hits} <= {"TEST1", "TEST3"}
    assert all(owners[h.item_id] == h.collection for h in hits)


def test_no_collections_named_means_all_of_the_namespace(
    gallery: Gallery, rng: np.random.Generator
) -> None:
    for namespace, name in (("yitu:1", "a"), ("yitu:1", "b"), ("yitu:2", "a")):
        gallery.create_collection(CollectionSpec(namespace=namespace, name=name, max_size=10))
    a = gallery.insert("yitu:1", "a", new_items(rng, 1)[0])
    b = gallery.insert("yitu:1", "b", new_items(rng, 1)[0])
    other_label = gallery.insert("yitu:2", "a", NewItem(embedding=a.embedding))

    hits = gallery.search("yitu:1", a.embedding, top_k=10)

    assert {h.item_id for h in hits} == {a.item_id, b.item_id}
    assert other_label.item_id not in {h.item_id for h in hits}


def test_an_unknown_collection_in_the_list_is_not_found(gallery: Gallery, db: str) -> None:
    with pytest.raises(IdfError) as caught:
        gallery.search(NS, embed(np.ones(32)), collections=[db, "TEST404"])

    assert caught.value.kind == ErrorKind.not_found


def test_empty_collections_answer_nothing(gallery: Gallery, db: str) -> None:
    assert gallery.search(NS, embed(np.ones(32)), collections=[db], top_k=10) == []
    assert gallery.search("nobody", embed(np.ones(32))) == []


def test_top_k_beyond_the_collection_returns_what_there_is(
    gallery: Gallery, db: str, rng: np.random.Generator
) -> None:
    gallery.insert_many(NS, db, new_items(rng, 4))

    assert len(gallery.search(NS, embed(np.ones(32)), top_k=10)) == 4


@pytest.mark.parametrize("top_k", [0, -1, MAX_TOP_K + 1])
def test_top_k_out_of_range_is_a_bad_param(gallery: Gallery, db: str, top_k: int) -> None:
    with pytest.raises(IdfError) as caught:
        gallery.search(NS, embed(np.ones(32)), top_k=top_k)

    assert (caught.value.kind, caught.value.field) == (ErrorKind.bad_param, "top_k")


def test_a_query_of_another_model_is_refused_not_compared(
    gallery: Gallery, db: str, rng: np.random.Generator
) -> None:
    stored = gallery.insert(NS, db, new_items(rng, 1)[0])
    foreign = embed(np.asarray(stored.embedding.vector), model="face-test-v2")

    with pytest.raises(IdfError) as caught:
        gallery.search(NS, foreign, collections=[db])

    assert caught.value.kind == ErrorKind.model_mismatch


def test_one_collection_of_another_model_fails_a_multi_collection_search(
    gallery: Gallery, db: str, rng: np.random.Generator
) -> None:
    gallery.create_collection(CollectionSpec(namespace=NS, name="v2", max_size=5))
    gallery.insert(NS, "v2", new_items(rng, 1, model="face-test-v2")[0])
    mine = gallery.insert(NS, db, new_items(rng, 1)[0])

    with pytest.raises(IdfError) as caught:
        gallery.search(NS, mine.embedding)

    assert caught.value.kind == ErrorKind.model_mismatch
    assert gallery.search(NS, mine.embedding, collections=[db])[0].item_id == mine.item_id


@pytest.mark.slow
def test_probes_find_their_faces_like_exact_search(
    gallery: Gallery, rng: np.random.Generator
) -> None:
    gallery.create_collection(CollectionSpec(namespace=NS, name="big", max_size=5000))
    vectors = unit_vectors(rng, 2000)
    for start in range(0, 2000, 500):
        chunk = vectors[start : start + 500]
        batch = [
            NewItem(embedding=embed(v), external_id=str(start + n)) for n, v in enumerate(chunk)
        ]
        gallery.insert_many(NS, "big", batch)
    probes = [probe(rng, tuple(vectors[t]), 0.7) for t in rng.choice(2000, 100, replace=False)]

    found = [gallery.search(NS, p, top_k=1)[0].external_id for p in probes]

    exact = [str(int(np.argmax(vectors @ p.array()))) for p in probes]
    assert np.mean([f == e for f, e in zip(found, exact, strict=True)]) >= 0.99
