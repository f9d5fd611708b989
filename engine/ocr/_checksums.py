"""Check digits of the numbers that documents print, each a yes/no on the number as read.

Where a well-kept library implements a standard it is used: python-stdnum for Luhn (bank
cards, ISO/IEC 7812), GB 32100 (the unified social credit code) and ISO 7064 MOD 11-2 (GB
11643 citizen numbers, the residence permits and the 2023 foreign permanent resident card);
`mrz` for ICAO 9303. Three have no library and are written here from their published rules:
the Hong Kong identity card check character, the ISO 3779 vehicle identification number check
digit (GB 16735 keeps it at position 9), and the GB 11714 organisation code.

Nothing here corrects a number: a caller that gets False reports the number as printed with
the failed check beside it.
"""

from __future__ import annotations

import re

from stdnum import luhn
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError
from stdnum.iso7064 import mod_11_2

_HKID = re.compile(r"([A-Z]{1,2})(\d{6})([0-9A])")
_HKID_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2)
_HKID_SPACE = 36  # a one-letter prefix is counted as a space, valued 36, before it

_VIN = re.compile(r"[A-HJ-NPR-Z0-9]{17}")  # I, O and Q are never used
_VIN_VALUES = dict(zip("ABCDEFGHJKLMNPRSTUVWXYZ", (1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 7, 9, 2,
                                                 3, 4, 5, 6, 7, 8, 9), strict=True))  # fmt: skip
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)

_ORG_CODE = re.compile(r"[0-9A-Z]{8}[0-9X]")
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def luhn_valid(number: str) -> bool:
    """A payment card number (digits only) passes the Luhn check of ISO/IEC 7812-1."""
    return number.isdigit() and 12 <= len(number) <= 19 and luhn.is_valid(number)


def mod_11_2_check(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character (0-9 or X) of 17 digits, as GB 11643 uses it."""
    if len(first17) != 17 or not first17.isdigit():
        raise ValueError("the check character is computed over exactly 17 digits")
    return mod_11_2.calc_check_digit(first17)


def mod_11_2_valid(number: str) -> bool:
    """An 18-character number whose last character is its MOD 11-2 check."""
    return bool(re.fullmatch(r"\d{17}[\dX]", number)) and mod_11_2_check(number[:17]) == number[17]


def uscc_valid(code: str) -> bool:
    """A unified social credit code (统一社会信用代码) passes GB 32100-2015's check character
    (and the GB 11714 check of the organisation code inside it, which python-stdnum tests)."""
    try:
        uscc.validate(code)
    except ValidationError:
        return False
    return True


def hkid_check(prefix: str, digits: str) -> str:
    """The check character (0-9, or A for 10) of a Hong Kong identity card number."""
    values = [_HKID_SPACE] if len(prefix) == 1 else []
    values += [ord(letter) - ord("A") + 10 for letter in prefix] + [int(d) for d in digits]
    remainder = sum(v * w for v, w in zip(values, _HKID_WEIGHTS, strict=True)) % 11
    check = (11 - remainder) % 11
    return "A" if check == 10 else str(check)


def hkid_valid(number: str) -> bool:
    """A Hong Kong identity card number, written `A123456(3)` or `A1234563`, is well formed and
    its check character matches."""
    match = _HKID.fullmatch(re.sub(r"[()\s]", "", number))
    return match is not None and hkid_check(match[1], match[2]) == match[3]


def vin_check(vin: str) -> str:
    """The ISO 3779 check digit (0-9 or X) for a 17-character VIN (its 9th character ignored)."""
    values = [int(c) if c.isdigit() else _VIN_VALUES[c] for c in vin]
    remainder = sum(v * w for v, w in zip(values, _VIN_WEIGHTS, strict=True)) % 11
    return "X" if remainder == 10 else str(remainder)


def vin_valid(vin: str) -> bool:
    """A vehicle identification number is 17 allowed characters with a matching 9th."""
    return bool(_VIN.fullmatch(vin)) and vin_check(vin) == vin[8]


def organisation_code_check(body: str) -> str:
    """The GB 11714-1997 check character of an 8-character organisation code body."""
    values = [int(c) if c.isdigit() else ord(c) - ord("A") + 10 for c in body]
    check = 11 - sum(v * w for v, w in zip(values, _ORG_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def organisation_code_valid(code: str) -> bool:
    """An organisation code, `12345678-8` or without the hyphen, has a matching check."""
    plain = code.replace("-", "")
    return bool(_ORG_CODE.fullmatch(plain)) and organisation_code_check(plain[:8]) == plain[8]
