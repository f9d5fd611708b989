"""A readers-writer lock, because an index allows parallel searches but not a search during a write.

A graph library's own locks make concurrent inserts safe and concurrent searches safe, but a
search that runs while the graph grows its storage can read freed memory (nmslib/hnswlib#562
was that crash), and the exact scan's matrix is replaced when it grows. Searches take the shared
side and release the GIL inside the library or numpy, so they still run in parallel.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class RWLock:
    """Many readers or one writer. A waiting writer holds back new readers, so a steady stream
    of searches cannot starve an insert."""

    def __init__(self) -> None:
        self._cond = threading.Condition(threading.Lock())
        self._readers = 0
        self._writing = False
        self._writers_waiting = 0

    @contextmanager
    def read(self) -> Iterator[None]:
        with self._cond:
            while self._writing or self._writers_waiting:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                if not self._readers:
                    self._cond.notify_all()

    @contextmanager
    def write(self) -> Iterator[None]:
        with self._cond:
            self._writers_waiting += 1
            try:
                while self._writing or self._readers:
                    self._cond.wait()
            finally:
                self._writers_waiting -= 1
            self._writing = True
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()
