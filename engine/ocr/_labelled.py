"""Fields of a labelled document: each value follows its printed label on the same row.

Most Chinese documents print `label value` pairs, several to a row (姓名 张三 性别 男 国籍
中国). A row is cut at every label found in it (one misread character allowed in labels of
three characters or more), and each label's value is what lies between it and the next. A
value that runs on (an address) takes the unlabelled rows below it. What kind of value each
label carries (a date, a validity period, text) decides how it is read (engine.ocr._values).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from contracts.documents import TextField
from engine.ocr import _values as values
from engine.ocr._tokens import Token, text_of, token_field


class Form(Enum):
    text = "text"  # as printed, spaces tidied
    date = "date"  # YYYY-MM-DD
    period = "period"  # YYYY.MM.DD-YYYY.MM.DD, with `<name>_from` and `<name>_to` beside it
    code = "code"  # letters and digits only: numbers, plates, codes
    mass = "mass"  # 1500kg
    dimensions = "dimensions"  # 4750×1800×1450mm


@dataclass(frozen=True)
class Label:
    field: str
    printed: tuple[str, ...]  # the label as printed (compared without spaces, any case)
    form: Form = Form.text
    runs_on: bool = False  # the value may continue on the unlabelled rows below


@dataclass(frozen=True)
class Found:
    label: Label
    row: int
    start: int  # token index where the label begins
    end: int  # and where its value begins


def parse_labelled(table: list[list[Token]], labels: tuple[Label, ...]) -> dict[str, TextField]:
    """Every labelled field found in the rows, in its canonical form."""
    found = [hit for number, row in enumerate(table) for hit in _labels_in(row, number, labels)]
    fields: dict[str, TextField] = {}
    for hit in found:
        if hit.label.field in fields:
            continue
        tokens = _value(table, found, hit)
        read = _read(hit.label, tokens) if tokens else {}
        if read and read[hit.label.field].value:
            fields |= read
    return fields


def labels_found(table: list[list[Token]], labels: tuple[Label, ...]) -> int:
    """How many distinct labels the rows print: the evidence that they are this document."""
    found = {hit.label.field for n, row in enumerate(table) for hit in _labels_in(row, n, labels)}
    return len(found)


def _labels_in(row: list[Token], number: int, labels: tuple[Label, ...]) -> list[Found]:
    """Labels in the row, matched on its text without spaces; positions are token indices."""
    inked = [i for i, t in enumerate(row) if not t.char.isspace()]
    text = "".join(row[i].char for i in inked).upper()
    hits: list[Found] = []
    taken = [False] * len(text)
    forms = sorted(
        (
            (printed.replace(" ", "").upper(), label)
            for label in labels
            for printed in label.printed
        ),
        key=lambda item: -len(item[0]),
    )
    for exact in (True, False):
        for printed, label in forms:
            for at in _occurrences(text, printed, exact=exact):
                if any(taken[at : at + len(printed)]):
                    continue
                end = inked[at + len(printed)] if at + len(printed) < len(inked) else len(row)
                hits.append(Found(label, number, inked[at], end))
                taken[at : at + len(printed)] = [True] * len(printed)
    return sorted(hits, key=lambda hit: hit.start)


def _occurrences(text: str, printed: str, *, exact: bool) -> list[int]:
    """Where the label starts in the row text: exactly, or (on the second pass, once every
    exact label has its place) with one wrong character when the label is long enough that
    one character cannot make it another word."""
    if exact:
        return [m.start() for m in re.finditer(re.escape(printed), text)]
    if len(printed) < 3:
        return []
    return [
        at
        for at in range(len(text) - len(printed) + 1)
        if sum(a != b for a, b in zip(text[at : at + len(printed)], printed, strict=True)) == 1
    ][:1]


def _value(table: list[list[Token]], found: list[Found], hit: Found) -> list[Token]:
    after = [other.start for other in found if other.row == hit.row and other.start > hit.start]
    row = table[hit.row]
    tokens = row[hit.end : min(after) if after else len(row)]
    while tokens and (tokens[0].char in ":：/|" or tokens[0].char.isspace()):
        tokens = tokens[1:]
    if hit.label.runs_on:
        labelled_rows = {other.row for other in found}
        for number in range(hit.row + 1, len(table)):
            if number in labelled_rows:
                break
            tokens = tokens + table[number]
    while tokens and tokens[-1].char.isspace():
        tokens = tokens[:-1]
    return tokens


def _read(label: Label, tokens: list[Token]) -> dict[str, TextField]:
    name, text = label.field, text_of(tokens)
    if label.form is Form.date:
        value, valid = values.iso_date(text)
        return {name: token_field(name, tokens, value=value, valid=valid)}
    if label.form is Form.period:
        value, valid, start, end = values.validity(text)
        fields = {name: token_field(name, tokens, value=value, valid=valid)}
        if start is not None:
            fields[f"{name}_from"] = token_field(f"{name}_from", tokens, value=start)
        if end is not None:
            fields[f"{name}_to"] = token_field(f"{name}_to", tokens, value=end)
        return fields
    if label.form in (Form.mass, Form.dimensions):
        reading = values.mass if label.form is Form.mass else values.dimensions
        value, valid = reading(text)
        return {name: token_field(name, tokens, value=value, valid=valid)}
    if label.form is Form.code:
        return {name: token_field(name, tokens, value=re.sub(r"[^0-9A-Za-z\-()]", "", text))}
    return {name: token_field(name, tokens, value=values.tidy(text))}
