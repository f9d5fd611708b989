"""Waiqin replay, body and server-path refusals (issue 10 items 1, 6 and 15)."""

from __future__ import annotations

import json

import pytest

from contracts.credentials import Vendor
from gateway.credentials import SqliteCredentialStore, mint
from tests.harness import gateway
from vendors.waiqin import routes
from vendors.waiqin.client import signed_url


def post(client, url: str, body: bytes) -> dict:
    reply = client.post(url, content=body, headers={"Content-Type": "application/json"})
    assert reply.status_code == 200
    return reply.json()


def test_a_captured_request_under_a_fresh_msg_id_is_a_replay(
    wq_gateway, wq_credential, transfer_id
):
    client, _ = wq_gateway
    openid, appkey = wq_credential["openid"], wq_credential["appkey"]
    body = json.dumps({"transfer_id": transfer_id}).encode()
    url = signed_url(openid, appkey, body, msg_id="captured")
    assert post(client, url, body)["return_code"] != "40001"
    fresh = url.rsplit("/", 1)[0] + "/a-fresh-msg-id"
    again = post(client, fresh, body)
    assert again["return_code"] == "40003" and again["response_data"] == "{}"


class Unread:
    """A body that fails the test if the gateway reads any of it."""

    def __iter__(self):
        raise AssertionError("the body was read")
        yield b""


@pytest.mark.parametrize(
    "path_of",
    [
        lambda openid, url: url.replace(openid, "nobody"),
        lambda openid, url: url.rsplit("/", 2)[0] + "/not-a-digest/m1",
        lambda openid, url: "/".join([*url.split("/")[:6], "20000101000000", *url.split("/")[7:]]),
    ],
    ids=["unknown-openid", "digest-shape", "timestamp-window"],
)
def test_refusals_the_path_can_show_read_no_body(wq_gateway, wq_credential, path_of):
    client, _ = wq_gateway
    openid, appkey = wq_credential["openid"], wq_credential["appkey"]
    url = path_of(openid, signed_url(openid, appkey, b"{}"))
    reply = client.post(url, content=Unread(), headers={"Content-Type": "application/json"})
    assert reply.json()["return_code"] in ("40001", "40002")


def test_a_body_past_the_routes_cap_is_the_size_error(wq_gateway, wq_credential):
    client, _ = wq_gateway
    cap = routes.APIS[0].max_body
    assert 8 * 1024 * 1024 * 4 / 3 < cap < 12 * 1024 * 1024
    body = b"{" + b" " * cap + b"}"
    url = signed_url(wq_credential["openid"], wq_credential["appkey"], body)
    assert post(client, url, body)["return_code"] == "40201"


def test_a_missing_server_path_image_is_the_image_error(tmp_path, transfer_id):
    root = tmp_path / "images"
    root.mkdir()
    with gateway(tmp_path / "var", image_root=root) as client:
        credential, shown = mint(Vendor.waiqin)
        SqliteCredentialStore(tmp_path / "var" / "credentials.db").add(credential)
        body = json.dumps(
            {"transfer_id": transfer_id, "image": "missing.jpg", "ID_card_side": "front"}
        ).encode()
        reply = post(client, signed_url(shown["openid"], shown["appkey"], body), body)
    assert reply["return_code"] == "40207" and "image" in reply["return_msg"]
