"""The float32 row file a graph is re-scored from: a cache of SQLite that never decides alone."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from contracts.gallery import CollectionSpec
from engine.gallery import Gallery, GallerySettings, open_gallery
from engine.gallery._rows import FloatRows
from tests.gallery.helpers import GRAPH, NS, new_items, unit_vectors


def test_rows_read_back_by_label_and_holes_are_absent(
    rng: np.random.Generator, tmp_path: Path
) -> None:
    rows = FloatRows(tmp_path / "c.f32", 32)
    vectors = unit_vectors(rng, 6)
    labels = np.array([9, 3, 4, 5, 40, 1], dtype=np.int64)  # runs and gaps, out of order
    rows.write(labels, vectors)
    found = rows.read([1, 2, 3, 4, 5, 9, 40, 41, 10_000])
    assert sorted(found) == [1, 3, 4, 5, 9, 40]
    for label, vector in zip(labels.tolist(), vectors, strict=True):
        assert np.array_equal(found[label], vector)
    assert stat.S_IMODE(os.stat(tmp_path / "c.f32").st_mode) == 0o600


def test_a_torn_row_is_not_answered(rng: np.random.Generator, tmp_path: Path) -> None:
    rows = FloatRows(tmp_path / "c.f32", 32)
    rows.write(np.array([0, 1], dtype=np.int64), unit_vectors(rng, 2))
    with open(tmp_path / "c.f32", "r+b") as f:  # a power cut kept half of row 1
        f.seek(32 * 4 + 64)
        f.write(bytes(64))
    assert list(rows.read([0, 1])) == [0]


def test_a_symlinked_row_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "elsewhere").write_bytes(b"")
    (tmp_path / "c.f32").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(OSError):
        FloatRows(tmp_path / "c.f32", 32)


@pytest.fixture
def settings(tmp_path: Path) -> GallerySettings:
    return GallerySettings(backend="embedded", data_dir=tmp_path, hnsw=GRAPH)


@pytest.fixture
def gallery(settings: GallerySettings) -> Iterator[Gallery]:
    with open_gallery(settings) as opened:
        opened.create_collection(CollectionSpec(namespace=NS, name="db", max_size=1000))
        yield opened


def row_files(settings: GallerySettings) -> list[Path]:
    return sorted((settings.data_dir / "gallery-index").glob("*.f32"))


def test_a_lost_or_damaged_row_file_is_read_from_sqlite_and_repaired(
    settings: GallerySettings, gallery: Gallery, rng: np.random.Generator
) -> None:
    items = gallery.insert_many(NS, "db", new_items(rng, 40))
    gallery.close()
    [path] = row_files(settings)
    damaged = bytearray(path.read_bytes())
    damaged[: len(damaged) // 2] = bytes(len(damaged) // 2)  # half the rows gone
    path.write_bytes(bytes(damaged))

    with open_gallery(settings) as reopened:
        for item in items:
            [best] = reopened.search(NS, item.embedding, top_k=1)
            assert best.item_id == item.item_id
            assert best.score == pytest.approx(1.0, abs=1e-6)  # exact, not the 8-bit score
    assert path.read_bytes()[: len(damaged) // 2] != bytes(len(damaged) // 2)  # written back

    path.unlink()  # a snapshot from a build before row files: searches read SQLite
    with open_gallery(settings) as reopened:
        assert reopened.search(NS, items[5].embedding)[0].item_id == items[5].item_id


def test_a_dropped_collection_takes_its_row_file_along(
    settings: GallerySettings, gallery: Gallery, rng: np.random.Generator
) -> None:
    gallery.insert_many(NS, "db", new_items(rng, 5))
    assert len(row_files(settings)) == 1
    gallery.delete_collection(NS, "db")
    assert row_files(settings) == []


def test_an_orphaned_row_file_is_deleted_on_open(
    settings: GallerySettings, gallery: Gallery
) -> None:
    orphan = settings.data_dir / "gallery-index" / f"{'0' * 32}.f32"
    orphan.write_bytes(bytes(128))
    gallery.close()
    with open_gallery(settings):
        assert not orphan.exists()
