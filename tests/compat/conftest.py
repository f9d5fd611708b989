"""A real gateway on a loopback port, served by uvicorn in a thread, for clients that speak
to it over a socket exactly as third-party code does."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from contracts.credentials import Vendor
from gateway.app import create_app
from gateway.credentials import SqliteCredentialStore, mint
from gateway.settings import load_settings


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serve(data: Path, **overrides: Any) -> Iterator[int]:
    """The whole application on a free loopback port; yields the port."""
    settings = load_settings({"data": data, "warm_up": False, **overrides}, environ={})
    port = _free_port()
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=port, log_level="warning", lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(500):
        if server.started:
            break
        time.sleep(0.02)
    else:
        raise RuntimeError("uvicorn did not start")
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@pytest.fixture(scope="session")
def compat_data(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("compat")


@pytest.fixture(scope="session")
def port(compat_data) -> Iterator[int]:
    """The gateway as a legacy deployment runs it: SenseTime accounts, Yitu signatures."""
    with serve(compat_data, sensetime_auth="account", yitu_signature="required") as port:
        yield port


@pytest.fixture(scope="session")
def credential(compat_data) -> Callable[[Vendor], dict[str, str]]:
    """Mint a credential of `vendor` in the running gateway's store; what its owner is shown."""
    store = SqliteCredentialStore(compat_data / "credentials.db")

    def make(vendor: Vendor) -> dict[str, str]:
        made, shown = mint(vendor)
        store.add(made)
        return shown

    return make
