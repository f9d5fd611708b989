"""What the logs may hold (issue 10 items 10 and 11): one line per fault, no EXIF."""

from __future__ import annotations

import io
import json
import logging
import sys

import pytest
import structlog
from PIL import Image

from contracts.images import ImageInput
from engine.media import decode_image
from gateway.logging import FaultFormatter, Faults, configure_logging, configure_standard_logging


@pytest.fixture
def standard_logging():
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    yield configure_standard_logging
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])
    logging.getLogger("PIL").setLevel(logging.NOTSET)


def photo_with_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SecretCamMake"  # Make
    exif[0x0131] = "SecretSoftware"  # Software
    buf = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 100, 50)).save(buf, "JPEG", exif=exif)
    return buf.getvalue()


def test_pillow_writes_no_exif_even_at_debug(standard_logging, capfd):
    standard_logging(logging.DEBUG)
    decode_image(ImageInput(data=photo_with_exif()))
    err = capfd.readouterr().err
    assert "SecretCamMake" not in err and "SecretSoftware" not in err


def test_standard_library_faults_are_one_line_with_an_error_id():
    try:
        raise KeyError("/srv/idfacade/var/secret")
    except KeyError:
        info = sys.exc_info()
    record = logging.LogRecord("uvicorn.error", logging.ERROR, "x.py", 1, "Exception", (), info)
    line = FaultFormatter(debug=False).format(record)
    assert "\n" not in line and "Traceback" not in line and "/srv/" not in line
    fields = json.loads(line)
    assert fields["error"] == "KeyError" and len(fields["error_id"]) == 16
    assert fields["logger"] == "uvicorn.error" and fields["level"] == "error"
    record = logging.LogRecord("uvicorn.error", logging.ERROR, "x.py", 1, "Exception", (), info)
    assert "Traceback" in json.loads(FaultFormatter(debug=True).format(record))["exception"]


def test_every_line_is_one_json_object_whichever_logger_wrote_it(capfd):
    """uvicorn's, a library's and the gateway's own lines alike (issue 18: JSON logs)."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        configure_logging("info")
        logging.getLogger("uvicorn.error").info("Uvicorn running on %s", "http://127.0.0.1:1")
        logging.getLogger("httpx").warning("a library's line")
        with structlog.contextvars.bound_contextvars(request_id="r1"):
            structlog.get_logger("idfacade").info("request", route="/x", status=200)
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
        logging.captureWarnings(False)
        structlog.reset_defaults()
    lines = [json.loads(line) for line in capfd.readouterr().err.splitlines()]
    by_logger = {line["logger"]: line for line in lines}
    assert by_logger["uvicorn.error"]["event"] == "Uvicorn running on http://127.0.0.1:1"
    assert by_logger["httpx"]["level"] == "warning"
    assert by_logger["idfacade"]["request_id"] == "r1" and by_logger["idfacade"]["status"] == 200
    assert all("timestamp" in line for line in lines)


def test_structlog_faults_keep_the_traceback_only_at_debug():
    try:
        raise ValueError("/srv/idfacade/var/credentials.db")
    except ValueError:
        quiet = Faults(debug=False)(None, "error", {"event": "fault", "exc_info": True})
        loud = Faults(debug=True)(None, "error", {"event": "fault", "exc_info": True})
    assert "exc_info" not in quiet
    assert quiet["error"] == "ValueError" and len(quiet["error_id"]) == 16
    assert loud["exc_info"][0] is ValueError
