"""Logins (issue 10 item 8): scrypt off the event loop, unknown users cost the same, and
failures are rate-limited per username and per client address."""

from __future__ import annotations

import asyncio

import pytest

from contracts.credentials import Vendor
from gateway.credentials import SqliteCredentialStore, mint
from tests.harness import gateway
from vendors.common import logins


@pytest.fixture
def hashed(monkeypatch) -> list[tuple[str, bool]]:
    """Every password check: the scheme of the hash it ran against, and whether it ran with
    an event loop running in its thread (it must not)."""
    calls: list[tuple[str, bool]] = []
    real = logins.verify_secret

    def recording(value: str, stored: str | None) -> bool:
        try:
            asyncio.get_running_loop()
            on_loop = True
        except RuntimeError:
            on_loop = False
        calls.append(((stored or "").partition("$")[0], on_loop))
        return real(value, stored)

    monkeypatch.setattr(logins, "verify_secret", recording)
    return calls


@pytest.fixture
def account_gateway(tmp_path):
    with gateway(tmp_path, sensetime_auth="account") as client:
        yield client, SqliteCredentialStore(tmp_path / "credentials.db")


def login(client, username: str, password: str) -> dict:
    body = {"username": username, "password": password, "accountType": "2"}
    return client.post("/guns/mgr/login", json=body).json()


def test_passwords_are_hashed_off_the_event_loop_and_unknown_users_too(account_gateway, hashed):
    client, store = account_gateway
    credential, shown = mint(Vendor.sensetime, None)
    store.add(credential)
    assert login(client, shown["username"], shown["password"])["code"] == "0000"
    assert login(client, shown["username"], "wrong")["code"] == "60010401"
    assert login(client, "nobody-" + shown["username"], "wrong")["code"] == "60010401"
    assert hashed == [("scrypt", False)] * 3


def test_failed_logins_lock_the_username_even_for_the_right_password(account_gateway, hashed):
    client, store = account_gateway
    credential, shown = mint(Vendor.sensetime, None)
    store.add(credential)
    for _ in range(logins.MAX_USER_FAILURES):
        assert login(client, shown["username"], "wrong")["code"] == "60010401"
    locked = login(client, shown["username"], shown["password"])
    assert locked["code"] == "60010401" and "too many failed logins" in locked["msg"]
    assert len(hashed) == logins.MAX_USER_FAILURES  # a locked attempt hashes nothing


def test_failed_logins_from_one_address_are_limited_across_usernames(account_gateway):
    client, store = account_gateway
    credential, shown = mint(Vendor.sensetime, None)
    store.add(credential)
    for n in range(logins.MAX_ADDRESS_FAILURES):
        assert login(client, f"guess-{n}", "wrong")["code"] == "60010401"
    assert "too many failed logins" in login(client, shown["username"], shown["password"])["msg"]


def test_a_success_clears_the_usernames_failures():
    guard = logins.LoginGuard(max_user_failures=2, max_address_failures=100)
    stored = logins.hash_secret("right", slow=True)

    async def attempts() -> list[bool]:
        return [
            await guard.check(stored, "wrong", "u", "a"),
            await guard.check(stored, "right", "u", "a"),
            await guard.check(stored, "wrong", "u", "a"),
            await guard.check(stored, "right", "u", "a"),
        ]

    assert asyncio.run(attempts()) == [False, True, False, True]
