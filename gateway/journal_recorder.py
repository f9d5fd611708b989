"""ASGI middleware that writes every vendor call to the journal (gateway/journal.py).

It sits innermost, beside the router: it sees the body as the facade read it (already bounded
by the body guard) and the answer before gzip. A call is a vendor call when a facade answered
it (`request.state.facade`, set by vendors.common.routing); health, metrics and admin paths are
not journalled. The vendor's client module reads the answer's code, decision and score; the
conformance findings are what `contract_checks` left on `request.state.contract_findings`.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Mapping
from typing import Any

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.journal import CallRecord, Journal
from gateway.journal_fields import redact, request_fields
from vendors.common.answers import Answer
from vendors.netocr.client import read_answer as netocr_answer
from vendors.sensetime.client import read_answer as sensetime_answer
from vendors.waiqin.client import read_answer as waiqin_answer
from vendors.yitu.client import read_answer as yitu_answer

log = structlog.get_logger("idfacade.journal")

READERS: Mapping[str, Callable[[bytes], Answer]] = {
    "sensetime": sensetime_answer,
    "yitu": yitu_answer,
    "waiqin": waiqin_answer,
    "netocr": netocr_answer,
}
MAX_READ_ANSWER = 4 * 1024 * 1024  # answers past this (inline images) are not read for codes
MAX_ANSWER_CHUNKS = 64  # a streamed answer longer than this is not read either


class JournalMiddleware:
    def __init__(self, app: ASGIApp, journal: Journal, *, keep_bodies: bool = False) -> None:
        self.app = app
        self.journal = journal
        self.keep_bodies = keep_bodies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        chunks: list[bytes] = []
        answer: list[bytes] = []
        status = 0
        written = False

        async def recording_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                chunks.append(message.get("body", b""))
            return message

        async def write() -> None:
            nonlocal written
            written = True
            state = scope.get("state", {})
            if "facade" not in state:
                return
            latency = (time.perf_counter() - started) * 1000
            try:
                body = b"".join(chunks)
                record = await self._record(scope, state, body, status, answer, latency)
                self.journal.record(record)
            except Exception as exc:  # the call is answered; a journal fault must not undo it
                log.warning("journal_write_failed", error=type(exc).__name__)

        async def recording_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body" and len(answer) < MAX_ANSWER_CHUNKS:
                answer.append(message.get("body", b""))
            if message["type"] == "http.response.body" and not message.get("more_body"):
                await write()  # before the last byte leaves: a client that reads the journal
                # right after its answer finds the call there
            await send(message)

        await self.app(scope, recording_receive, recording_send)
        if not written:  # an answer cut short (a dropped connection) is journalled too
            await write()

    async def _record(
        self,
        scope: Scope,
        state: dict[str, Any],
        body: bytes,
        status: int,
        answer: list[bytes],
        latency: float,
    ) -> CallRecord:
        vendor = state["facade"]
        fields = await request_fields(scope, body)
        reading = _read(vendor, b"".join(answer)) if len(answer) < MAX_ANSWER_CHUNKS else None
        route = getattr(scope.get("route"), "path", None) or "unmatched"
        return CallRecord(
            at=time.time(),
            request_id=str(state.get("request_id", "")),
            vendor=vendor,
            api=state.get("api"),
            route=route,
            method=scope["method"],
            principal=state.get("principal"),
            fields=redact(fields),
            status=status,
            code=reading.code if reading else None,
            ok=reading.ok if reading else None,
            decision=reading.decision if reading else None,
            score=reading.score if reading else None,
            latency_ms=round(latency, 3),
            findings=[_finding(f) for f in state.get("contract_findings", [])],
            fault=state.get("fault"),
            replay=redact(fields, keep_blobs=True) if self.keep_bodies else None,
        )


def _read(vendor: str, body: bytes) -> Answer | None:
    if not body or len(body) > MAX_READ_ANSWER:
        return None
    try:
        return READERS[vendor](body)
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def _finding(finding: Any) -> dict[str, str]:
    """A conformance finding (contracts.findings.Finding, a frozen dataclass) as JSON."""
    if dataclasses.is_dataclass(finding) and not isinstance(finding, type):
        return {k: str(v) for k, v in dataclasses.asdict(finding).items()}
    return {name: str(getattr(finding, name, "")) for name in ("rule", "field", "detail")}
