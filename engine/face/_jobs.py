"""Whole jobs on one image input, built on the face capabilities: decode once, detect, choose
and embed in one call, so a facade spends one trip through the inference pool
(and one share of the request deadline) per image instead of one per step.
"""

from __future__ import annotations

from contracts.attributes import AttributedFaces
from contracts.embeddings import FaceEmbedding
from contracts.errors import ErrorKind, IdfError
from contracts.images import DecodedImage, ImageInput
from engine import media
from engine.face._attributes import estimate
from engine.face._capabilities import FaceImage, detect, embed

LARGEST = None


def _decoded(image: FaceImage) -> DecodedImage:
    return image if isinstance(image, DecodedImage) else media.decode_image(image)


def _field(image: FaceImage, default: str) -> str:
    return image.name if isinstance(image, ImageInput) and image.name else default


def embed_face(
    image: FaceImage, *, index: int | None = LARGEST, rotate: bool = False, field: str = "image"
) -> FaceEmbedding:
    """The embedding of the largest face (or face `index` of the detection), with the
    detection; `no_face` naming the input (its name, else `field`) when there is none."""
    decoded = _decoded(image)
    detection = detect(decoded, rotate=rotate)
    chosen = detection.largest() if index is LARGEST else None
    if index is not LARGEST and 0 <= index < len(detection.faces):
        chosen = detection.faces[index]
    if chosen is None:
        if not detection.faces:
            raise IdfError(ErrorKind.no_face, "no face was found", field=_field(image, field))
        raise IdfError(ErrorKind.bad_param, f"there is no face {index}", field="index")
    return FaceEmbedding(
        detection=detection, face=chosen, embedding=embed(decoded, detection, chosen.index)
    )


def detect_with_attributes(image: FaceImage, *, rotate: bool = False) -> AttributedFaces:
    """Every face of the image with its age, gender and mask: decode, detect and estimate
    in one call (no face is an empty detection, not an error)."""
    decoded = _decoded(image)
    detection = detect(decoded, rotate=rotate)
    attributes = tuple(estimate(decoded, detection, face.index) for face in detection.faces)
    return AttributedFaces(image=decoded, detection=detection, attributes=attributes)
