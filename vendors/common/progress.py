"""Progress of long jobs the gateway runs in the background (SenseTime's bulkImport), for the
admin console: what runs, how far it is, what it finished with. The process keeps the latest
few; the jobs' own logs (process.log) stay the vendor's record.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass, field

KEPT = 20  # finished jobs remembered beside the running ones


@dataclass
class Job:
    kind: str  # "bulkImport", "reembed"
    name: str  # what it works on, for a person
    total: int
    done: int = 0
    failed: int = 0
    started: float = field(default_factory=time.time)
    finished: float | None = None
    outcome: str = ""

    def advance(self, *, ok: bool = True) -> None:
        self.done += 1
        self.failed += 0 if ok else 1

    def finish(self, outcome: str = "finished") -> None:
        self.finished, self.outcome = time.time(), outcome

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, round(100 * self.done / self.total))


class Jobs:
    def __init__(self) -> None:
        self._jobs: deque[Job] = deque()
        self._lock = threading.Lock()

    def start(self, kind: str, name: str, total: int) -> Job:
        job = Job(kind, name, total)
        with self._lock:
            self._jobs.append(job)
            finished = [j for j in self._jobs if j.finished is not None]
            for old in finished[: max(0, len(finished) - KEPT)]:
                self._jobs.remove(old)
        return job

    def all(self) -> list[Job]:
        """Running jobs first, then the finished ones, newest first."""
        with self._lock:
            jobs = list(self._jobs)
        return sorted(jobs, key=lambda j: (j.finished is not None, -j.started))


JOBS = Jobs()
