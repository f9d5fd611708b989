"""Fault injection: scripted failures, per vendor API and optionally per caller, for tests.

A scenario is a list of rules, from a TOML file (`contract_scenario`) or the admin API
(gateway/contract_admin.py). The first rule that matches a call and fires acts it out:

    [[fault]]
    name = "yitu busy"            # optional; the journal records it with the call
    vendor = "yitu"               # sensetime | yitu | waiqin | netocr
    api = "face_pair_verification"  # optional: every API of the vendor when left out
    principal = "3f2a…"           # optional: only this caller (access id, username, key, openid)
    error = "busy"                # busy | quota | auth | no_face | timeout | any ErrorKind
    latency = 0.5                 # seconds to wait first (past the deadline: a timeout)
    drop = false                  # true: close the connection mid-answer instead
    nth = [2, 3]                  # only these matching calls (1-based); or
    share = 0.25                  # a share of matching calls, drawn from `seed`
    seed = 7
    times = 1                     # fire at most this many times

The error is raised as the canonical `IdfError`, so each facade answers it from its own error
table, exactly as it would a real one. Rules act only where the deployment enables the admin
API (`contract_admin`); a production gateway never loads them.
"""

from __future__ import annotations

import asyncio
import random
import threading
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator
from starlette.types import ASGIApp, Receive, Scope, Send

from contracts.errors import ErrorKind, IdfError

VENDORS = ("sensetime", "yitu", "waiqin", "netocr")
# The words a scenario may use for an error, beside every ErrorKind's own name.
ERROR_NAMES: Mapping[str, ErrorKind] = {
    "auth_failed": ErrorKind.auth,
    "quota_exceeded": ErrorKind.quota,
    "busy": ErrorKind.busy,
    "timeout": ErrorKind.timeout,
    "no_face": ErrorKind.no_face,
}
DETAIL = "injected by the contract-test scenario"


class FaultRule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    vendor: str
    api: str | None = None
    principal: str | None = None
    name: str | None = None
    error: ErrorKind | None = None
    latency: float = Field(0.0, ge=0, le=600)
    drop: bool = False
    nth: tuple[int, ...] = ()
    share: float | None = Field(None, ge=0, le=1)
    seed: int = 0
    times: int | None = Field(None, ge=1)

    @field_validator("vendor")
    @classmethod
    def _known_vendor(cls, value: str) -> str:
        if value not in VENDORS:
            raise ValueError(f"vendor must be one of {', '.join(VENDORS)}")
        return value

    @field_validator("error", mode="before")
    @classmethod
    def _error_word(cls, value: Any) -> Any:
        return ERROR_NAMES.get(value, value) if isinstance(value, str) else value

    @field_validator("nth", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return (value,) if isinstance(value, int) else value

    def label(self) -> str:
        what = "drop" if self.drop else (self.error or "latency")
        return self.name or f"{self.vendor}:{self.api or '*'}:{what}"

    def matches(self, vendor: str, api: str, principal: str | None) -> bool:
        return (
            self.vendor == vendor
            and self.api in (None, api)
            and self.principal in (None, principal)
        )


def parse_scenario(source: str | Mapping[str, Any]) -> list[FaultRule]:
    """Rules from TOML text or its parsed form (`{"fault": [...]}`); a ValueError names the
    bad rule and field."""
    document = tomllib.loads(source) if isinstance(source, str) else source
    unknown = set(document) - {"fault"}
    if unknown:
        raise ValueError(f"unknown scenario keys: {', '.join(sorted(unknown))}")
    rules = document.get("fault", [])
    if not isinstance(rules, list):
        raise ValueError("`fault` must be an array of tables ([[fault]])")
    return [FaultRule.model_validate(rule) for rule in rules]


def load_scenario(path: Path) -> list[FaultRule]:
    return parse_scenario(path.read_text(encoding="utf-8"))


class DropConnection(BaseException):
    """Raised through the application (past every `except Exception`) to `DropMiddleware`,
    which closes the connection mid-answer."""


class _Armed:
    """A rule with its counters: matching calls seen, times fired, its seeded draw."""

    def __init__(self, rule: FaultRule) -> None:
        self.rule = rule
        self.seen = 0
        self.fired = 0
        self.draw = random.Random(rule.seed)

    def fires(self) -> bool:
        self.seen += 1
        rule = self.rule
        if rule.times is not None and self.fired >= rule.times:
            return False
        if rule.nth and self.seen not in rule.nth:
            return False
        if rule.share is not None and self.draw.random() >= rule.share:
            return False
        self.fired += 1
        return True


class FaultInjector:
    """The scenario in force (vendors.common.services.FaultHook)."""

    def __init__(self, rules: Iterable[FaultRule] = ()) -> None:
        self._lock = threading.Lock()
        self._armed = [_Armed(rule) for rule in rules]

    @property
    def rules(self) -> list[FaultRule]:
        with self._lock:
            return [armed.rule for armed in self._armed]

    def replace(self, rules: Sequence[FaultRule]) -> None:
        """A new scenario, its counters from zero."""
        with self._lock:
            self._armed = [_Armed(rule) for rule in rules]

    def add(self, rules: Sequence[FaultRule]) -> None:
        with self._lock:
            self._armed.extend(_Armed(rule) for rule in rules)

    def clear(self) -> None:
        self.replace(())

    def pick(self, vendor: str, api: str, principal: str | None) -> FaultRule | None:
        """The first matching rule that fires for this call; every matching rule counts it."""
        chosen = None
        with self._lock:
            for armed in self._armed:
                if armed.rule.matches(vendor, api, principal) and armed.fires():
                    chosen = chosen or armed.rule
        return chosen

    async def apply(self, vendor: str, api: str, principal: str | None, state: Any) -> None:
        rule = self.pick(vendor, api, principal)
        if rule is None:
            return
        state.fault = rule.label()
        if rule.latency:
            await asyncio.sleep(rule.latency)
        if rule.drop:
            raise DropConnection
        if rule.error is not None:
            # a field for the templates that name one ("Image {field} no face errors")
            raise IdfError(
                rule.error, DETAIL, field="image" if rule.error is ErrorKind.no_face else None
            )


class DropMiddleware:
    """Answers a `DropConnection` by starting a response and closing it before its body
    ends: the client sees the connection dropped mid-answer (httpx: RemoteProtocolError)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        except DropConnection:
            headers = [(b"content-type", b"application/json"), (b"content-length", b"4096")]
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": b"{", "more_body": True})
            # returning here leaves the response incomplete: the server closes the connection
