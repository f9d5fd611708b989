"""The console's sign-in, session cookie and CSRF checks, over HTTP (no browser needed)."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from contracts.credentials import Vendor
from gateway.console import session
from gateway.credentials import SqliteCredentialStore
from tests.harness import enrol, gateway

HOST = "http://127.0.0.1:8080"


@pytest.fixture
def console(tmp_path: Path):
    admin = enrol(tmp_path, Vendor.admin)
    with gateway(tmp_path, console_session_ttl=60) as client:
        client.base_url = HOST
        yield client, admin


def sign_in(client: TestClient, admin: dict[str, str]) -> str:
    """Sign in; the CSRF token of the overview page."""
    reply = client.post("/console/login", data=admin, follow_redirects=False)
    assert reply.status_code == 303 and reply.headers["location"] == "/console"
    page = client.get("/console")
    assert page.status_code == 200 and "Readiness" in page.text
    return re.search(r'name="csrf" value="([0-9a-f]{64})"', page.text).group(1)


def test_every_page_asks_for_a_sign_in_first(console):
    client, _ = console
    for path in ("/console", "/console/credentials", "/console/galleries", "/console/try"):
        reply = client.get(path, follow_redirects=False)
        assert reply.status_code == 303 and reply.headers["location"] == "/console/login"
    reply = client.post("/console/credentials", data={"vendor": "yitu"}, follow_redirects=False)
    assert reply.status_code == 303


def test_the_session_cookie_is_httponly_strict_and_scoped(console):
    client, admin = console
    reply = client.post("/console/login", data=admin, follow_redirects=False)
    cookie = reply.headers["set-cookie"]
    assert cookie.startswith(session.COOKIE + "=")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/console" in cookie
    assert "Max-Age=60" in cookie and "Secure" not in cookie  # plain HTTP here


def test_over_tls_the_cookie_is_secure(tmp_path: Path):
    admin = enrol(tmp_path, Vendor.admin)
    with gateway(tmp_path) as client:
        client.base_url = "https://idfacade.example"
        reply = client.post("/console/login", data=admin, follow_redirects=False)
    assert "Secure" in reply.headers["set-cookie"]


def test_a_wrong_password_is_refused_and_then_limited(console):
    client, admin = console
    wrong = {"username": admin["username"], "password": "not-it"}
    for _ in range(5):
        assert client.post("/console/login", data=wrong).status_code == 401
    limited = client.post("/console/login", data=admin)  # even the right one, for a while
    assert limited.status_code == 429 and "too many failed logins" in limited.text
    assert session.COOKIE not in limited.headers.get("set-cookie", "")


def test_a_form_without_the_csrf_token_changes_nothing(console):
    client, admin = console
    sign_in(client, admin)
    reply = client.post("/console/credentials", data={"vendor": "netocr", "name": "forged"})
    assert reply.status_code == 403
    assert store_of(client).get(Vendor.netocr, "forged") is None


def test_a_form_posted_from_another_origin_is_refused(console):
    client, admin = console
    csrf = sign_in(client, admin)
    data = {"csrf": csrf, "vendor": "netocr", "name": "elsewhere"}
    reply = client.post("/console/credentials", data=data, headers={"origin": "http://evil.test"})
    assert reply.status_code == 403
    assert store_of(client).get(Vendor.netocr, "elsewhere") is None


def test_a_credential_is_shown_once_then_listed_without_its_secret_and_revoked(console):
    client, admin = console
    csrf = sign_in(client, admin)
    added = client.post("/console/credentials", data={"csrf": csrf, "vendor": "netocr"})
    assert added.status_code == 200 and added.headers["cache-control"] == "no-store"
    key = re.search(r"key: ([0-9a-f]{24})", added.text).group(1)
    secret = re.search(r"secret: ([0-9a-f]{32})", added.text).group(1)
    assert store_of(client).get(Vendor.netocr, key).check_secret(secret)
    listed = client.get("/console/credentials").text
    assert key in listed and secret not in listed
    data = {"csrf": csrf, "vendor": "netocr", "principal": key}
    revoked = client.post("/console/credentials/revoke", data=data, follow_redirects=False)
    assert revoked.status_code == 303
    assert store_of(client).get(Vendor.netocr, key) is None


def test_removing_the_admin_account_signs_its_sessions_out(console):
    client, admin = console
    sign_in(client, admin)
    store_of(client).remove(Vendor.admin, admin["username"])
    assert client.get("/console", follow_redirects=False).status_code == 303


def test_an_expired_session_signs_out(console, monkeypatch: pytest.MonkeyPatch):
    client, admin = console
    sign_in(client, admin)
    later = time.time() + 61
    monkeypatch.setattr("vendors.common.tokens.time.time", lambda: later)
    assert client.get("/console", follow_redirects=False).status_code == 303


def test_pages_are_not_cached_framed_or_given_foreign_scripts(console):
    client, admin = console
    sign_in(client, admin)
    headers = client.get("/console").headers
    assert headers["cache-control"] == "no-store" and headers["x-frame-options"] == "DENY"
    assert "default-src 'none'" in headers["content-security-policy"]


def test_signing_out_ends_the_session(console):
    client, admin = console
    csrf = sign_in(client, admin)
    reply = client.post("/console/logout", data={"csrf": csrf}, follow_redirects=False)
    assert reply.status_code == 303 and reply.headers["location"] == "/console/login"
    assert client.get("/console", follow_redirects=False).status_code == 303


def test_an_admin_account_is_made_by_the_cli(tmp_path: Path, capsys):
    from gateway.cli import main

    assert main(["credentials", "add", "admin", "--data", str(tmp_path), "--json"]) == 0
    shown = capsys.readouterr().out
    assert '"username": "admin"' in shown and '"password": ' in shown


def store_of(client: TestClient) -> SqliteCredentialStore:
    return client.app.state.services.credentials


def test_the_overview_lists_the_journals_recent_calls_and_counts_the_errors(console):
    """Calls made through the gateway reach the overview from the real journal, newest first."""
    client, admin = console
    refused = client.post("/verapi/verFaceImage.do", data={"key": "nobody", "secret": "x"})
    unknown = client.post("/face/v1/algorithm/recognition/no_such_api", content=b"{}")
    assert refused.status_code == 200 and unknown.status_code == 404
    sign_in(client, admin)
    section = client.get("/console").text.split('id="calls"')[1].split("</section>")[0]
    rows = section.split("<tr")[2:]
    assert len(rows) == 2 and "yitu" in rows[0] and "netocr" in rows[1]
    assert all(row.startswith(' class="bad"') for row in rows)
    assert "2 of the 2 calls shown failed" in section


def test_with_the_journal_off_the_overview_says_so(tmp_path: Path):
    admin = enrol(tmp_path, Vendor.admin)
    with gateway(tmp_path, journal=False) as client:
        client.base_url = HOST
        sign_in(client, admin)
        section = client.get("/console").text.split('id="calls"')[1].split("</section>")[0]
    assert "journal is off" in section
