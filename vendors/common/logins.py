"""Password checks for logins: off the event loop, the same cost for every username, and
refused once too many have failed.

scrypt takes ~50 ms of CPU by design; run on the event loop, 60 wrong logins froze every
request for seconds. It runs in a thread here, at most `concurrency` at a time. An unknown
username is checked against a hash made at start, so that its answer costs what a real one
does and timing tells nobody which usernames exist. Failures are counted per username and per
client address in a sliding window; past the limit, logins are refused without hashing until
the oldest failure leaves the window. The counts live in this process (one per worker).
"""

from __future__ import annotations

import asyncio
import math
import secrets
import threading
import time
from collections import OrderedDict, deque

from contracts.credentials import hash_secret, verify_secret
from contracts.errors import ErrorKind, IdfError

MAX_USER_FAILURES = 5
MAX_ADDRESS_FAILURES = 20  # higher: many people may share one address behind a NAT
WINDOW = 300.0  # seconds
MAX_TRACKED = 10_000  # keys remembered at once, so a flood of names cannot grow memory


class LoginGuard:
    def __init__(
        self,
        *,
        max_user_failures: int = MAX_USER_FAILURES,
        max_address_failures: int = MAX_ADDRESS_FAILURES,
        window: float = WINDOW,
        concurrency: int = 2,
    ) -> None:
        self.window = window
        self._limits = {"user": max_user_failures, "address": max_address_failures}
        self._failures: OrderedDict[tuple[str, str], deque[float]] = OrderedDict()
        self._lock = threading.Lock()
        self._slots = asyncio.Semaphore(concurrency)
        self._stand_in = hash_secret(secrets.token_urlsafe(16), slow=True)

    async def check(self, stored: str | None, password: str, username: str, address: str) -> bool:
        """Whether `password` matches `stored` (None: no such user); an `auth` error when
        too many logins for this username or address have failed lately."""
        keys = (("user", username), ("address", address))
        self._refuse_if_limited(keys)
        async with self._slots:
            matched = await asyncio.to_thread(verify_secret, password, stored or self._stand_in)
        matched = matched and stored is not None
        with self._lock:
            if matched:
                self._failures.pop(keys[0], None)
            else:
                now = time.monotonic()
                for key in keys:
                    self._failures.setdefault(key, deque()).append(now)
                    self._failures.move_to_end(key)
                while len(self._failures) > MAX_TRACKED:
                    self._failures.popitem(last=False)
        return matched

    def clear(self) -> None:
        """Forget every failure (the contract-test reset: a suite that tested the lock-out
        must not leave the next one locked out)."""
        with self._lock:
            self._failures.clear()

    def _refuse_if_limited(self, keys: tuple[tuple[str, str], ...]) -> None:
        now = time.monotonic()
        with self._lock:
            for key in keys:
                times = self._failures.get(key)
                if times is None:
                    continue
                while times and times[0] <= now - self.window:
                    times.popleft()
                if not times:
                    del self._failures[key]
                elif len(times) >= self._limits[key[0]]:
                    wait = math.ceil(times[0] + self.window - now)
                    raise IdfError(
                        ErrorKind.auth,
                        f"too many failed logins; try again in {wait} s",
                        field="username",
                    )
