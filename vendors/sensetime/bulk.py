"""bulkImport (seed 000 §3.5.2): a server folder of images inserted in the background, with a
progress log and an error list beside the images.

The folder is the caller's, so nothing in it is trusted: symbolic links are not listed, a file
that fails the image-root check is never opened, copied or moved, and the logs and error copies
are written without following a link that may have been planted in their place.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import structlog

import engine.face as face_engine
from contracts.errors import ErrorKind, IdfError
from contracts.gallery import NewItem
from contracts.images import ImageInput
from vendors.common.inputs import read_server_path, resolve_server_path
from vendors.common.progress import JOBS, Job
from vendors.common.services import InferencePool, Services
from vendors.sensetime import errors
from vendors.sensetime.context import IMAGE_LIMITS
from vendors.sensetime.features import SERVICE, FeatureDbs

log = structlog.get_logger("idfacade.sensetime")

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
    target = resolve_server_path(text, root, field="data", folder=True)
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
    progress: Job | None = None  # what the admin console shows

    @property
    def process_log(self) -> Path:
        return self.folder / PROCESS_LOG

    @property
    def error_info(self) -> Path:
        return self.folder / ERROR_FOLDER / ERROR_INFO

    def prepare(self) -> None:
        """List the images (regular files, never links) and start both logs afresh (an
        earlier import's copies go)."""
        with os.scandir(self.folder) as entries:
            self.files = sorted(
                Path(entry.path)
                for entry in entries
                if entry.is_file(follow_symlinks=False)
                and Path(entry.name).suffix.lower() in IMAGE_SUFFIXES
            )
        errors_folder = self.error_info.parent
        if errors_folder.is_symlink() or errors_folder.is_file():
            errors_folder.unlink()
        shutil.rmtree(errors_folder, ignore_errors=True)
        errors_folder.mkdir()
        _write_new(self.error_info, b"")
        _write_new(self.process_log, b"")
        self.log(f"started dbId={self.name} images={len(self.files)}")
        self.progress = JOBS.start("bulkImport", f"{self.name} from {self.folder}", len(self.files))

    def log(self, line: str) -> None:
        _append(self.process_log, f"{time.strftime('%Y-%m-%d %H:%M:%S')} {line}\n")

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
        if self.progress is not None and self.progress.finished is None:
            self.progress.finish(ABORTED)
        with self._state:
            if not self._stopped and not self._running:
                self.log(ABORTED)
            self._stopped = True

    def _import(self, number: int, path: Path) -> None:
        """Insert one image, or list it as failed. A fault that is not the image's (the
        database closing under a stopping service) propagates and ends the import instead, so
        that no good image is listed as failed."""
        counter = f"{number}/{len(self.files)}"
        data: bytes | None = None
        try:
            # The root check comes first; a file that fails it is never read or copied.
            data = read_server_path(
                str(path), self.root, max_bytes=IMAGE_LIMITS.max_bytes, field=path.name
            )
            item = self.dbs.insert(self.name, self._item(path, data))
        except IdfError as exc:
            code, message = errors.render(SERVICE, exc)
            _append(self.error_info, f"{path.name}\t{code}\t{message}\n")
            if data is not None:
                # the bytes that were checked and read, never the path again
                with contextlib.suppress(OSError):
                    _write_new(self.error_info.parent / path.name, data)
            self.failed += 1
            self.log(f"{counter} failed {path.name} {code}")
            if self.progress is not None:
                self.progress.advance(ok=False)
        else:
            self.succeeded += 1
            self.log(f"{counter} success {path.name} featureId={item.item_id}")
            if self.progress is not None:
                self.progress.advance()

    def _item(self, path: Path, data: bytes) -> NewItem:
        image = ImageInput(data=data, limits=IMAGE_LIMITS, name=path.name)
        found = face_engine.embed_face(image, rotate=self.rotate)  # the largest face (§3.5.2)
        return NewItem(embedding=found.embedding, image_ref=str(path))

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
            if self.progress is not None:
                self.progress.finish()
        except Exception as exc:
            log.exception("bulk_import_aborted", folder=str(self.folder))
            self.log(f"aborted: {type(exc).__name__}: {exc}")
            if self.progress is not None:
                self.progress.finish(f"aborted: {type(exc).__name__}")


_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)


def _write_new(path: Path, data: bytes) -> None:
    """Replace `path` by a new file holding `data`; a link in its place is removed, not
    followed."""
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NO_FOLLOW, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)


def _append(path: Path, text: str) -> None:
    """Append to a log this import created; a link put in its place since is not followed."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | _NO_FOLLOW)
    with os.fdopen(fd, "a", encoding="utf-8") as out:
        out.write(text)


def prepare_import(
    services: Services, name: str, text: str, rotate: bool, owner: str | None = None
) -> BulkImport:
    """Check the database (`owner`'s, see FeatureDbs) and the folder up front and start the
    logs; blocking."""
    dbs = FeatureDbs.of(services, owner)
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
