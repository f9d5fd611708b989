"""Kept response images are swept after their retention (issue 10 item 14)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from gateway.retention import sweep_kept_images
from tests.harness import gateway, ok


def aged(path: Path, seconds: float) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\xff\xd8\xff")
    then = time.time() - seconds
    os.utime(path, (then, then))
    return path


def test_old_kept_images_go_and_feature_photos_stay(tmp_path):
    old = aged(tmp_path / "images" / "face" / "20200101" / "a.jpg", 90_000)
    fresh = aged(tmp_path / "images" / "marked" / "20200101" / "b.jpg", 60)
    feature = aged(tmp_path / "images" / "feature" / "DB" / "20200101" / "c.jpg", 900_000)
    assert sweep_kept_images(tmp_path, ttl=86_400) == 1
    assert not old.exists() and not old.parent.exists()
    assert fresh.is_file() and feature.is_file()


def test_the_gateway_sweeps_on_start_and_path_answers_are_swept(tmp_path, shared_data):
    data = tmp_path / "var"
    leftover = aged(data / "images" / "face" / "20200101" / "old.jpg", 200)
    with gateway(data, image_return="path", kept_image_ttl=100) as client:
        photo = (shared_data / "faces/barack_obama/obama1.jpg").read_bytes()
        reply = client.post("/ssid-face/v2/detect", files={"file": ("o.jpg", photo, "image/jpeg")})
        kept = Path(ok(reply.json())["path"])
        assert kept.is_file()
        for _ in range(200):
            if not leftover.exists():
                break
            time.sleep(0.05)
        assert not leftover.exists()
    past_ttl = time.time() + 101
    assert sweep_kept_images(data, ttl=100, now=past_ttl) >= 1
    assert not kept.exists()
