"""Which index a collection gets for its size: an exact scan when small, a graph past that.

A collection under `exact_below` live vectors is an `ExactScan`; one above gets a `Graph` when
it is next rebuilt (the embedded index's upkeep rebuilds a collection whose structure no longer
suits its size). A graph goes back to a scan only under half the threshold, so a collection
that hovers at the boundary is not rebuilt back and forth.
"""

from __future__ import annotations

from collections.abc import Callable

from engine.gallery._exact import ExactScan
from engine.gallery._hnsw import Graph
from engine.gallery._rows import FloatRows
from engine.gallery._settings import HnswSettings
from engine.gallery._snapshots import Snapshot

Structure = Graph | ExactScan


def new_structure(
    dim: int, params: HnswSettings, seq: int, count: int, rows: Callable[[], FloatRows]
) -> Structure:
    """An empty structure for a collection about to receive `count` vectors; a graph keeps its
    float32 rows in `rows()` (an exact scan holds them itself)."""
    if count < params.exact_below:
        return ExactScan.new(dim, seq, capacity=count)
    return Graph.new(dim, params, seq, rows())


def load_structure(
    snapshot: Snapshot, dim: int, params: HnswSettings, rows: Callable[[], FloatRows]
) -> Structure:
    """Raises ValueError, RuntimeError or OSError when the file is unreadable or damaged."""
    if snapshot.kind == ExactScan.kind:
        return ExactScan.load(snapshot.path, dim, snapshot.seq)
    return Graph.load(snapshot.path, dim, params, snapshot.seq, snapshot.deleted, rows())


def suits(structure: Structure, params: HnswSettings) -> bool:
    """Whether the structure is the right one for its size (see the module docstring)."""
    if isinstance(structure, ExactScan):
        return structure.live < params.exact_below
    return structure.live >= params.exact_below // 2
