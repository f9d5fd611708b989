"""Settings: defaults < TOML file < `IDFACADE_*` environment < command-line flags.

Every field `name` is read from the environment as `IDFACADE_<NAME>` and from the TOML file
(given by `--config` or `IDFACADE_CONFIG`) as the key `name`.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from engine.gallery.settings import GallerySettings, HnswSettings
from vendors.common.config import FacadeSettings

ENV_PREFIX = "IDFACADE_"


class Settings(FacadeSettings):
    host: str = "127.0.0.1"
    port: int = 8080
    data: Path = Path("var")
    log_level: str = "info"
    # Inference pool: threads that run models and waiting slots beyond them (the request
    # deadline is a facade setting: it covers the whole request).
    pool_workers: int = Field(2, ge=1)
    pool_queue: int = Field(16, ge=0)
    # Threads each model session may use; workers × threads ≈ cores.
    model_threads: int = Field(1, ge=1)
    warm_up: bool = True
    # Feature databases (engine.gallery): "embedded" keeps them in `data`; "milvus" scales out
    # (docs/scale-out.md). Unset DSN and URI default to files in `data`.
    gallery_backend: Literal["embedded", "milvus"] = "embedded"
    gallery_metadata_dsn: str | None = None
    # Candidates an embedded search visits: more buys recall on hard data for time.
    gallery_ef_search: int = Field(HnswSettings().ef_search, ge=1)
    milvus_uri: str | None = None
    milvus_token: str = ""
    # Slow and idle clients (gateway/server.py): seconds an idle keep-alive connection stays,
    # seconds a request's headers and its whole body may take to arrive; open connections.
    keep_alive_timeout: int = Field(5, ge=1)
    header_timeout: float = Field(10.0, gt=0)
    body_timeout: float = Field(60.0, gt=0)
    max_connections: int = Field(256, ge=1)
    # SenseTime's open mode is refused on an address other than loopback unless this is set.
    sensetime_open_on_network: bool = False
    # /metrics answers only loopback clients unless this is set.
    metrics_public: bool = False
    # Seconds an image kept for an image_return=path answer stays (gateway/retention.py).
    kept_image_ttl: float = Field(86400.0, gt=0)
    # The call journal (gateway/journal.py, docs/contract-testing.md). On by default: the
    # console's recent calls and `idfacade contract report` read it, it never holds image
    # bytes, secrets or answer contents, and it is bounded by count and age.
    journal: bool = True
    journal_max_calls: int = Field(10_000, ge=1)
    journal_max_age: float = Field(7 * 86400.0, gt=0)
    # Keeps each call's request fields WITH their images (base64) for `contract replay`:
    # the journal then holds the photos a suite sent. Off by default; for test deployments.
    journal_keep_bodies: bool = False
    # The contract-test admin API under /_idfacade (fault scenarios, reset, the journal):
    # loopback only, or with `authorization: Bearer <contract_admin_token>`. Off by default.
    contract_admin: bool = False
    contract_admin_token: str | None = None
    # A TOML fault scenario loaded at start (gateway/faults.py); needs contract_admin.
    contract_scenario: Path | None = None

    def gallery_settings(self) -> GallerySettings:
        """The gallery these settings open (the gateway and `idfacade gallery` share it)."""
        return GallerySettings(
            backend=self.gallery_backend,
            data_dir=self.data,
            metadata_dsn=self.gallery_metadata_dsn,
            milvus_uri=self.milvus_uri,
            milvus_token=self.milvus_token,
            hnsw=HnswSettings(ef_search=self.gallery_ef_search),
        )


def load_settings(
    overrides: Mapping[str, Any] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    config: Path | None = None,
) -> Settings:
    """Merge the sources in precedence order; pydantic coerces the strings."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    config = config or (Path(env[ENV_PREFIX + "CONFIG"]) if ENV_PREFIX + "CONFIG" in env else None)
    if config is not None:
        with config.open("rb") as handle:
            values.update(tomllib.load(handle))
    for name in Settings.model_fields:
        key = ENV_PREFIX + name.upper()
        if key in env:
            values[name] = env[key]
    values.update({k: v for k, v in (overrides or {}).items() if v is not None})
    return Settings.model_validate(values)
