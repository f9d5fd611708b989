import json
import time

import pytest
import structlog
from starlette.testclient import TestClient

from gateway.app import create_app
from gateway.settings import Settings


def test_healthz_answers_before_models_load(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.json() == {"ready": False}


def test_request_id_is_echoed_or_made(client):
    assert (
        client.get("/healthz", headers={"X-Request-Id": "abc-123"}).headers["x-request-id"]
        == "abc-123"
    )
    made = client.get("/healthz").headers["x-request-id"]
    assert len(made) == 32 and int(made, 16) >= 0


def test_body_over_the_limit_is_refused_before_reading(settings: Settings):
    small = settings.model_copy(update={"max_body_bytes": 1000})
    with TestClient(create_app(small)) as client:
        response = client.post("/healthz", content=b"x" * 5000)
    assert response.status_code == 413
    assert response.json()["max_bytes"] == 1000


def test_metrics_count_requests_by_route_template(client):
    client.get("/healthz")
    text = client.get("/metrics").text
    assert 'idfacade_requests_total{method="GET",route="/healthz",status="200"}' in text


def test_large_responses_are_gzipped_when_asked(client):
    response = client.get("/metrics", headers={"Accept-Encoding": "gzip"})
    assert response.headers.get("content-encoding") == "gzip"
    assert b"idfacade_requests_total" in response.content  # httpx decodes it


def test_access_log_names_route_not_path_or_secrets(client):
    with structlog.testing.capture_logs() as logs:
        client.get("/healthz?password=hunter2", headers={"authorization": "Basic sekrit"})
    entry = next(e for e in logs if e.get("event") == "request")
    assert entry["route"] == "/healthz" and entry["status"] == 200
    assert "hunter2" not in json.dumps(logs) and "sekrit" not in json.dumps(logs)


def test_readyz_turns_ready_once_every_model_is_loaded(settings: Settings):
    from engine import models, ocr
    from engine.face import _attributes as attributes

    loaded = settings.model_copy(update={"warm_up": True})
    with TestClient(create_app(loaded)) as client:
        for _ in range(600):
            if client.get("/readyz").status_code == 200:
                break
            time.sleep(0.1)
        assert client.get("/readyz").json() == {"ready": True}
    assert models.ready() and ocr.ready() and attributes.networks.loaded


def test_metrics_answer_loopback_clients_only_unless_opened(settings: Settings):
    with TestClient(create_app(settings), client=("192.0.2.7", 4000)) as remote:
        assert remote.get("/metrics").status_code == 404
    opened = settings.model_copy(update={"metrics_public": True})
    with TestClient(create_app(opened), client=("192.0.2.7", 4000)) as remote:
        assert b"idfacade_requests_total" in remote.get("/metrics").content


def _chunks(count: int = 5, size: int = 400):
    for _ in range(count):
        yield b"x" * size


def test_a_chunked_body_over_the_limit_is_refused_413_off_the_vendor_paths(settings: Settings):
    small = settings.model_copy(update={"max_body_bytes": 1000})
    with TestClient(create_app(small)) as client:
        form = {"content-type": "application/x-www-form-urlencoded"}
        response = client.post("/console/login", content=_chunks(), headers=form)
    assert response.status_code == 413 and response.json()["max_bytes"] == 1000


VENDOR_SIZE_ERRORS = [
    ("/guns/mgr/login", '"code":"60010501"'),
    ("/ssid-face/v2/detect", '"code":"62010501"'),
    ("/face/v1/algorithm/recognition/face_pair_verification", '"rtn":-301'),
    ("/api/ocr/v1/idcard/openid/20260101120000/digest/1", '"return_code":"40201"'),
    ("/api/recogliu.do", "<status>-11</status>"),
]


@pytest.mark.parametrize(("path", "code"), VENDOR_SIZE_ERRORS)
def test_a_body_declared_over_the_gateways_cap_gets_the_vendors_size_error(
    settings: Settings, path: str, code: str
):
    """Past the transport guard's cap a vendor client still parses its own vendor's size
    error, as it does under the facade's own, smaller limits; nothing is read."""
    small = settings.model_copy(update={"max_body_bytes": 1000})
    with TestClient(create_app(small)) as client:
        response = client.post(path, content=b"x" * 2000)
    assert response.status_code == 200 and code in response.text, response.text


@pytest.mark.parametrize(("path", "code"), [VENDOR_SIZE_ERRORS[1], VENDOR_SIZE_ERRORS[4]])
def test_a_chunked_body_over_the_gateways_cap_gets_the_vendors_size_error(
    settings: Settings, path: str, code: str
):
    small = settings.model_copy(update={"max_body_bytes": 1000})
    with TestClient(create_app(small)) as client:
        response = client.post(path, content=_chunks())
    assert response.status_code == 200 and code in response.text, response.text
