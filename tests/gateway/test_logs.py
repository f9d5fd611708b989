"""What the logs may hold (issue 10 items 10 and 11): one line per fault, no EXIF."""

from __future__ import annotations

import io
import logging
import sys

import pytest
from PIL import Image

from contracts.images import ImageInput
from engine.media import decode_image
from gateway.logging import FaultFormatter, Faults, configure_standard_logging


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
    assert "error_id=" in line and "error=KeyError" in line
    assert "Traceback" in FaultFormatter(debug=True).format(record)


def test_structlog_faults_keep_the_traceback_only_at_debug():
    try:
        raise ValueError("/srv/idfacade/var/credentials.db")
    except ValueError:
        quiet = Faults(debug=False)(None, "error", {"event": "fault", "exc_info": True})
        loud = Faults(debug=True)(None, "error", {"event": "fault", "exc_info": True})
    assert "exc_info" not in quiet
    assert quiet["error"] == "ValueError" and len(quiet["error_id"]) == 16
    assert loud["exc_info"][0] is ValueError
