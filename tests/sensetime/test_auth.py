"""Account mode (seed 000 §1.1): login, tokens, grants, bizNo."""

import time

from vendors.common.tokens import seal


def _detect(client, headers=None, **extra):
    return client.post(
        "/ssid-face/v2/detect", headers=headers or {}, data={"data": "", **extra}
    ).json()


def test_login_returns_a_token_for_an_api_account(st_login):
    headers = st_login()
    assert headers["authorization"].startswith("Basic eyJ")


def test_wrong_password_and_unknown_user_get_the_same_answer(st_account, st_login):
    st_login()
    bad = st_account.post(
        "/guns/mgr/login", json={"username": "nobody", "password": "x", "accountType": "2"}
    ).json()
    assert bad["code"] == "60010401" and bad["data"] is None


def test_call_without_token_is_refused_in_account_mode(st_account):
    reply = _detect(st_account)
    assert reply["code"] == "62010401"
    assert reply["msg"].startswith("[ssid-face]Privilege check errors")


def test_tampered_or_foreign_token_is_refused(st_account, st_login):
    token = st_login()["authorization"].removeprefix("Basic ")
    head, tail = token.split(".")
    tampered = head[:-2] + ("AA" if head[-2:] != "AA" else "BB") + "." + tail
    assert _detect(st_account, {"authorization": f"Basic {tampered}"})["code"] == "62010401"

    class OtherKey:
        def sign(self, purpose, data):
            return b"\x00" * 32

    forged = seal(OtherKey(), "sensetime-login", {"u": "api_x"})
    assert _detect(st_account, {"authorization": f"Basic {forged}"})["code"] == "62010401"


def test_expired_token_is_refused(st_account, st_account_data, st_login, monkeypatch):
    headers = st_login()
    monkeypatch.setattr(time, "time", lambda: 4_102_444_800.0)  # the year 2100
    assert _detect(st_account, headers)["code"] == "62010401"


def test_api_outside_the_grant_is_refused(st_account, st_login):
    headers = st_login("ssid-face/quality")
    reply = _detect(st_account, headers)
    assert reply["code"] == "62010304"
    assert "Capability is not granted" in reply["msg"]


def test_granted_api_gets_past_auth_to_parameter_checks(st_account, st_login):
    reply = _detect(st_account, st_login("detect"))
    assert reply["code"] == "62010201"
    assert reply["msg"] == "[ssid-face]Param file,data can not both be blank"


def test_open_mode_needs_no_header_and_biz_no_is_echoed(st_open):
    response = st_open.post("/ssid-face/v2/detect", data={"data": ""}, headers={"bizNo": "BIZ-42"})
    assert response.status_code == 200
    assert response.headers["bizNo"] == "BIZ-42"
    assert response.json()["code"] == "62010201"
