"""SenseTime face imaging APIs: attribute (seed 000 §2.2) and deReticulatedImage (§2.9).

`attribute` answers, per selected face, the manual's three attributes as key/value codes (§2.2
table: key 4 age group, 5 gender, 27 mask), with `confidence` a percentage as in the manual's
example (`94.34277`). `deReticulatedImage` returns the photo with its mesh watermark removed,
as base64 or a path per `image_return`. See docs/sensetime-attributes.md and
docs/dereticulation.md.
"""

from __future__ import annotations

from typing import Any

from contracts.attributes import AgeGroup, FaceAttributes, Gender, Mask
from contracts.images import ImageInput
from engine.face import estimate_attributes
from engine.imaging import remove_mesh
from engine.media import decode_image
from vendors.common.inputs import require_image
from vendors.common.outputs import render_image
from vendors.common.services import Services
from vendors.sensetime.context import (
    IMAGE_LIMITS,
    FaceImage,
    FaceSubject,
    faces_then,
    stored_path,
)
from vendors.sensetime.face import envelope
from vendors.sensetime.routes import Api, Call

SERVICE = "ssid-face"
IMAGE_FIELDS = ("file", "data")

# seed 000 §2.2, the key/value table
AGE_KEY, GENDER_KEY, MASK_KEY = "4", "5", "27"
AGE_VALUES = {AgeGroup.adult: "0", AgeGroup.elderly: "1", AgeGroup.child: "2"}
GENDER_VALUES = {Gender.male: "0", Gender.female: "1"}
# 0 未知 (unknown) is never sent: a face that cannot be judged is 1 未识别 (not recognised)
MASK_VALUES = {Mask.undetermined: "1", Mask.absent: "2", Mask.worn: "3"}


def attribute_beans(found: FaceAttributes) -> list[dict[str, Any]]:
    """attributeBean list (§2.2): age group, gender, mask, each with its confidence in %."""
    mask_confidence = {
        Mask.worn: found.mask_score,
        Mask.absent: 1.0 - found.mask_score,
        Mask.undetermined: 0.0,
    }[found.mask]
    return [
        _bean(AGE_KEY, AGE_VALUES[found.age_group], found.age_group_confidence),
        _bean(GENDER_KEY, GENDER_VALUES[found.gender], found.gender_confidence),
        _bean(MASK_KEY, MASK_VALUES[found.mask], mask_confidence),
    ]


def _bean(key: str, value: str, probability: float) -> dict[str, Any]:
    return {"key": key, "value": value, "confidence": round(100.0 * probability, 4)}


def estimates(found: FaceImage) -> list[tuple[FaceSubject, FaceAttributes]]:
    return [(s, estimate_attributes(s.image, s.detection, s.index)) for s in found.subjects]


def without_mesh(services: Services, image: ImageInput) -> dict[str, Any]:
    decoded = decode_image(image)
    return {
        "deReticulatedImage": render_image(services, remove_mesh(decoded), "face"),
        "path": stored_path(services, image.data, decoded.format),
    }


async def attribute(call: Call) -> dict[str, Any]:
    """§2.2: age group, gender and mask of the selected faces."""
    found, estimated = await faces_then(call, estimates)
    return envelope(
        found,
        [{"faceId": str(s.face_id), "attributes": attribute_beans(a)} for s, a in estimated],
    )


async def de_reticulated_image(call: Call) -> dict[str, Any]:
    """§2.9: the police photo without its mesh watermark (unchanged when it has none)."""
    image = await require_image(call.params, call.services.settings, IMAGE_FIELDS, IMAGE_LIMITS)
    return await call.services.pool.run(without_mesh, call.services, image)


APIS = [
    Api(SERVICE, "attribute", attribute),
    Api(SERVICE, "deReticulatedImage", de_reticulated_image),
]
