import json
from pathlib import Path

import pytest

from contracts.credentials import Vendor
from gateway.cli import main
from gateway.credentials import SqliteCredentialStore
from gateway.replay import SqliteReplayGuard


def _add(tmp_path: Path, capsys, *args: str) -> dict:
    assert main(["credentials", "add", *args, "--json", "--data", str(tmp_path)]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize(
    ("vendor", "fields"),
    [
        ("sensetime", {"username", "password"}),
        ("yitu", {"access_id", "access_key", "public_key_pem"}),
        ("waiqin", {"openid", "appkey"}),
        ("netocr", {"key", "secret"}),
    ],
)
def test_credentials_add_prints_vendor_named_fields(tmp_path, capsys, vendor, fields):
    shown = _add(tmp_path, capsys, vendor)
    assert fields <= shown.keys()


def test_credentials_round_trip_keeps_hashes_not_secrets(tmp_path, capsys):
    shown = _add(tmp_path, capsys, "sensetime", "--grant", "detect", "--grant", "verify")
    store = SqliteCredentialStore(tmp_path / "credentials.db")
    cred = store.get(Vendor.sensetime, shown["username"])
    assert cred is not None and cred.grants == ("detect", "verify")
    assert cred.allows("detect") and not cred.allows("compareImages")
    assert shown["password"] not in (cred.secret_hash or "")
    assert cred.check_secret(shown["password"])
    assert not cred.check_secret(shown["password"] + "x")

    assert main(["credentials", "list", "--json", "--data", str(tmp_path)]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [r["principal"] for r in listed] == [shown["username"]]
    assert shown["password"] not in json.dumps(listed)

    assert (
        main(["credentials", "remove", "sensetime", shown["username"], "--data", str(tmp_path)])
        == 0
    )
    assert store.get(Vendor.sensetime, shown["username"]) is None
    assert (
        main(["credentials", "remove", "sensetime", shown["username"], "--data", str(tmp_path)])
        == 1
    )


def test_yitu_credential_holds_a_2048_bit_key_pair(tmp_path, capsys):
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    shown = _add(tmp_path, capsys, "yitu")
    assert len(shown["access_key"]) == 32
    assert load_pem_public_key(shown["public_key_pem"].encode()).key_size == 2048
    cred = SqliteCredentialStore(tmp_path / "credentials.db").get(Vendor.yitu, shown["access_id"])
    assert cred.private_key_pem.startswith("-----BEGIN PRIVATE KEY-----")


def test_duplicate_principal_is_refused(tmp_path, capsys):
    _add(tmp_path, capsys, "waiqin", "--name", "open1")
    assert main(["credentials", "add", "waiqin", "--name", "open1", "--data", str(tmp_path)]) == 1


def test_replay_guard_refuses_a_token_seen_within_its_window(tmp_path):
    guard = SqliteReplayGuard(tmp_path / "state.db")
    assert guard.first_use("yitu", "nonce-1", ttl=60)
    assert not guard.first_use("yitu", "nonce-1", ttl=60)
    assert guard.first_use("waiqin", "nonce-1", ttl=60)  # scopes are separate
    assert guard.first_use("yitu", "nonce-2", ttl=-1)
    assert guard.first_use("yitu", "nonce-2", ttl=60)  # expired tokens may come again
    other = SqliteReplayGuard(tmp_path / "state.db")  # a second worker shares the window
    assert not other.first_use("yitu", "nonce-1", ttl=60)


def test_result_ids_are_reserved_once_released_on_failure_and_kept_on_success(tmp_path):
    from gateway.results import SqliteResultStore

    store = SqliteResultStore(tmp_path / "state.db")
    assert store.reserve("waiqin:o1", "42")
    assert not store.reserve("waiqin:o1", "42")  # a concurrent call with the same id
    store.release("waiqin:o1", "42")
    assert store.reserve("waiqin:o1", "42")  # the failed call left nothing behind
    store.complete("waiqin:o1", "42", '{"ok": 1}')
    store.release("waiqin:o1", "42")  # a completed result is never released
    assert store.get("waiqin:o1", "42") == '{"ok": 1}'
    assert not store.reserve("waiqin:o1", "42")
    assert store.reserve("waiqin:o2", "42")  # ids are per caller
