"""The call journal: what a call leaves behind, and what it never does."""

from __future__ import annotations

import base64
import hashlib
import json
import stat
import time

from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from contracts.credentials import Vendor
from gateway.journal import MAX_LISTED, Journal, recent_calls
from gateway.journal_recorder import JournalMiddleware
from tests.contract.records import call_record
from tests.harness import enrol, gateway
from vendors.netocr.client import NetocrClient
from vendors.yitu.client import YituClient

JUNK = b"\x00not an image\xff" * 40  # refused before any model runs


def test_a_call_is_journalled_with_images_hashed_and_secrets_dropped(clean, creds):
    netocr = NetocrClient(clean, creds["netocr"]["key"], creds["netocr"]["secret"])
    netocr.post("/verapi/verFaceImage.do", 21, {"img1": JUNK, "img2": JUNK})
    (call,) = clean.app.state.journal.recent(5)
    assert (call.vendor, call.api, call.route) == (
        "netocr",
        "verFaceImage",
        "/verapi/verFaceImage.do",
    )
    assert call.principal == creds["netocr"]["key"]
    assert call.code == "-9" and call.ok is False and call.status == 200
    assert call.fields["img1"] == {"bytes": len(JUNK), "sha256": hashlib.sha256(JUNK).hexdigest()}
    assert "secret" not in call.fields and call.fields["typeId"] == "21"
    assert call.replay is None  # journal_keep_bodies is off by default
    raw = clean.app.state.journal.path.read_bytes()
    assert creds["netocr"]["secret"].encode() not in raw
    assert base64.b64encode(JUNK)[:60] not in raw


def test_nested_json_images_are_hashed_too(clean, creds):
    account = creds["yitu"]
    client = YituClient(
        "http://testserver",
        account["access_id"],
        account["access_key"],
        account["public_key_pem"],
        http=clean,
    )
    client.register_in_repo({"repo_name": "r1", "user_id": "u1", "image_content": JUNK})
    (call,) = clean.app.state.journal.recent(1)
    image = call.fields["user_info"]["image_content"]
    assert image == {"bytes": len(JUNK), "sha256": hashlib.sha256(JUNK).hexdigest()}
    assert call.principal == account["access_id"] and call.code.startswith("-")


def test_a_sensetime_login_keeps_no_password(clean, creds):
    body = {
        "username": creds["sensetime"]["username"],
        "password": creds["sensetime"]["password"],
        "accountType": "2",
    }
    clean.post("/guns/mgr/login", json=body)
    (call,) = clean.app.state.journal.recent(1)
    assert call.fields == {"username": body["username"], "accountType": "2"}
    assert body["password"].encode() not in clean.app.state.journal.path.read_bytes()


def test_unserved_paths_are_journalled_and_health_is_not(clean):
    clean.get("/healthz")
    clean.post("/face/v1/no/such/api", json={})
    calls = clean.app.state.journal.recent(10)
    assert [(c.vendor, c.api, c.status, c.code) for c in calls] == [("yitu", None, 404, "-205")]


def test_the_journal_file_is_private(clean, contract_data):
    clean.post("/face/v1/no/such/api", json={})
    assert stat.S_IMODE((contract_data / "journal.db").stat().st_mode) == 0o600


def test_recent_calls_are_newest_first_and_bounded(tmp_path):
    journal = Journal(tmp_path / "journal.db")
    for n in range(3):
        journal.record(call_record(request_id=str(n)))
    assert [c.request_id for c in journal.recent(2)] == ["2", "1"]
    assert len(journal.recent(10**6)) == 3 and MAX_LISTED == 1000
    journal.close()
    assert [c.request_id for c in recent_calls(tmp_path, 1)] == ["2"]
    assert recent_calls(tmp_path / "none") == []


def test_retention_bounds_the_journal_by_count_and_age(tmp_path):
    journal = Journal(tmp_path / "journal.db", max_calls=5, max_age=3600)
    journal.record(call_record(request_id="old", at=time.time() - 7200))
    for n in range(100):
        journal.record(call_record(request_id=str(n)))
    kept = [c.request_id for c in journal.calls()]
    assert kept == ["95", "96", "97", "98", "99"]  # swept at the first and the 101st call


def test_the_journal_can_be_switched_off(tmp_path):
    with gateway(tmp_path, journal=False) as client:
        client.post("/face/v1/no/such/api", json={})
        assert client.app.state.journal is None
    assert not (tmp_path / "journal.db").exists()


def test_findings_left_by_the_conformance_checks_are_journalled(tmp_path):
    class Finding:  # the shape of contracts.findings.Finding
        rule, field, detail = "unknown_field", "colour", "not in the manual"

    async def endpoint(request):
        await request.json()  # a facade reads the body it checks
        request.state.facade, request.state.api = "yitu", "ocr"
        request.state.contract_findings = [Finding()]
        return JSONResponse({"rtn": 0, "message": "OK"})

    journal = Journal(tmp_path / "journal.db")
    app = JournalMiddleware(
        Starlette(routes=[Route("/face/basic/ocr", endpoint, methods=["POST"])]), journal
    )
    TestClient(app).post("/face/basic/ocr", json={"colour": "red"})
    (call,) = journal.recent(1)
    assert call.findings == [
        {"rule": "unknown_field", "field": "colour", "detail": "not in the manual"}
    ]
    assert call.code == "0" and call.fields == {"colour": "red"}


def test_kept_bodies_hold_the_images_for_a_replay(tmp_path):
    with gateway(tmp_path, journal_keep_bodies=True) as client:
        shown = enrol(tmp_path, Vendor.netocr)
        NetocrClient(client, shown["key"], shown["secret"]).post(
            "/verapi/verLivenessImage.do", 3035, {"img": JUNK}
        )
        (call,) = client.app.state.journal.recent(1)
    assert call.replay["img"] == {"base64": base64.b64encode(JUNK).decode()}
    assert "secret" not in call.replay
    assert "replay" not in json.dumps(call.to_json())


def test_the_conformance_checks_findings_reach_the_journal(tmp_path):
    with gateway(tmp_path, contract_checks="report", yitu_signature="off") as client:
        client.post(
            "/face/v1/algorithm/recognition/feature_extraction",
            json={"image_type": 3, "colour": "red"},
        )
        (call,) = client.app.state.journal.recent(1)
    found = {(f["rule"], f["field"]) for f in call.findings}
    assert ("unknown_field", "colour") in found and ("missing_required", "image_content") in found
