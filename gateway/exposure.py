"""What may face the network: SenseTime's open mode and /metrics stay on loopback by default.

SenseTime's open mode answers without credentials (a box without the admin console). Bound to
an address other than loopback, that is an unauthenticated face API on the network, so the
gateway refuses to start so unless the operator says so (`sensetime_open_on_network`).
/metrics names routes and load; it answers loopback clients only unless `metrics_public`.
"""

from __future__ import annotations

import ipaddress

from starlette.requests import Request

from gateway.settings import Settings


class ExposureRefused(Exception):
    """The settings would expose an unauthenticated API; the message says what to set."""


def is_loopback(host: str | None) -> bool:
    """Whether `host` (an address or "localhost") can only be reached from this machine."""
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_exposure(settings: Settings) -> None:
    if (
        settings.sensetime_auth == "open"
        and not is_loopback(settings.host)
        and not settings.sensetime_open_on_network
    ):
        raise ExposureRefused(
            f"SenseTime open mode needs no credentials; refusing to serve it on {settings.host}. "
            "Set sensetime_auth=account (IDFACADE_SENSETIME_AUTH=account), bind to 127.0.0.1, "
            "or set IDFACADE_SENSETIME_OPEN_ON_NETWORK=true to serve it openly on purpose."
        )


def metrics_allowed(request: Request, settings: Settings) -> bool:
    client = request.client
    return settings.metrics_public or (client is not None and is_loopback(client.host))
