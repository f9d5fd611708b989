"""What `idfacade credentials add yitu` prints is all a client needs; grants limit the APIs;
the rtn table in docs/yitu.md is the one the code renders."""

from __future__ import annotations

import json
import re
from pathlib import Path

from starlette.testclient import TestClient

from contracts.errors import ErrorKind, IdfError
from gateway.app import create_app
from gateway.cli import main
from gateway.settings import load_settings
from vendors.yitu import errors
from vendors.yitu.client import YituClient

DOCS = Path(__file__).resolve().parents[2] / "docs" / "yitu.md"


def test_printed_credential_signs_requests_and_grants_limit_apis(tmp_path, capsys):
    data = tmp_path / "var"
    shown = {}
    for name, grants in (("full", []), ("narrow", ["--grant", "feature_extraction"])):
        assert main(["credentials", "add", "yitu", "--json", "--data", str(data), *grants]) == 0
        shown[name] = json.loads(capsys.readouterr().out)
    settings = load_settings({"data": data, "warm_up": False}, environ={})
    with TestClient(create_app(settings)) as http:
        clients = {
            name: YituClient(
                "http://testserver",
                fields["access_id"],
                fields["access_key"],
                fields["public_key_pem"],
                http=http,
            )
            for name, fields in shown.items()
        }
        assert clients["full"].check_image_package("QUFBQQ==")["rtn"] == 0
        refused = clients["narrow"].check_image_package("QUFBQQ==")
        assert refused["rtn"] == -104 and "check_image_package" in refused["message"]
        granted = clients["narrow"].call("feature_extraction", {"image_type": 3})
        assert granted["rtn"] == -202  # past the grant check, to the missing image


def test_documented_rtn_table_is_the_rendered_one():
    documented = {
        int(code): meaning
        for code, meaning in re.findall(r"^\| (-?\d+) \| (.+) \|$", DOCS.read_text(), re.M)
    }
    rendered = (
        {errors.render(IdfError(kind))[0] for kind in ErrorKind}
        | {code for code, _ in errors.REFINED.values()}
        | {errors.OK}
    )
    assert set(documented) == rendered


def test_every_rtn_code_has_one_meaning():
    codes = [code for code, _ in errors.TABLE.values()] + [c for c, _ in errors.REFINED.values()]
    assert len(codes) == len(set(codes))
    assert all(code < 0 for code in codes)
