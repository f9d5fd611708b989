"""The pytest plugin: a real idfacade gateway for a test suite that calls these vendors.

Registered through the package's `pytest11` entry point, so installing idfacade is enough.
Importing it costs nothing: the gateway, its models and the clients load when a test first
asks for a fixture.

Fixtures:
- `idfacade` (per test): the session's gateway, reset first (journal, galleries, replay
  windows, kept results and fault rules cleared), as a `Gateway` handle: `base_url`,
  `credentials[vendor]`, `client(vendor)` (or `.sensetime`, `.yitu`, `.waiqin`, `.netocr`),
  `fault(...)`, `scenario(toml)`, `calls()`, `findings()`, `assert_conformant()`.
- `idfacade_gateway` (per session): the same handle without the reset.
- `idfacade_settings` (per session): gateway settings to override; redefine it in a
  conftest.py (`return {"contract_checks": "report"}`).

The gateway runs in the test process under uvicorn on a free loopback port, in a temporary
data directory, SenseTime in account mode, `contract_checks = "report"`, with one credential
per vendor and the contract-test admin API on. docs/contract-testing.md has a worked
example per vendor.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from gateway.journal import CallRecord
    from idfacade.clients import Client

VENDORS = ("sensetime", "yitu", "waiqin", "netocr")
DEFAULTS: Mapping[str, Any] = {
    "sensetime_auth": "account",
    "contract_admin": True,
    "journal": True,
    "contract_checks": "report",  # findings in the journal, for assert_conformant()
    "warm_up": False,  # models load on the first call that needs them, once per process
}
START_TIMEOUT = 30.0


@dataclass
class Gateway:
    """A running gateway, what a test needs to call it, and its scenario and journal."""

    base_url: str
    data: Path
    credentials: dict[str, dict[str, str]]
    app: Any = field(repr=False)
    _clients: dict[str, Any] = field(default_factory=dict, repr=False)

    def client(self, vendor: str) -> Client:
        """The project's client for `vendor`, signed with this gateway's credential."""
        if vendor not in self._clients:
            from idfacade.clients import client_for

            self._clients[vendor] = client_for(vendor, self.base_url, self.credentials[vendor])
        return self._clients[vendor]

    @property
    def sensetime(self) -> Any:
        return self.client("sensetime")

    @property
    def yitu(self) -> Any:
        return self.client("yitu")

    @property
    def waiqin(self) -> Any:
        return self.client("waiqin")

    @property
    def netocr(self) -> Any:
        return self.client("netocr")

    def principal(self, vendor: str) -> str:
        """The principal of this gateway's `vendor` credential (what `principal=` matches)."""
        shown = self.credentials[vendor]
        key = {"sensetime": "username", "yitu": "access_id", "waiqin": "openid"}
        return shown[key.get(vendor, "key")]

    def fault(self, vendor: str, api: str | None = None, **rule: Any) -> None:
        """Add one fault rule (gateway/faults.py): `error=`, `latency=`, `drop=`, `nth=`,
        `share=`, `seed=`, `times=`, `principal=`."""
        from gateway.faults import FaultRule

        self.app.state.services.faults.add([FaultRule(vendor=vendor, api=api, **rule)])

    def scenario(self, source: str | Mapping[str, Any]) -> None:
        """Replace the rules with a TOML scenario (text, or its parsed form)."""
        from gateway.faults import parse_scenario

        self.app.state.services.faults.replace(parse_scenario(source))

    def reset(self) -> None:
        from gateway.contract_admin import reset

        reset(self.app)

    def calls(self, limit: int = 50) -> list[CallRecord]:
        """The journalled calls, newest first."""
        return self.app.state.journal.recent(limit)

    def findings(self) -> list[tuple[CallRecord, dict[str, str]]]:
        """Every conformance finding since the last reset, with its call, oldest first."""
        return [(call, f) for call in self.app.state.journal.calls() for f in call.findings]

    def assert_conformant(self) -> None:
        """Fail the test if any call since the reset had a conformance finding."""
        found = self.findings()
        if found:
            lines = [
                f"{call.vendor} {call.api}: {f['rule']} {f['field']}: {f['detail']}"
                for call, f in found
            ]
            pytest.fail("conformance findings:\n  " + "\n  ".join(lines), pytrace=False)


def _free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@contextlib.contextmanager
def running_gateway(data: Path, overrides: Mapping[str, Any] | None = None) -> Iterator[Gateway]:
    """A gateway under uvicorn on a free loopback port, on `data`, until the block ends."""
    import uvicorn

    from contracts.credentials import Vendor
    from gateway.app import create_app
    from gateway.credentials import SqliteCredentialStore, mint
    from gateway.server import server_config
    from gateway.settings import load_settings

    settings = load_settings({"data": data, **DEFAULTS, **(overrides or {})}, environ={})
    app = create_app(settings)
    store = SqliteCredentialStore(settings.data / "credentials.db")
    credentials = {}
    for vendor in VENDORS:
        credential, shown = mint(Vendor(vendor))
        store.add(credential)
        credentials[vendor] = {k: v for k, v in shown.items() if isinstance(v, str)}
    store.close()
    sock = _free_socket()
    port = sock.getsockname()[1]
    server = uvicorn.Server(server_config(app, settings.model_copy(update={"port": port})))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the idfacade gateway did not start")
        time.sleep(0.02)
    handle = Gateway(f"http://127.0.0.1:{port}", settings.data, credentials, app)
    try:
        yield handle
    finally:
        for client in handle._clients.values():
            client.close()
        server.should_exit = True
        thread.join(timeout=START_TIMEOUT)
        sock.close()


@pytest.fixture(scope="session")
def idfacade_settings() -> dict[str, Any]:
    """Settings the session's gateway overrides (redefine this fixture to change them)."""
    return {}


@pytest.fixture(scope="session")
def idfacade_gateway(
    tmp_path_factory: pytest.TempPathFactory, idfacade_settings: dict[str, Any]
) -> Iterator[Gateway]:
    """One gateway for the session, in a temporary data directory."""
    with running_gateway(tmp_path_factory.mktemp("idfacade"), idfacade_settings) as handle:
        yield handle


@pytest.fixture
def idfacade(idfacade_gateway: Gateway) -> Gateway:
    """The session's gateway, reset so that this test starts clean."""
    idfacade_gateway.reset()
    return idfacade_gateway
