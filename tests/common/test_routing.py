"""The one facade shape: unserved paths in the vendor's envelope, canonical paths, the error
table that renders every kind, and one deadline for a whole request."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.testclient import TestClient

import vendors
from contracts.errors import ErrorKind, IdfError
from tests.harness import gateway
from vendors.common.config import FacadeSettings
from vendors.common.routing import (
    Api,
    CanonicalPaths,
    Facade,
    OpenAuth,
    Renderer,
    canonical_path,
    mount,
)
from vendors.common.services import Services


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    with gateway(tmp_path_factory.mktemp("routing")) as client:
        yield client


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("/ssid-face/v2/noSuchApi", "62040502"),
        ("/ssid-feature/v2/noSuchApi", "63040502"),
        ("/feature/v2/nothing", "63040502"),
        ("/guns/mgr/nothing", "60040502"),
    ],
)
def test_unserved_sensetime_path_answers_in_the_sensetime_envelope(client, path, code):
    reply = client.post(path, data={"a": "1"})
    assert reply.status_code == 404
    body = reply.json()
    assert body["code"] == code and body["data"] is None
    assert path in body["msg"]


def test_unserved_yitu_path_answers_in_the_yitu_envelope(client):
    reply = client.post("/face/v1/algorithm/recognition/nothing", json={})
    assert reply.status_code == 404
    assert reply.json()["rtn"] == -205 and isinstance(reply.json()["rtn"], int)


def test_unserved_waiqin_path_answers_in_the_waiqin_envelope(client):
    reply = client.post("/api/ocr/v1/bankcard/a/b/c/d", json={})
    assert reply.status_code == 404
    body = reply.json()
    assert body["return_code"] == "40005" and body["response_data"] == "{}"


def test_served_path_with_another_method_is_405_in_the_envelope(client):
    reply = client.get("/ssid-face/v2/detect")
    assert reply.status_code == 405
    assert reply.json()["code"] == "62040502"
    assert client.put("/face/basic/ocr").json()["rtn"] == -205


@pytest.mark.parametrize("method", ["TRACE", "PROPFIND", "BREW"])
def test_any_other_method_is_answered_in_the_envelope(client, method):
    reply = client.request(method, "/ssid-face/v2/detect")
    assert (reply.status_code, reply.json()["code"]) == (405, "62040502")
    assert client.request(method, "/face/nothing").json()["rtn"] == -205


def test_paths_outside_every_prefix_keep_the_plain_404(client):
    assert client.get("/no/such/thing").status_code == 404


@pytest.mark.parametrize(
    ("given", "canonical"),
    [
        ("//face/v1/x", "/face/v1/x"),
        ("/ssid-face//v2/detect/", "/ssid-face/v2/detect"),
        ("/", "/"),
        ("///", "/"),
    ],
)
def test_canonical_path_folds_slashes(given, canonical):
    assert canonical_path(given) == canonical


def test_repeated_slashes_reach_the_api(client):
    reply = client.post("http://testserver//ssid-face/v2/detect", data={})
    assert reply.json()["code"] == "62010201"  # the API's own "file,data blank", not a 404


@pytest.mark.parametrize("facade", vendors.FACADES, ids=lambda f: f.name)
def test_every_error_kind_renders_in_every_envelope(facade):
    app = Starlette()
    request = Request({"type": "http", "method": "POST", "path": "/", "headers": [], "app": app})
    for kind in ErrorKind:
        response = facade.renderer.failure(request, facade.apis[0], IdfError(kind, "why"))
        assert response.status_code == 200 and response.body


@pytest.mark.parametrize("facade", vendors.FACADES, ids=lambda f: f.name)
def test_every_api_is_under_the_facade_prefixes(facade):
    for api in facade.apis:
        for path in api.paths:
            assert any(path.startswith(prefix + "/") for prefix in facade.prefixes), path


def _facade_of(handler) -> Facade:
    return Facade(
        name="probe",
        prefixes=("/probe",),
        auth=OpenAuth,
        renderer=Renderer(
            success=lambda request, api, result: JSONResponse({"ok": result}),
            failure=lambda request, api, error: JSONResponse({"error": str(error.kind)}),
        ),
        errors={},
        apis=[Api.at("/probe/run", handler)],
    )


def _services(tmp_path: Path, deadline: float) -> Services:
    return Services(
        settings=FacadeSettings(request_deadline=deadline),
        credentials=None,  # type: ignore[arg-type]
        replay=None,  # type: ignore[arg-type]
        results=None,  # type: ignore[arg-type]
        pool=None,  # type: ignore[arg-type]
        sealer=None,  # type: ignore[arg-type]
        data_dir=tmp_path,
    )


def test_the_deadline_covers_the_whole_request_not_each_step(tmp_path):
    async def two_steps(call):
        for _ in range(2):  # each step alone is inside the deadline, both together are not
            await asyncio.sleep(0.3)
        return "done"

    app = Starlette(routes=mount([_facade_of(two_steps)], _services(tmp_path, 0.5)))
    with TestClient(app) as http:
        assert http.post("/probe/run").json() == {"error": "timeout"}


def test_an_unexpected_fault_is_the_internal_error_envelope(tmp_path):
    async def broken(call):
        raise RuntimeError("boom")

    app = Starlette(routes=mount([_facade_of(broken)], _services(tmp_path, 5)))
    with TestClient(app) as http:
        reply = http.post("/probe/run")
    assert reply.status_code == 200 and reply.json() == {"error": "internal"}


def test_canonical_paths_middleware_routes_doubled_slashes(tmp_path):
    async def fine(call):
        return call.api.name

    app = Starlette(routes=mount([_facade_of(fine)], _services(tmp_path, 5)))
    with TestClient(CanonicalPaths(app)) as http:
        assert http.post("http://testserver//probe//run/").json() == {"ok": "run"}
