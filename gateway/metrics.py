"""Prometheus metrics, created once per process and served at /metrics."""

from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest
from starlette.requests import Request
from starlette.responses import Response

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
POOL_IN_FLIGHT = Gauge("idfacade_pool_in_flight", "Inference calls running or waiting")
POOL_REJECTED = Counter("idfacade_pool_rejected_total", "Calls refused because the pool was full")


async def metrics_endpoint(request: Request) -> Response:
    """Prometheus text for loopback clients (or any, with `metrics_public`); 404 otherwise."""
    if not metrics_allowed(request, request.app.state.services.settings):
        return Response(status_code=404)
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
