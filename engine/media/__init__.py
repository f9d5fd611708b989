"""Turn untrusted bytes into pixels: validate first, decode second.

Every check that can run on the header (byte size, format, dimensions) runs before the full
decode, so an oversized or hostile image costs almost nothing to refuse.
"""

from engine.media._encoding import decode_base64
from engine.media._images import decode_image, encode_image, sniff_image_format
from engine.media._video import decode_video, sniff_video_format

__all__ = [
    "decode_base64",
    "decode_image",
    "decode_video",
    "encode_image",
    "sniff_image_format",
    "sniff_video_format",
]
