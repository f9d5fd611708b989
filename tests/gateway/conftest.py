from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient

from gateway.app import create_app
from gateway.settings import Settings, load_settings

LOOPBACK = ("127.0.0.1", 50000)  # the address TestClient reports for its requests


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings({"data": tmp_path / "var", "warm_up": False}, environ={})


@pytest.fixture
def client(settings: Settings):
    with TestClient(create_app(settings), client=LOOPBACK) as client:
        yield client
