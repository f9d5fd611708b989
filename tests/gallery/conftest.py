"""One gallery fixture over every backend, so the same tests hold for each of them.

`embedded` (every collection on the usearch graph), `embedded-exact` (the exact scan that
small collections get) and `milvus` (milvus-lite, SQLite metadata) always run;
`milvus-postgres` runs when IDFACADE_TEST_POSTGRES_DSN names a PostgreSQL database the tests may
create schemas in, each test in a schema of its own.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from contracts.gallery import CollectionSpec
from engine.gallery import Gallery, GallerySettings, open_gallery
from tests.gallery.helpers import GRAPH, NS, QUIET

POSTGRES_ENV = "IDFACADE_TEST_POSTGRES_DSN"


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(20240611)


@pytest.fixture
def postgres_dsn() -> Iterator[str]:
    """A DSN whose search_path is a fresh schema, dropped afterwards."""
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"set {POSTGRES_ENV} to run the gallery suite on PostgreSQL metadata")
    psycopg = pytest.importorskip("psycopg")
    schema = f"gallery_test_{uuid.uuid4().hex}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in base else "?"
    try:
        yield f"{base}{separator}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["embedded", "embedded-exact", "milvus", "milvus-postgres"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> GallerySettings:
    if request.param == "embedded":
        return GallerySettings(backend="embedded", data_dir=tmp_path, hnsw=GRAPH)
    if request.param == "embedded-exact":
        return GallerySettings(backend="embedded", data_dir=tmp_path, hnsw=QUIET)
    pytest.importorskip("pymilvus")
    dsn = request.getfixturevalue("postgres_dsn") if request.param == "milvus-postgres" else None
    return GallerySettings(backend="milvus", data_dir=tmp_path, metadata_dsn=dsn, hnsw=QUIET)


@pytest.fixture
def gallery(settings: GallerySettings) -> Iterator[Gallery]:
    with open_gallery(settings) as opened:
        yield opened


@pytest.fixture
def db(gallery: Gallery) -> str:
    """A collection of 100 in the SenseTime namespace, as addDb would make it."""
    gallery.create_collection(CollectionSpec(namespace=NS, name="TEST13", max_size=100))
    return "TEST13"
