"""Still images: sniff the format, check the header against the limits, then decode.

Pillow reads dimensions from the header without decoding pixels, and (unlike OpenCV, which
fills a truncated JPEG with grey and carries on) refuses truncated data, so it does the
decoding; EXIF orientation is applied so that pixels are the way a person sees the photo.
"""

from __future__ import annotations

import io
import warnings

import cv2
import numpy as np
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from contracts.errors import ErrorKind, IdfError
from contracts.images import DecodedImage, ImageInput, ImageLimits
from engine import stages
from engine.media._magic import Signature, sniff

ImageFile.LOAD_TRUNCATED_IMAGES = False
Image.MAX_IMAGE_PIXELS = None  # our own max_pixels check runs first, on the header

_SIGNATURES: tuple[Signature, ...] = (
    (((0, b"\xff\xd8\xff"),), "jpeg"),
    (((0, b"\x89PNG\r\n\x1a\n"),), "png"),
    (((0, b"BM"),), "bmp"),
    (((0, b"II*\x00"),), "tiff"),
    (((0, b"MM\x00*"),), "tiff"),
    (((0, b"RIFF"), (8, b"WEBP")), "webp"),
    (((0, b"GIF8"),), "gif"),
)


def sniff_image_format(data: bytes) -> str | None:
    """The format named by the file's magic bytes, whatever its name or MIME type claims."""
    return sniff(data, _SIGNATURES)


@stages.timed("decode")
def decode_image(inp: ImageInput) -> DecodedImage:
    """Validate and decode an image to upright BGR pixels, or raise a canonical error."""
    limits, field = inp.limits, inp.name
    data = inp.data
    if not data:
        raise IdfError(ErrorKind.missing_param, "image is empty", field=field)
    if len(data) > limits.max_bytes:
        raise IdfError(
            ErrorKind.image_too_large,
            f"image is {len(data)} bytes, over the limit of {limits.max_bytes}",
            field=field,
        )
    fmt = sniff_image_format(data)
    if fmt is None or fmt not in limits.formats:
        raise IdfError(
            ErrorKind.image_type,
            f"image type {fmt or 'unknown'} is not one of {', '.join(sorted(limits.formats))}",
            field=field,
        )
    with _open(data, field) as img:
        _check_dimensions(img.size, limits, field)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                img.load()
            ImageOps.exif_transpose(img, in_place=True)
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombWarning) as exc:
            raise IdfError(
                ErrorKind.image_decode, "image is corrupt or truncated", field=field
            ) from exc
        pixels = _to_bgr(img)
    return DecodedImage(pixels=pixels, format=fmt, source_bytes=len(data))


def encode_image(image: DecodedImage | np.ndarray, fmt: str = "jpeg", quality: int = 92) -> bytes:
    """Encode pixels for a response (marked images, crops)."""
    pixels = image.pixels if isinstance(image, DecodedImage) else image
    ext = {"jpeg": ".jpg", "png": ".png", "bmp": ".bmp"}[fmt]
    params = [cv2.IMWRITE_JPEG_QUALITY, quality] if fmt == "jpeg" else []
    ok, buf = cv2.imencode(ext, pixels, params)
    if not ok:
        raise IdfError(ErrorKind.internal, f"could not encode {fmt}")
    return buf.tobytes()


def _open(data: bytes, field: str | None) -> Image.Image:
    try:
        return Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise IdfError(ErrorKind.image_decode, "image header is unreadable", field=field) from exc


def _check_dimensions(size: tuple[int, int], limits: ImageLimits, field: str | None) -> None:
    width, height = size
    if not (
        limits.min_side < width <= limits.max_side and limits.min_side < height <= limits.max_side
    ):
        raise IdfError(
            ErrorKind.image_size,
            f"image is {width}x{height}; width and height must be in "
            f"({limits.min_side}px, {limits.max_side}px]",
            field=field,
        )
    if width * height > limits.max_pixels:
        raise IdfError(
            ErrorKind.image_size, f"image has over {limits.max_pixels} pixels", field=field
        )


def _to_bgr(img: Image.Image) -> np.ndarray:
    """Any Pillow mode to 8-bit BGR: 16-bit scaled down, alpha composited on white."""
    if img.mode in ("I;16", "I;16B", "I;16L", "I"):
        arr = np.asarray(img, dtype=np.float64)
        peak = 65535.0 if arr.max(initial=0) > 255 else 255.0
        gray = np.clip(arr * (255.0 / peak), 0, 255).astype(np.uint8)
        return cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR)
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        img = Image.alpha_composite(background, rgba)
    # One copy out of Pillow, one conversion: convert() would copy an RGB image once more.
    rgb = np.asarray(img if img.mode == "RGB" else img.convert("RGB"))
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)
