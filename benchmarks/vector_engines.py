"""The candidate vector indexes, each behind the same four calls, for benchmarks/gallery.py.

Each engine is built with the same graph degree (`m`) and candidate-list sizes, fed the same
batches (1,000 vectors, as the gallery's commits feed its index) on every core, saved, and
then loaded and queried one vector at a time on one thread in a fresh process. Quantised
engines answer `candidates` labels that the caller re-scores in float32, as the gallery does.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

THREADS = 2  # the cores of the machine the targets are set for


@dataclass(frozen=True)
class Params:
    m: int
    ef_construction: int
    ef_search: int


class Engine(ABC):
    """One index under test; subclasses wrap one library each."""

    name = ""

    def __init__(self, dim: int, params: Params) -> None:
        self.dim = dim
        self.params = params
        self.index: Any = None

    @abstractmethod
    def add(self, labels: np.ndarray, vectors: np.ndarray) -> None:
        """Add one batch on every core."""

    @abstractmethod
    def search(self, vector: np.ndarray, count: int) -> np.ndarray:
        """The labels of up to `count` nearest vectors, best first, on one thread."""

    @abstractmethod
    def save(self, path: Path) -> None: ...

    @abstractmethod
    def load(self, path: Path) -> None: ...


class Hnswlib(Engine):
    name = "hnswlib"

    def add(self, labels: np.ndarray, vectors: np.ndarray) -> None:
        import hnswlib

        if self.index is None:
            self.index = hnswlib.Index(space="cosine", dim=self.dim)
            self.index.init_index(
                max_elements=1024, M=self.params.m, ef_construction=self.params.ef_construction
            )
        needed = self.index.element_count + len(labels)
        if needed > self.index.max_elements:
            self.index.resize_index(max(needed, int(self.index.max_elements * 1.5)))
        self.index.add_items(vectors, labels, num_threads=THREADS)

    def search(self, vector: np.ndarray, count: int) -> np.ndarray:
        labels, _ = self.index.knn_query(vector, k=count, num_threads=1)
        return labels[0]

    def save(self, path: Path) -> None:
        self.index.save_index(str(path))

    def load(self, path: Path) -> None:
        import hnswlib

        self.index = hnswlib.Index(space="cosine", dim=self.dim)
        self.index.load_index(str(path))
        self.index.set_ef(self.params.ef_search)


class Usearch(Engine):
    dtype = "f32"
    metric = "cos"

    def __init__(self, dim: int, params: Params) -> None:
        super().__init__(dim, params)
        self.name = f"usearch-{self.dtype}" + ("" if self.metric == "cos" else f"-{self.metric}")

    def add(self, labels: np.ndarray, vectors: np.ndarray) -> None:
        from usearch.index import Index

        if self.index is None:
            self.index = Index(
                ndim=self.dim,
                metric=self.metric,
                dtype=self.dtype,
                connectivity=self.params.m,
                expansion_add=self.params.ef_construction,
                expansion_search=self.params.ef_search,
            )
        self.index.add(labels, vectors, threads=THREADS)

    def search(self, vector: np.ndarray, count: int) -> np.ndarray:
        return self.index.search(vector, count, threads=1).keys

    def save(self, path: Path) -> None:
        self.index.save(str(path))

    def load(self, path: Path) -> None:
        from usearch.index import Index

        self.index = Index.restore(str(path))
        self.index.expansion_search = self.params.ef_search


class UsearchF16(Usearch):
    dtype = "f16"


class UsearchI8(Usearch):
    dtype = "i8"


class UsearchI8Ip(UsearchI8):
    """The gallery's graph: 8-bit vectors under the inner product, which for the unit vectors
    the gallery stores is the cosine without the cosine kernel's two norms per comparison."""

    metric = "ip"


class FaissSq8(Engine):
    """HNSW over 8-bit scalar-quantised vectors; the quantiser is trained on the first batch."""

    name = "faiss-sq8"

    def add(self, labels: np.ndarray, vectors: np.ndarray) -> None:
        import faiss

        faiss.omp_set_num_threads(THREADS)
        if self.index is None:
            # faiss's stubs type the quantiser enum constant as the class it belongs to
            index = faiss.IndexHNSWSQ(
                self.dim,
                faiss.ScalarQuantizer.QT_8bit,  # type: ignore[arg-type]
                self.params.m,
                faiss.METRIC_INNER_PRODUCT,
            )
            index.hnsw.efConstruction = self.params.ef_construction
            index.train(vectors)
            self.index = faiss.IndexIDMap(index)
        self.index.add_with_ids(vectors, labels)

    def search(self, vector: np.ndarray, count: int) -> np.ndarray:
        _, labels = self.index.search(vector[None, :], count)
        return labels[0]

    def save(self, path: Path) -> None:
        import faiss

        faiss.write_index(self.index, str(path))

    def load(self, path: Path) -> None:
        import faiss

        faiss.omp_set_num_threads(1)
        self.index = faiss.read_index(str(path))
        # downcast_index returns the concrete class (IndexHNSWSQ); the stubs say Index
        hnsw = faiss.downcast_index(self.index.index)
        hnsw.hnsw.efSearch = self.params.ef_search  # type: ignore[attr-defined]


ENGINES: dict[str, type[Engine]] = {
    "hnswlib": Hnswlib,
    "usearch-f32": Usearch,
    "usearch-f16": UsearchF16,
    "usearch-i8": UsearchI8,
    "usearch-i8-ip": UsearchI8Ip,
    "faiss-sq8": FaissSq8,
}
