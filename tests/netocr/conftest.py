"""netocr end-to-end fixtures: the real gateway over HTTP, a minted key + secret, and the
vendor-style client in each answer format."""

from __future__ import annotations

from pathlib import Path

import pytest

from contracts.credentials import Vendor
from tests.conftest import CARDS
from tests.harness import enrol, gateway
from vendors.netocr.client import NetocrClient


@pytest.fixture(scope="session")
def nc_gateway(tmp_path_factory):
    data = tmp_path_factory.mktemp("netocr")
    with gateway(data) as client:
        yield client, data


@pytest.fixture(scope="session")
def nc_credential(nc_gateway) -> dict[str, str]:
    _, data = nc_gateway
    return enrol(data, Vendor.netocr)


@pytest.fixture(scope="session")
def http(nc_gateway):
    return nc_gateway[0]


@pytest.fixture(scope="session", params=["json", "xml"])
def nc(request, http, nc_credential) -> NetocrClient:
    """The client in both formats: every test using it runs once per format."""
    return NetocrClient(http, nc_credential["key"], nc_credential["secret"], fmt=request.param)


@pytest.fixture(scope="session")
def nc_json(http, nc_credential) -> NetocrClient:
    return NetocrClient(http, nc_credential["key"], nc_credential["secret"])


@pytest.fixture(scope="session")
def face(shared_data: Path):
    """The bytes of a face photo of ../shared/data/faces by identity and file name."""
    return lambda identity, name: (shared_data / "faces" / identity / name).read_bytes()


@pytest.fixture(scope="session")
def id_card(shared_data: Path):
    return lambda name: (shared_data / CARDS / name).read_bytes()
