"""SenseTime's feature databases kept in the vendor-neutral gallery (seed 000 chapter 3).

A database is a gallery collection in the `sensetime` namespace, named by its dbId, which is its
dbName (§3.1's example answers dbId "TEST13" for dbName "TEST13"; §3.3 holds ids to the name
rule). The gallery binds it to the model version of its first feature and refuses any other
version from then on, so features are never compared across models. A feature is a gallery item,
its featureId the id the gallery assigns.

Features inserted by image keep that image under the data directory, and the feature's `image`
names it (§3.5.1 "特征值对应图片在服务器上的路径"); the image goes when its feature or database
goes, so deleting a person's feature deletes their photo. Paths a caller gave (`imageUrl`, a
bulkImport file) are theirs and are never touched.

Every method blocks (SQL, the index, the face model): call them in the inference pool. Each
write is whole or nothing: a refused insert leaves neither an item nor a kept image behind.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import structlog

import engine.face as face_engine
from contracts.embeddings import Embedding
from contracts.errors import ErrorKind, IdfError
from contracts.gallery import (
    CollectionInfo,
    CollectionSpec,
    GalleryItem,
    ItemPatch,
    NewItem,
    SearchHit,
)
from contracts.images import ImageInput
from engine.gallery import Gallery
from engine.media import decode_image, encode_image
from vendors.common.inputs import read_server_path
from vendors.common.services import InferencePool, Services
from vendors.sensetime import errors
from vendors.sensetime.context import IMAGE_LIMITS, FaceImage, FaceSubject, embedding_of

log = structlog.get_logger("idfacade.sensetime")

SERVICE = "ssid-feature"
NAMESPACE = "sensetime"
IMAGES = Path("images") / "feature"  # kept images, below the data directory


def largest(found: FaceImage) -> FaceSubject:
    """The face chapter 3 works on: "若传入图片为多人脸，取最大脸" (§3.4.1, §3.5.1)."""
    return max(found.subjects, key=lambda s: s.face.box.area)


@dataclass(frozen=True)
class FeatureDbs:
    gallery: Gallery
    images: Path

    @classmethod
    def of(cls, services: Services) -> FeatureDbs:
        return cls(services.gallery, (services.data_dir / IMAGES).resolve())

    # databases

    def create(self, name: str, max_size: int, metadata: dict[str, str]) -> CollectionInfo:
        spec = CollectionSpec(namespace=NAMESPACE, name=name, max_size=max_size, metadata=metadata)
        try:
            return self.gallery.create_collection(spec)
        except IdfError as exc:
            if exc.kind is ErrorKind.already_exists:
                raise IdfError(ErrorKind.already_exists, f"dbName {name}", field="dbName") from exc
            raise

    def info(self, name: str) -> CollectionInfo:
        """The database, or "[ssid-feature]dbId X is not exist" (63040502)."""
        try:
            return self.gallery.collection(NAMESPACE, name)
        except IdfError as exc:
            if exc.kind is ErrorKind.not_found:
                raise IdfError(ErrorKind.not_found, f"dbId {name}", field="dbId") from exc
            raise

    def drop(self, name: str) -> None:
        self.info(name)
        self.gallery.delete_collection(NAMESPACE, name)
        shutil.rmtree(self.images / name, ignore_errors=True)

    # features

    def get(self, name: str, feature_id: str) -> tuple[CollectionInfo, GalleryItem]:
        """A feature and its database, or "featureId X is not exist" (63040502)."""
        info = self.info(name)
        try:
            return info, self.gallery.get(NAMESPACE, name, feature_id)
        except IdfError as exc:
            if exc.kind is ErrorKind.not_found:
                raise IdfError(
                    ErrorKind.not_found, f"featureId {feature_id}", field="featureId"
                ) from exc
            raise

    def insert(self, name: str, item: NewItem) -> GalleryItem:
        self.info(name)
        return self.gallery.insert(NAMESPACE, name, item)

    def insert_image(self, name: str, found: FaceImage, **fields: str | None) -> GalleryItem:
        """Insert the largest selected face of `found`; `fields` are external_id and remark."""
        self.info(name)
        embedding, ref = self._embed_and_keep(name, found)
        try:
            return self.insert(name, NewItem(embedding=embedding, image_ref=ref, **fields))
        except BaseException:
            self._discard(ref)
            raise

    def update(self, name: str, feature_id: str, patch: ItemPatch) -> GalleryItem:
        """Change what the patch names; an image the feature no longer names goes."""
        _, old = self.get(name, feature_id)
        new = self.gallery.update(NAMESPACE, name, feature_id, patch)
        if old.image_ref != new.image_ref:
            self._discard(old.image_ref)
        return new

    def update_image(
        self, name: str, feature_id: str, found: FaceImage, **fields: str | None
    ) -> GalleryItem:
        """Replace a feature by the largest selected face of `found`, and its image."""
        self.get(name, feature_id)
        embedding, ref = self._embed_and_keep(name, found)
        try:
            patch = ItemPatch(embedding=embedding, image_ref=ref, **fields)
            return self.update(name, feature_id, patch)
        except BaseException:
            self._discard(ref)
            raise

    def delete(self, name: str, feature_ids: Sequence[str]) -> dict[str, bool]:
        """Per featureId, whether it was deleted; ids not in the database are not an error."""
        self.info(name)
        kept = self.items(name, feature_ids)
        deleted = self.gallery.delete(NAMESPACE, name, feature_ids)
        for feature_id, item in kept.items():
            if deleted[feature_id]:
                self._discard(item.image_ref)
        return deleted

    def items(self, name: str, feature_ids: Sequence[str]) -> dict[str, GalleryItem]:
        """The features among `feature_ids` that exist, by featureId."""
        found = {}
        for feature_id in dict.fromkeys(feature_ids):
            try:
                found[feature_id] = self.gallery.get(NAMESPACE, name, feature_id)
            except IdfError as exc:
                if exc.kind is not ErrorKind.not_found:
                    raise
        return found

    def search(
        self, name: str, query: Embedding, count: int
    ) -> tuple[CollectionInfo, list[SearchHit]]:
        info = self.info(name)
        return info, self.gallery.search(NAMESPACE, query, collections=[name], top_k=count)

    # kept images

    def _embed_and_keep(self, name: str, found: FaceImage) -> tuple[Embedding, str]:
        subject = largest(found)
        embedding = embedding_of(subject)
        folder = self.images / name / time.strftime("%Y%m%d")
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{uuid.uuid4()}.jpg"
        path.write_bytes(encode_image(found.upright or subject.image, "jpeg"))
        return embedding, str(path)

    def _discard(self, ref: str | None) -> None:
        """Delete an image this service kept; a caller's own file is never touched."""
        if ref is not None and Path(ref).resolve().is_relative_to(self.images):
            Path(ref).resolve().unlink(missing_ok=True)


# --- bulkImport (§3.5.2) ---------------------------------------------------------------------

PROCESS_LOG = "process.log"  # §3.5.2 "进度详见日志: /images/test/process.log"
ERROR_FOLDER = "errorImages"  # §3.5.2 "失败信息详见日志: /images/test/errorImages/errorInfo.txt"
ERROR_INFO = "errorInfo.txt"
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff"})
ABORTED = "aborted: the service stopped"
BUSY_RETRY = 0.5  # seconds to wait when the pool is full: an import yields to live requests

_importing: set[Path] = set()  # folders with an import under way
_importing_lock = threading.Lock()
_jobs: set[asyncio.Task[None]] = set()  # strong references, so a running job is not collected


def import_folder(root: Path | None, text: str) -> Path:
    """The folder `data` names below the image root (read as inputs.read_server_path reads
    files), or "[ssid-feature]path is not exist" (§3.5.2's example)."""
    if root is None:
        raise IdfError(ErrorKind.unsupported, "server paths are not enabled", field="data")
    base = root.resolve()
    candidate = Path(text)
    target = (candidate if candidate.is_absolute() else base / candidate).resolve()
    if not target.is_relative_to(base):
        target = (base / text.lstrip("/")).resolve()
    if not target.is_relative_to(base) or not target.is_dir():
        raise IdfError(ErrorKind.not_found, "path", field="data")
    if not os.access(target, os.W_OK | os.X_OK):
        raise IdfError(ErrorKind.bad_param, "the folder is not writable for its logs", field="data")
    return target


@dataclass
class BulkImport:
    """One import of a folder's images into a database, run in the background (§3.5.2).

    `process.log` gets a line when the import starts, one per image (`i/n success …` or
    `i/n failed …`) and one when it ends (`finished …`, or `aborted …` when the service stops
    under it). `errorImages/errorInfo.txt` lists every image that was not inserted, with the
    code and message insertByImage would have answered, and a copy of the image lies beside it.
    Images are the folder's own files with an image suffix, in name order; the largest face of
    each is inserted, its `image` being the file's path.
    """

    dbs: FeatureDbs
    name: str
    folder: Path
    root: Path
    rotate: bool
    files: list[Path] = field(default_factory=list)
    succeeded: int = 0
    failed: int = 0
    _state: threading.Lock = field(default_factory=threading.Lock)
    _running: bool = False  # an image is being imported now
    _stopped: bool = False

    @property
    def process_log(self) -> Path:
        return self.folder / PROCESS_LOG

    @property
    def error_info(self) -> Path:
        return self.folder / ERROR_FOLDER / ERROR_INFO

    def prepare(self) -> None:
        """List the images and start both logs afresh (an earlier import's copies go)."""
        self.files = sorted(
            p for p in self.folder.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES
        )
        errors_folder = self.error_info.parent
        shutil.rmtree(errors_folder, ignore_errors=True)
        errors_folder.mkdir()
        self.error_info.write_text("", encoding="utf-8")
        self.process_log.write_text("", encoding="utf-8")
        self.log(f"started dbId={self.name} images={len(self.files)}")

    def log(self, line: str) -> None:
        with self.process_log.open("a", encoding="utf-8") as out:
            out.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} {line}\n")

    def step(self, number: int, path: Path) -> None:
        """Import one image unless the import was stopped; blocking, so it runs in the pool."""
        with self._state:
            if self._stopped:
                return
            self._running = True
        try:
            self._import(number, path)
        finally:
            with self._state:
                self._running = False
                if self._stopped:
                    self.log(ABORTED)

    def stop(self) -> None:
        """The service is stopping: say so as the last line, after the image in progress."""
        with self._state:
            if not self._stopped and not self._running:
                self.log(ABORTED)
            self._stopped = True

    def _import(self, number: int, path: Path) -> None:
        """Insert one image, or list it as failed. A fault that is not the image's (the
        database closing under a stopping service) propagates and ends the import instead, so
        that no good image is listed as failed."""
        counter = f"{number}/{len(self.files)}"
        try:
            item = self.dbs.insert(self.name, self._item(path))
        except IdfError as exc:
            code, message = errors.render(SERVICE, exc)
            with self.error_info.open("a", encoding="utf-8") as info:
                info.write(f"{path.name}\t{code}\t{message}\n")
            with contextlib.suppress(OSError):  # a file removed under the import has no copy
                shutil.copy2(path, self.error_info.parent / path.name)
            self.failed += 1
            self.log(f"{counter} failed {path.name} {code}")
        else:
            self.succeeded += 1
            self.log(f"{counter} success {path.name} featureId={item.item_id}")

    def _item(self, path: Path) -> NewItem:
        data = read_server_path(
            str(path), self.root, max_bytes=IMAGE_LIMITS.max_bytes, field=path.name
        )
        image = decode_image(ImageInput(data=data, limits=IMAGE_LIMITS, name=path.name))
        detection = face_engine.detect(image, rotate=self.rotate)
        if not detection.faces:
            raise IdfError(ErrorKind.no_face, "no face was found", field=path.name)
        return NewItem(embedding=face_engine.embed(image, detection, 0), image_ref=str(path))

    async def run(self, pool: InferencePool) -> None:
        try:
            for number, path in enumerate(self.files, 1):
                while True:
                    try:
                        await pool.run(self.step, number, path)
                        break
                    except IdfError as exc:
                        # busy: wait for a free slot; timeout: the step still ends and logs
                        if exc.kind is not ErrorKind.busy:
                            break
                        await asyncio.sleep(BUSY_RETRY)
            self.log(f"finished succeeded={self.succeeded} failed={self.failed}")
        except Exception as exc:
            log.exception("bulk_import_aborted", folder=str(self.folder))
            self.log(f"aborted: {type(exc).__name__}: {exc}")


def prepare_import(services: Services, name: str, text: str, rotate: bool) -> BulkImport:
    """Check the database and the folder up front and start the logs; blocking."""
    dbs = FeatureDbs.of(services)
    dbs.info(name)
    root = services.settings.image_root
    folder = import_folder(root, text)
    assert root is not None  # import_folder refuses paths when there is no root
    with _importing_lock:
        if folder in _importing:
            raise IdfError(ErrorKind.already_exists, f"an import of {folder}", field="data")
        _importing.add(folder)
    job = BulkImport(dbs, name, folder, root.resolve(), rotate)
    try:
        job.prepare()
    except BaseException:
        _importing.discard(folder)
        raise
    return job


def launch(job: BulkImport, pool: InferencePool) -> None:
    """Run a prepared import in the background, on the running event loop."""
    task = asyncio.get_running_loop().create_task(job.run(pool))
    _jobs.add(task)

    def ended(task: asyncio.Task[None]) -> None:
        # also reached when the task is cancelled before it ever ran
        _jobs.discard(task)
        _importing.discard(job.folder)
        if task.cancelled():
            job.stop()

    task.add_done_callback(ended)
