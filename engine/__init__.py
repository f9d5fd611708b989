"""The canonical engine: faces, liveness, galleries, OCR, imaging, media. It knows no vendor.

Facades use only the packages' public surfaces (each package's `__init__` and its `__all__`:
engine.face, engine.media, engine.imaging, engine.liveness, engine.gallery, engine.ocr) and
the functions below; tests/test_imports.py enforces it. Models load on first use, or all at
once through `warm_up()`, after which `ready()` is true.
"""

from __future__ import annotations

import threading

__all__ = ["embedding_version", "ready", "warm_up"]

_ready = threading.Event()


def warm_up(*, threads: int | None = None) -> None:
    """Load every model (faces, attributes, OCR) now, so no request pays for it, and check the
    packaged calibration against the embedding model (engine.models.warm_up)."""
    from engine import models, ocr
    from engine.face import _attributes as attributes

    models.warm_up(threads=threads)
    attributes.networks()
    ocr.warm_up()
    _ready.set()


def ready() -> bool:
    """Whether `warm_up()` has finished in this process."""
    return _ready.is_set()


def embedding_version() -> str:
    """The model version every embedding this deployment makes carries."""
    from engine import models

    return models.embedding_version()
