"""Fields of the Hong Kong identity card front, which labels only the date of birth: each
value is known by its form (the number A123456(3), the Chinese commercial code in groups of
four digits, the symbols starting with *, dates as DD-MM-YYYY, (MM-YY) and DD-MM-YY) and by its
place (the Chinese name, then the English name "SURNAME, Given"). The number's check
character is reported, never corrected.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from contracts.documents import TextField
from engine.ocr import _checksums as checksums
from engine.ocr._tokens import Token, is_date, text_of, token_field

TITLES = (
    "香港永久性居民身份證",
    "香港居民身份證",
    "HONGKONGPERMANENTIDENTITYCARD",
    "HONGKONGIDENTITYCARD",
)
_NUMBER = re.compile(r"([A-Z]{1,2}\d{6})\s?[(（]\s?([0-9A-Z])\s?[)）]")
_CODE = re.compile(r"\d{4}(?: ?\d{4}){1,4}")
_SYMBOLS = re.compile(r"\*+[A-Z*]*")
_BIRTH = re.compile(r"(?<!\d)(\d{2})-(\d{2})-(\d{4})(?!\d)")
_REGISTERED = re.compile(r"[(（](\d{2})-(\d{2})[)）]")
_ISSUED = re.compile(r"(?<![\d-])(\d{2})-(\d{2})-(\d{2})(?![\d-])")
_ENGLISH = re.compile(r"[A-Z][A-Z'\-]+, ?[A-Z][A-Za-z'\- ]+")
_CHINESE = re.compile(r"[\u4e00-\u9fff]{2,5}")
_SEX = re.compile(r"(男|女) ?[MF](?![A-Za-z])")


def is_hk_id(table: list[list[Token]]) -> bool:
    text = "".join(text_of(row) for row in table).replace(" ", "").upper()
    return any(title.upper() in text for title in TITLES)


def parse_hk_id(table: list[list[Token]]) -> tuple[dict[str, TextField], dict[str, bool]]:
    fields: dict[str, TextField] = {}
    for row in table:
        text = text_of(row)
        plain = text.replace(" ", "")
        if any(title.upper() in plain.upper() for title in TITLES):
            continue
        _first(fields, "id_number", row, _NUMBER, text, lambda m: f"{m[1]}({m[2]})")
        _first(fields, "name_en", row, _ENGLISH, text, lambda m: latin_name(m.group()))
        _first(fields, "name_code", row, _CODE, text, lambda m: _groups(m.group()))
        _first(fields, "symbols", row, _SYMBOLS, text, lambda m: m.group())
        _date(fields, "birth", row, _BIRTH, text, lambda m: (int(m[3]), int(m[2]), int(m[1])))
        _date(
            fields, "issue_date", row, _ISSUED, text, lambda m: (_year(m[3]), int(m[2]), int(m[1]))
        )
        if "registration_date" not in fields and (m := _REGISTERED.search(text)) is not None:
            month, year = int(m[1]), _year(m[2])
            span = row[m.start() : m.end()]
            fields["registration_date"] = token_field(
                "registration_date", span, value=f"{year:04d}-{month:02d}", valid=1 <= month <= 12
            )
        if "sex" not in fields and (m := _SEX.search(text)) is not None:
            fields["sex"] = token_field("sex", row[m.start() : m.end()], value=m[1])
        if "name" not in fields and _CHINESE.fullmatch(plain):
            fields["name"] = token_field("name", row, value=plain)
    checks = {}
    if "id_number" in fields:
        checks["id_number"] = checksums.hkid_valid(fields["id_number"].value)
    return fields, checks


def _first(
    fields: dict[str, TextField],
    name: str,
    row: list[Token],
    pattern: re.Pattern[str],
    text: str,
    value: Callable[[re.Match[str]], str],
) -> None:
    if name not in fields and (found := pattern.search(text)) is not None:
        fields[name] = token_field(name, row[found.start() : found.end()], value=value(found))


def _date(
    fields: dict[str, TextField],
    name: str,
    row: list[Token],
    pattern: re.Pattern[str],
    text: str,
    parts: Callable[[re.Match[str]], tuple[int, int, int]],
) -> None:
    if name in fields or (found := pattern.search(text)) is None:
        return
    year, month, day = parts(found)
    valid = is_date(year, month, day)
    value = f"{year:04d}-{month:02d}-{day:02d}" if valid else found.group()
    fields[name] = token_field(name, row[found.start() : found.end()], value=value, valid=valid)


def latin_name(text: str) -> str:
    """`SURNAME, Given Names` with one space after the comma, however the spacing was read."""
    return re.sub(r"\s*,\s*", ", ", re.sub(r"\s+", " ", text.strip()))


def _groups(code: str) -> str:
    """The commercial code as printed: one group of four digits per character of the name."""
    digits = code.replace(" ", "")
    return " ".join(digits[i : i + 4] for i in range(0, len(digits), 4))


def _year(two: str) -> int:
    """A two-digit year on the card: issue and registration dates are all after 1949."""
    year = int(two)
    return 2000 + year if year < 50 else 1900 + year
