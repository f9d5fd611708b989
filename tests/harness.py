"""What end-to-end tests share: a real gateway over HTTP, and SenseTime's form calls."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from contracts.credentials import Vendor
from gateway.app import create_app
from gateway.credentials import SqliteCredentialStore, mint
from gateway.settings import load_settings


@contextlib.contextmanager
def gateway(data: Path, **overrides: Any) -> Iterator[TestClient]:
    """The whole application on `data`, with settings overridden; models load lazily."""
    settings = load_settings({"data": data, "warm_up": False, **overrides}, environ={})
    with TestClient(create_app(settings)) as client:
        yield client


def enrol(data: Path, vendor: Vendor) -> dict[str, str]:
    """A new credential for `vendor` in the gateway's store on `data`; the fields shown once."""
    credential, shown = mint(vendor)
    SqliteCredentialStore(data / "credentials.db").add(credential)
    return shown


def form_call(
    client: TestClient, path: str, headers: dict[str, str] | None = None, **fields: Any
) -> dict:
    """A formdata call as SenseTime's clients make it: bytes go as multipart files."""
    files = {k: (f"{k}.jpg", v, "image/jpeg") for k, v in fields.items() if isinstance(v, bytes)}
    data = {k: v for k, v in fields.items() if not isinstance(v, bytes)}
    reply = client.post(path, data=data, files=files or None, headers=headers or {})
    assert reply.status_code == 200
    return reply.json()


def ok(reply: dict) -> dict:
    """The data of a SenseTime success envelope."""
    assert reply["code"] == "0000", reply["msg"]
    assert reply["msg"] == "success"
    return reply["data"]
