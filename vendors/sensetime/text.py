"""SenseTime general text OCR (seed 000 §6.19–§6.21): general, handWriting and print.

All three read every line of the image upright with the same PP-OCR models (the manual's
three are one detector and recogniser here: docs/ocr.md gives what each reads and how well)
and answer a one-entry list of `data` (a dataBean per line in reading order: text, score,
rect on the image as sent, valid) and `rotation`. An image with no text is 65040301.
"""

from __future__ import annotations

from typing import Any

from contracts.documents import OcrPage
from contracts.errors import ErrorKind, IdfError
from contracts.images import ImageInput
from engine import ocr
from engine.media import decode_image, encode_image
from vendors.common.inputs import require_image
from vendors.common.outputs import render_bytes
from vendors.common.routing import ApiHandler
from vendors.common.services import Services
from vendors.sensetime.context import IMAGE_LIMITS, stored_path
from vendors.sensetime.ocr import IMAGE_FIELDS, SERVICE, rect
from vendors.sensetime.routes import Api, Call

CONFIDENT = 0.8  # a line read with less mean confidence is returned with valid: false
JPEG_QUALITY = 90

# API -> its list key; general always sends rects (its dataBean has them), the other two
# only with extraInfo (§6.20, §6.21)
KEYS = {"general": "generalInfos", "handWriting": "handWritingInfos", "print": "printInfos"}


def read(services: Services, image: ImageInput) -> tuple[str | None, OcrPage, bytes]:
    decoded = decode_image(image)
    page = ocr.read_text(decoded)
    if not page.lines:
        raise IdfError(ErrorKind.no_document, "no text was found in the image", field=image.name)
    upright = encode_image(ocr.turn_image(decoded.pixels, page.rotation), "jpeg", JPEG_QUALITY)
    return stored_path(services, image.data, decoded.format, "ocr"), page, upright


def _handler(name: str) -> ApiHandler:
    async def recognise(call: Call) -> dict[str, Any]:
        extra = call.params.boolean("extraInfo")
        rotate = call.params.boolean("rotate")
        image = await require_image(call.params, call.services.settings, IMAGE_FIELDS, IMAGE_LIMITS)
        path, page, upright = await call.services.pool.run(read, call.services, image)
        with_rect = extra or name == "general"
        data = []
        for line in page.lines:
            bean: dict[str, Any] = {"text": line.text, "score": str(float(line.score))}
            if with_rect:
                bean["rect"] = rect(line.quad.box)
            bean["valid"] = line.score >= CONFIDENT
            data.append(bean)
        images = [{"roilImage": render_bytes(call.services, upright, "ocr")}] if extra else []
        rotation = page.rotation // 90 if rotate or name == "general" else 0
        return {"path": path, "images": images, KEYS[name]: [{"data": data, "rotation": rotation}]}

    return recognise


APIS = [Api(SERVICE, name, _handler(name)) for name in KEYS]
