"""Timing of the engine's stages (decode, detect, embed, attributes, OCR, liveness), for
whoever watches: the gateway turns them into a Prometheus histogram, the engine knows no
metrics library. An observer is called with the stage's name and its seconds, in the thread
that ran it; with none registered the cost is one clock read on each side.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

Observer = Callable[[str, float], None]
_observers: list[Observer] = []


def observe(observer: Observer) -> None:
    """Call `observer(stage, seconds)` after every timed stage (once per observer)."""
    if observer not in _observers:
        _observers.append(observer)


def timed(stage: str) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """Decorate a stage's function so that its every run is reported, raised or not."""

    def wrap(fn: Callable[P, T]) -> Callable[P, T]:
        @functools.wraps(fn)
        def run(*args: P.args, **kwargs: P.kwargs) -> T:
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - started
                for observer in _observers:
                    observer(stage, elapsed)

        return run

    return wrap
