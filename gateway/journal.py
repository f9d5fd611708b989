"""The call journal: every vendor call the gateway answered, as evidence for a test suite.

One row per call in `journal.db` of the data directory (0600, like every file there): when,
which vendor and API, the route template (never the raw path: Waiqin's holds the openid and
digest), the caller's principal, the request fields with every image, video, bundle or feature
replaced by its size and SHA-256 and every secret dropped, the HTTP status, the vendor's code,
the decision and score the answer carried (never the answer itself: it holds ID-card data),
the latency, and the conformance findings of the `contract_checks` setting.

With `journal_keep_bodies` a row also keeps the fields with their images, so that
`idfacade contract replay` can send the same call to another target; that copy holds the
suite's photos, so it is off by default. Secrets are dropped from it too.

The journal is bounded by `journal_max_calls` and `journal_max_age`. It writes with
`synchronous=NORMAL`: a power cut may lose the last calls, never corrupt the file, and no
request waits on a disk flush.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gateway.database import connect

FILE_NAME = "journal.db"
MAX_LISTED = 1000  # the most calls one listing returns
_PRUNE_EVERY = 100  # inserts between retention sweeps

_SCHEMA = """
CREATE TABLE IF NOT EXISTS calls (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at REAL NOT NULL,
    request_id TEXT NOT NULL,
    vendor TEXT NOT NULL,
    api TEXT,
    route TEXT NOT NULL,
    method TEXT NOT NULL,
    principal TEXT,
    fields TEXT NOT NULL,
    status INTEGER NOT NULL,
    code TEXT,
    ok INTEGER,
    decision TEXT,
    score REAL,
    latency_ms REAL NOT NULL,
    findings TEXT NOT NULL,
    fault TEXT,
    replay TEXT
)
"""
_INDEX = "CREATE INDEX IF NOT EXISTS calls_at ON calls (at)"
_COLUMNS = (
    "id", "at", "request_id", "vendor", "api", "route", "method", "principal", "fields",
    "status", "code", "ok", "decision", "score", "latency_ms", "findings", "fault", "replay",
)  # fmt: skip


@dataclass(frozen=True)
class CallRecord:
    """One journalled call. `fields` never holds image bytes or secrets; `replay` (only with
    `journal_keep_bodies`) holds the fields with their images, for `contract replay`."""

    at: float
    request_id: str
    vendor: str
    api: str | None
    route: str
    method: str
    principal: str | None
    fields: dict[str, Any]
    status: int
    code: str | None
    ok: bool | None
    decision: str | None
    score: float | None
    latency_ms: float
    findings: list[dict[str, str]] = field(default_factory=list)
    fault: str | None = None
    replay: dict[str, Any] | None = None
    id: int | None = None

    def to_json(self) -> dict[str, Any]:
        """The record as JSON types, without the replay copy (it holds images)."""
        row = dataclasses.asdict(self)
        row.pop("replay")
        return row


class Journal:
    def __init__(self, path: Path, *, max_calls: int = 10_000, max_age: float = 7 * 86400.0):
        self.path = path
        self.max_calls = max_calls
        self.max_age = max_age
        self._conn = connect(path)
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute(_SCHEMA)
        self._conn.execute(_INDEX)
        self._lock = threading.Lock()
        self._inserts = 0

    def record(self, call: CallRecord) -> None:
        row = _to_row(call)
        names = [c for c in _COLUMNS if c != "id"]
        with self._lock:
            self._conn.execute(
                f"INSERT INTO calls ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})",
                tuple(row[c] for c in names),
            )
            self._inserts += 1
            if self._inserts % _PRUNE_EVERY == 1:
                self._prune()

    def recent(self, limit: int = 50, *, since: float | None = None) -> list[CallRecord]:
        """The newest calls first, at most `limit` (and never more than MAX_LISTED)."""
        limit = max(0, min(limit, MAX_LISTED))
        query = f"SELECT {', '.join(_COLUMNS)} FROM calls WHERE at >= ? ORDER BY id DESC LIMIT ?"
        with self._lock:
            rows = self._conn.execute(query, (since or 0.0, limit)).fetchall()
        return [_from_row(row) for row in rows]

    def calls(self, *, since: float | None = None) -> Iterator[CallRecord]:
        """Every call kept, oldest first (the report and the replay read them all)."""
        query = f"SELECT {', '.join(_COLUMNS)} FROM calls WHERE at >= ? ORDER BY id"
        with self._lock:
            rows = self._conn.execute(query, (since or 0.0,)).fetchall()
        return (_from_row(row) for row in rows)

    def clear(self) -> None:
        with self._lock:
            self._conn.execute("DELETE FROM calls")

    def close(self) -> None:
        self._conn.close()

    def _prune(self) -> None:
        self._conn.execute("DELETE FROM calls WHERE at < ?", (time.time() - self.max_age,))
        self._conn.execute(
            "DELETE FROM calls WHERE id <= "
            "(SELECT id FROM calls ORDER BY id DESC LIMIT 1 OFFSET ?)",
            (self.max_calls,),
        )


def open_journal(source: Path) -> Journal:
    """The journal of a data directory, or a journal file given by its path."""
    path = source / FILE_NAME if source.is_dir() else source
    if not path.is_file():
        raise FileNotFoundError(f"no call journal at {path}")
    return Journal(path)


def recent_calls(data: Path, limit: int = 50) -> list[CallRecord]:
    """The newest calls of the gateway on `data`, newest first (at most MAX_LISTED); none
    when it has no journal. For the admin console."""
    path = data / FILE_NAME
    if not path.is_file():
        return []
    journal = Journal(path)
    try:
        return journal.recent(limit)
    finally:
        journal.close()


def _to_row(call: CallRecord) -> dict[str, Any]:
    row = dataclasses.asdict(call)
    row["fields"] = json.dumps(call.fields, ensure_ascii=False)
    row["findings"] = json.dumps(call.findings, ensure_ascii=False)
    row["replay"] = None if call.replay is None else json.dumps(call.replay, ensure_ascii=False)
    row["ok"] = None if call.ok is None else int(call.ok)
    return row


def _from_row(row: sqlite3.Row | tuple[Any, ...]) -> CallRecord:
    values = dict(zip(_COLUMNS, row, strict=True))
    values["fields"] = json.loads(values["fields"])
    values["findings"] = json.loads(values["findings"])
    values["replay"] = None if values["replay"] is None else json.loads(values["replay"])
    values["ok"] = None if values["ok"] is None else bool(values["ok"])
    return CallRecord(**values)
