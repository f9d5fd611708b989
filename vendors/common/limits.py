"""Body caps per route: what a route's documented images take on the wire, with headroom.

A facade reads no more than its largest legitimate request, so that a caller who is not yet
authenticated (or is, but sends junk) cannot make the gateway hold 40 MiB per request.
"""

from __future__ import annotations

import math

FORM_HEADROOM = 256 * 1024  # the other fields, JSON or multipart framing


def base64_body(*image_bytes: int, url_encoded: bool = False) -> int:
    """The body that carries images of these byte sizes as base64 (URL-encoded: '+', '/' and
    '=' take three characters each, about 1/16 more), plus the other fields."""
    encoded = sum(4 * math.ceil(n / 3) for n in image_bytes)
    if url_encoded:
        encoded = math.ceil(encoded * 17 / 16)
    return encoded + FORM_HEADROOM
