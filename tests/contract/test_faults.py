"""Fault injection: scenarios, the admin API, each error through each facade's table, reset."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import httpx
import pytest
from starlette.testclient import TestClient

from contracts.errors import ErrorKind, IdfError
from gateway.faults import FaultInjector, FaultRule, parse_scenario
from idfacade import client_for
from idfacade.testing import running_gateway
from tests.harness import gateway
from vendors.common import logins

JUNK = b"\x00not an image\xff" * 40

# What each vendor's cheapest signed call is, and where its answer's code lies.
CALLS = {
    "sensetime": lambda c: c.compare_images(JUNK, JUNK),
    "yitu": lambda c: c.answer("feature_extraction", {"image_content": "", "image_type": 3}),
    "waiqin": lambda c: c.recognise(JUNK, "7001"),
    "netocr": lambda c: c.answer("/verapi/verLivenessImage.do", 3035, {"img": JUNK}),
}
# The code each facade's error table gives the scenario's named errors (docs/contract-testing.md)
EXPECTED = {
    "busy": {"sensetime": "62990201", "yitu": "-901", "waiqin": "50001", "netocr": "-21"},
    "quota_exceeded": {"sensetime": "62040505", "yitu": "-105", "waiqin": "40006", "netocr": "-24"},
    "auth_failed": {"sensetime": "62010401", "yitu": "-101", "waiqin": "40001", "netocr": "-1"},
    "no_face": {"sensetime": "62040301", "yitu": "-311", "waiqin": "40103", "netocr": "-14"},
    "timeout": {"sensetime": "62990201", "yitu": "-902", "waiqin": "50002", "netocr": "-22"},
}


def _client(http: TestClient, creds, vendor: str):
    return client_for(vendor, "http://testserver", creds[vendor], http=http)


@pytest.mark.parametrize("error", sorted(EXPECTED))
@pytest.mark.parametrize("vendor", sorted(CALLS))
def test_each_named_error_answers_in_the_facades_own_code(clean, creds, vendor, error):
    clean.app.state.services.faults.add([FaultRule(vendor=vendor, error=error)])
    answer = CALLS[vendor](_client(clean, creds, vendor))
    assert answer.code == EXPECTED[error][vendor] and not answer.ok
    (call,) = clean.app.state.journal.recent(1)
    assert call.fault == f"{vendor}:*:{ErrorKind(FaultRule(vendor=vendor, error=error).error)}"


def test_a_scenario_file_scripts_the_nth_call_of_one_api_for_one_caller(clean, creds):
    principal = creds["yitu"]["access_id"]
    clean.put(
        "/_idfacade/scenario",
        content=f"""
[[fault]]
name = "second call busy"
vendor = "yitu"
api = "feature_extraction"
principal = "{principal}"
error = "busy"
nth = 2
""",
    )
    yitu = _client(clean, creds, "yitu")
    codes = [CALLS["yitu"](yitu).code for _ in range(3)]
    assert codes == ["-202", "-901", "-202"]  # -202: the real answer, no image given
    assert clean.app.state.journal.recent(2)[1].fault == "second call busy"
    other = parse_scenario(
        f'[[fault]]\nvendor = "yitu"\nprincipal = "x{principal}"\nerror = "busy"'
    )
    clean.app.state.services.faults.replace(other)
    assert CALLS["yitu"](yitu).code == "-202"  # another caller's rule


def test_a_share_of_calls_fails_the_same_way_for_the_same_seed():
    def draw(seed: int) -> list[bool]:
        injector = FaultInjector([FaultRule(vendor="yitu", error="busy", share=0.3, seed=seed)])
        return [injector.pick("yitu", "ocr", None) is not None for _ in range(200)]

    assert draw(7) == draw(7) != draw(8)
    assert 40 <= sum(draw(7)) <= 80


def test_times_limits_how_often_a_rule_fires():
    injector = FaultInjector([FaultRule(vendor="netocr", error="busy", times=2)])
    assert [injector.pick("netocr", "x", None) is not None for _ in range(4)] == [
        True,
        True,
        False,
        False,
    ]


def test_latency_past_the_deadline_is_the_vendors_timeout(tmp_path, contract_data):
    with gateway(
        tmp_path, contract_admin=True, request_deadline=0.2, yitu_signature="off"
    ) as client:
        client.app.state.services.faults.add([FaultRule(vendor="yitu", latency=1.0)])
        reply = client.post("/face/basic/ocr", json={})
    assert reply.json()["rtn"] == -902


def test_latency_alone_delays_and_then_answers():
    injector = FaultInjector([FaultRule(vendor="yitu", latency=0.01, name="slow")])
    state = SimpleNamespace()
    asyncio.run(injector.apply("yitu", "ocr", None, state))
    assert state.fault == "slow"


def test_an_error_rule_raises_the_canonical_error():
    injector = FaultInjector([FaultRule(vendor="yitu", error="no_face")])
    with pytest.raises(IdfError) as raised:
        asyncio.run(injector.apply("yitu", "ocr", None, SimpleNamespace()))
    assert raised.value.kind is ErrorKind.no_face


@pytest.mark.parametrize(
    "text, names",
    [
        ('[[fault]]\nvendor = "megvii"\nerror = "busy"', "vendor"),
        ('[[fault]]\nvendor = "yitu"\nerror = "on_fire"', "error"),
        ('[[fault]]\nvendor = "yitu"\ncolour = "red"', "colour"),
        ('[[fault]]\nvendor = "yitu"\nshare = 2', "share"),
        ('[fault]\nvendor = "yitu"', "array"),
        ("vendor = 'yitu'", "unknown scenario keys"),
        ("[[fault", ""),
    ],
)
def test_a_bad_scenario_is_refused_with_its_field_and_changes_nothing(clean, text, names):
    clean.put("/_idfacade/scenario", content='[[fault]]\nvendor = "yitu"\nerror = "busy"')
    reply = clean.put("/_idfacade/scenario", content=text)
    assert reply.status_code == 400 and names in reply.json()["detail"]
    assert len(clean.get("/_idfacade/scenario").json()["fault"]) == 1


def test_the_admin_api_takes_json_lists_and_deletes(clean):
    rule = {"vendor": "netocr", "error": "busy"}
    assert clean.put("/_idfacade/scenario", json={"fault": [rule]}).status_code == 200
    clean.post("/_idfacade/scenario", json={"fault": [dict(rule, vendor="waiqin")]})
    assert [r["vendor"] for r in clean.get("/_idfacade/scenario").json()["fault"]] == [
        "netocr",
        "waiqin",
    ]
    clean.delete("/_idfacade/scenario")
    assert clean.get("/_idfacade/scenario").json() == {"fault": []}


def test_the_admin_api_answers_only_loopback_or_its_token(contract_data, tmp_path):
    with gateway(tmp_path, contract_admin=True, contract_admin_token="s3cret-token") as local:
        far = TestClient(local.app, client=("203.0.113.9", 4000))
        assert far.post("/_idfacade/reset").status_code == 403
        assert far.get("/_idfacade/journal").status_code == 403
        signed = {"authorization": "Bearer s3cret-token"}
        assert far.post("/_idfacade/reset", headers=signed).status_code == 200
        wrong = {"authorization": "Bearer s3cret-tokeN"}
        assert far.get("/_idfacade/scenario", headers=wrong).status_code == 403


def test_without_contract_admin_there_is_no_admin_api_and_no_injector(tmp_path):
    with gateway(tmp_path) as client:
        assert client.post("/_idfacade/reset").status_code == 404
        assert client.app.state.services.faults is None


def test_reset_clears_journal_galleries_replay_windows_results_and_rules(clean, creds):
    services = clean.app.state.services
    for _ in range(logins.MAX_USER_FAILURES):
        asyncio.run(services.logins.check(None, "wrong", "locked-user", "192.0.2.1"))
    with pytest.raises(IdfError):
        asyncio.run(services.logins.check(None, "wrong", "locked-user", "192.0.2.1"))
    services.faults.add([FaultRule(vendor="netocr", error="busy")])
    clean.post("/face/v1/no/such/api", json={})
    sensetime = _client(clean, creds, "sensetime")
    assert sensetime.call("addDb", dbName="resetdb", maxSize=10).ok
    assert services.replay.first_use("probe", "n1", 60)
    assert services.results.reserve("probe", "k1")
    clean.post("/_idfacade/reset")
    assert clean.app.state.journal.recent(10) == []
    assert services.gallery.collections(None) == []
    assert services.replay.first_use("probe", "n1", 60)
    assert services.results.reserve("probe", "k1")
    assert services.faults.rules == []
    assert not asyncio.run(services.logins.check(None, "wrong", "locked-user", "192.0.2.1"))


def test_the_journal_is_listed_over_the_admin_api(clean):
    clean.post("/face/v1/no/such/api", json={})
    calls = clean.get("/_idfacade/journal", params={"limit": 5}).json()["calls"]
    assert [(c["vendor"], c["code"]) for c in calls] == [("yitu", "-205")]
    assert clean.get("/_idfacade/journal", params={"limit": "x"}).status_code == 400


def test_a_dropped_connection_reaches_the_client_as_one(tmp_path):
    with running_gateway(tmp_path) as handle:
        handle.fault("netocr", drop=True, times=1)
        with pytest.raises(httpx.RemoteProtocolError):
            CALLS["netocr"](handle.netocr)
        assert CALLS["netocr"](handle.netocr).code == "-9"  # the next call is answered
        codes = [(c.fault, c.code) for c in handle.calls()]
    assert codes == [(None, "-9"), ("netocr:*:drop", None)]
