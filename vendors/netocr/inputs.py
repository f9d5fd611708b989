"""The images and videos of a netocr call, whichever way the client sent them.

The manual names base64 fields on some paths (`img1`, `img`, `videoContent`) and multipart
files on others (`file1`, `file`); each slot accepts either spelling in either form, because
Java clients post base64 as multipart text fields, with line breaks (engine.media.decode_base64
reads base64 however it arrives). Text that is not base64 is an undecodable image, as netocr
would see it, not a malformed parameter; a field sent twice is a malformed parameter (-17).
"""

from __future__ import annotations

from contracts.errors import ErrorKind, IdfError
from contracts.images import ImageInput, ImageLimits, VideoInput, VideoLimits
from vendors.common import inputs
from vendors.common.params import Params
from vendors.common.services import Services

# seed 003: BMP/JPG/TIF/PNG (WSQ and JPEG 2000 are refused as unsupported formats), "about
# 200 KB"; videos avi/mp4/mpg/wmv/mkv/rm/rmvb/mov/flv, "under 1 MB, 3-5 s" advised.
IMAGE_LIMITS = ImageLimits(
    max_bytes=10 * 1024 * 1024,
    min_side=16,
    max_side=8192,
    formats=frozenset({"jpeg", "png", "bmp", "tiff"}),
)
VIDEO_LIMITS = VideoLimits(max_bytes=20 * 1024 * 1024, min_seconds=1.0, max_seconds=30.0)

CARD = ("img1", "file1")  # 人证合一: the ID card image
LIVE = ("img2", "file2")  # the live photo
SINGLE = ("img", "file")
VIDEO = ("videoContent", "file")


async def image(services: Services, params: Params, fields: tuple[str, ...]) -> ImageInput:
    try:
        return await inputs.require_image(params, services.settings, fields, IMAGE_LIMITS)
    except IdfError as exc:
        raise _undecodable(exc, ErrorKind.image_decode, params) from exc


async def video(services: Services, params: Params) -> VideoInput:
    try:
        return await inputs.video_input(params, services.settings, VIDEO, VIDEO_LIMITS)
    except IdfError as exc:
        raise _undecodable(exc, ErrorKind.video_decode, params) from exc


def _undecodable(error: IdfError, kind: ErrorKind, params: Params) -> IdfError:
    if error.kind is ErrorKind.bad_param and not params.repeated(error.field or ""):
        return IdfError(kind, error.detail, field=error.field)
    return error
