"""Many threads writing and searching one gallery at once."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from contracts.gallery import CollectionSpec, NewItem
from engine.gallery import Gallery
from tests.gallery.helpers import NS, embed, unit_vectors

WRITERS = 3
SEARCHERS = 3
PER_WRITER = 40


@pytest.mark.slow
def test_concurrent_writers_and_searchers_leave_a_consistent_gallery(gallery: Gallery) -> None:
    for name in ("left", "right"):
        gallery.create_collection(CollectionSpec(namespace=NS, name=name, max_size=1000))
    vectors = unit_vectors(np.random.default_rng(5), WRITERS * PER_WRITER)
    live: dict[str, int] = {}
    deleted: set[str] = set()
    record = threading.Lock()
    writing = threading.Event()
    writing.set()

    def write(worker: int) -> None:
        own: list[tuple[str, str]] = []
        for k in range(PER_WRITER):
            n = worker * PER_WRITER + k
            name = ("left", "right")[n % 2]
            item = gallery.insert(NS, name, NewItem(embedding=embed(vectors[n])))
            own.append((name, item.item_id))
            with record:
                live[item.item_id] = n
            if k % 3 == 2:
                victim_name, victim = own.pop(0)
                assert gallery.delete(NS, victim_name, [victim]) == {victim: True}
                with record:
                    del live[victim]
                    deleted.add(victim)

    def search() -> int:
        searches = 0
        while writing.is_set() or searches == 0:
            for hit in gallery.search(NS, embed(vectors[searches % len(vectors)]), top_k=5):
                assert -1.0 <= hit.score <= 1.0
            searches += 1
        return searches

    with ThreadPoolExecutor(WRITERS + SEARCHERS) as pool:
        searchers = [pool.submit(search) for _ in range(SEARCHERS)]
        writers = [pool.submit(write, w) for w in range(WRITERS)]
        for future in writers:
            future.result()
        writing.clear()
        assert all(future.result() > 0 for future in searchers)

    sizes = gallery.collection(NS, "left").size + gallery.collection(NS, "right").size
    assert sizes == len(live) == WRITERS * PER_WRITER - len(deleted)
    for item_id, n in live.items():
        assert gallery.search(NS, embed(vectors[n]), top_k=1)[0].item_id == item_id
    found = {h.item_id for n in range(len(vectors)) for h in gallery.search(NS, embed(vectors[n]))}
    assert not found & deleted
