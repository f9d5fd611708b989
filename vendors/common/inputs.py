"""Image and video inputs: a multipart file, or a text field holding base64, a server path
under the configured root, or a web link (seed 000 §2.1 `data`; PROTOCOLS.md "Rules").
"""

from __future__ import annotations

import re
from pathlib import Path

from starlette.datastructures import UploadFile

from contracts.errors import ErrorKind, IdfError
from contracts.images import ImageInput, ImageLimits, VideoInput, VideoLimits
from engine.media import decode_base64
from vendors.common.config import FacadeSettings
from vendors.common.links import fetch_link
from vendors.common.params import Params

_LINK = re.compile(r"^https?://", re.IGNORECASE)


async def read_upload(upload: UploadFile, *, max_bytes: int, field: str) -> bytes:
    """Read a multipart file, refusing it as soon as it passes the limit."""
    data = await upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise IdfError(ErrorKind.image_too_large, f"{field} is over {max_bytes} bytes", field=field)
    return data


def resolve_server_path(text: str, root: Path | None, *, field: str, folder: bool = False) -> Path:
    """The file (or folder) `text` names, if it lies inside `root` once links and `..` are
    resolved; otherwise `not_found`, saying nothing about what lies outside."""
    if root is None:
        raise IdfError(ErrorKind.unsupported, "server paths are not enabled", field=field)
    if "\x00" in text:
        raise IdfError(ErrorKind.bad_param, "a path holds no NUL byte", field=field)
    base = root.resolve()
    candidate = Path(text)
    target = (candidate if candidate.is_absolute() else base / candidate).resolve()
    if not target.is_relative_to(base):
        # Manuals show paths as the server printed them ("/images/face/..."): try under root.
        target = (base / text.lstrip("/")).resolve()
    exists = target.is_dir() if folder else target.is_file()
    if not target.is_relative_to(base) or not exists:
        raise IdfError(ErrorKind.not_found, "path", field=field)
    return target


def read_server_path(text: str, root: Path | None, *, max_bytes: int, field: str) -> bytes:
    target = resolve_server_path(text, root, field=field)
    if target.stat().st_size > max_bytes:
        raise IdfError(ErrorKind.image_too_large, f"{field} is over {max_bytes} bytes", field=field)
    return target.read_bytes()


def looks_like_path(text: str) -> bool:
    """Base64 never holds a '.', a file name does; base64 JPEGs start with '/9j/', so a leading
    slash proves nothing. Data URIs are base64 whatever they contain."""
    return not text.startswith("data:") and len(text) < 4096 and "." in text


async def resolve_bytes(
    value: str | UploadFile, settings: FacadeSettings, *, max_bytes: int, field: str
) -> bytes:
    if isinstance(value, UploadFile):
        return await read_upload(value, max_bytes=max_bytes, field=field)
    if not isinstance(value, str):
        # a JSON number, list, object or bool, or a field given twice
        raise IdfError(ErrorKind.bad_param, f"{field} must be one text or file", field=field)
    text = value.strip()
    if _LINK.match(text):
        if not settings.web_links:
            raise IdfError(ErrorKind.unsupported, "web links are not enabled", field=field)
        return await fetch_link(text, max_bytes=max_bytes, timeout=settings.web_link_timeout)
    if looks_like_path(text):
        return read_server_path(text, settings.image_root, max_bytes=max_bytes, field=field)
    return decode_base64(text, max_bytes=max_bytes, field=field)


async def image_input(
    params: Params, settings: FacadeSettings, fields: tuple[str, ...], limits: ImageLimits
) -> ImageInput | None:
    """The first of `fields` that is present, as an ImageInput; None when none is."""
    name = params.first_present(fields)
    if name is None:
        return None
    data = await resolve_bytes(
        _single(params, name), settings, max_bytes=limits.max_bytes, field=name
    )
    return ImageInput(data=data, limits=limits, name=name)


async def require_image(
    params: Params, settings: FacadeSettings, fields: tuple[str, ...], limits: ImageLimits
) -> ImageInput:
    found = await image_input(params, settings, fields, limits)
    if found is None:
        raise IdfError(
            ErrorKind.missing_one_of,
            f"{','.join(fields)} can not both be blank",
            field=",".join(fields),
        )
    return found


async def video_input(
    params: Params, settings: FacadeSettings, fields: tuple[str, ...], limits: VideoLimits
) -> VideoInput:
    name = params.first_present(fields)
    if name is None:
        raise IdfError(
            ErrorKind.missing_one_of,
            f"{','.join(fields)} can not both be blank",
            field=",".join(fields),
        )
    data = await resolve_bytes(
        _single(params, name), settings, max_bytes=limits.max_bytes, field=name
    )
    return VideoInput(data=data, limits=limits, name=name)


def _single(params: Params, name: str) -> str | UploadFile:
    """The one value of an image or video field; a field sent twice is a parameter error."""
    if params.repeated(name):
        raise IdfError(ErrorKind.bad_param, f"{name} is given more than once", field=name)
    return params.raw(name)
