"""Images in responses: inline base64, or a file under the data directory and its path.

SenseTime's manual shows both (`markedImg` as "/images/face/20200629/53/….jpg", and base64
"per the deployment's configuration"), so it is a setting.
"""

from __future__ import annotations

import base64
import time
import uuid
from pathlib import Path

from contracts.images import DecodedImage
from engine.media import encode_image
from vendors.common.services import Services


def images_folder(services: Services, kind: str) -> Path:
    """Where images of one kind are kept: `<data>/images/<kind>`."""
    return services.data_dir / "images" / kind


def keep_bytes(base: Path, data: bytes, suffix: str) -> Path:
    """Store `data` under `<base>/<yyyymmdd>/` with a fresh name; the path is what the manuals
    call the file's place "on the server"."""
    folder = base / time.strftime("%Y%m%d")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4()}.{suffix}"
    path.write_bytes(data)
    return path.resolve()


def shown_path(services: Services, ref: str | None) -> str | None:
    """A kept file's path as a response shows it: absolute only when the deployment returns
    server paths (image_return=path); otherwise below the data directory, as the manual
    prints them ("/images/feature/..."), so answers never reveal where the data lies."""
    if ref is None or services.settings.image_return == "path":
        return ref
    base, path = services.data_dir.resolve(), Path(ref)
    if path.is_absolute() and path.is_relative_to(base):
        return "/" + path.relative_to(base).as_posix()
    return ref


def render_bytes(services: Services, jpeg: bytes, kind: str, suffix: str = "jpg") -> str:
    """An encoded image (JPEG unless `suffix` says otherwise) as the deployment returns images:
    base64, or the path of a kept copy."""
    if services.settings.image_return == "base64":
        return base64.b64encode(jpeg).decode()
    return str(keep_bytes(images_folder(services, kind), jpeg, suffix))


def render_image(services: Services, image: DecodedImage, kind: str) -> str:
    return render_bytes(services, encode_image(image, "jpeg"), kind)
