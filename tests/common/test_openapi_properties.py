"""Property-based API tests generated from the OpenAPI documents (schemathesis): whatever the
declared requests allow, and what they don't, the gateway answers without a 5xx or a
traceback, and in the vendor's envelope.

The budget is bounded and the examples are derandomized (the same cases on every run): a few
per operation, about a minute in all. The gateway runs with `contract_checks = "report"`, so
the checks themselves are fuzzed too; Yitu unsigned, and netocr's and Waiqin's cases sent with
real credentials, so that the handlers behind the auth are reached.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import hypothesis
import jsonschema
import pytest
from starlette.testclient import TestClient

import vendors
from contracts.credentials import Vendor
from gateway.app import create_app
from gateway.settings import load_settings
from tests.harness import enrol
from vendors.common.openapi import document
from vendors.netocr.client import parse
from vendors.waiqin.auth import digest
from vendors.waiqin.client import china_timestamp

schemathesis = pytest.importorskip("schemathesis")  # a dev dependency: `make install-dev`

DOCUMENTS = {f.name: document(f, f.openapi) for f in vendors.FACADES if f.openapi is not None}
SCHEMAS = {name: schemathesis.openapi.from_dict(doc) for name, doc in DOCUMENTS.items()}
BUDGET = hypothesis.settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(hypothesis.HealthCheck),
)


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[tuple[TestClient, dict[str, dict[str, str]]]]:
    data = tmp_path_factory.mktemp("properties")
    settings = load_settings(
        {"data": data, "warm_up": False, "contract_checks": "report", "yitu_signature": "off"},
        environ={},
    )
    app = create_app(settings)
    credentials = {"waiqin": enrol(data, Vendor.waiqin), "netocr": enrol(data, Vendor.netocr)}
    with TestClient(app, raise_server_exceptions=False) as http:
        yield http, credentials


def _envelope(vendor: str, path: str) -> dict[str, Any]:
    """The envelope schema of `path` (schemathesis also tries methods it does not serve,
    answered in the same envelope)."""
    operation = next(iter(DOCUMENTS[vendor]["paths"][path].values()))
    return operation["responses"]["200"]["content"]["application/json"]["schema"]


def check_answer(vendor: str, case: Any, status: int, body: bytes) -> None:
    """No server error, no traceback, and the body is the vendor's envelope."""
    where = f"{case.method} {case.path} -> {status}: {body[:300]!r}"
    assert status < 500, where
    text = body.decode("utf-8", errors="replace")
    assert "Traceback" not in text, where
    if case.method == "HEAD":
        return
    answer = parse(body) if vendor == "netocr" else json.loads(body)
    jsonschema.validate(answer, _envelope(vendor, case.path))


def send_waiqin(http: TestClient, case: Any, credential: dict[str, str]) -> tuple[int, bytes]:
    """The generated body, signed into the path as Waiqin's clients sign it."""
    try:
        body = json.dumps(case.body).encode()
    except TypeError:  # no body generated (schemathesis's NotSet)
        body = b""
    stamp = china_timestamp()
    signature = digest(body, credential["appkey"], stamp)
    path = f"/api/ocr/v1/idcard/{credential['openid']}/{stamp}/{signature}/p{time.time_ns()}"
    reply = http.post(path, content=body, headers={"content-type": "application/json"})
    return reply.status_code, reply.content


def _exercise(vendor: str, case: Any, served: tuple[TestClient, dict]) -> None:
    http, credentials = served
    if vendor == "waiqin":
        status, body = send_waiqin(http, case, credentials["waiqin"])
        return check_answer(vendor, case, status, body)
    if vendor == "netocr" and isinstance(case.body, dict):
        case.body = case.body | {k: credentials["netocr"][k] for k in ("key", "secret")}
    status, body = send(http, case)
    check_answer(vendor, case, status, body)
    return None


def _part(filename: str | None, value: Any, *rest: Any) -> tuple[Any, ...]:
    """A multipart part as httpx takes it: bytes or text (schemathesis leaves numbers)."""
    if not isinstance(value, bytes | str):
        value = json.dumps(value) if not isinstance(value, str) else value
    return (filename, value, *rest)


def send(http: TestClient, case: Any) -> tuple[int, bytes]:
    """The case as schemathesis serialises it (multipart, form or JSON), sent to the app."""
    kwargs = case.as_transport_kwargs(base_url="http://testserver")
    options = {k: kwargs[k] for k in ("headers", "params", "json") if kwargs.get(k)}
    if kwargs.get("files"):
        options["files"] = [(name, _part(*part)) for name, part in kwargs["files"]]
    data = kwargs.get("data")
    if isinstance(data, str | bytes):
        options["content"] = data
    elif data is not None:
        options["data"] = data
    reply = http.request(kwargs["method"], kwargs["url"], **options)
    return reply.status_code, reply.content


@SCHEMAS["sensetime"].parametrize()
@BUDGET
def test_sensetime_answers_every_generated_call_in_its_envelope(case, served):
    _exercise("sensetime", case, served)


@SCHEMAS["yitu"].parametrize()
@BUDGET
def test_yitu_answers_every_generated_call_in_its_envelope(case, served):
    _exercise("yitu", case, served)


@SCHEMAS["waiqin"].parametrize()
@BUDGET
def test_waiqin_answers_every_generated_call_in_its_envelope(case, served):
    _exercise("waiqin", case, served)


@SCHEMAS["netocr"].parametrize()
@BUDGET
def test_netocr_answers_every_generated_call_in_its_envelope(case, served):
    _exercise("netocr", case, served)
