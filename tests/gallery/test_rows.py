"""The float32 row file a graph is re-scored from: written by label, read back only when sound.

tests/gallery/test_embedded.py checks that the gallery answers right whatever the file holds."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import numpy as np
import pytest

from engine.gallery._rows import FloatRows
from tests.gallery.helpers import unit_vectors


def test_rows_read_back_by_label_and_holes_are_absent(
    rng: np.random.Generator, tmp_path: Path
) -> None:
    rows = FloatRows(tmp_path / "c.f32", 32)
    vectors = unit_vectors(rng, 6)
    labels = np.array([9, 3, 4, 5, 40, 1], dtype=np.int64)  # runs and gaps, out of order
    rows.write(labels, vectors)
    found = rows.read([1, 2, 3, 4, 5, 9, 40, 41, 10_000])
    assert sorted(found) == [1, 3, 4, 5, 9, 40]
    for label, vector in zip(labels.tolist(), vectors, strict=True):
        assert np.array_equal(found[label], vector)
    assert stat.S_IMODE(os.stat(tmp_path / "c.f32").st_mode) == 0o600


def test_a_torn_row_is_not_answered(rng: np.random.Generator, tmp_path: Path) -> None:
    rows = FloatRows(tmp_path / "c.f32", 32)
    rows.write(np.array([0, 1], dtype=np.int64), unit_vectors(rng, 2))
    with open(tmp_path / "c.f32", "r+b") as f:  # a power cut kept half of row 1
        f.seek(32 * 4 + 64)
        f.write(bytes(64))
    assert list(rows.read([0, 1])) == [0]


def test_a_symlinked_row_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "elsewhere").write_bytes(b"")
    (tmp_path / "c.f32").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(OSError):
        FloatRows(tmp_path / "c.f32", 32)
