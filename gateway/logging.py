"""structlog set up for one JSON object per line on stderr, for every logger in the process.

The gateway's own events (structlog) and the standard library's records (uvicorn's start-up and
error lines, the gallery's upkeep, onnxruntime's and httpx's loggers) go through one processor
chain and one renderer, so a log shipper parses every line alike: `timestamp`, `level`,
`logger`, `event`, and the event's own keys.

A fault is one line with an error id and the exception's type; its traceback (which names
internal paths and may quote data) is written only at debug level. Pillow's loggers are
silenced at every level: at debug they print a photo's EXIF tags (camera, software), and the
gateway never logs image data.
"""

from __future__ import annotations

import logging
import sys
import uuid
from collections.abc import MutableMapping
from typing import Any

import structlog
from structlog.typing import Processor

SILENCED = ("PIL",)
# uvicorn's loggers keep their own handlers unless told otherwise; they propagate to the root.
ROUTED = ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi")


def configure_logging(level: str = "info") -> None:
    numeric = logging.getLevelNamesMapping().get(level.upper(), logging.INFO)
    configure_standard_logging(numeric)
    # structlog's events end in the standard library's handler, whose formatter renders both
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            *_shared(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(numeric),
        logger_factory=structlog.stdlib.LoggerFactory(),
        cache_logger_on_first_use=True,
    )


def configure_standard_logging(numeric: int) -> None:
    """The standard library's loggers: JSON lines under the fault policy, Pillow silenced."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(FaultFormatter(numeric <= logging.DEBUG))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(numeric)
    for name in ROUTED:
        routed = logging.getLogger(name)
        routed.handlers.clear()
        routed.propagate = True
        routed.disabled = False  # an earlier dictConfig (uvicorn's default) disables them
        routed.setLevel(logging.NOTSET)
    for name in SILENCED:
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)
    logging.captureWarnings(True)  # a library's warning is a JSON line too (logger py.warnings)


def _shared() -> list[Processor]:
    """What every line gets, whichever logger wrote it."""
    return [
        structlog.stdlib.add_logger_name,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]


def error_id() -> str:
    return uuid.uuid4().hex[:16]


class Faults:
    """structlog processor: an event with an exception gets `error_id` and `error` (the type);
    the traceback stays only when logging at debug."""

    def __init__(self, debug: bool) -> None:
        self.debug = debug

    def __call__(
        self, logger: Any, method: str, event: MutableMapping[str, Any]
    ) -> MutableMapping[str, Any]:
        exc_info = event.get("exc_info")
        if not exc_info:
            return event
        if exc_info is True:
            exc_info = sys.exc_info()
        elif isinstance(exc_info, BaseException):
            exc_info = (type(exc_info), exc_info, exc_info.__traceback__)
        event.setdefault("error_id", error_id())
        if exc_info and exc_info[0] is not None:
            event.setdefault("error", exc_info[0].__name__)
        if self.debug:
            event["exc_info"] = exc_info
        else:
            event.pop("exc_info", None)
        return event


class FaultFormatter(structlog.stdlib.ProcessorFormatter):
    """The standard library's records as the gateway's JSON lines, under the same fault
    policy (uvicorn's "Exception in ASGI application", the gallery's upkeep)."""

    def __init__(self, debug: bool) -> None:
        super().__init__(
            foreign_pre_chain=_shared(),
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                Faults(debug),
                structlog.processors.format_exc_info,
                structlog.processors.JSONRenderer(),
            ],
        )
