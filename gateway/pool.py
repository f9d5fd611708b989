"""The bounded inference pool: a fixed set of threads, a bounded wait, a deadline.

onnxruntime and dlib release the GIL, so threads give real parallelism. When every worker and
waiting slot is taken the caller gets the canonical `busy` error at once rather than a hang;
a call that outlives the deadline answers `timeout` (its thread finishes, and only then frees
its slot, so the bound stays honest).
"""

from __future__ import annotations

import asyncio
import functools
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from contracts.errors import ErrorKind, IdfError
from gateway import metrics

T = TypeVar("T")


class BoundedPool:
    def __init__(self, workers: int, queue: int, deadline: float) -> None:
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="infer")
        self._slots = threading.BoundedSemaphore(workers + queue)
        self._deadline = deadline

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        if not self._slots.acquire(blocking=False):
            metrics.POOL_REJECTED.inc()
            raise IdfError(ErrorKind.busy, "the service is busy, try again later")
        metrics.POOL_IN_FLIGHT.inc()
        metrics.POOL_QUEUED.inc()
        try:
            future = self._executor.submit(_running, functools.partial(fn, *args, **kwargs))
        except BaseException:
            metrics.POOL_QUEUED.dec()
            metrics.POOL_IN_FLIGHT.dec()
            self._slots.release()
            raise
        future.add_done_callback(self._release)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), timeout=self._deadline)
        except TimeoutError as exc:
            raise IdfError(ErrorKind.timeout, f"not finished within {self._deadline:g}s") from exc

    def _release(self, future: Future[Any]) -> None:
        # a call cancelled before a worker took it (shutdown) never left the queue
        (metrics.POOL_QUEUED if future.cancelled() else metrics.POOL_RUNNING).dec()
        metrics.POOL_IN_FLIGHT.dec()
        self._slots.release()

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


def _running(call: Callable[[], T]) -> T:
    """A call leaves the queue when a worker thread picks it up."""
    metrics.POOL_QUEUED.dec()
    metrics.POOL_RUNNING.inc()
    return call()
