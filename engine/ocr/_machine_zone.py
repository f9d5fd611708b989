"""ICAO 9303 machine-readable zones: TD3 (passports, 2 × 44), TD2 (2 × 36) and TD1 (ID
cards, 3 × 30), found among the text rows and checked with the `mrz` package.

A row belongs to the zone when, once spaces and look-alike fillers (＜, «) are read as `<`, it
holds only capitals, digits and `<` and is nearly a zone's width. The recogniser may read a long
run of fillers one `<` short or long; fillers carry nothing, so the longest run of a row of
the wrong width is stretched or shrunk to the width, and nothing else is touched (a row read
short, its trailing fillers lost by the detector, is restored the same way; what was lost
after them fails its check digit). Every check
digit (document number, birth, expiry, optional data where the format has one) and the
composite are then reported as `mrz` computes them: a failed one is never corrected.
"""

from __future__ import annotations

import re
from datetime import date

from mrz.checker.td1 import TD1CodeChecker
from mrz.checker.td2 import TD2CodeChecker
from mrz.checker.td3 import TD3CodeChecker

from contracts.documents import TextField
from engine.ocr._tokens import Token, text_of, token_field

FORMATS = {  # rows, width, checker
    "td3": (2, 44, TD3CodeChecker),
    "td2": (2, 36, TD2CodeChecker),
    "td1": (3, 30, TD1CodeChecker),
}
# What the recogniser reads for a filler, and ℃ (no zone holds one) for OCR-B's C
_FILLERS = str.maketrans({"＜": "<", "«": "<<", "‹": "<", "く": "<", " ": "", "℃": "C"})
_ZONE = re.compile(r"[A-Z0-9<]+")
# Which characters each position holds (A letters, N digits, X either; `<` anywhere): a
# letter-only position reads a 0 as O, a digit-only one an O as 0, as the reader of any MRZ
# must (OCR-B's 0 and O differ only slightly). The document number and optional data are X.
CLASSES = {
    "td3": ("A" * 44, "X" * 9 + "N" + "AAA" + "N" * 7 + "A" + "N" * 7 + "X" * 14 + "NN"),
    "td2": ("A" * 36, "X" * 9 + "N" + "AAA" + "N" * 7 + "A" + "N" * 7 + "X" * 7 + "N"),
    "td1": ("AAAAA" + "X" * 9 + "N" + "X" * 15, "N" * 7 + "A" + "N" * 7 + "AAA" + "X" * 11 + "N",
            "A" * 30),
}  # fmt: skip
_AS_LETTER = str.maketrans("0125867", "OIZSBGT")
_AS_DIGIT = str.maketrans("OQDIZSBGT", "000125867")
SLACK = 3  # characters a row may be off its width and still be stretched
MIN_NAME_ROW = 10
HASHES = {
    "document_number": "document number hash",
    "birth": "birth date hash",
    "expiry": "expiry date hash",
    "optional_data": "optional data hash",
    "composite": "final hash",
}


def parse_zone(
    table: list[list[Token]], *, today: date | None = None
) -> tuple[dict[str, TextField], dict[str, bool]]:
    """The zone's fields (document_type, country, surname, given_names, document_number,
    nationality, birth, sex, expiry, optional_data, and the zone itself as `mrz`) and its checks;
    nothing when no zone is read."""
    candidates = [(row, _zone_text(row)) for row in table]
    for name, (count, width, checker) in FORMATS.items():
        for start in range(len(candidates) - count + 1):
            texts = [text for _, text in candidates[start : start + count]]
            if any(text is None for text in texts):
                continue
            exact = sum(abs(len(text or "") - width) <= SLACK for text in texts)
            if exact == 0 or not all(_fits(text or "", width) for text in texts):
                continue
            lines = [
                _classed(_fit(text or "", width), classes)
                for text, classes in zip(texts, CLASSES[name], strict=True)
            ]
            if name == "td3" and not lines[0].startswith("P"):
                continue
            rows = [row for row, _ in candidates[start : start + count]]
            fields, checks = _read(lines, rows, checker, today or date.today())
            if fields:
                return fields, checks
    return {}, {}


def _zone_text(row: list[Token]) -> str | None:
    text = text_of(row).translate(_FILLERS).upper()
    return text if len(text) >= MIN_NAME_ROW and _ZONE.fullmatch(text) and "<" in text else None


def _fits(text: str, width: int) -> bool:
    """Nearly the zone's width, or short where the detector lost trailing fillers (the row must
    then end in one; anything lost after them fails its check). At least one row of a zone
    must be of the width."""
    if abs(len(text) - width) <= SLACK:
        return True
    return MIN_NAME_ROW <= len(text) < width and text.endswith("<")


def _classed(text: str, classes: str) -> str:
    """Each character read as its position's class allows."""
    return "".join(
        c.translate(_AS_LETTER) if k == "A" else c.translate(_AS_DIGIT) if k == "N" else c
        for c, k in zip(text, classes, strict=False)
    )


def _fit(text: str, width: int) -> str:
    """The row at its width, by stretching or shrinking its longest run of fillers."""
    if len(text) == width:
        return text
    runs = list(re.finditer(r"<+", text))
    if not runs:
        return text
    run = max(runs, key=lambda m: len(m.group()))
    length = max(1, len(run.group()) + width - len(text))
    return text[: run.start()] + "<" * length + text[run.end() :]


def _read(
    lines: list[str], rows: list[list[Token]], checker: type, today: date
) -> tuple[dict[str, TextField], dict[str, bool]]:
    try:
        result = checker("\n".join(lines))
    except ValueError:  # mrz's FieldError: a zone of the wrong shape is not a zone
        return {}, {}
    found = result.fields()
    failed = {name for name, ok in result.report.falses}
    tokens = [t for row in rows for t in row]
    score = round(sum(t.score for t in tokens) / max(len(tokens), 1), 4)
    quad = token_field("mrz", tokens).quad

    def field(name: str, value: str, valid: bool = True) -> TextField:
        return TextField(name=name, value=value, score=score, quad=quad, valid=valid)

    birth, birth_ok = _date(found.birth_date, today, past=True)
    expiry, expiry_ok = _date(found.expiry_date, today, past=False)
    checks = {
        name: hash_name not in failed
        for name, hash_name in HASHES.items()
        if name != "optional_data" or hasattr(found, "optional_data_hash")
    }
    fields = {
        "mrz": field("mrz", "\n".join(lines), valid=not failed),
        "document_type": field("document_type", found.document_type),
        "country": field("country", found.country),
        "surname": field("surname", found.surname),
        "given_names": field("given_names", found.name),
        "document_number": field(
            "document_number", found.document_number, valid=checks["document_number"]
        ),
        "nationality": field("nationality", found.nationality),
        "birth": field("birth", birth, valid=birth_ok and checks["birth"]),
        "sex": field("sex", found.sex),
        "expiry": field("expiry", expiry, valid=expiry_ok and checks["expiry"]),
        "optional_data": field("optional_data", getattr(found, "optional_data", "") or ""),
    }
    for number, line in enumerate(lines, start=1):
        fields[f"line{number}"] = field(f"line{number}", line)
    return fields, checks


def _date(yymmdd: str, today: date, *, past: bool) -> tuple[str, bool]:
    """YYMMDD as YYYY-MM-DD: a birth date lies in the past century, an expiry within the next
    fifty years (ICAO 9303 leaves the century to the reader)."""
    if not re.fullmatch(r"\d{6}", yymmdd or ""):
        return yymmdd or "", False
    year, month, day = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    century = today.year // 100 * 100
    full = century + year
    if past and full > today.year:
        full -= 100
    if not past and full < today.year - 50:
        full += 100
    try:
        return date(full, month, day).isoformat(), True
    except ValueError:
        return yymmdd, False
