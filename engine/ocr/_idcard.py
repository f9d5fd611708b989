"""Fields of a resident ID card side from its text lines, by printed labels and layout.

Each row of the upright card (lines side by side, joined) is matched against the labels the
card prints (姓名 性别 民族 出生 住址 公民身份号码 / 签发机关 有效期限); a label read with one
wrong character still counts. The value is what follows the label on the row, cut at character
level, so its box and score are the value's own. The address runs on over the rows below its
label, left of the portrait. Structure the card guarantees is used to read values (a number is
17 digits and a digit or X, so a letter O there is a zero; a date has its 年 月 日), but a value
is never replaced by what it "should" be: a wrong check digit is reported as printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from contracts.documents import CardSide, TextField
from engine.ocr._nations import normalise_nation
from engine.ocr._text import Line
from engine.ocr._tokens import Token, is_date, text_of, token_field
from engine.ocr._tokens import table as token_table

PORTRAIT_LEFT = 0.6  # share of the card's width where the portrait begins (front side)

NAME = ("姓名",)
SEX = ("性别",)
NATION = ("民族",)
BIRTH = ("出生",)
ADDRESS = ("住址",)
NUMBER = ("公民身份号码", "公民身份证号码")
AUTHORITY = ("签发机关",)
VALIDITY = ("有效期限",)
FRONT_LABELS = (NAME, SEX, BIRTH, ADDRESS, NUMBER)
BACK_LABELS = (AUTHORITY, VALIDITY)
BACK_TITLES = ("中华人民共和国", "居民身份证")
TEMPORARY_TITLE = "临时"

# What a recogniser may read for a character of an id number, which holds only digits and X.
_NUMBER_LOOKALIKES = str.maketrans(
    {"O": "0", "o": "0", "D": "0", "Q": "0", "I": "1", "l": "1", "i": "1", "|": "1",
     "Z": "2", "z": "2", "S": "5", "s": "5", "B": "8", "x": "X", "×": "X"}
)  # fmt: skip
_NUMBER_CHARS = re.compile(r"[0-9X]")
_DASHES = str.maketrans({"—": "-", "－": "-", "–": "-", "~": "-", "～": "-", "至": "-"})
_DATE = re.compile(r"(\d{4})\D{0,2}?(\d{1,2})\D{0,2}?(\d{1,2})")
LONG_TERM = "长期"
_VALIDITY = re.compile(r"(\d{4})\.?(\d{2})\.?(\d{2})-(?:(\d{4})\.?(\d{2})\.?(\d{2})|(长期))")


@dataclass(frozen=True)
class ParsedCard:
    side: CardSide
    fields: dict[str, TextField]  # quads in the card view's frame


def parse_id_card(lines: tuple[Line, ...], width: int) -> ParsedCard | None:
    """The side and fields of an upright card view `width` pixels wide, or None when its text
    is not that of a resident ID card."""
    table = token_table(lines)
    text = "".join(text_of(row) for row in table)
    labelled: dict[tuple[str, ...], tuple[int, int] | None] = {
        labels: _find_label(table, labels) for labels in (*FRONT_LABELS, *BACK_LABELS)
    }
    number_row = labelled[NUMBER] or _number_row(table)
    front = sum(labelled[labels] is not None for labels in FRONT_LABELS[:-1])
    front += number_row is not None
    back = sum(labelled[labels] is not None for labels in BACK_LABELS)
    back += sum(title in text for title in BACK_TITLES)
    if max(front, back) < 2:
        return None
    titled = any(title in text for title in BACK_TITLES)
    if TEMPORARY_TITLE in text or (front >= 2 and back >= 1 and not titled):
        side = CardSide.temporary
    else:
        side = CardSide.front if front >= back else CardSide.back
    fields: dict[str, TextField] = {}
    if side is not CardSide.back:
        fields |= _front_fields(table, labelled, number_row, portrait_left=PORTRAIT_LEFT * width)
    if side is not CardSide.front:
        fields |= _back_fields(table, labelled)
    return ParsedCard(side=side, fields=fields)


def _front_fields(
    table: list[list[Token]],
    labelled: dict[tuple[str, ...], tuple[int, int] | None],
    number_row: tuple[int, int] | None,
    *,
    portrait_left: float,
) -> dict[str, TextField]:
    fields: dict[str, TextField] = {}
    if (at := labelled[NAME]) is not None:
        value = _left_of(_rest(table, at), portrait_left)
        if value:
            fields["name"] = token_field("name", value)
    if (at := labelled[SEX]) is not None:
        fields |= _sex_and_nation(_left_of(_rest(table, at), portrait_left))
    if (at := labelled[BIRTH]) is not None:
        fields |= _birth(_rest(table, at))
    if (at := labelled[ADDRESS]) is not None:
        value = _left_of(_rest(table, at), portrait_left)
        stop = number_row[0] if number_row is not None else len(table)
        for row in table[at[0] + 1 : stop]:
            if _starts_with_label(row):
                break
            value += _left_of(row, portrait_left)
        if value:
            fields["address"] = token_field("address", value)
    if number_row is not None:
        read = [
            Token(t.char.translate(_NUMBER_LOOKALIKES), t.score, t.line, t.index)
            for t in _rest(table, number_row)
        ]
        digits = [t for t in read if _NUMBER_CHARS.fullmatch(t.char)]
        if digits:
            valid = len(digits) == 18 and "X" not in text_of(digits)[:17]
            fields["id_number"] = token_field("id_number", digits, valid=valid)
    return fields


def _back_fields(
    table: list[list[Token]], labelled: dict[tuple[str, ...], tuple[int, int] | None]
) -> dict[str, TextField]:
    fields: dict[str, TextField] = {}
    if (at := labelled[AUTHORITY]) is not None and (value := _rest(table, at)):
        fields["authority"] = token_field("authority", value)
    if (at := labelled[VALIDITY]) is not None and (value := _rest(table, at)):
        fields |= _validity(value)
    return fields


def _sex_and_nation(rest: list[Token]) -> dict[str, TextField]:
    """性别 is followed on its row by one character, then the 民族 label and the nation."""
    text = text_of(rest)
    label = next(
        (i for i in range(len(text) - 1) if _label_length(text[i:], NATION) is not None), None
    )
    fields: dict[str, TextField] = {}
    if rest and label != 0:
        fields["sex"] = token_field("sex", rest[:1], valid=rest[0].char in "男女")
    nation = rest[label + len(NATION[0]) :] if label is not None else []
    if nation:
        official = normalise_nation(text_of(nation))
        fields["nation"] = token_field("nation", nation, valid=official is not None, value=official)
    return fields


def _birth(rest: list[Token]) -> dict[str, TextField]:
    match = _DATE.search(text_of(rest))
    if match is None:
        return {}
    year, month, day = (int(part) for part in match.groups())
    valid = is_date(year, month, day)
    whole = rest[match.start() : match.end()]
    value = f"{year:04d}-{month:02d}-{day:02d}" if valid else text_of(whole)
    fields = {"birth": token_field("birth", whole, valid=valid, value=value)}
    for name, group in (("birth_year", 1), ("birth_month", 2), ("birth_day", 3)):
        fields[name] = token_field(name, rest[match.start(group) : match.end(group)], valid=valid)
    return fields


def _validity(rest: list[Token]) -> dict[str, TextField]:
    """有效期限 YYYY.MM.DD-YYYY.MM.DD, or YYYY.MM.DD-长期 (long term: holders over 45)."""
    match = _VALIDITY.search(text_of(rest).translate(_DASHES))
    if match is None:
        return {"validity": token_field("validity", rest, valid=False)}
    start = _date_field("valid_from", rest, match, 1)
    if match.group(7):
        end = token_field("valid_to", rest[match.start(7) : match.end(7)])
        printed_end = end.value
    else:
        end = _date_field("valid_to", rest, match, 4)
        printed_end = "{}.{}.{}".format(*match.group(4, 5, 6))
    ordered = end.value == LONG_TERM or end.value > start.value
    printed = "{}.{}.{}-".format(*match.group(1, 2, 3)) + printed_end
    tokens = rest[match.start() : match.end()]
    valid = start.valid and end.valid and ordered
    return {
        "validity": token_field("validity", tokens, valid=valid, value=printed),
        "valid_from": start,
        "valid_to": end,
    }


def _date_field(name: str, rest: list[Token], match: re.Match[str], group: int) -> TextField:
    """The date in groups group..group+2 of a match over `rest`, as YYYY-MM-DD where it exists."""
    year, month, day = (int(match.group(group + i)) for i in range(3))
    tokens = rest[match.start(group) : match.end(group + 2)]
    if is_date(year, month, day):
        return token_field(name, tokens, value=f"{year:04d}-{month:02d}-{day:02d}")
    return token_field(name, tokens, valid=False)


def _label_length(text: str, labels: tuple[str, ...]) -> int | None:
    """How many characters of `text` a label takes, allowing one misread character in it."""
    for label in labels:
        head = text[: len(label)]
        if len(head) == len(label) and sum(a != b for a, b in zip(head, label, strict=True)) <= 1:
            return len(label)
    return None


def _find_label(table: list[list[Token]], labels: tuple[str, ...]) -> tuple[int, int] | None:
    """(row, characters) of the first row that starts with one of the labels. Labels with the
    value on the same row also occur mid-row (民族), so those are searched by _sex_and_nation."""
    for number, row in enumerate(table):
        length = _label_length(text_of(row), labels)
        if length is not None:
            return number, length
    return None


def _starts_with_label(row: list[Token]) -> bool:
    text = text_of(row)
    return any(_label_length(text, labels) is not None for labels in (*FRONT_LABELS, *BACK_LABELS))


def _number_row(table: list[list[Token]]) -> tuple[int, int] | None:
    """The row holding an unlabelled 18-character id number, the label being unreadable."""
    for number, row in enumerate(table):
        text = text_of(row).translate(_NUMBER_LOOKALIKES)
        found = re.search(r"\d{17}[\dX]", text)
        if found is not None:
            return number, found.start()
    return None


def _rest(table: list[list[Token]], at: tuple[int, int]) -> list[Token]:
    row, skip = at
    return table[row][skip:]


def _left_of(tokens: list[Token], x: float) -> list[Token]:
    """Tokens of lines that start left of x: text beside the portrait may run up to its edge,
    while marks read inside the photo start there."""
    return [t for t in tokens if t.line.left < x]
