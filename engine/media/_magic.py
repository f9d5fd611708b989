"""Formats named by their magic bytes, whatever a file's name or MIME type claims."""

from __future__ import annotations

from collections.abc import Sequence

# A signature: the byte strings a format has at given offsets, and the format's name.
Signature = tuple[tuple[tuple[int, bytes], ...], str]


def sniff(data: bytes, signatures: Sequence[Signature]) -> str | None:
    """The first format whose every part matches `data`, or None."""
    for parts, name in signatures:
        if all(data[offset : offset + len(magic)] == magic for offset, magic in parts):
            return name
    return None
