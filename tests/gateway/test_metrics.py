"""What /metrics tells an operator beyond request counts (issue 18): the engine's stage
timings, the pool's queue, the vendor error codes each route answered, gallery sizes."""

from __future__ import annotations

import asyncio
import re
import threading
from pathlib import Path

import pytest

from contracts import calibration
from engine import stages
from gateway import metrics
from gateway.pool import BoundedPool
from tests.harness import form_call, gateway, ok


def sample(text: str, name: str, **labels: str) -> float | None:
    """The value of one sample in Prometheus text, or None when it is absent."""
    wanted = ",".join(f'{k}="{v}"' for k, v in labels.items())
    pattern = (
        rf"^{re.escape(name)}\{{{re.escape(wanted)}\}} (\S+)$" if labels else rf"^{name} (\S+)$"
    )
    found = re.search(pattern, text, re.MULTILINE)
    return float(found.group(1)) if found else None


def test_each_error_envelope_is_counted_with_the_vendors_code_and_route(tmp_path: Path):
    with gateway(tmp_path, metrics_public=True) as client:
        reply = form_call(client, "/ssid-face/v2/compareImages")  # no images at all
        assert reply["code"] != "0000"
        client.post("/ssid-face/v2/noSuchApi")
        text = client.get("/metrics").text
    route = "/ssid-face/v2/compareImages"
    labels = {"vendor": "sensetime", "route": route, "code": reply["code"]}
    counted = [
        line for line in text.splitlines() if line.startswith("idfacade_vendor_errors_total{")
    ]
    assert any(all(f'{k}="{v}"' in line for k, v in labels.items()) for line in counted), counted


def test_gallery_collections_and_their_sizes_are_reported(tmp_path: Path):
    with gateway(tmp_path, metrics_public=True) as client:
        ok(form_call(client, "/ssid-feature/v2/addDb", dbName="metricsdb", maxSize=10))
        text = client.get("/metrics").text
    assert sample(text, "idfacade_gallery_collections") == 1.0
    sizes = [line for line in text.splitlines() if line.startswith("idfacade_gallery_items{")]
    assert len(sizes) == 1 and 'collection="metricsdb"' in sizes[0] and sizes[0].endswith(" 0.0")


def test_the_pool_reports_running_and_waiting_calls_apart():
    asyncio.run(_pool_scenario())


async def _pool_scenario() -> None:
    pool = BoundedPool(workers=1, queue=2, deadline=10)
    release = threading.Event()
    running = threading.Event()

    def hold() -> int:
        running.set()
        release.wait(5)
        return 1

    before = metrics.POOL_QUEUED._value.get(), metrics.POOL_RUNNING._value.get()
    first = asyncio.ensure_future(pool.run(hold))
    second = asyncio.ensure_future(pool.run(hold))
    await asyncio.sleep(0)
    await asyncio.to_thread(running.wait, 5)
    assert metrics.POOL_RUNNING._value.get() - before[1] == 1
    assert metrics.POOL_QUEUED._value.get() - before[0] == 1
    release.set()
    assert await first == 1 and await second == 1
    assert (metrics.POOL_QUEUED._value.get(), metrics.POOL_RUNNING._value.get()) == before
    pool.shutdown()


def test_a_timed_stage_reaches_its_observers_even_when_it_raises():
    seen: list[tuple[str, float]] = []
    stages.observe(lambda stage, seconds: seen.append((stage, seconds)))

    @stages.timed("test.stage")
    def fails() -> None:
        raise ValueError("no")

    with pytest.raises(ValueError):
        fails()
    assert [stage for stage, _ in seen if stage == "test.stage"] == ["test.stage"]


@pytest.mark.slow
def test_a_comparison_times_its_decode_detect_and_embed_stages(tmp_path: Path, shared_data):
    first, second = sorted((shared_data / "faces" / "barack_obama").iterdir())[:2]
    with gateway(tmp_path, metrics_public=True) as client:
        data = ok(
            form_call(
                client,
                "/ssid-face/v2/compareImages",
                firstFile=first.read_bytes(),
                secondFile=second.read_bytes(),
            )
        )
        text = client.get("/metrics").text
    assert data["result"][0]["similarity"] >= calibration.sensetime_threshold()
    for stage in ("decode", "face.detect", "face.embed"):
        count = sample(text, "idfacade_stage_seconds_count", stage=stage)
        assert count is not None and count >= 2, stage
