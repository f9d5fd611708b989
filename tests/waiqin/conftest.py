"""Waiqin end-to-end fixtures: the real gateway, and a client that signs like the vendor's."""

from __future__ import annotations

import base64
import json
from urllib.parse import quote

import pytest

from contracts.credentials import Vendor
from tests.harness import enrol, gateway
from vendors.waiqin.client import WaiqinClient

CARDS = "id_documents/cn_id_card"


@pytest.fixture(scope="session")
def wq_gateway(tmp_path_factory):
    data = tmp_path_factory.mktemp("waiqin")
    with gateway(data) as client:
        yield client, data


@pytest.fixture(scope="session")
def wq_credential(wq_gateway) -> dict[str, str]:
    _, data = wq_gateway
    return enrol(data, Vendor.waiqin)


@pytest.fixture(scope="session")
def wq(wq_gateway, wq_credential) -> WaiqinClient:
    client, _ = wq_gateway
    return WaiqinClient(client, wq_credential["openid"], wq_credential["appkey"])


@pytest.fixture(scope="session")
def truth(shared_data) -> dict[str, dict]:
    cards = json.loads((shared_data / CARDS / "ground_truth.json").read_text(encoding="utf-8"))
    return {
        card["files"]["front"].split("_front")[0]: card
        for card in cards
        if "front" in card.get("files", {})
    }


@pytest.fixture(scope="session")
def card_image(shared_data):
    """A card file as the sample clients send it: base64, then URL-encoded."""

    def encode(name: str) -> str:
        raw = (shared_data / CARDS / name).read_bytes()
        return quote(base64.b64encode(raw).decode(), safe="")

    return encode


_counter = iter(range(10**6))


@pytest.fixture
def transfer_id() -> str:
    return f"{next(_counter) + 1000}"
