"""The image a gallery item was stored with, read back (re-embedding, the console's matches).

A facade keeps an item's image as a file under the data directory or the image root, or
inline as a JPEG data URI (`image_ref`). A file is read only when it is a regular file below
one of the roots with no link on the way; anything else (a caller's URL, a path elsewhere) is
not read, and the answer says why.
"""

from __future__ import annotations

import base64
import binascii
from pathlib import Path

DATA_URI = "data:image/jpeg;base64,"
MAX_BYTES = 20 * 1024 * 1024


def kept_image(ref: str | None, roots: tuple[Path, ...]) -> tuple[bytes | None, str]:
    """(the image's bytes, "") or (None, why there are none)."""
    if not ref:
        return None, "no image was kept"
    if ref.startswith(DATA_URI):
        try:
            return base64.b64decode(ref.removeprefix(DATA_URI), validate=True), ""
        except (binascii.Error, ValueError):
            return None, "the kept image is not valid base64"
    path = confined(Path(ref), roots)
    if path is None:
        return None, "the image is not a file under the data directory or image root"
    try:
        if path.stat().st_size > MAX_BYTES:
            return None, "the image is over 20 MiB"
        return path.read_bytes(), ""
    except OSError as error:
        return None, f"the image cannot be read: {error.strerror}"


def confined(path: Path, roots: tuple[Path, ...]) -> Path | None:
    """`path` if it is a regular file inside one of `roots` with no link on the way."""
    if not path.is_absolute():
        return None
    for root in roots:
        base = root.resolve()
        if path.is_relative_to(base) and path.resolve() == path and path.is_file():
            return path
    return None
