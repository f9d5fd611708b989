"""Prometheus metrics, created once per process and served at /metrics.

Beside requests and their latency: the engine's stages (decode, detect, embed, OCR, liveness)
timed as they run, the inference pool's running and waiting calls, the vendor error codes each
route answered, and the size of every gallery collection (read when scraped).
"""

from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from engine import stages
from engine.gallery import Gallery
from gateway.exposure import metrics_allowed

REQUESTS = Counter(
    "idfacade_requests_total", "HTTP requests answered", ["method", "route", "status"]
)
LATENCY = Histogram(
    "idfacade_request_seconds",
    "Time to answer a request",
    ["route"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
VENDOR_ERRORS = Counter(
    "idfacade_vendor_errors_total",
    "Error envelopes answered, by route and the vendor's own code (kind: the canonical error)",
    ["vendor", "route", "code", "kind"],
)
STAGE_SECONDS = Histogram(
    "idfacade_stage_seconds",
    "Time one engine stage took (decode, face.detect, face.embed, ocr.text, liveness.clip, …)",
    ["stage"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
POOL_IN_FLIGHT = Gauge("idfacade_pool_in_flight", "Inference calls running or waiting")
POOL_RUNNING = Gauge("idfacade_pool_running", "Inference calls running on a worker thread")
POOL_QUEUED = Gauge("idfacade_pool_queued", "Inference calls waiting for a worker thread")
POOL_REJECTED = Counter("idfacade_pool_rejected_total", "Calls refused because the pool was full")
GALLERY_ITEMS = Gauge(
    "idfacade_gallery_items", "Items in a gallery collection", ["namespace", "collection"]
)
GALLERY_COLLECTIONS = Gauge("idfacade_gallery_collections", "Gallery collections")

stages.observe(lambda stage, seconds: STAGE_SECONDS.labels(stage).observe(seconds))


async def metrics_endpoint(request: Request) -> Response:
    """Prometheus text for loopback clients (or any, with `metrics_public`); 404 otherwise."""
    services = request.app.state.services
    if not metrics_allowed(request, services.settings):
        return Response(status_code=404)
    await run_in_threadpool(_gallery_sizes, services.gallery)
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


def _gallery_sizes(gallery: Gallery) -> None:
    """Each collection's size as the gallery's own SQL counts it (cheap: one row each)."""
    collections = gallery.collections(None)
    GALLERY_ITEMS.clear()
    for info in collections:
        GALLERY_ITEMS.labels(info.namespace, info.name).set(info.size)
    GALLERY_COLLECTIONS.set(len(collections))
