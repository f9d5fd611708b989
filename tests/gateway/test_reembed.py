"""`idfacade gallery reembed`: a collection of an old model moves to the current one from its
kept images, resumably, and says which items had no usable image."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from contracts.embeddings import Embedding
from contracts.errors import ErrorKind, IdfError
from contracts.gallery import CollectionSpec, NewItem
from contracts.images import ImageInput
from engine import face, models
from engine.gallery import Gallery, GallerySettings, open_gallery
from gateway import cli, reembed
from gateway.kept_images import confined

OLD = "dlib-resnet-v1:55533b28"
NS, DB = "sensetime", "staff"
OBAMA = "faces/barack_obama/obama2.jpg"  # another photo than the stored one
PEOPLE = {
    "obama": "faces/barack_obama/obama.jpg",
    "jolie": "faces/angelina_jolie/img1.jpg",
    "hopkins": "faces/anthony_hopkins/Anthony_Hopkins_0001.jpg",
}


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    models.warm_up()


def _old_vector(seed: int) -> Embedding:
    return Embedding.from_array(np.random.default_rng(seed).normal(size=128), OLD)


@pytest.fixture
def data(tmp_path: Path, shared_data: Path) -> Path:
    """A data directory whose kept images are copies of shared faces (made per test)."""
    folder = tmp_path / "images" / "feature"
    folder.mkdir(parents=True)
    for person, relative in PEOPLE.items():
        (folder / f"{person}.jpg").write_bytes((shared_data / relative).read_bytes())
    return tmp_path


@pytest.fixture
def gallery(data: Path) -> Iterator[Gallery]:
    opened = open_gallery(GallerySettings(backend="embedded", data_dir=data))
    opened.create_collection(CollectionSpec(namespace=NS, name=DB, max_size=100))
    folder = data / "images" / "feature"
    items = [
        NewItem(embedding=_old_vector(i), external_id=p, image_ref=str(folder / f"{p}.jpg"))
        for i, p in enumerate(PEOPLE)
    ]
    items.append(NewItem(embedding=_old_vector(9), external_id="url", image_ref="http://x/y.jpg"))
    items.append(NewItem(embedding=_old_vector(8), external_id="none"))
    opened.insert_many(NS, DB, items)
    yield opened
    opened.close()


def _probe(shared_data: Path, relative: str) -> Embedding:
    image = ImageInput(data=(shared_data / relative).read_bytes())
    return face.embed(image, face.detect(image), 0)


def test_an_old_collection_refuses_the_current_models_features(
    gallery: Gallery, shared_data: Path
) -> None:
    with pytest.raises(IdfError) as caught:
        gallery.search(
            NS, _probe(shared_data, "faces/barack_obama/obama2.jpg"), collections=[DB], top_k=1
        )
    assert caught.value.kind == ErrorKind.model_mismatch


def test_reembed_names_items_without_an_image_and_switches_only_when_told(
    gallery: Gallery, data: Path, shared_data: Path
) -> None:
    progress = io.StringIO()
    kwargs = {"roots": (data,), "journal_dir": data / "reembed", "progress": progress}
    first = reembed.reembed(gallery, NS, DB, **kwargs)
    assert not first.switched and first.embedded == 5
    assert gallery.collection(NS, DB).model == OLD  # untouched until the switch
    by_key = {i.item_id: i.external_id for i in gallery.items(NS, DB)}
    assert sorted(by_key[i] for i in first.unembeddable) == ["none", "url"]
    assert "5/5" in progress.getvalue()

    second = reembed.reembed(gallery, NS, DB, drop_unembeddable=True, **kwargs)
    assert second.switched and (second.embedded, second.resumed) == (0, 5)
    info = gallery.collection(NS, DB)
    assert (info.model, info.size) == (models.embedding_version(), 3)
    assert not list((data / "reembed").iterdir())  # the journal goes with the switch
    hits = gallery.search(
        NS, _probe(shared_data, "faces/barack_obama/obama2.jpg"), collections=[DB], top_k=3
    )
    assert hits[0].external_id == "obama" and hits[0].score > hits[1].score + 0.2


def test_a_killed_run_resumes_from_its_journal(
    gallery: Gallery, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reembed, "BATCH", 2)
    real = reembed._embed
    calls = []

    def dies_on_the_third(item, roots):  # type: ignore[no-untyped-def]
        calls.append(item.item_id)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(item, roots)

    monkeypatch.setattr(reembed, "_embed", dies_on_the_third)
    kwargs = {"roots": (data,), "journal_dir": data / "reembed", "drop_unembeddable": True}
    with pytest.raises(KeyboardInterrupt):
        reembed.reembed(gallery, NS, DB, **kwargs)
    assert gallery.collection(NS, DB).model == OLD
    monkeypatch.setattr(reembed, "_embed", real)
    done = reembed.reembed(gallery, NS, DB, **kwargs)
    assert done.switched and (done.resumed, done.embedded) == (2, 3)


def test_an_image_outside_the_roots_or_through_a_link_is_not_read(
    data: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside") / "x.jpg"
    outside.write_bytes(b"x")
    link = data / "images" / "link.jpg"
    link.symlink_to(data / "images" / "feature" / "obama.jpg")
    assert confined(outside, (data,)) is None
    assert confined(link, (data,)) is None
    assert confined(data / "images" / "feature" / "obama.jpg", (data,)) is not None


def test_the_command_reports_and_exits_2_until_told_to_drop(
    gallery: Gallery, data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gallery.close()
    assert cli.main(["gallery", "reembed", DB, "--data", str(data)]) == 2
    out = capsys.readouterr().out
    assert "no image was kept" in out and "still on" in out
    assert cli.main(["gallery", "reembed", DB, "--data", str(data), "--drop-unembeddable"]) == 0
    assert "switched to sface-2021dec-grey-aligncrop:" in capsys.readouterr().out
