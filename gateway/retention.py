"""Images kept for `image_return=path` answers are removed once they are `kept_image_ttl` old.

With paths on, every detect keeps the input and its marked image (50 detects left 100 files),
and nothing else ever removes them. Photos kept for feature databases (`images/feature`) are
not swept: they live as long as their feature does (vendors/sensetime/features.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from pathlib import Path

import structlog

log = structlog.get_logger("idfacade.retention")

IMAGES = "images"
KEPT_WITH_ITEMS = frozenset({"feature"})  # kinds whose files belong to gallery items


def sweep_kept_images(data_dir: Path, ttl: float, now: float | None = None) -> int:
    """Remove kept response images older than `ttl` seconds, and folders left empty; the
    number of files removed. Links are removed, never followed."""
    cutoff = (time.time() if now is None else now) - ttl
    base = data_dir / IMAGES
    if not base.is_dir():
        return 0
    removed = 0
    for kind in base.iterdir():
        if kind.name in KEPT_WITH_ITEMS or kind.is_symlink() or not kind.is_dir():
            continue
        for root, folders, files in os.walk(kind, topdown=False):
            for name in files:
                path = Path(root) / name
                with contextlib.suppress(FileNotFoundError):
                    if path.lstat().st_mtime < cutoff:
                        path.unlink()
                        removed += 1
            for name in folders:
                with contextlib.suppress(OSError):  # not empty, or already gone
                    (Path(root) / name).rmdir()
    return removed


async def sweep_forever(data_dir: Path, ttl: float) -> None:
    """Sweep now, then every quarter of the retention (at most hourly), off the event loop."""
    interval = min(3600.0, ttl / 4)
    while True:
        try:
            removed = await asyncio.to_thread(sweep_kept_images, data_dir, ttl)
            if removed:
                log.info("kept_images_swept", removed=removed)
        except OSError:
            log.exception("kept_images_sweep_failed")
        await asyncio.sleep(interval)
