"""Fixtures every test package shares: where the shared test data lies, and its ID cards."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = (REPO.parent / "shared" / "data").resolve()
CARDS = "id_documents/cn_id_card"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """../shared/data, read in place (its images are licensed for internal testing only)."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared test data not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(scope="session")
def card(shared_data: Path):
    """The bytes of an ID-card image of ../shared/data by file name."""
    return lambda name: (shared_data / CARDS / name).read_bytes()


@pytest.fixture(scope="session")
def truth(shared_data: Path) -> dict[str, dict]:
    """ID-card ground truth keyed by every file name it describes."""
    cards = json.loads((shared_data / CARDS / "ground_truth.json").read_text(encoding="utf-8"))
    return {name: entry for entry in cards for name in entry["files"].values()}
