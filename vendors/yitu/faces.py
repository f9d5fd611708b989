"""What Yitu's image types and options ask of the face engine, and its feature strings.

Watermarked ID photos (types 5, 7, 9, 101; §9.2 CS201.1) always lose their mesh before their
faces are found and described, since the mesh would otherwise be part of the feature;
`remove_watermark` only asks for the cleaned photo back. Automatic rotation applies to other
types only ("目前只对非水印照有效").

A feature string is a sealed token (vendors/common/tokens.py) holding one or two faces'
embeddings, so it cannot be altered, and one from another model version is refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from contracts.embeddings import Embedding
from contracts.errors import ErrorKind, IdfError
from contracts.faces import Detection
from contracts.images import DecodedImage, ImageInput, ImageLimits
from engine import face as faces
from engine.imaging import mesh_family, remove_mesh
from engine.media import decode_image
from vendors.common.services import Sealer
from vendors.common.tokens import pack_embedding, seal, unpack_embedding, unseal
from vendors.yitu.wire import ANY_WATERMARK, WATERMARKED

FEATURE_PURPOSE = "yitu-feature"
# §9.2: query and database photos under 1 MB; §9.3: repo photos up to 3 MB.
PHOTO_LIMITS = ImageLimits(max_bytes=1024 * 1024)
REPO_LIMITS = ImageLimits(max_bytes=3 * 1024 * 1024)


@dataclass(frozen=True)
class Found:
    """The faces of one photo: its detection (largest first), the embeddings of the first
    `limit` of them, and the image they were found in (without its mesh)."""

    image: DecodedImage
    detection: Detection
    embeddings: list[Embedding]


def prepare(image: ImageInput, image_type: int) -> DecodedImage:
    """The decoded photo, without its mesh if its type is watermarked."""
    return clean(decode_image(image), image_type)


def clean(decoded: DecodedImage, image_type: int) -> DecodedImage:
    return remove_mesh(decoded) if image_type in WATERMARKED else decoded


# The families of §9.2's watermarked ID photos (engine/imaging/_mesh_family.py).
FAMILY_TYPES = {"financial": 5, "police": 7, "wire": 9}


def watermark_type(decoded: DecodedImage, image_type: int) -> int:
    """A photo sent as 101 (any watermarked photo) as the family its mesh shows, 5, 7 or 9;
    101 still when it shows no mesh. Other types as sent: the client knows its source."""
    if image_type != ANY_WATERMARK:
        return image_type
    family = mesh_family(decoded)
    return FAMILY_TYPES[family] if family else image_type


def mirrored(image: DecodedImage) -> DecodedImage:
    """The photo flipped left to right (flip_image, auto_flip)."""
    return DecodedImage(
        pixels=image.pixels[:, ::-1].copy(), format=image.format, source_bytes=image.source_bytes
    )


def find(image: DecodedImage, image_type: int, *, rotate: bool, limit: int, field: str) -> Found:
    """The photo's faces and the embeddings of the `limit` largest; no face is an error."""
    detection = faces.detect(image, rotate=rotate and image_type not in WATERMARKED)
    if not detection.faces:
        raise IdfError(ErrorKind.no_face, f"no face found in {field}", field=field)
    picked = Detection(
        faces=detection.faces[:limit],
        rotation=detection.rotation,
        width=detection.width,
        height=detection.height,
    )
    return Found(image, detection, faces.embed_all(image, picked))


def seal_feature(sealer: Sealer, embeddings: list[Embedding]) -> str:
    return seal(sealer, FEATURE_PURPOSE, {"faces": [pack_embedding(e) for e in embeddings]})


def open_feature(sealer: Sealer, text: str, field: str) -> list[Embedding]:
    """The embeddings of a feature string this deployment made, or a `bad_token` error."""
    payload = unseal(sealer, FEATURE_PURPOSE, text, field=field)
    packed = payload.get("faces")
    if not isinstance(packed, list) or not packed:
        raise IdfError(ErrorKind.bad_token, f"{field} holds no face", field=field)
    return [unpack_embedding(item, field=field) for item in packed]
