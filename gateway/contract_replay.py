"""`idfacade contract replay`: send journalled calls again to another target and compare.

Only calls whose fields the journal kept with their images (`journal_keep_bodies`) can be
sent again; the others are counted as skipped. Each call is rebuilt by its vendor's client
with the credentials given for the target (a vendor's staging endpoint with the customer's
own account, or a second gateway), so it is signed afresh, and the answers are compared on
what a client branches on: the code, the decision, and the score within a tolerance (a share
of the vendor's score scale). Nothing is sent unless the operator names the target.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from gateway.journal import CallRecord
from vendors.common.answers import Answer
from vendors.netocr.client import NetocrClient
from vendors.netocr.client import answer_of as netocr_answer
from vendors.sensetime.client import SenseTimeClient
from vendors.waiqin.client import WaiqinClient
from vendors.waiqin.client import answer_of as waiqin_answer
from vendors.yitu.client import YituClient

# The top of each vendor's score scale: a tolerance is a share of it.
SCALES = {"sensetime": 1.0, "yitu": 100.0, "waiqin": 1.0, "netocr": 100.0}
# netocr fields the client sets itself (and the misspellings clients send for them)
_NETOCR_OWN = frozenset({"key", "secret", "typeId", "typeID", "format", "formate"})


@dataclass(frozen=True)
class Difference:
    call: CallRecord
    notes: tuple[str, ...]

    def __str__(self) -> str:
        call = self.call
        return f"{call.vendor} {call.api or call.route} [{call.request_id}]: " + "; ".join(
            self.notes
        )


@dataclass(frozen=True)
class ReplayOutcome:
    replayed: int
    skipped: int
    differences: list[Difference]


def restore(value: Any) -> Any:
    """Kept fields back as a client sends them: `{"file": b64}` as bytes, `{"base64": t}` as
    the text it was."""
    if isinstance(value, dict):
        if set(value) == {"file"}:
            return base64.b64decode(value["file"])
        if set(value) == {"base64"}:
            return value["base64"]
        return {k: restore(v) for k, v in value.items()}
    if isinstance(value, list):
        return [restore(v) for v in value]
    return value


def _sensetime(http: httpx.Client, cred: Mapping[str, str], call: CallRecord) -> Answer:
    client = SenseTimeClient(
        str(http.base_url), cred.get("username"), cred.get("password"), http=http
    )
    return client.call(call.route, http_method=call.method, **restore(call.replay))


def _yitu(http: httpx.Client, cred: Mapping[str, str], call: CallRecord) -> Answer:
    client = YituClient(
        str(http.base_url), cred["access_id"], cred["access_key"], cred["public_key_pem"], http=http
    )
    return client.answer(call.route, restore(call.replay))


def _waiqin(http: httpx.Client, cred: Mapping[str, str], call: CallRecord) -> Answer:
    return waiqin_answer(
        WaiqinClient(http, cred["openid"], cred["appkey"]).post(restore(call.replay))
    )


def _netocr(http: httpx.Client, cred: Mapping[str, str], call: CallRecord) -> Answer:
    fields = restore(call.replay)
    type_id = str(fields.get("typeId", fields.get("typeID", "")))
    fmt = str(fields.get("format", fields.get("formate", "json"))) or "json"
    media = {k: v for k, v in fields.items() if isinstance(v, bytes)}
    text = {k: str(v) for k, v in fields.items() if k not in _NETOCR_OWN and k not in media}
    client = NetocrClient(http, cred["key"], cred["secret"], fmt=fmt)
    return netocr_answer(client.post(call.route, type_id, media, files=bool(media), **text))


SENDERS: Mapping[str, Callable[[httpx.Client, Mapping[str, str], CallRecord], Answer]] = {
    "sensetime": _sensetime,
    "yitu": _yitu,
    "waiqin": _waiqin,
    "netocr": _netocr,
}


def compare(call: CallRecord, answer: Answer, tolerance: float) -> tuple[str, ...]:
    """Where the target's answer differs from the journalled one."""
    notes = []
    if answer.code != call.code:
        notes.append(f"code {call.code} -> {answer.code}")
    if answer.decision != call.decision:
        notes.append(f"decision {call.decision} -> {answer.decision}")
    if (call.score is None) != (answer.score is None):
        notes.append(f"score {call.score} -> {answer.score}")
    elif call.score is not None and answer.score is not None:
        scale = SCALES.get(call.vendor, 1.0)
        if abs(call.score - answer.score) > tolerance * scale:
            notes.append(f"score {call.score:g} -> {answer.score:g}")
    return tuple(notes)


def _replayable(call: CallRecord) -> bool:
    """Kept fields, a served API, and not a SenseTime login (its password is never kept:
    the client logs in afresh with the target's account)."""
    return call.replay is not None and call.api is not None and not call.route.startswith("/guns")


def replay(
    calls: Iterable[CallRecord],
    target: str,
    credentials: Mapping[str, Mapping[str, str]],
    *,
    tolerance: float = 0.05,
    http: httpx.Client | None = None,
) -> ReplayOutcome:
    """Send every replayable call to `target`, in journal order; a call whose vendor has no
    credentials, or whose fields were not kept, is skipped."""
    connection = http or httpx.Client(base_url=target, timeout=120.0)
    replayed, skipped, differences = 0, 0, []
    try:
        for call in calls:
            if not _replayable(call) or call.vendor not in credentials:
                skipped += 1
                continue
            try:
                answer = SENDERS[call.vendor](connection, credentials[call.vendor], call)
            except (httpx.HTTPError, ValueError, KeyError, PermissionError) as exc:
                differences.append(Difference(call, (f"not answered: {exc}",)))
                replayed += 1
                continue
            replayed += 1
            notes = compare(call, answer, tolerance)
            if notes:
                differences.append(Difference(call, notes))
    finally:
        if http is None:
            connection.close()
    return ReplayOutcome(replayed, skipped, differences)
