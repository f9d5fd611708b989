"""SenseTime clients as public third-party code writes them, over a real socket.

Login clients post to `/GUNS/mgr/login` (upper case), JSON or form, with `accountType` "0"/"2"
or misspelt `AccoutType`, some behind `Expect: 100-continue`; they read `success` as a boolean
and `data` as the token, then ask `GET /GUNS/mgr/isLogin`. API calls go to a base URL that may
end in `/` and send multipart Java-style; base64 may arrive in an urlencoded form unescaped.
"""

from __future__ import annotations

import base64
import json
from urllib.parse import quote

import pytest

from contracts import calibration
from contracts.credentials import Vendor
from tests.compat.wire import exchange, multipart

OBAMA = "faces/barack_obama/obama.jpg"
OBAMA_2 = "faces/barack_obama/obama2.jpg"
BIDEN = "faces/joe_biden/biden.jpg"
JSON = ("Content-Type", "application/json")
FORM = ("Content-Type", "application/x-www-form-urlencoded")


@pytest.fixture(scope="module")
def account(credential) -> dict[str, str]:
    return credential(Vendor.sensetime)


def _login(port: int, body: bytes, content_type=JSON, **options) -> dict:
    reply = exchange(port, "POST", "/GUNS/mgr/login", [content_type], body, **options)
    assert reply.status == 200
    return reply.json()


@pytest.fixture(scope="module")
def token(port, account) -> str:
    body = json.dumps({"username": account["username"], "password": account["password"]})
    return _login(port, body.encode())["data"]


def test_upper_case_login_with_misspelt_accout_type_returns_the_token(port, account):
    body = json.dumps(
        {"username": account["username"], "password": account["password"], "AccoutType": "2"}
    ).encode()
    reply = _login(port, body)
    assert reply["success"] is True and reply["code"] == "0000"
    assert reply["data"].startswith("eyJ") and reply["token"] == reply["data"]


def test_login_with_account_type_zero_as_a_form(port, account):
    body = f"username={quote(account['username'])}&password={quote(account['password'])}"
    reply = _login(port, f"{body}&accountType=0".encode(), FORM)
    assert reply["success"] is True


def test_login_form_starting_with_an_ampersand(port, account):
    body = f"&username={quote(account['username'])}&password={quote(account['password'])}"
    assert _login(port, body.encode(), FORM)["success"] is True


def test_login_behind_expect_100_continue(port, account):
    body = json.dumps({"username": account["username"], "password": account["password"]})
    reply = _login(port, body.encode(), expect_continue=True)
    assert reply["success"] is True


def test_wrong_password_is_success_false_with_the_privilege_code(port, account):
    body = json.dumps({"username": account["username"], "password": "not-it", "accountType": "2"})
    reply = _login(port, body.encode())
    assert reply["success"] is False and reply["code"] == "60010401" and reply["data"] is None


def test_is_login_answers_the_user_id_for_a_good_token(port, account, token):
    reply = exchange(port, "GET", "/GUNS/mgr/isLogin", [("Authorization", f"Basic {token}")])
    body = reply.json()
    assert body["success"] is True and body["data"]["userId"] == account["username"]
    refused = exchange(port, "GET", "/GUNS/mgr/isLogin", [("Authorization", "Basic nope")])
    assert refused.json()["success"] is False


def _detect(port: int, token: str, path: str, body: bytes, content_type: str) -> dict:
    headers = [("Authorization", f"Basic {token}"), ("Content-Type", content_type)]
    reply = exchange(port, "POST", path, headers, body)
    assert reply.status == 200
    return reply.json()


def test_base_url_ending_in_a_slash_reaches_detect(port, token, shared_data):
    boundary = "----JavaBoundary7d93b1"
    body = multipart({"file": ("obama.jpg", (shared_data / OBAMA).read_bytes())}, boundary)
    reply = _detect(
        port, token, "//ssid-face/v2/detect", body, f"multipart/form-data; boundary={boundary}"
    )
    assert reply["code"] == "0000" and reply["data"]["numOfFaces"] == 1


def test_unescaped_base64_in_a_form_is_read_with_its_plus_signs(port, token, shared_data):
    """A form parser turns raw `+` into spaces; MIME base64 has a newline every 76 chars."""
    raw = base64.encodebytes((shared_data / OBAMA).read_bytes()).decode()
    assert "+" in raw and "\n" in raw
    body = f"&data={raw}".encode()
    reply = _detect(port, token, "/ssid-face/v2/detect", body, FORM[1])
    assert reply["code"] == "0000" and reply["data"]["numOfFaces"] == 1


def test_compare_images_over_the_socket_tells_people_apart(port, token, shared_data):
    boundary = "----JavaBoundaryCompare"

    def compare(second: str) -> float:
        body = multipart(
            {
                "firstFile": ("a.jpg", (shared_data / OBAMA).read_bytes()),
                "secondFile": ("b.jpg", (shared_data / second).read_bytes()),
            },
            boundary,
        )
        reply = _detect(
            port,
            token,
            "/ssid-face/v2/compareImages",
            body,
            f"multipart/form-data; boundary={boundary}",
        )
        assert reply["code"] == "0000", reply["msg"]
        return reply["data"]["result"][0]["similarity"]

    threshold = calibration.sensetime_threshold()
    assert compare(OBAMA_2) >= threshold > compare(BIDEN)


def test_unserved_path_is_the_sensetime_envelope_not_plain_text(port, token):
    reply = exchange(port, "POST", "/ssid-face/v2/nothingHere", [JSON], b"{}")
    assert reply.status == 404 and reply.headers["content-type"] == "application/json"
    assert reply.json()["code"] == "62040502"


def test_biz_no_is_echoed(port, token):
    headers = [("Authorization", f"Basic {token}"), JSON, ("bizNo", "biz-42")]
    reply = exchange(port, "POST", "/ssid-face/v2/detect", headers, b"{}")
    assert reply.headers["bizno"] == "biz-42"


# Clients found in public repositories (docs/clients.md lists where each comes from).


def test_studio_python_script_reads_the_user_id_from_is_login(port, account):
    """auth_head/get_userid of SenseStudio automation scripts: `requests.post(json=…)` with
    accountType "0", the token as `res['data']`, then `GET /GUNS/mgr/isLogin` with
    `Authorization: Basic <token>`, reading `res['data']['user']['id']`."""
    body = json.dumps(
        {"username": account["username"], "password": account["password"], "accountType": "0"}
    ).encode()
    headers = [
        ("User-Agent", "python-requests/2.31.0"),
        ("Accept-Encoding", "gzip, deflate"),
        ("Accept", "*/*"),
        ("Connection", "keep-alive"),
        ("Content-Type", "application/json"),
    ]
    token = exchange(port, "POST", "/GUNS/mgr/login", headers, body).json()["data"]
    reply = exchange(
        port, "GET", "/GUNS/mgr/isLogin", [*headers[:4], ("Authorization", f"Basic {token}")]
    )
    assert str(reply.json()["data"]["user"]["id"]) == account["username"]


def test_csharp_http_web_request_login_reads_its_anonymous_type(port, account):
    """SensetimeImpl.Login (Covid19TemperatureAPI): `new { username, password, AccoutType }`
    serialised by Newtonsoft (AccoutType "2"), HttpWebRequest behind `Expect: 100-continue`,
    read into `new { code = "", msg = "", data = "", success = false }`."""
    body = json.dumps(
        {"username": account["username"], "password": account["password"], "AccoutType": "2"},
        separators=(",", ":"),
    ).encode()
    headers = [("Content-Type", "application/json"), ("Connection", "Keep-Alive")]
    reply = exchange(port, "POST", "/GUNS/mgr/login", headers, body, expect_continue=True).json()
    assert reply["success"] is True
    assert all(isinstance(reply[name], str) for name in ("code", "msg", "data"))


def test_java_fastjson_login_bean_with_a_user_id_field(port, account):
    """GunsMgrLoginRequestBean (lombok, fastjson): fields in name order, a null userId
    left out and a set one sent as a number; `application/json;charset=UTF-8`."""
    for extra in ({}, {"userId": 1}):
        payload = {
            "accountType": "0",
            "password": account["password"],
            "username": account["username"],
            **extra,
        }
        body = json.dumps(dict(sorted(payload.items())), separators=(",", ":")).encode()
        reply = _login(port, body, ("Content-Type", "application/json;charset=UTF-8"))
        assert reply["success"] is True and reply["data"]
