"""A second process on a gallery's data directory, driven by the durability tests.

    python -m tests.gallery.worker churn DATA_DIR START   insert (and delete) until killed
    python -m tests.gallery.worker writer DATA_DIR COUNT  insert COUNT, delete parent-0, exit

Every line is printed after the call it reports has returned, so a printed write is an
acknowledged one. Vectors come from `vector_for`, which the tests recompute.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from contracts.errors import ErrorKind, IdfError
from contracts.gallery import CollectionSpec, NewItem
from engine.gallery import Gallery, GallerySettings, HnswSettings, open_gallery
from tests.gallery.helpers import DIM, NS, embed

COLLECTION = "shared"
# Upkeep as often as possible, so that a kill lands in snapshots and compactions too, and a
# collection that outgrows its exact scan for a graph on the way.
RESTLESS = HnswSettings(
    exact_below=100,
    maintenance_interval=0.005,
    snapshot_min_changes=5,
    snapshot_fraction=0.01,
    compact_fraction=0.05,
)


def vector_for(n: int) -> np.ndarray:
    vector = np.random.default_rng(n).standard_normal(DIM).astype(np.float32)
    return vector / np.linalg.norm(vector)


def ensure_collection(gallery: Gallery) -> None:
    try:
        gallery.create_collection(CollectionSpec(namespace=NS, name=COLLECTION, max_size=100_000))
    except IdfError as exc:
        if exc.kind != ErrorKind.already_exists:
            raise


def churn(data_dir: Path, start: int) -> None:
    settings = GallerySettings(backend="embedded", data_dir=data_dir, hnsw=RESTLESS)
    gallery = open_gallery(settings)
    ensure_collection(gallery)
    mine: list[str] = []
    for n in range(start, sys.maxsize):
        item = gallery.insert(
            NS, COLLECTION, NewItem(embedding=embed(vector_for(n)), external_id=str(n))
        )
        print(f"insert {n} {item.item_id}", flush=True)
        mine.append(item.item_id)
        if n % 5 == 4:
            victim = mine.pop(len(mine) // 2)
            print(f"deleting {victim}", flush=True)  # a kill now may or may not undo it
            gallery.delete(NS, COLLECTION, [victim])
            print(f"delete {victim}", flush=True)


def writer(data_dir: Path, count: int) -> None:
    settings = GallerySettings(
        backend="embedded", data_dir=data_dir, hnsw=HnswSettings(maintenance_interval=None)
    )
    with open_gallery(settings) as gallery:
        parent = gallery.find(NS, COLLECTION, "parent-1")[0]
        hits = gallery.search(NS, parent.embedding, top_k=1)
        print(f"sees-parent {hits[0].item_id == parent.item_id}", flush=True)
        for n in range(count):
            vector = vector_for(1_000_000 + n)
            item = gallery.insert(
                NS, COLLECTION, NewItem(embedding=embed(vector), external_id=f"child-{n}")
            )
            print(f"insert {1_000_000 + n} {item.item_id}", flush=True)
        gallery.delete_external(NS, COLLECTION, "parent-0")
        print("deleted parent-0", flush=True)


if __name__ == "__main__":
    command, directory, number = sys.argv[1:4]
    {"churn": churn, "writer": writer}[command](Path(directory), int(number))
