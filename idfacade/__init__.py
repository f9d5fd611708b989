"""idfacade: a self-hosted identity-verification gateway serving the SenseTime, Yitu,
Waiqin365 and netocr wire APIs from one local engine, and a contract-test harness for code
that calls those vendors.

The documented entry for integrators:

    import idfacade
    idfacade.__version__
    client = idfacade.YituClient(base_url, access_id, access_key, public_key_pem)
    answer = client.compare(photo_a, photo_b)          # an idfacade.Answer
    client = idfacade.client_for("netocr", base_url, {"key": ..., "secret": ...})

and, for pytest, the `idfacade` fixture of `idfacade.testing` (registered as a pytest plugin
by the package's entry point; docs/contract-testing.md). The clients are imported on first
use, so `import idfacade` stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

try:
    __version__ = version("idfacade")
except PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0+unknown"

if TYPE_CHECKING:
    from idfacade.clients import (
        Answer,
        Client,
        NetocrClient,
        SenseTimeClient,
        WaiqinClient,
        YituClient,
        client_for,
        read_answer,
    )

__all__ = [
    "Answer",
    "Client",
    "NetocrClient",
    "SenseTimeClient",
    "WaiqinClient",
    "YituClient",
    "__version__",
    "client_for",
    "read_answer",
]
_LAZY = frozenset(__all__) - {"__version__"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module("idfacade.clients"), name)
    raise AttributeError(f"module 'idfacade' has no attribute {name!r}")
