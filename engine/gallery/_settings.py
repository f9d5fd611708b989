"""Which gallery backend to run, where its data lives, and how its index is tuned.

The gateway builds these from its own settings; `from_env` reads the documented variables for
deployments that configure the gallery alone (the benchmark, the compose file).
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

ENV_DATA = "IDFACADE_DATA"
ENV_BACKEND = "IDFACADE_GALLERY_BACKEND"
ENV_METADATA_DSN = "IDFACADE_GALLERY_METADATA_DSN"
ENV_MILVUS_URI = "IDFACADE_MILVUS_URI"
ENV_MILVUS_TOKEN = "IDFACADE_MILVUS_TOKEN"
MILLION = 1_000_000


class HnswSettings(BaseModel):
    """The embedded index's parameters and its snapshot policy (the name is kept from the
    hnswlib days; the graph is usearch's now).

    A collection under `exact_below` live vectors is one float32 matrix searched exactly; past
    it, an HNSW graph over `quantization` vectors whose best `candidates` are re-scored in
    float32. The defaults were chosen on 2 cores (docs/scale-out.md): the crossover where a graph
    starts to answer faster than a scan, and a million face-like vectors within 450 MB at
    recall@1 0.99. At a million, degree 24 found the true first face for 99.4% of probes at
    ef_search 192 in 2.0 ms (p99), where degree 16 needed 384 and 3.4 ms for 98.9%; degree 32
    needed only 128 but takes 8 bytes a vector per unit of m more, past the memory line; an
    ef_construction of 64 built a third faster but lost two points of recall at every
    ef_search. Re-scoring 16 candidates ranked as well as 32 at every ef_search.

    A fixed ef_search loses recall as the graph grows: 192 found the first face for 99.6% of
    probes at a million but 98.0% at two million, where 256 found 99.2% and 320 99.5%. So
    `ef_search` holds up to a million live vectors and grows past it with the count to the
    power `ef_growth` (see ef_search_for); the square root gives 272 at two million.
    """

    model_config = ConfigDict(frozen=True)

    m: int = Field(24, ge=4, le=96, description="graph degree")
    ef_construction: int = Field(128, ge=16)
    ef_search: int = Field(
        192, ge=1, description="up to a million vectors; raised to top_k when a search asks more"
    )
    ef_growth: float = Field(
        0.5, ge=0, le=1, description="exponent ef_search grows by past a million; 0 holds it"
    )
    quantization: Literal["f32", "f16", "i8"] = Field(
        "i8", description="how the graph stores vectors; answers are re-scored in float32"
    )
    candidates: int = Field(
        16, ge=1, le=1000, description="graph answers re-scored in float32 (at least top_k)"
    )
    threads: int = Field(
        0, ge=0, description="threads a batch of graph additions uses; 0 means every core"
    )
    exact_below: int = Field(
        50_000, ge=0, description="live vectors under which a collection is searched exactly"
    )
    snapshot_min_changes: int = Field(10_000, ge=1)
    snapshot_fraction: float = Field(
        0.25, gt=0, description="snapshot once unsaved changes reach this share of the index"
    )
    compact_fraction: float = Field(
        0.2, gt=0, le=1, description="rebuild once deleted entries reach this share of the index"
    )
    maintenance_interval: float | None = Field(
        60.0, gt=0, description="seconds between background checkpoints; None turns them off"
    )

    def ef_search_for(self, live: int) -> int:
        """The ef_search a graph of `live` vectors searches with: `ef_search` up to a million,
        times (live / 1M) ** ef_growth past it, rounded up."""
        scale = max(1.0, live / MILLION) ** self.ef_growth
        return math.ceil(self.ef_search * scale)


class GallerySettings(BaseModel):
    """One gallery: `embedded` (SQLite + usearch in `data_dir`) or `milvus` (scale-out)."""

    model_config = ConfigDict(frozen=True)

    backend: Literal["embedded", "milvus"] = "embedded"
    data_dir: Path = Path("var")
    metadata_dsn: str | None = Field(
        None,
        description="a SQLite path, sqlite:///path, or postgresql://…; defaults to a SQLite file "
        "in data_dir. The embedded backend keeps vectors in the same SQLite file, so it takes "
        "SQLite only.",
    )
    milvus_uri: str | None = Field(
        None, description="http://host:19530 for a server; defaults to a milvus-lite file"
    )
    milvus_token: str = ""
    hnsw: HnswSettings = HnswSettings()

    @model_validator(mode="after")
    def _embedded_takes_sqlite(self) -> GallerySettings:
        if self.backend == "embedded" and self.metadata_dsn and is_postgres(self.metadata_dsn):
            raise ValueError("the embedded gallery keeps its metadata in SQLite, not PostgreSQL")
        return self

    @property
    def resolved_metadata_dsn(self) -> str:
        """The DSN in use: each backend defaults to its own file, so a switch never mixes them."""
        if self.metadata_dsn:
            return self.metadata_dsn
        name = "gallery.sqlite3" if self.backend == "embedded" else "gallery-milvus.sqlite3"
        return str(self.data_dir / name)

    @property
    def resolved_milvus_uri(self) -> str:
        return self.milvus_uri or str(self.data_dir / "milvus.db")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> GallerySettings:
        """Settings from IDFACADE_DATA, IDFACADE_GALLERY_BACKEND, IDFACADE_GALLERY_METADATA_DSN,
        IDFACADE_MILVUS_URI and IDFACADE_MILVUS_TOKEN; unset ones keep their defaults."""
        env = os.environ if environ is None else environ
        fields = {
            "data_dir": env.get(ENV_DATA),
            "backend": env.get(ENV_BACKEND),
            "metadata_dsn": env.get(ENV_METADATA_DSN),
            "milvus_uri": env.get(ENV_MILVUS_URI),
            "milvus_token": env.get(ENV_MILVUS_TOKEN),
        }
        return cls.model_validate({k: v for k, v in fields.items() if v})


def is_postgres(dsn: str) -> bool:
    return dsn.startswith(("postgresql://", "postgres://"))
