"""Results kept by caller-chosen id (Waiqin's transfer_id), in SQLite.

An id is reserved before the work starts, so two concurrent calls with one id cannot both
run; the reservation is released if the work fails (bad input changes nothing) and filled in
when it succeeds, after which the result can be fetched again and the id never reused.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from gateway.database import connect

_SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT,
    created REAL NOT NULL,
    PRIMARY KEY (scope, key)
)
"""


class SqliteResultStore:
    def __init__(self, path: Path) -> None:
        self._conn = connect(path)
        self._conn.execute(_SCHEMA)
        self._lock = threading.Lock()

    def reserve(self, scope: str, key: str) -> bool:
        with self._lock:
            cur = self._conn.execute(
                "INSERT OR IGNORE INTO results (scope, key, value, created) VALUES (?, ?, NULL, ?)",
                (scope, key, time.time()),
            )
        return cur.rowcount == 1

    def complete(self, scope: str, key: str, value: str) -> None:
        with self._lock:
            self._conn.execute(
                "UPDATE results SET value=? WHERE scope=? AND key=?", (value, scope, key)
            )

    def release(self, scope: str, key: str) -> None:
        with self._lock:
            self._conn.execute(
                "DELETE FROM results WHERE scope=? AND key=? AND value IS NULL", (scope, key)
            )

    def get(self, scope: str, key: str) -> str | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT value FROM results WHERE scope=? AND key=?", (scope, key)
            ).fetchone()
        return row[0] if row else None

    def clear(self) -> None:
        """Forget every kept result (a contract test's reset)."""
        with self._lock:
            self._conn.execute("DELETE FROM results")

    def close(self) -> None:
        self._conn.close()
