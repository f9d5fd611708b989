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


def _new_account(st_account_data):
    from contracts.credentials import Vendor
    from gateway.credentials import SqliteCredentialStore, mint

    credential, shown = mint(Vendor.sensetime)
    SqliteCredentialStore(st_account_data / "credentials.db").add(credential)
    return shown


def test_login_accepts_upper_case_path_form_body_and_misspelt_account_type(
    st_account, st_account_data
):
    shown = _new_account(st_account_data)
    fields = {"username": shown["username"], "password": shown["password"]}
    for account_type in ("0", "1", "2"):
        reply = st_account.post("/GUNS/mgr/login", data={**fields, "AccoutType": account_type})
        body = reply.json()
        assert body["code"] == "0000" and body["success"] is True
        assert _detect(st_account, {"authorization": f"Basic {body['data']}"})["code"] != (
            "62010401"
        )


def test_login_refuses_an_unknown_account_type(st_account, st_account_data):
    shown = _new_account(st_account_data)
    body = {"username": shown["username"], "password": shown["password"], "accountType": "7"}
    reply = st_account.post("/guns/mgr/login", json=body).json()
    assert reply["code"] == "60010401" and reply["success"] is False


def test_is_login_names_the_token_owner_and_refuses_a_bad_token(st_account, st_login):
    headers = st_login()
    reply = st_account.get("/GUNS/mgr/isLogin", headers=headers).json()
    assert reply["code"] == "0000" and reply["success"] is True
    assert reply["data"]["isLogin"] is True and reply["data"]["userId"].startswith("api_")
    refused = st_account.get("/GUNS/mgr/isLogin", headers={"authorization": "Basic x.y"}).json()
    assert refused["code"] == "60010401" and refused["success"] is False
