"""What a facade needs from its host, as protocols: the gateway provides the implementations.

Facades depend on these shapes, never on gateway modules, so that imports run one way
(gateway → vendors → contracts).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from contracts.credentials import Credential, Vendor
from vendors.common.config import FacadeSettings
from vendors.common.logins import LoginGuard

T = TypeVar("T")


class CredentialStore(Protocol):
    def get(self, vendor: Vendor, principal: str) -> Credential | None: ...


class ReplayGuard(Protocol):
    def first_use(self, scope: str, token: str, ttl: float) -> bool:
        """Record `token` in `scope`; False when it was already used within its window."""
        ...


class ResultStore(Protocol):
    """Results kept under a caller's id: reserve first, then complete or release."""

    def reserve(self, scope: str, key: str) -> bool: ...

    def complete(self, scope: str, key: str, value: str) -> None: ...

    def release(self, scope: str, key: str) -> None: ...

    def get(self, scope: str, key: str) -> str | None: ...


class InferencePool(Protocol):
    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T: ...


class FaultHook(Protocol):
    async def apply(self, vendor: str, api: str, principal: str | None, state: Any) -> None:
        """Act out the scenario rule that matches this call, if one does: wait, raise the
        canonical error it names, or drop the connection (gateway/faults.py). The rule's
        name goes on `state.fault` (the request's state) for the call journal."""
        ...


class Sealer(Protocol):
    def sign(self, purpose: str, data: bytes) -> bytes: ...

    def verify(self, purpose: str, data: bytes, mac: bytes) -> bool: ...

    def encrypt(self, purpose: str, data: bytes) -> bytes: ...

    def decrypt(self, purpose: str, blob: bytes) -> bytes | None: ...


@dataclass(frozen=True)
class Services:
    """Everything a facade's handlers reach through `request.app.state.services`."""

    settings: FacadeSettings
    credentials: CredentialStore
    replay: ReplayGuard
    results: ResultStore
    pool: InferencePool
    sealer: Sealer
    data_dir: Path
    gallery: Any = None  # engine.gallery.Gallery; Any keeps this module free of engine imports
    logins: LoginGuard = field(default_factory=LoginGuard)
    faults: FaultHook | None = None  # fault injection, when the deployment enables it
