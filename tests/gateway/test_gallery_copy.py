"""`idfacade gallery copy` moves the configured gallery to another backend, ids kept."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from contracts.gallery import CollectionSpec
from engine.gallery import GallerySettings, open_gallery
from gateway.cli import main
from tests.gallery.helpers import NS, QUIET, new_items


@pytest.fixture
def source(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    with open_gallery(GallerySettings(data_dir=data, hnsw=QUIET)) as gallery:
        gallery.create_collection(CollectionSpec(namespace=NS, name="TEST13", max_size=50))
        gallery.insert_many(NS, "TEST13", new_items(np.random.default_rng(3), 12))
    return data


@pytest.mark.slow
def test_copy_moves_the_configured_gallery_to_milvus(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("pymilvus")
    target = GallerySettings(
        backend="milvus", data_dir=tmp_path / "milvus", milvus_uri=str(tmp_path / "milvus.db")
    )

    code = main(["gallery", "copy", "--data", str(source), "--to", target.model_dump_json()])

    assert code == 0
    assert capsys.readouterr().out.splitlines()[-1] == "copied 12 items"
    with (
        open_gallery(GallerySettings(data_dir=source, hnsw=QUIET)) as old,
        open_gallery(target) as new,
    ):
        items = old.items(NS, "TEST13")
        assert new.items(NS, "TEST13") == items
        for item in items:
            assert new.search(NS, item.embedding)[0].item_id == item.item_id


def test_a_target_holding_a_source_collection_is_refused_before_anything_is_copied(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = GallerySettings(data_dir=tmp_path / "other", hnsw=QUIET)
    with open_gallery(target) as gallery:
        gallery.create_collection(CollectionSpec(namespace=NS, name="AAA", max_size=5))
        gallery.create_collection(CollectionSpec(namespace=NS, name="TEST13", max_size=5))

    code = main(["gallery", "copy", "--data", str(source), "--to", target.model_dump_json()])

    assert code == 1
    assert "sensetime/TEST13" in capsys.readouterr().err
    with open_gallery(target) as gallery:
        assert [c.size for c in gallery.collections(NS)] == [0, 0]


@pytest.mark.parametrize("to", ["{not json", json.dumps({"backend": "faiss"})])
def test_bad_target_settings_are_refused(
    source: Path, to: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["gallery", "copy", "--data", str(source), "--to", to]) == 2
    assert capsys.readouterr().err.startswith("idfacade: ")
