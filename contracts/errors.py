"""The one error type every layer raises, and the kinds facades map to their own codes.

A facade never inspects messages: it looks up `kind` in its errors.py table and renders the
vendor's code with `detail` (and `field`, where the vendor's message names a parameter).
"""

from __future__ import annotations

from enum import StrEnum


class ErrorKind(StrEnum):
    """What went wrong, in the caller's terms. One kind means one thing in every facade."""

    # request shape
    missing_param = "missing_param"  # a required field is absent or blank
    missing_one_of = "missing_one_of"  # none of several alternative fields was given
    bad_param = "bad_param"  # a field is present but its value is unusable
    # media
    image_too_large = "image_too_large"  # byte size over the limit, refused before decoding
    image_size = "image_size"  # width or height outside the allowed range
    image_type = "image_type"  # not one of the accepted image formats
    image_decode = "image_decode"  # corrupt or truncated image data
    video_decode = "video_decode"  # unreadable video, or no frames
    video_too_short = "video_too_short"
    # faces
    no_face = "no_face"
    too_many_faces = "too_many_faces"
    # documents
    no_document = "no_document"  # no identity document of the kind asked for in the image
    # tokens and features
    bad_token = "bad_token"  # a context or feature string that fails authentication or parsing
    model_mismatch = "model_mismatch"  # an embedding of another model version
    # stores
    not_found = "not_found"
    already_exists = "already_exists"
    collection_full = "collection_full"
    # access
    auth = "auth"  # unknown caller, bad password, bad or expired token, bad signature
    replay = "replay"  # a nonce, msg_id or transfer id seen before
    forbidden = "forbidden"  # authenticated, but this API is not granted
    # capacity and faults
    busy = "busy"  # the inference pool is full
    quota = "quota"  # the caller's allowance of calls is spent (raised by fault injection)
    timeout = "timeout"  # the per-request deadline passed
    unsupported = "unsupported"  # a feature that is switched off or not offered
    no_api = "no_api"  # no API at this path, or not with this method
    internal = "internal"


class IdfError(Exception):
    """A canonical failure: `kind` picks the vendor code, `detail` explains it to a person.

    `field` names the request parameter concerned, where there is one, so that a facade can
    render messages such as SenseTime's `Param file,data can not both be blank`.
    """

    def __init__(self, kind: ErrorKind, detail: str = "", *, field: str | None = None) -> None:
        super().__init__(f"{kind}: {detail}" if detail else str(kind))
        self.kind = kind
        self.detail = detail
        self.field = field

    def __repr__(self) -> str:
        return f"IdfError({self.kind!s}, {self.detail!r}, field={self.field!r})"
