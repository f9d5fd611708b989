"""`idfacade sign`: the README's curl examples sign Yitu and Waiqin bodies with it."""

from __future__ import annotations

import json
from pathlib import Path

from contracts.credentials import Vendor
from gateway.cli import main
from tests.harness import enrol, gateway


def signed(capsys, vendor: str, body: Path, credentials: dict[str, str], tmp_path: Path) -> str:
    given = tmp_path / f"{vendor}.json"
    given.write_text(json.dumps(credentials))
    assert main(["sign", vendor, str(body), "--credentials", str(given)]) == 0
    return capsys.readouterr().out.strip()


def test_a_yitu_body_signed_by_the_cli_passes_the_gateways_signature_check(tmp_path, capsys):
    data = tmp_path / "var"
    yitu = enrol(data, Vendor.yitu)
    body = tmp_path / "body.json"
    body.write_bytes(b'{"image_content": "", "image_type": 3}')
    signature = signed(capsys, "yitu", body, yitu, tmp_path)
    headers = {"x-access-id": yitu["access_id"], "x-signature": signature}
    headers["content-type"] = "application/json"
    path = "/face/v1/algorithm/recognition/feature_extraction"
    with gateway(data) as client:
        reply = client.post(path, content=body.read_bytes(), headers=headers).json()
        forged = client.post(path, content=b'{"image_type": 3}', headers=headers).json()
    assert reply["rtn"] not in (-1, -2, -3) and "signature" not in reply["message"].lower()
    assert forged["rtn"] != reply["rtn"]  # the signature covers the body


def test_a_waiqin_url_signed_by_the_cli_is_accepted(tmp_path, capsys):
    data = tmp_path / "var"
    waiqin = enrol(data, Vendor.waiqin)
    body = tmp_path / "card.json"
    body.write_bytes(b'{"transfer_id": "1"}')
    url = signed(capsys, "waiqin", body, waiqin, tmp_path)
    assert url.startswith(f"/api/ocr/v1/idcard/{waiqin['openid']}/")
    with gateway(data) as client:
        reply = client.post(url, content=body.read_bytes()).json()
    assert reply["return_code"] not in ("40001", "40002")  # authenticated: 40102, no image
