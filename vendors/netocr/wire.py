"""netocr's two answer shapes, as JSON objects and as the XML that mirrors them (seed 003).

`/verapi/*` answers `{"infoList": [{"veritem": [...]}], "messageString": {"status", "value"}}`
with the status a string ("2000"); `/api/*` answers `{"message": {"status", "value"},
"cardsinfo": [{"type", "items": [...]}]}` with the status a number, which clients compare with
0 (face comparison done) and 2 (ID card recognised). Clients read items by position, so every
item is always present, empty where nothing was read.

In XML both are `<data>` documents with the JSON's element names: `<infoList><info><veritem
desc="…">content</veritem></info></infoList>` and `<cardsinfo><card type="…"><item desc="…">
content</item></card></cardsinfo>`.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Entry:
    """One veritem or item: a label and its content (either may carry the value: the manual's
    face comparison prints `判定结果:是` in `desc`, its liveness answers put `是` in `content`)."""

    desc: str
    content: str = ""


@dataclass(frozen=True)
class Verdict:
    """A `/verapi/*` answer. `negative` marks a "no" (different people, not live): such an
    answer must not show the character 是 (formats.py)."""

    entries: tuple[Entry, ...]
    status: str
    value: str
    negative: bool = False

    def json(self) -> dict[str, Any]:
        info = [{"veritem": [_veritem(e) for e in self.entries]}] if self.entries else []
        return {"infoList": info, "messageString": {"status": self.status, "value": self.value}}

    def xml(self) -> ET.Element:
        root = ET.Element("data")
        infos = ET.SubElement(root, "infoList")
        if self.entries:
            info = ET.SubElement(infos, "info")
            for entry in self.entries:
                ET.SubElement(info, "veritem", desc=entry.desc).text = entry.content
        _message(root, "messageString", self.status, self.value)
        return root


@dataclass(frozen=True)
class Card:
    type: str
    items: tuple[Entry, ...]


@dataclass(frozen=True)
class Recognition:
    """An `/api/*` answer: one card per document (or per comparison) read."""

    cards: tuple[Card, ...]
    status: int
    value: str
    negative: bool = False

    def json(self) -> dict[str, Any]:
        return {
            "message": {"status": self.status, "value": self.value},
            "cardsinfo": [
                {"type": card.type, "items": [_item(e) for e in card.items]} for card in self.cards
            ],
        }

    def xml(self) -> ET.Element:
        root = ET.Element("data")
        _message(root, "message", str(self.status), self.value)
        cards = ET.SubElement(root, "cardsinfo")
        for card in self.cards:
            element = ET.SubElement(cards, "card", type=card.type)
            for entry in card.items:
                ET.SubElement(element, "item", desc=entry.desc).text = entry.content
        return root


Answer = Verdict | Recognition


def _veritem(entry: Entry) -> dict[str, Any]:
    return {"desc": entry.desc, "name": None, "content": entry.content}


def _item(entry: Entry) -> dict[str, Any]:
    return {"nID": None, "index": None, "desc": entry.desc, "content": entry.content}


def _message(root: ET.Element, tag: str, status: str, value: str) -> None:
    message = ET.SubElement(root, tag)
    ET.SubElement(message, "status").text = status
    ET.SubElement(message, "value").text = value
