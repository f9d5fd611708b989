"""Gallery settings: the documented environment variables, defaults and DSN forms."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from engine.gallery import GallerySettings, HnswSettings
from engine.gallery._metadata import sqlite_path


def test_environment_names_every_setting() -> None:
    settings = GallerySettings.from_env(
        {
            "IDFACADE_DATA": "/srv/idfacade",
            "IDFACADE_GALLERY_BACKEND": "milvus",
            "IDFACADE_GALLERY_METADATA_DSN": "postgresql://idf:pw@db:5432/idfacade",
            "IDFACADE_MILVUS_URI": "http://milvus:19530",
            "IDFACADE_MILVUS_TOKEN": "root:Milvus",
        }
    )

    assert settings.backend == "milvus"
    assert settings.data_dir == Path("/srv/idfacade")
    assert settings.resolved_metadata_dsn == "postgresql://idf:pw@db:5432/idfacade"
    assert settings.resolved_milvus_uri == "http://milvus:19530"
    assert settings.milvus_token == "root:Milvus"


def test_defaults_keep_everything_in_the_data_directory() -> None:
    embedded = GallerySettings.from_env({"IDFACADE_DATA": "/srv/idf"})
    milvus = GallerySettings.from_env(
        {"IDFACADE_DATA": "/srv/idf", "IDFACADE_GALLERY_BACKEND": "milvus"}
    )

    assert embedded.backend == "embedded"
    assert embedded.resolved_metadata_dsn == "/srv/idf/gallery.sqlite3"
    assert milvus.resolved_metadata_dsn == "/srv/idf/gallery-milvus.sqlite3"
    assert milvus.resolved_milvus_uri == "/srv/idf/milvus.db"


def test_embedded_refuses_postgres_metadata() -> None:
    with pytest.raises(ValidationError, match="SQLite"):
        GallerySettings(backend="embedded", metadata_dsn="postgresql://db/idfacade")


@pytest.mark.parametrize(
    ("live", "growth", "ef"),
    [
        (0, 0.5, 192),
        (1_000_000, 0.5, 192),
        (2_000_000, 0.5, 272),  # 192 x sqrt(2), rounded up
        (10_000_000, 0.5, 608),
        (10_000_000, 0.0, 192),
    ],
)
def test_ef_search_holds_to_a_million_and_grows_past_it(live: int, growth: float, ef: int) -> None:
    assert HnswSettings(ef_search=192, ef_growth=growth).ef_search_for(live) == ef


def test_unknown_backend_is_refused() -> None:
    with pytest.raises(ValidationError):
        GallerySettings.from_env({"IDFACADE_GALLERY_BACKEND": "faiss"})


@pytest.mark.parametrize(
    ("dsn", "path"),
    [
        ("var/gallery.sqlite3", Path("var/gallery.sqlite3")),
        ("sqlite:///var/gallery.sqlite3", Path("var/gallery.sqlite3")),
        ("sqlite:////srv/gallery.sqlite3", Path("/srv/gallery.sqlite3")),
    ],
)
def test_sqlite_dsns_take_paths_or_the_sqlalchemy_form(dsn: str, path: Path) -> None:
    assert sqlite_path(dsn) == path
