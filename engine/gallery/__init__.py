"""Feature databases and 1:N search (SenseTime feature databases, Yitu repos), one engine for both.

    gallery = open_gallery(GallerySettings.from_env())
    gallery.create_collection(CollectionSpec(namespace="sensetime", name="TEST13", max_size=200))
    item = gallery.insert("sensetime", "TEST13", NewItem(embedding=embedding, remark='{"a":1}'))
    hits = gallery.search("sensetime", probe, collections=["TEST13"], top_k=5, threshold=0.5)

`embedded` (the default) needs nothing but the data directory; `milvus` moves vectors to Milvus
and metadata to PostgreSQL or SQLite for galleries that outgrow one host (docs/scale-out.md).
"""

from __future__ import annotations

from engine.gallery._base import VectorIndex
from engine.gallery._gallery import MAX_TOP_K, Gallery
from engine.gallery._metadata import MetadataStore
from engine.gallery._settings import GallerySettings, HnswSettings
from engine.gallery._transfer import copy_gallery

__all__ = [
    "MAX_TOP_K",
    "Gallery",
    "GallerySettings",
    "HnswSettings",
    "copy_gallery",
    "open_gallery",
]


def open_gallery(settings: GallerySettings) -> Gallery:
    """A ready gallery: tables made, indexes loaded and brought up to the database."""
    store = MetadataStore(settings.resolved_metadata_dsn)
    index: VectorIndex
    try:
        if settings.backend == "embedded":
            from engine.gallery._embedded import EmbeddedIndex

            index = EmbeddedIndex(store, settings.data_dir / "gallery-index", settings.hnsw)
        else:
            from engine.gallery._milvus import MilvusIndex

            index = MilvusIndex(settings.resolved_milvus_uri, settings.milvus_token)
    except BaseException:
        store.close()
        raise
    return Gallery(store, index)
