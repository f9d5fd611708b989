"""How uvicorn serves the gateway: timeouts for idle and slow clients, and a connection cap.

uvicorn times out an idle keep-alive connection, but not a client that trickles its request
headers or never sends any: 61 such connections were held open in the audit. `TimedH11Protocol`
gives every request's headers a deadline (from the connection's start, or from the previous
response) and closes connections past `max_connections` as they arrive. The body's deadline
is kept by `gateway.middleware.BodyLimitMiddleware`, where the body is read.
"""

from __future__ import annotations

import asyncio
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from gateway.settings import Settings


class TimedH11Protocol(H11Protocol):
    """h11 with a header deadline and a connection cap (set per server by `timed_protocol`)."""

    header_timeout: float = 10.0
    max_connections: int = 256

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._header_timer: asyncio.TimerHandle | None = None
        if len(self.connections) > self.max_connections:
            self.logger.warning("connection refused: %d connections open", self.max_connections)
            transport.close()
            return
        self._arm_header_timer()

    def handle_events(self) -> None:
        super().handle_events()
        if self.conn.their_state is not h11.IDLE:
            self._disarm_header_timer()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing() and self.conn.their_state is h11.IDLE:
            self._arm_header_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_header_timer()
        super().connection_lost(exc)

    def _arm_header_timer(self) -> None:
        self._disarm_header_timer()
        self._header_timer = self.loop.call_later(self.header_timeout, self._headers_overdue)

    def _disarm_header_timer(self) -> None:
        timer = getattr(self, "_header_timer", None)
        if timer is not None:
            timer.cancel()
            self._header_timer = None

    def _headers_overdue(self) -> None:
        self._header_timer = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()


def timed_protocol(settings: Settings) -> type[TimedH11Protocol]:
    """The protocol class with this deployment's header deadline and connection cap."""
    attributes = {
        "header_timeout": settings.header_timeout,
        "max_connections": settings.max_connections,
    }
    return type("GatewayH11Protocol", (TimedH11Protocol,), attributes)


def server_config(app: Any, settings: Settings) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        http=timed_protocol(settings),
        timeout_keep_alive=settings.keep_alive_timeout,
        access_log=False,
        log_config=None,
    )
