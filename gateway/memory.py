"""How the serving process keeps its resident memory down: glibc's allocator, tuned.

Both measures are glibc's (`mallopt`, `malloc_trim`); elsewhere they do nothing.
"""

from __future__ import annotations

import ctypes
import functools

_M_ARENA_MAX = -8  # glibc mallopt parameter


@functools.cache
def _libc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL("libc.so.6")
    except OSError:
        return None


def limit_malloc_arenas(arenas: int = 1) -> None:
    """Cap glibc's malloc arenas before the pool's threads start.

    glibc gives each thread its own arena (up to 8 per core), and the large activations
    that MTCNN allocates and frees at every pyramid level then fragment every arena that
    serves an inference thread. Measured with the face benchmark's 2-thread pool at 640 and
    1024 px: RSS after the timings 440-550 MB with two arenas, 436-446 MB with one, at the same
    latency and throughput (the inference threads allocate a few large blocks per request, so
    they hardly contend for the one arena's lock). Fixing glibc's mmap threshold instead
    (at 4 MB) held RSS at 360 MB but made 1024-px detection 50% slower in page faults.
    """
    libc = _libc()
    if libc is not None:
        libc.mallopt(_M_ARENA_MAX, arenas)


def release_free_memory() -> None:
    """Give the heap's free pages back to the system.

    Loading the models leaves about 80 MB of freed buffers behind (the face ResNet is rebuilt
    from its file through several transient copies, and glibc's adaptive mmap threshold keeps
    such blocks on the heap); once loading is done nothing will reuse them.
    """
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)
