"""Secrets at rest (issue 10 item 3): the data directory 0700, every file in it 0600."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from starlette.testclient import TestClient

from contracts.credentials import Vendor
from gateway.app import create_app
from gateway.cli import main
from gateway.settings import load_settings


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def test_a_new_data_directory_and_its_files_are_private(tmp_path: Path):
    data = tmp_path / "var"
    os.umask(0o022)
    assert main(["credentials", "add", Vendor.waiqin.value, "--data", str(data)]) == 0
    settings = load_settings({"data": data, "warm_up": False}, environ={})
    with TestClient(create_app(settings)) as client:
        assert client.get("/healthz").status_code == 200
    assert mode(data) == 0o700
    files = [p for p in data.rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {"credentials.db", "secret.key", "state.db"}
    assert {p.name: mode(p) for p in files} == {p.name: 0o600 for p in files}


def test_existing_open_files_are_closed_on_start_and_links_left_alone(tmp_path: Path):
    data = tmp_path / "var"
    (data / "images" / "face").mkdir(parents=True)
    data.chmod(0o755)
    (data / "images").chmod(0o755)
    kept = data / "images" / "face" / "old.jpg"
    kept.write_bytes(b"\xff\xd8\xff")
    kept.chmod(0o644)
    outside = tmp_path / "outside.txt"
    outside.write_text("not ours")
    outside.chmod(0o644)
    (data / "link").symlink_to(outside)
    settings = load_settings({"data": data, "warm_up": False}, environ={})
    create_app(settings).state.services.gallery.close()
    assert mode(data) == 0o700 and mode(data / "images") == 0o700
    assert mode(kept) == 0o600
    assert mode(outside) == 0o644
