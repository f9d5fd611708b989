"""Single-image liveness: the passive checks that look for an attack, combined into one score.

Each attack check (screen, printed photo, eye-hole cutout) is scaled so that its `normal`
operating point reads 0.5 and the largest decides: an image is as suspect as its most
suspect sign. Darkness and covered eyes are conditions, not attacks, and are not counted.
These are weak checks (docs/liveness.md): they catch the careless attack they were built for.
"""

from __future__ import annotations

import engine.face as face_engine
from contracts.errors import ErrorKind, IdfError
from contracts.images import DecodedImage, ImageInput
from contracts.liveness import (
    ATTACK_THRESHOLD,
    CheckRequest,
    ImageVerdict,
    SpoofCheck,
)
from engine import media
from engine.liveness._frames import check_frames

ATTACK_CHECKS = (SpoofCheck.screen, SpoofCheck.printed_photo, SpoofCheck.cutout)


def score_image(image: ImageInput | DecodedImage, *, rotate: bool = False) -> ImageVerdict:
    """The attack score of the largest face of one image; `no_face` when it has none."""
    decoded = image if isinstance(image, DecodedImage) else media.decode_image(image)
    detection = face_engine.detect(decoded, rotate=rotate, landmarks68=True)
    face = detection.largest()
    if face is None:
        field = image.name if isinstance(image, ImageInput) else None
        raise IdfError(ErrorKind.no_face, "no face found in the image", field=field)
    upright = face_engine.upright(decoded, detection.rotation)
    results = check_frames([upright], [face], [CheckRequest(check=c) for c in ATTACK_CHECKS])
    attack = max(min(1.0, 0.5 * r.score / r.threshold) if r.valid else 0.0 for r in results)
    return ImageVerdict(
        live=attack < ATTACK_THRESHOLD,
        attack_score=round(attack, 4),
        rotation=detection.rotation,
        checks=tuple(results),
    )
