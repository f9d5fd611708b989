"""GB 11643-1999 citizen identification numbers: the check digit, and what the number encodes.

An 18-character number is a 6-digit administrative region (GB/T 2260), the date of birth as
YYYYMMDD, a 3-digit sequence whose last digit is odd for men and even for women, and an ISO 7064
MOD 11-2 check character (0-9 or X). Waiqin's ID_number_type (seed 002) grades a card by these
rules; IdNumberCheck carries the finer reason and the facade maps it. The check character is
python-stdnum's ISO 7064 MOD 11-2 (engine.ocr._checksums).
"""

from __future__ import annotations

import re
from datetime import date

from contracts.documents import IdNumberCheck
from engine.ocr._checksums import mod_11_2_check

_SHAPE = re.compile(r"\d{17}[\dX]")
EARLIEST_BIRTH = date(1880, 1, 1)

# Province-level divisions (GB/T 2260), and 81-83 for the residence permits of Hong Kong,
# Macao and Taiwan residents, which use the same number scheme.
PROVINCES = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46}
    | {50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83}
)


def check_digit(first17: str) -> str:
    """The check character that the first 17 digits call for."""
    return mod_11_2_check(first17)


def birth_date_of(number: str) -> date | None:
    """The date of birth a well-formed number encodes, or None when it is no calendar date."""
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def sex_of(number: str) -> str:
    """男 or 女, from the parity of the 17th digit."""
    return "男" if int(number[16]) % 2 else "女"


def check_citizen_id(
    number: str | None,
    *,
    birth: date | None = None,
    sex: str | None = None,
    today: date | None = None,
) -> IdNumberCheck:
    """Grade a number as read; `birth` and `sex` are the card's printed fields, where read."""
    if not number:
        return IdNumberCheck.missing
    if not _SHAPE.fullmatch(number):
        return IdNumberCheck.bad_format
    if check_digit(number[:17]) != number[17]:
        return IdNumberCheck.bad_check_digit
    if int(number[:2]) not in PROVINCES:
        return IdNumberCheck.bad_region
    encoded = birth_date_of(number)
    if encoded is None or not EARLIEST_BIRTH <= encoded <= (today or date.today()):
        return IdNumberCheck.bad_birth_date
    birth_differs = birth is not None and birth != encoded
    sex_differs = sex is not None and sex != sex_of(number)
    if birth_differs and sex_differs:
        return IdNumberCheck.birth_and_sex_mismatch
    if birth_differs:
        return IdNumberCheck.birth_mismatch
    if sex_differs:
        return IdNumberCheck.sex_mismatch
    return IdNumberCheck.valid
