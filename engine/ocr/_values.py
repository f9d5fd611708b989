"""How printed values are read into their canonical forms: dates, validity periods, numbers.

A reading that does not fit its form is kept as printed with `valid` False; nothing is made
to fit. The only rewriting is of characters that cannot occur in the value (a letter O in a
run of digits, a long dash between two dates).
"""

from __future__ import annotations

import re

from engine.ocr._tokens import is_date

DIGIT_LOOKALIKES = str.maketrans(
    {"O": "0", "o": "0", "D": "0", "Q": "0", "I": "1", "l": "1", "i": "1", "|": "1",
     "Z": "2", "z": "2", "S": "5", "s": "5", "B": "8"}
)  # fmt: skip
DASHES = str.maketrans({"—": "-", "－": "-", "–": "-", "~": "-", "～": "-", "至": "-", "一": "-"})
_DATE = re.compile(r"(\d{4})\s*[年.\-/]?\s*(\d{1,2})\s*[月.\-/]?\s*(\d{1,2})\s*日?")
_DAY_FIRST = re.compile(r"(\d{1,2})[-./](\d{1,2})[-./](\d{4})")
LONG_TERM = "长期"


def iso_date(text: str) -> tuple[str, bool]:
    """The first date in `text` (year first: 2014-06-11, 2014.06.11, 2014年6月11日; or day
    first: 11-06-2014) as YYYY-MM-DD, valid; else the text as printed, not valid."""
    found = _DATE.search(text)
    if found is not None:
        year, month, day = (int(g) for g in found.groups())
    elif (found := _DAY_FIRST.search(text)) is not None:
        day, month, year = (int(g) for g in found.groups())
    else:
        return text, False
    if not is_date(year, month, day):
        return text, False
    return f"{year:04d}-{month:02d}-{day:02d}", True


def validity(text: str) -> tuple[str, bool, str | None, str | None]:
    """A period `start-end` (dates in any year-first form, or 长期 for the end) as
    `YYYY.MM.DD-YYYY.MM.DD`, whether it is well formed and ordered, and the two ends as
    YYYY-MM-DD (or 长期)."""
    plain = text.translate(DASHES).replace("自", "").replace(" ", "")
    dates = list(_DATE.finditer(plain))
    if not dates:
        return text, False, None, None
    start, start_ok = iso_date(dates[0].group())
    if len(dates) > 1:
        end, end_ok = iso_date(dates[1].group())
    elif LONG_TERM in plain[dates[0].end() :]:
        end, end_ok = LONG_TERM, True
    else:
        return text, False, start if start_ok else None, None
    ok = start_ok and end_ok and (end == LONG_TERM or end > start)
    printed = f"{start.replace('-', '.')}-{end.replace('-', '.')}" if ok else text
    return printed, ok, start if start_ok else None, end if end_ok else None


_TIMES = re.compile(r"(?<=\d)\s*[xX×*＊]\s*(?=\d)")
_MASS = re.compile(r"(\d+)\s*[kK][gGqQ9]")
_SIZE = re.compile(r"(\d+)×(\d+)×(\d+)\s*[mM][mM]")


def mass(text: str) -> tuple[str, bool]:
    """A mass as a vehicle licence prints it, `1500kg`; else the text as printed, not valid."""
    found = _MASS.fullmatch(text.replace(" ", ""))
    return (f"{found.group(1)}kg", True) if found is not None else (text, False)


def dimensions(text: str) -> tuple[str, bool]:
    """Overall dimensions, length × width × height in millimetres, `4750×1800×1450mm`: the
    sign between two numbers may be read as x, X or *, which cannot occur there."""
    plain = _TIMES.sub("×", text.replace(" ", ""))
    found = _SIZE.fullmatch(plain)
    return (f"{'×'.join(found.groups())}mm", True) if found is not None else (text, False)


def digits(text: str) -> str:
    """The digits of a number as read, with letters that look like digits read as digits."""
    return re.sub(r"\D", "", text.translate(DIGIT_LOOKALIKES))


def tidy(text: str) -> str:
    """Spaces collapsed, and dropped between two CJK characters (the recogniser reads letter
    spacing as spaces; Chinese is written without them)."""
    text = re.sub(r"\s+", " ", text).strip(" :：/")
    return re.sub(r"(?<=[\u2e80-\u9fff])\s(?=[\u2e80-\u9fff])", "", text)
