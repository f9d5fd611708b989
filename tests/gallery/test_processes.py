"""The embedded gallery across processes: kill -9 at any moment, and two processes at once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from contracts.errors import ErrorKind, IdfError
from contracts.gallery import NewItem
from engine.gallery import Gallery, GallerySettings, open_gallery
from tests.conftest import REPO
from tests.gallery.helpers import NS, QUIET, embed
from tests.gallery.worker import COLLECTION, ensure_collection, vector_for


def start_worker(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.gallery.worker", *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )


class Acknowledged:
    """What a worker printed: inserts (vector number by item id), deletes, and deletes it had
    started when it was killed, which may or may not have committed."""

    def __init__(self) -> None:
        self.inserted: dict[str, int] = {}
        self.deleted: set[str] = set()
        self.deleting: set[str] = set()

    def record(self, line: str) -> None:
        words = line.split()
        if words and words[0] == "insert":
            self.inserted[words[2]] = int(words[1])
        elif words and words[0] == "deleting":
            self.deleting.add(words[1])
        elif words and words[0] == "delete":
            self.deleted.add(words[1])

    @property
    def live(self) -> dict[str, int]:
        gone = self.deleted | self.deleting
        return {i: n for i, n in self.inserted.items() if i not in gone}


def assert_gallery_holds(gallery: Gallery, acked: Acknowledged) -> None:
    for item_id, n in acked.live.items():
        assert gallery.get(NS, COLLECTION, item_id).external_id == str(n)
        best = gallery.search(NS, embed(vector_for(n)), top_k=1)[0]
        assert (best.item_id, round(best.score, 4)) == (item_id, 1.0)
    for item_id in acked.deleted:
        with pytest.raises(IdfError) as caught:
            gallery.get(NS, COLLECTION, item_id)
        assert caught.value.kind == ErrorKind.not_found


@pytest.mark.slow
@pytest.mark.parametrize("kills_after", [(1, 60, 200), (150, 3, 400)])
def test_every_acknowledged_write_survives_kill_9(tmp_path: Path, kills_after: tuple[int]) -> None:
    acked = Acknowledged()
    for run, lines_before_kill in enumerate(kills_after):
        # Each run numbers its vectors apart: the insert a kill interrupts may have committed
        # without being acknowledged, and its vector must not come again under another id.
        worker = start_worker("churn", str(tmp_path), str(run * 1_000_000))
        assert worker.stdout is not None
        for seen, line in enumerate(worker.stdout, start=1):
            acked.record(line)
            if seen == lines_before_kill:
                os.kill(worker.pid, signal.SIGKILL)
                break
        for line in worker.stdout:  # printed before it died: acknowledged too
            acked.record(line)
        assert worker.wait() == -signal.SIGKILL

    settings = GallerySettings(backend="embedded", data_dir=tmp_path, hnsw=QUIET)
    with open_gallery(settings) as gallery:
        assert_gallery_holds(gallery, acked)
        # at most one unprinted insert per kill may have committed as well
        assert 0 <= gallery.collection(NS, COLLECTION).size - len(acked.live) <= len(kills_after)


@pytest.mark.slow
def test_two_processes_share_a_data_directory(tmp_path: Path) -> None:
    settings = GallerySettings(backend="embedded", data_dir=tmp_path, hnsw=QUIET)
    with open_gallery(settings) as gallery:
        ensure_collection(gallery)
        mine = Acknowledged()
        for n in range(20):
            item = gallery.insert(
                NS, COLLECTION, NewItem(embedding=embed(vector_for(n)), external_id=f"parent-{n}")
            )
            mine.inserted[item.item_id] = n
        worker = start_worker("writer", str(tmp_path), "150")
        theirs = Acknowledged()
        n = 20
        while worker.poll() is None:  # write and search while the other process does
            vector = vector_for(n)
            item = gallery.insert(NS, COLLECTION, NewItem(embedding=embed(vector)))
            mine.inserted[item.item_id] = n
            assert gallery.search(NS, embed(vector), top_k=1)[0].item_id == item.item_id
            n += 1
        output = worker.communicate()[0].splitlines()
        assert worker.returncode == 0
        for line in output:
            theirs.record(line)

        assert output[0] == "sees-parent True"
        assert output[-1] == "deleted parent-0"
        assert len(theirs.inserted) == 150
        parent_0 = next(i for i, k in mine.inserted.items() if k == 0)
        mine.deleted.add(parent_0)
        for acked in (mine, theirs):
            for item_id, k in acked.live.items():
                best = gallery.search(NS, embed(vector_for(k)), top_k=1)[0]
                assert best.item_id == item_id
        with pytest.raises(IdfError):
            gallery.get(NS, COLLECTION, parent_0)
        assert gallery.collection(NS, COLLECTION).size == len(mine.live) + len(theirs.live)
