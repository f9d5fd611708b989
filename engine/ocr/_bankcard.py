"""Fields of a payment card, which prints no labels: the number is the run of 13-19 digits in
groups, the expiry the latest MM/YY printed (a card that also prints VALID FROM shows the
earlier date first, and a start never follows the end), the holder the line of capital
Latin words that is no network or bank word. Bank, card name, issuer code and kind come from
the BIN table (engine.ocr._bins) where the number's BIN is in it, else the bank from a printed
line naming a bank. The number's Luhn check is reported, never used to change a digit.
"""

from __future__ import annotations

import re

from contracts.documents import TextField
from engine.ocr import _bins as bins
from engine.ocr import _checksums as checksums
from engine.ocr import _values as values
from engine.ocr._tokens import Token, text_of, token_field

_EXPIRY = re.compile(r"(?<!\d)(0[1-9]|1[0-2])\s?/\s?(\d{2})(?!\d)")
_HOLDER = re.compile(r"[A-Z][A-Z.\-']*(?: [A-Z][A-Z.\-']*)+")
NOT_HOLDER = frozenset(
    {"VALID", "THRU", "UNIONPAY", "VISA", "MASTERCARD", "DEBIT", "CREDIT", "GOLD", "PLATINUM",
     "CLASSIC", "BANK", "CARD", "MEMBER", "SINCE", "EXPIRES", "GOOD", "ELECTRON", "QUICKPASS"}
)  # fmt: skip
MIN_DIGITS, MAX_DIGITS = 13, 19


def parse_bank_card(table: list[list[Token]]) -> tuple[dict[str, TextField], dict[str, bool]]:
    """Fields and the Luhn check; no fields at all when no card number was read."""
    number = _number(table)
    if number is None:
        return {}, {}
    digits = number.value
    fields = {"card_number": number}
    checks = {"card_number": checksums.luhn_valid(digits)}
    dates: list[tuple[tuple[str, str], TextField]] = []
    for row in table:
        for found in _EXPIRY.finditer(text_of(row)):
            month, year = found[1], found[2]
            tokens = row[found.start() : found.end()]
            dates.append(((year, month), token_field("expiry", tokens, value=f"{month}/{year}")))
        if "holder" not in fields and (holder := _holder(row)) is not None:
            fields["holder"] = holder
    if dates:
        fields["expiry"] = max(dates, key=lambda found: found[0])[1]
    known = bins.issuer(digits)
    printed_bank = _printed_bank(table)
    if known is not None:
        score = number.score
        for name, value in (
            ("bank_name", known.bank),
            ("card_name", known.product),
            ("issuer_code", known.code),
            ("card_type", known.kind),
        ):
            fields[name] = TextField(name=name, value=value, score=score)
    elif printed_bank is not None:
        fields["bank_name"] = printed_bank
    network = bins.network(digits)
    if network is not None:
        fields["network"] = TextField(name="network", value=network, score=number.score)
    return fields, checks


def _number(table: list[list[Token]]) -> TextField | None:
    """The longest run of digit groups of card length on one row."""
    best: list[Token] = []
    for row in table:
        run: list[Token] = []
        for token in [*row, Token("#", 0.0, row[-1].line, 0)]:  # "#" ends the last run
            char = token.char.translate(values.DIGIT_LOOKALIKES)
            if char.isdigit():
                run.append(Token(char, token.score, token.line, token.index))
            elif not token.char.isspace():
                if MIN_DIGITS <= len(run) <= MAX_DIGITS and len(run) > len(best):
                    best = run
                run = []
    if not best:
        return None
    return token_field("card_number", best)


def _holder(row: list[Token]) -> TextField | None:
    text = text_of(row)
    found = _HOLDER.search(text)
    if found is None or any(word in NOT_HOLDER for word in found.group().split()):
        return None
    return token_field("holder", row[found.start() : found.end()])


def _printed_bank(table: list[list[Token]]) -> TextField | None:
    for row in table:
        text = text_of(row)
        at = text.find("银行")
        if at > 0:
            return token_field("bank_name", row[: at + 2], value=values.tidy(text[: at + 2]))
    return None
