"""The capture bundle format (vendors/yitu/bundle.py, docs/yitu.md): packed, opened, refused."""

from __future__ import annotations

import pytest

from vendors.yitu import bundle

KEY = "k" * 32
FRAMES = (b"\xff\xd8\xff first frame", b"\xff\xd8\xff second frame")


def keys(access_id: str) -> bytes | None:
    return bundle.bundle_key(KEY) if access_id == "app1" else None


def packed(**overrides) -> bytes:
    fields = {"access_id": "app1", "access_key": KEY, "content": "订单 42", "created": 1700000000}
    return bundle.pack(FRAMES, **{**fields, **overrides})


def test_a_packed_bundle_opens_to_its_frames_and_content():
    opened = bundle.unpack(packed(), keys)
    assert opened == bundle.Bundle("app1", 1700000000, "订单 42", FRAMES)


def test_layout_is_the_documented_one():
    data = packed()
    assert data[:4] == b"IDFB" and data[4] == 1
    header_len = int.from_bytes(data[5:9], "big")
    header = data[9 : 9 + header_len].decode()
    assert '"frames":[15,16]' in header
    assert data[9 + header_len : -32] == b"".join(FRAMES)


@pytest.mark.parametrize("position", [0, 4, 12, 60, -40, -1])
def test_any_changed_byte_is_refused(position):
    data = bytearray(packed())
    data[position] ^= 0x01
    with pytest.raises(bundle.InvalidBundle):
        bundle.unpack(bytes(data), keys)


def test_a_bundle_made_with_another_key_or_access_id_is_refused():
    with pytest.raises(bundle.InvalidBundle):
        bundle.unpack(packed(access_key="x" * 32), keys)
    with pytest.raises(bundle.InvalidBundle):
        bundle.unpack(packed(access_id="app2"), keys)


@pytest.mark.parametrize("data", [b"", b"IDFB", b"not a bundle at all, just some bytes" * 3])
def test_garbage_is_refused(data):
    with pytest.raises(bundle.InvalidBundle):
        bundle.unpack(data, keys)


def test_a_bundle_needs_one_to_sixteen_frames():
    with pytest.raises(ValueError):
        bundle.pack([], access_id="app1", access_key=KEY)
    with pytest.raises(ValueError):
        bundle.pack([b"x"] * 17, access_id="app1", access_key=KEY)
