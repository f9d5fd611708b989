"""Check digits against published valid and invalid examples (engine.ocr._checksums)."""

from __future__ import annotations

import pytest

from engine.ocr import _checksums as checksums


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("A123456(3)", True),  # the Immigration Department's own example
        ("P231187(2)", True),  # SenseTime §6.6's example answer
        ("C668668(9)", True),
        ("C668668(E)", False),  # ../shared/data hk_id specimen: E is no check character
        ("C668668(8)", False),
        ("AB987654(3)", True),  # two-letter prefix, no space counted
        ("AB9876542", False),
        ("A12345(3)", False),  # six digits are required
    ],
)
def test_hkid(number: str, valid: bool) -> None:
    assert checksums.hkid_valid(number) is valid


@pytest.mark.parametrize(
    ("vin", "valid"),
    [
        ("1M8GDM9AXKP042788", True),  # ISO 3779 / 49 CFR 565 worked example (check X)
        ("1HGCM82633A004352", True),
        ("11111111111111111", True),  # the classic all-ones VIN is self-consistent
        ("1M8GDM9A1KP042788", False),
        ("1M8GDM9AXKP04278", False),  # 16 characters
        ("1M8GDM9AXKP0427O8", False),  # O is never used
    ],
)
def test_vin(vin: str, valid: bool) -> None:
    assert checksums.vin_valid(vin) is valid


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("12345678-8", True),
        ("55138508-2", True),  # inside the USCC 91110108551385082Q
        ("55138508-3", False),
        ("5513850-8", False),
        ("D2143569-X", checksums.organisation_code_check("D2143569") == "X"),
    ],
)
def test_organisation_code(code: str, valid: bool) -> None:
    assert checksums.organisation_code_valid(code) is valid


def test_organisation_code_check_values() -> None:
    """11 - (sum mod 11): 10 is written X and 11 is written 0 (GB 11714-1997)."""
    assert checksums.organisation_code_check("12345678") == "8"
    assert checksums.organisation_code_check("55138508") == "2"


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("91110108551385082Q", True),  # a published USCC
        ("91110108551385082R", False),
        ("10440119MA06M8503", False),  # ../shared/data business licence specimen: 17 characters
    ],
)
def test_uscc(code: str, valid: bool) -> None:
    assert checksums.uscc_valid(code) is valid


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("4111111111111111", True),  # Visa's test number
        ("5500005555555559", True),
        ("6225970070003000", False),  # ../shared/data ICBC specimen
        ("4000123456789010", False),  # ../shared/data Best Buy specimen
        ("5476767898765432", False),  # ../shared/data barclaycard specimen
        ("41111111", False),  # too short for a card
    ],
)
def test_luhn(number: str, valid: bool) -> None:
    assert checksums.luhn_valid(number) is valid


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("810000199408230021", True),  # SenseTime §6.8's example (Hong Kong/Macao permit)
        ("830000199201300022", True),  # §6.9's example (Taiwan permit)
        ("110101198603152710", True),
        ("11204416541220243X", False),
        ("810000199408230022", False),
    ],
)
def test_mod_11_2(number: str, valid: bool) -> None:
    assert checksums.mod_11_2_valid(number) is valid
