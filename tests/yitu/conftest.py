"""Yitu end-to-end fixtures: the real gateway over HTTP, signed and unsigned, and its clients."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from contracts.credentials import Vendor
from gateway.credentials import SqliteCredentialStore, mint
from tests.harness import gateway
from vendors.yitu.client import YituClient


@dataclass(frozen=True)
class Account:
    """What `idfacade credentials add yitu` prints."""

    access_id: str
    access_key: str
    public_key_pem: str


@pytest.fixture(scope="session")
def yitu_data(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("yitu")


@pytest.fixture(scope="session")
def yitu_http(yitu_data) -> Iterator[TestClient]:
    """A gateway with signatures required (the default)."""
    with gateway(yitu_data) as client:
        yield client


@pytest.fixture(scope="session")
def new_account(yitu_http, yitu_data):
    store = SqliteCredentialStore(yitu_data / "credentials.db")

    def make() -> Account:
        credential, shown = mint(Vendor.yitu)
        store.add(credential)
        return Account(shown["access_id"], shown["access_key"], shown["public_key_pem"])

    return make


@pytest.fixture(scope="session")
def account(new_account) -> Account:
    return new_account()


@pytest.fixture(scope="session")
def yitu(yitu_http, account) -> YituClient:
    """The project's client, signing like the vendor SDK."""
    return YituClient(
        "http://testserver",
        account.access_id,
        account.access_key,
        account.public_key_pem,
        http=yitu_http,
    )


@pytest.fixture(scope="session")
def unsigned_data(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("yitu-unsigned")


@pytest.fixture(scope="session")
def unsigned_http(unsigned_data) -> Iterator[TestClient]:
    """A private-cloud gateway: `yitu_signature = "off"`."""
    with gateway(unsigned_data, yitu_signature="off") as client:
        yield client


@pytest.fixture(scope="session")
def faces_dir(shared_data) -> Path:
    return shared_data / "faces"


@pytest.fixture(scope="session")
def pairs(shared_data) -> list[dict[str, str]]:
    with (shared_data / "faces" / "pairs.csv").open() as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="session")
def photo(faces_dir):
    """The bytes of faces/<identity>/<name>."""

    def read(identity: str, name: str) -> bytes:
        return (faces_dir / identity / name).read_bytes()

    return read
