"""SenseTime end-to-end fixtures: the real gateway over HTTP, in open and account mode."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from contracts.credentials import Vendor
from gateway.credentials import mint
from tests.harness import gateway


@pytest.fixture(scope="session")
def st_open(tmp_path_factory) -> Iterator[TestClient]:
    """A gateway in open mode (no authorization header needed)."""
    with gateway(tmp_path_factory.mktemp("st-open")) as client:
        yield client


@pytest.fixture(scope="session")
def st_account_data(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("st-account")


@pytest.fixture(scope="session")
def st_account(st_account_data) -> Iterator[TestClient]:
    """A gateway in account mode: every call needs `authorization: Basic <token>`."""
    with gateway(st_account_data, sensetime_auth="account") as client:
        yield client


@pytest.fixture(scope="session")
def st_login(st_account, st_account_data):
    """Make an API account (optionally with grants) and log it in; returns auth headers."""
    from gateway.credentials import SqliteCredentialStore

    store = SqliteCredentialStore(st_account_data / "credentials.db")

    def login(*grants: str) -> dict[str, str]:
        credential, shown = mint(Vendor.sensetime, list(grants) or None)
        store.add(credential)
        body = {"username": shown["username"], "password": shown["password"], "accountType": "2"}
        reply = st_account.post("/guns/mgr/login", json=body).json()
        assert reply["code"] == "0000", reply
        return {"authorization": f"Basic {reply['data']}"}

    return login
