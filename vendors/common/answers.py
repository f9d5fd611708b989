"""What a vendor's answer says, in one shape for all four: the reading a client, the call
journal and the replay comparison share.

Each vendor's client module reads its own envelope into an `Answer` (`read_answer`); what is
compared across targets is the code, the decision and the score, never the raw body.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Answer:
    """One parsed answer.

    `code` is the vendor's result code as text ("0000", "0", "-101", "2000"); `ok` whether it
    is the vendor's success. `decision` is what the answer decided where it decides something:
    "same"/"different" for a comparison, "live"/"attack" for liveness, "yes"/"no" for netocr's
    判定结果; `score` the score behind it, on the vendor's scale. `body` is the whole parsed
    answer (Waiqin's `response_data` already decoded).
    """

    vendor: str
    ok: bool
    code: str
    message: str
    decision: str | None = None
    score: float | None = None
    body: dict[str, Any] = field(default_factory=dict)

    @property
    def same(self) -> bool | None:
        """For a comparison: whether the vendor judged the faces the same person."""
        return {"same": True, "different": False, "yes": True, "no": False}.get(self.decision or "")

    def data(self) -> Any:
        """The payload clients read on success: SenseTime's `data`, Waiqin's decoded
        `response_data`, the whole body for Yitu and netocr."""
        for key in ("data", "response_data"):
            if key in self.body:
                return self.body[key]
        return self.body


def number(value: Any) -> float | None:
    """A score as vendors write one (a number, or text like "87.5"), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).strip())
    except ValueError:
        return None
