"""Base64 as legacy clients really send it.

Seen in the wild (docs/PROTOCOLS.md): `data:image/jpeg;base64,` prefixes, MIME line breaks
every 76 characters, URL-encoding (Waiqin), `+` turned into spaces by a form parser that was
given unencoded base64 (netocr's C client), the URL-safe alphabet, and missing padding.
"""

from __future__ import annotations

import base64
import binascii
import re
from urllib.parse import unquote

from contracts.errors import ErrorKind, IdfError

_PERCENT_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
_NOT_BASE64 = re.compile(r"[^A-Za-z0-9+/=]")
_URLSAFE = str.maketrans("-_", "+/")


def decode_base64(text: str | bytes, *, max_bytes: int, field: str = "data") -> bytes:
    """Decode lenient base64, refusing it by its length before decoding when it is too large."""
    if isinstance(text, bytes):
        text = text.decode("ascii", errors="replace")
    body = text.strip()
    if body.startswith("data:"):
        _, _, body = body.partition(",")
    if _PERCENT_ESCAPE.search(body):
        body = unquote(body)
    body = body.replace(" ", "+")
    body = re.sub(r"\s+", "", body).translate(_URLSAFE)
    if not body:
        raise IdfError(ErrorKind.missing_param, f"{field} is empty", field=field)
    if len(body) * 3 // 4 > max_bytes:
        raise IdfError(
            ErrorKind.image_too_large, f"{field} is larger than {max_bytes} bytes", field=field
        )
    if _NOT_BASE64.search(body):
        raise IdfError(ErrorKind.bad_param, f"{field} is not base64", field=field)
    body = body.rstrip("=")
    body += "=" * (-len(body) % 4)
    try:
        return base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise IdfError(ErrorKind.bad_param, f"{field} is not base64", field=field) from exc
