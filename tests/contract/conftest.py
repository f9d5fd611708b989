"""Contract-testing fixtures: a gateway with the journal and the admin API, over TestClient."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from contracts.credentials import Vendor
from tests.harness import enrol, gateway


@pytest.fixture(scope="session")
def contract_data(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("contract")


@pytest.fixture(scope="session")
def contract_http(contract_data) -> Iterator[TestClient]:
    """A gateway as the plugin runs one: journal, admin API, SenseTime in account mode."""
    with gateway(contract_data, contract_admin=True, sensetime_auth="account") as client:
        yield client


@pytest.fixture(scope="session")
def creds(contract_http, contract_data) -> dict[str, dict[str, str]]:
    return {vendor.value: enrol(contract_data, vendor) for vendor in Vendor}


@pytest.fixture
def clean(contract_http):
    """The gateway reset, as each plugin test starts."""
    reply = contract_http.post("/_idfacade/reset")
    assert reply.json() == {"reset": True}
    return contract_http


@pytest.fixture(scope="session")
def face(shared_data):
    return lambda identity, name: (shared_data / "faces" / identity / name).read_bytes()
