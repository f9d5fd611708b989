"""A journal record of an ordinary Yitu OCR call, for tests to vary one field at a time."""

from __future__ import annotations

import time
from typing import Any

from gateway.journal import CallRecord


def call_record(**changes: Any) -> CallRecord:
    fields: dict[str, Any] = dict(
        at=time.time(),
        request_id="r",
        vendor="yitu",
        api="ocr",
        route="/face/basic/ocr",
        method="POST",
        principal="p",
        fields={},
        status=200,
        code="0",
        ok=True,
        decision=None,
        score=None,
        latency_ms=1.0,
    )
    return CallRecord(**(fields | changes))
