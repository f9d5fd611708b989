"""bulkImport (seed 000 §3.5.2) and server-path inputs, on a gateway with an image root.

The folders are built in a temporary image root at test time from copies of
../shared/data/faces; nothing is copied into the repository.
"""

from __future__ import annotations

import shutil
import time
import uuid
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from contracts import calibration
from gateway.app import create_app
from gateway.settings import load_settings

PEOPLE = {
    "angelina.jpg": "faces/angelina_jolie/img11.jpg",
    "mark.jpg": "faces/mark_zuckerberg/img14.jpg",
    "obama.JPG": "faces/barack_obama/obama1.jpg",
}
NO_FACE = "id_documents/cn_id_card/cnid_syn_s1_back.jpg"
PATIENCE = 180.0  # seconds a background import may take before the test gives up waiting


@pytest.fixture(scope="module")
def image_root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("st-image-root")


@pytest.fixture(scope="module")
def st_paths(tmp_path_factory, image_root):
    """A gateway in open mode that reads server paths below `image_root`."""
    data = tmp_path_factory.mktemp("st-paths")
    settings = load_settings({"data": data, "warm_up": False, "image_root": image_root}, environ={})
    with TestClient(create_app(settings)) as client:
        yield client


def call(client, api, **data):
    response = client.post(f"/ssid-feature/v2/{api}", data=data)
    assert response.status_code == 200
    return response.json()


def ok(reply):
    assert reply["code"] == "0000", reply
    return reply["data"]


def new_db(client) -> str:
    name = "B" + uuid.uuid4().hex[:12]
    ok(call(client, "addDb", dbName=name, maxSize="50"))
    return name


def finished(log: Path) -> list[str]:
    """The process log's lines once the import has ended."""
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        lines = log.read_text(encoding="utf-8").splitlines()
        if lines and (" finished " in lines[-1] or " aborted" in lines[-1]):
            return lines
        time.sleep(0.1)
    raise AssertionError(f"the import did not finish: {log.read_text(encoding='utf-8')}")


@pytest.mark.slow
def test_bulk_import_inserts_a_folder_and_lists_what_failed(st_paths, image_root, shared_data):
    folder = image_root / "batch"
    folder.mkdir()
    for name, rel in PEOPLE.items():
        shutil.copy(shared_data / rel, folder / name)
    (folder / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 100)
    shutil.copy(shared_data / NO_FACE, folder / "card_back.jpg")
    (folder / "notes.txt").write_text("not an image")
    db = new_db(st_paths)

    answer = ok(call(st_paths, "bulkImport", data="batch", dbId=db, rotate="false"))
    log, errors = folder / "process.log", folder / "errorImages" / "errorInfo.txt"
    assert answer == f"进度详见日志: {log}, 失败信息详见日志: {errors}"

    lines = finished(log)
    assert lines[0].endswith(f"started dbId={db} images=5")
    steps = [line.split(" ", 2)[2] for line in lines[1:-1]]
    assert [s.split()[:3] for s in steps] == [
        ["1/5", "success", "angelina.jpg"],
        ["2/5", "failed", "broken.jpg"],
        ["3/5", "failed", "card_back.jpg"],
        ["4/5", "success", "mark.jpg"],
        ["5/5", "success", "obama.JPG"],
    ]
    assert lines[-1].endswith("finished succeeded=3 failed=2")

    listed = [line.split("\t") for line in errors.read_text(encoding="utf-8").splitlines()]
    assert [(name, code) for name, code, _ in listed] == [
        ("broken.jpg", "63010502"),
        ("card_back.jpg", "63040301"),
    ]
    assert listed[0][2].startswith("[ssid-feature]Image corrupted")
    assert (folder / "errorImages" / "broken.jpg").read_bytes() == (
        folder / "broken.jpg"
    ).read_bytes()
    assert (folder / "errorImages" / "card_back.jpg").is_file()

    info = ok(st_paths.get("/ssid-feature/v2/getDbInfo", params={"dbId": db}).json())
    assert info["currentSize"] == 3
    probe = shared_data / "faces/mark_zuckerberg/img15.jpg"
    hits = ok(
        st_paths.post(
            "/feature/v2/searchByImage",
            data={"dbId": db},
            files={"file": ("probe.jpg", probe.read_bytes(), "image/jpeg")},
        ).json()
    )
    assert hits[0]["image"] == str(folder / "mark.jpg")
    assert hits[0]["score"] >= calibration.sensetime_threshold()


def test_bad_folders_are_refused_up_front(st_paths, image_root, tmp_path):
    db = new_db(st_paths)
    (image_root / "a_file.jpg").write_bytes(b"x")
    outside = tmp_path / "outside"
    outside.mkdir()
    for data in ("no_such_folder", "a_file.jpg", str(outside), "../"):
        reply = call(st_paths, "bulkImport", data=data, dbId=db)
        assert reply == {"code": "63040502", "msg": "[ssid-feature]path is not exist", "data": None}
    assert not (outside / "process.log").exists()
    reply = call(st_paths, "bulkImport", dbId=db)
    assert (
        reply["code"] == "63010202" and reply["msg"] == "[ssid-feature]Param data can not be blank"
    )
    (image_root / "empty").mkdir()
    reply = call(st_paths, "bulkImport", data="empty", dbId="NoSuchDb")
    assert (
        reply["code"] == "63040502" and reply["msg"] == "[ssid-feature]dbId NoSuchDb is not exist"
    )
    assert not (image_root / "empty" / "process.log").exists()


def test_empty_folder_finishes_at_once(st_paths, image_root):
    db = new_db(st_paths)
    (image_root / "nothing").mkdir()
    ok(call(st_paths, "bulkImport", data=str(image_root / "nothing"), dbId=db))
    lines = finished(image_root / "nothing" / "process.log")
    assert lines[-1].endswith("finished succeeded=0 failed=0")


def test_bulk_import_needs_server_paths_enabled(st_open):
    reply = call(st_open, "bulkImport", data="/images/test", dbId=new_db(st_open))
    assert reply == {
        "code": "63040504",
        "msg": "[ssid-feature]data not support: server paths are not enabled",
        "data": None,
    }


@pytest.mark.slow
def test_image_given_as_a_server_path(st_paths, image_root, shared_data):
    shutil.copy(shared_data / PEOPLE["obama.JPG"], image_root / "obama_path.jpg")
    db = new_db(st_paths)
    bean = ok(call(st_paths, "insertByImage", data="obama_path.jpg", dbId=db))
    assert (st_paths.app.state.services.data_dir / bean["image"].lstrip("/")).is_file()
    reply = call(st_paths, "insertByImage", data="../escape.jpg", dbId=db)
    assert reply["code"] == "63040502"


@pytest.mark.slow
def test_stopping_the_service_ends_the_log_truthfully(tmp_path, shared_data):
    root, data = tmp_path / "root", tmp_path / "data"
    folder = root / "many"
    folder.mkdir(parents=True)
    for i in range(8):
        shutil.copy(shared_data / PEOPLE["mark.jpg"], folder / f"{i}.jpg")
    settings = load_settings({"data": data, "warm_up": False, "image_root": root}, environ={})
    with TestClient(create_app(settings)) as client:
        ok(call(client, "addDb", dbName="Many", maxSize="50"))
        ok(call(client, "bulkImport", data="many", dbId="Many"))
    # the image in progress when the service stopped ends, and is logged, before the last line;
    # no image is listed as failed for the service's own stopping
    lines = finished(folder / "process.log")
    assert " aborted: " in lines[-1]
    done = [line for line in lines if " success " in line]
    assert len(done) < 8 and len(lines) == len(done) + 2
    with TestClient(create_app(settings)) as client:
        info = ok(client.get("/ssid-feature/v2/getDbInfo", params={"dbId": "Many"}).json())
    assert info["currentSize"] == len(done)


@pytest.mark.slow
def test_links_out_of_the_root_are_never_read_copied_or_written(st_paths, image_root, shared_data):
    """issue 10 item 2: a link to the deployment key in the import folder stays where it is."""
    data_dir = st_paths.app.state.services.data_dir
    key = data_dir / "secret.key"
    key_bytes = key.read_bytes()
    folder = image_root / "linked"
    folder.mkdir()
    shutil.copy(shared_data / PEOPLE["mark.jpg"], folder / "mark.jpg")
    (folder / "key.jpg").symlink_to(key)
    (folder / "credentials.png").symlink_to(data_dir / "credentials.db")
    planted = image_root / "planted.txt"
    planted.write_text("not the import's")
    (folder / "process.log").symlink_to(planted)
    db = new_db(st_paths)

    ok(call(st_paths, "bulkImport", data="linked", dbId=db, rotate="false"))
    lines = finished(folder / "process.log")
    assert lines[0].endswith("images=1") and lines[-1].endswith("succeeded=1 failed=0")
    assert sorted(p.name for p in (folder / "errorImages").iterdir()) == ["errorInfo.txt"]
    assert key.read_bytes() == key_bytes and planted.read_text() == "not the import's"
    assert not (folder / "process.log").is_symlink()
