from datetime import date

import pytest

from contracts.documents import IdNumberCheck
from engine.ocr import check_citizen_id, check_digit
from engine.ocr._citizen_id import birth_date_of, sex_of

# GB 11643-1999 appendix example, and the three synthetic cards of ../shared/data.
VALID = ["11010519491231002X", "110101198603152710", "310104199011084428", "540102197807230057"]


@pytest.mark.parametrize("number", VALID)
def test_valid_numbers_pass_every_rule(number):
    assert check_digit(number[:17]) == number[17]
    assert check_citizen_id(number) is IdNumberCheck.valid


def test_specimen_check_digits_are_flagged_with_the_digit_they_needed():
    assert check_digit("11204416541220243") == "4"
    assert check_citizen_id("11204416541220243X") is IdNumberCheck.bad_check_digit
    assert check_citizen_id("123456789012345678") is IdNumberCheck.bad_check_digit


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (None, IdNumberCheck.missing),
        ("", IdNumberCheck.missing),
        ("11010519491231002", IdNumberCheck.bad_format),
        ("11010519491231002XX", IdNumberCheck.bad_format),
        ("1101051949123100X2", IdNumberCheck.bad_format),
        ("11010519491231002x", IdNumberCheck.bad_format),
        ("990101198603152714", IdNumberCheck.bad_region),
        ("110101198602302713", IdNumberCheck.bad_birth_date),
        ("110101187001012717", IdNumberCheck.bad_birth_date),
    ],
)
def test_each_broken_rule_has_its_own_reason(number, expected):
    assert check_citizen_id(number) is expected


def test_the_broken_rule_numbers_above_have_correct_check_digits():
    # so that the reason tested really is the region or the date, not the check digit
    for number in ("990101198603152714", "110101198602302713", "110101187001012717"):
        assert check_digit(number[:17]) == number[17]


def test_a_future_birth_date_is_refused():
    number = "110101203001012714"
    assert check_digit(number[:17]) == number[17]
    assert check_citizen_id(number, today=date(2026, 1, 1)) is IdNumberCheck.bad_birth_date


@pytest.mark.parametrize(
    ("birth", "sex", "expected"),
    [
        (date(1986, 3, 15), "男", IdNumberCheck.valid),
        (date(1986, 3, 16), "男", IdNumberCheck.birth_mismatch),
        (date(1986, 3, 15), "女", IdNumberCheck.sex_mismatch),
        (date(1987, 3, 15), "女", IdNumberCheck.birth_and_sex_mismatch),
        (None, None, IdNumberCheck.valid),
    ],
)
def test_number_is_compared_with_the_printed_birth_date_and_sex(birth, sex, expected):
    assert check_citizen_id("110101198603152710", birth=birth, sex=sex) is expected


def test_number_encodes_birth_date_and_sex():
    assert birth_date_of("310104199011084428") == date(1990, 11, 8)
    assert sex_of("310104199011084428") == "女"
    assert sex_of("110101198603152710") == "男"
    assert birth_date_of("110101198602302713") is None


def test_check_digit_needs_seventeen_digits():
    with pytest.raises(ValueError):
        check_digit("1101011986031527")
