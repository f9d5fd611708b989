"""Replay windows in SQLite, so every worker process of one deployment shares them."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from gateway.database import connect

_SCHEMA = """
CREATE TABLE IF NOT EXISTS seen (
    scope TEXT NOT NULL,
    token TEXT NOT NULL,
    expires REAL NOT NULL,
    PRIMARY KEY (scope, token)
)
"""
_PURGE_EVERY = 1000


class SqliteReplayGuard:
    def __init__(self, path: Path) -> None:
        self._conn = connect(path)
        self._conn.execute(_SCHEMA)
        self._lock = threading.Lock()
        self._writes = 0

    def first_use(self, scope: str, token: str, ttl: float) -> bool:
        now = time.time()
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                self._conn.execute(
                    "DELETE FROM seen WHERE scope=? AND token=? AND expires<=?", (scope, token, now)
                )
                cur = self._conn.execute(
                    "INSERT OR IGNORE INTO seen (scope, token, expires) VALUES (?, ?, ?)",
                    (scope, token, now + ttl),
                )
                self._writes += 1
                if self._writes % _PURGE_EVERY == 0:
                    self._conn.execute("DELETE FROM seen WHERE expires<=?", (now,))
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
        return cur.rowcount == 1

    def clear(self) -> None:
        """Forget every window (a contract test's reset)."""
        with self._lock:
            self._conn.execute("DELETE FROM seen")

    def close(self) -> None:
        self._conn.close()
