"""The synthetic document generator: deterministic, and its ground truth agrees with the
standards' checks (the generator is the source of truth the OCR tests compare against)."""

from __future__ import annotations

import numpy as np
import pytest

from engine.ocr import _checksums as checksums
from specimens import KINDS, make_specimen
from specimens.documents import BACK_PAGES

CHECKERS = {
    "bank_card": ("card_number", checksums.luhn_valid),
    "hk_id": ("id_number", checksums.hkid_valid),
    "vehicle_licence": ("vin", checksums.vin_valid),
    "business_licence": ("code", checksums.uscc_valid),
    "organisation_code": ("code", checksums.organisation_code_valid),
    "driving_licence": ("id_number", checksums.mod_11_2_valid),
    "hk_macao_residence": ("id_number", checksums.mod_11_2_valid),
    "taiwan_residence": ("id_number", checksums.mod_11_2_valid),
    "foreign_permanent_2023": ("number", checksums.mod_11_2_valid),
}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_template_draws(kind: str) -> None:
    made = make_specimen(kind, 3)
    assert made.image.ndim == 3 and made.image.shape[2] == 3
    assert made.image.std() > 10  # text and background, not a blank
    assert all(made.truth.values())
    assert np.array_equal(made.image, make_specimen(kind, 3).image)  # deterministic


@pytest.mark.parametrize("kind", sorted(BACK_PAGES))
def test_back_pages(kind: str) -> None:
    made = make_specimen(kind, 3, back=True)
    assert made.page == 2 and "validity" in made.truth


@pytest.mark.parametrize("kind", sorted(CHECKERS))
@pytest.mark.parametrize("valid", [True, False])
def test_checks_follow_the_standard(kind: str, valid: bool) -> None:
    name, check = CHECKERS[kind]
    for seed in range(5):
        made = make_specimen(kind, seed, valid=valid)
        assert check(made.truth[name]) is valid, made.truth[name]
        assert made.checks[name] is valid


@pytest.mark.parametrize("kind", ["passport_td3", "id_td1", "id_td2"])
def test_mrz_checks(kind: str) -> None:
    good = make_specimen(kind, 2)
    bad = make_specimen(kind, 2, valid=False)
    assert all(good.checks.values())
    assert not bad.checks["document_number"]
    assert good.truth["mrz"] != bad.truth["mrz"]
