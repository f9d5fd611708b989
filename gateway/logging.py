"""structlog set up for one JSON object per line on stderr.

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

SILENCED = ("PIL",)


def configure_logging(level: str = "info") -> None:
    numeric = logging.getLevelNamesMapping().get(level.upper(), logging.INFO)
    debug = numeric <= logging.DEBUG
    configure_standard_logging(numeric)
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            Faults(debug),
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(numeric),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=True,
    )


def configure_standard_logging(numeric: int) -> None:
    """The standard library's loggers: the fault policy, and Pillow silenced."""
    logging.basicConfig(stream=sys.stderr, level=numeric, format="%(message)s", force=True)
    for handler in logging.getLogger().handlers:
        handler.setFormatter(FaultFormatter(numeric <= logging.DEBUG))
    for name in SILENCED:
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)


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


class FaultFormatter(logging.Formatter):
    """The same policy for the standard library's loggers (uvicorn, the gallery's upkeep)."""

    def __init__(self, debug: bool) -> None:
        super().__init__("%(message)s")
        self.debug = debug

    def format(self, record: logging.LogRecord) -> str:
        if not record.exc_info or self.debug:
            return super().format(record)
        kind = record.exc_info[0].__name__ if record.exc_info[0] else "error"
        plain = logging.makeLogRecord(record.__dict__)
        plain.exc_info, plain.exc_text, plain.stack_info = None, None, None
        return f"{super().format(plain)} error_id={error_id()} error={kind}"
