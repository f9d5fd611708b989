"""Settings: defaults < TOML file < `IDFACADE_*` environment < command-line flags.

Every field `name` is read from the environment as `IDFACADE_<NAME>` and from the TOML file
(given by `--config` or `IDFACADE_CONFIG`) as the key `name`.
"""

from __future__ import annotations

import difflib
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from engine.gallery._settings import GallerySettings, HnswSettings
from vendors.common.config import FacadeSettings

ENV_PREFIX = "IDFACADE_"


class Settings(FacadeSettings):
    host: str = Field("127.0.0.1", description="Address to listen on (--host).")
    port: int = Field(8080, description="Port to listen on (--port).")
    data: Path = Field(
        Path("var"),
        description="Data directory (--data): SQLite stores, vector indexes, the deployment "
        "key secret.key; created 0700, every file in it 0600.",
    )
    log_level: str = Field(
        "info",
        description="debug, info, warning or error: JSON lines on stderr, never secrets or image "
        "data; a fault's traceback is written only at debug.",
    )
    pool_workers: int = Field(
        2, ge=1, description="Inference threads that run the models (workers x threads ~ cores)."
    )
    pool_queue: int = Field(
        16,
        ge=0,
        description="Calls allowed to wait for an inference thread; beyond that the vendor's "
        '"busy" error.',
    )
    model_threads: int = Field(1, ge=1, description="Threads each model session may use.")
    warm_up: bool = Field(
        True,
        description="Load every model at start-up, so /readyz turns 200 once they are in "
        "memory; false loads each on its first call.",
    )
    gallery_backend: Literal["embedded", "milvus"] = Field(
        "embedded",
        description='Feature databases and repos: "embedded" keeps them in the data directory '
        '(SQLite + a vector index); "milvus" scales out to a Milvus server or cluster.',
    )
    gallery_metadata_dsn: str | None = Field(
        None,
        description="Where gallery item metadata lives: a postgresql:// DSN to share it between "
        "hosts; unset is SQLite in the data directory.",
        examples=["postgresql://idfacade@db/idfacade"],
    )
    gallery_ef_search: int = Field(
        HnswSettings().ef_search,
        ge=1,
        description="Candidates an embedded search visits up to a million vectors in a "
        "collection: more buys recall on hard data for time.",
    )
    gallery_ef_growth: float = Field(
        HnswSettings().ef_growth,
        ge=0,
        le=1,
        description="Past a million vectors, gallery_ef_search grows by the count's ratio to a "
        "million to this power (0.5: x1.41 at two million), so recall holds; 0 holds it fixed.",
    )
    milvus_uri: str | None = Field(
        None,
        description="http://host:19530 for a Milvus server; a file path runs milvus-lite "
        "in-process; unset is <data>/milvus.db.",
        examples=["http://milvus:19530"],
    )
    milvus_token: str = Field(
        "", description='"user:password" or an API key when Milvus has authentication on.'
    )
    keep_alive_timeout: int = Field(
        5, ge=1, description="Seconds an idle keep-alive connection stays open."
    )
    header_timeout: float = Field(
        10.0, gt=0, description="Seconds a request's headers may take to arrive."
    )
    body_timeout: float = Field(
        60.0, gt=0, description="Seconds a request's whole body may take to arrive (408 past it)."
    )
    max_connections: int = Field(
        256, ge=1, description="Open connections; more are closed as they arrive."
    )
    sensetime_open_on_network: bool = Field(
        False,
        description="Serve SenseTime's open mode on an address other than loopback anyway, on "
        "purpose.",
    )
    metrics_public: bool = Field(
        False, description="/metrics answers loopback clients only unless this is set."
    )
    kept_image_ttl: float = Field(
        86400.0,
        gt=0,
        description="Seconds an image kept for an image_return=path answer stays before it is "
        "swept.",
    )
    console_session_ttl: float = Field(
        1800.0,
        gt=0,
        description="Seconds an admin console session lasts without use before it signs out.",
    )
    journal: bool = Field(
        True,
        description="Record every vendor call in <data>/journal.db (route, caller, fields with "
        "images as size + SHA-256, code, decision, score, latency, findings; never image bytes, "
        "secrets or answer contents): the console's recent calls and `idfacade contract report` "
        "read it.",
    )
    journal_max_calls: int = Field(
        10_000, ge=1, description="Calls the journal keeps; older ones are swept."
    )
    journal_max_age: float = Field(
        7 * 86400.0, gt=0, description="Seconds a journalled call is kept."
    )
    journal_keep_bodies: bool = Field(
        False,
        description="Also keep each call's fields WITH their images (base64), for `idfacade "
        "contract replay`: the journal then holds every photo sent. Test deployments only.",
    )
    contract_admin: bool = Field(
        False,
        description="Serve the contract-test admin API under /_idfacade (fault scenarios, "
        "reset, the journal) to loopback clients, or to any with contract_admin_token.",
    )
    contract_admin_token: str | None = Field(
        None,
        description="A bearer token that opens the contract-test admin API to other addresses "
        "(compared in constant time); unset: loopback only.",
        examples=["a-long-random-token"],
    )
    contract_scenario: Path | None = Field(
        None,
        description="A TOML fault scenario loaded at start (docs/contract-testing.md); needs "
        "contract_admin.",
        examples=["scenarios/busy.toml"],
    )

    def gallery_settings(self) -> GallerySettings:
        """The gallery these settings open (the gateway and `idfacade gallery` share it)."""
        return GallerySettings(
            backend=self.gallery_backend,
            data_dir=self.data,
            metadata_dsn=self.gallery_metadata_dsn,
            milvus_uri=self.milvus_uri,
            milvus_token=self.milvus_token,
            hnsw=HnswSettings(ef_search=self.gallery_ef_search, ef_growth=self.gallery_ef_growth),
        )


class UnknownSetting(ValueError):
    """A TOML key or IDFACADE_* variable that names no setting (a typo kept silently would
    leave the default in force)."""


# IDFACADE_* variables that are not settings: the settings file itself, and the test suite's.
_NOT_SETTINGS = (ENV_PREFIX + "CONFIG", ENV_PREFIX + "TEST_")


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
            from_file = tomllib.load(handle)
        _check_known(from_file, f"in {config}")
        values.update(from_file)
    given = {
        key[len(ENV_PREFIX) :].lower(): value
        for key, value in env.items()
        if key.startswith(ENV_PREFIX) and not key.startswith(_NOT_SETTINGS)
    }
    _check_known(given, "in the environment", prefix=ENV_PREFIX)
    values.update(given)
    values.update({k: v for k, v in (overrides or {}).items() if v is not None})
    return Settings.model_validate(values)


def _check_known(values: Mapping[str, Any], where: str, *, prefix: str = "") -> None:
    """Refuse names that are no setting, naming each (and the setting it was likely meant as)."""
    unknown = sorted(set(values) - set(Settings.model_fields))
    if not unknown:
        return
    named = []
    for name in unknown:
        shown = prefix + name.upper() if prefix else name
        close = difflib.get_close_matches(name, Settings.model_fields, n=1)
        hint = (
            f" (did you mean {prefix + close[0].upper() if prefix else close[0]}?)" if close else ""
        )
        named.append(shown + hint)
    raise UnknownSetting(f"unknown setting {where}: {', '.join(named)}")
