"""Gallery at scale: the embedded store (SQLite + hnswlib) against exact numpy search.

    python -m benchmarks.gallery [--sizes 10000,100000,1000000] [--quick] [--json out.json]

For each size and kind of data it builds a gallery through the public API (`insert_many` in
batches of 1,000, each batch a durable commit), asks single queries through
`Gallery.search(top_k=10)`, and prints: insert rate; process RSS (steady, and the peak of the
build) and disk per million vectors; search latency p50/p99; recall@1 and @10 against exact
search. Exact numpy search is measured in the same run as the baseline. Each side runs in a
fresh process, so each RSS is that side's own.

Data, 128-d unit vectors:
- random: uniform on the sphere; a probe is an enrolled vector seen again (cosine 0.7 to it).
- faces: identities in a space of about 50 effective dimensions (a decaying spectrum, as face
  embeddings have), two enrolled photos per identity (cosine ~0.77 between them); a probe is a
  third photo of an enrolled identity.
A stranger is a query from the same distribution with no enrolled match. A 1:N search answers
it with a score under the match threshold, so its recall matters less; it is shown as the
hardest case, not the target.
"""

from __future__ import annotations

import argparse
import functools
import json
import multiprocessing
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.memory import memory
from engine.gallery.settings import HnswSettings

DIM = 128
BATCH = 1_000
TOP_K = 10
PROBE_SIMILARITY = 0.7
PHOTO_SPREAD = 0.55  # norm of a photo's deviation from its identity's centre
SPECTRUM = (1.0 + np.arange(DIM, dtype=np.float32)) ** -0.35
EXACT_TIMED = 200  # exact single queries timed per size: each one scans every vector
MILLION = 1_000_000
MIB = 1024 * 1024


@dataclass(frozen=True)
class Dataset:
    """Raw float32 files: `size` enrolled vectors, then the probes and the strangers."""

    kind: str
    size: int
    directory: Path

    def path(self, part: str) -> Path:
        return self.directory / f"{part}.f32"


def unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def random_data(rng: np.random.Generator, size: int, queries: int) -> dict[str, np.ndarray]:
    enrolled = unit(rng.standard_normal((size, DIM), dtype=np.float32))
    seen = enrolled[rng.choice(size, queries, replace=False)]
    noise = unit(rng.standard_normal((queries, DIM), dtype=np.float32))
    probes = unit(PROBE_SIMILARITY * seen + np.sqrt(1 - PROBE_SIMILARITY**2) * noise)
    strangers = unit(rng.standard_normal((queries, DIM), dtype=np.float32))
    return {"enrolled": enrolled, "probes": probes, "strangers": strangers}


def faces_data(rng: np.random.Generator, size: int, queries: int) -> dict[str, np.ndarray]:
    def centres(n: int) -> np.ndarray:
        return unit(rng.standard_normal((n, DIM), dtype=np.float32) * SPECTRUM)

    def photos(of: np.ndarray) -> np.ndarray:
        noise = rng.standard_normal(of.shape, dtype=np.float32) / np.sqrt(DIM)
        return unit(of + PHOTO_SPREAD * noise)

    people = centres(size // 2)
    enrolled = np.empty((size // 2 * 2, DIM), dtype=np.float32)
    enrolled[0::2], enrolled[1::2] = photos(people), photos(people)
    probes = photos(people[rng.choice(len(people), queries, replace=False)])
    return {"enrolled": enrolled, "probes": probes, "strangers": photos(centres(queries))}


KINDS: dict[str, Callable[[np.random.Generator, int, int], dict[str, np.ndarray]]] = {
    "random": random_data,
    "faces": faces_data,
}


def make_dataset(kind: str, size: int, queries: int, directory: Path) -> Dataset:
    directory.mkdir(parents=True, exist_ok=True)
    parts = KINDS[kind](np.random.default_rng(size), size, queries)
    dataset = Dataset(kind, len(parts["enrolled"]), directory)
    for part, rows in parts.items():
        rows.tofile(dataset.path(part))
    return dataset


def read_batches(path: Path) -> Any:
    """The file's rows, BATCH at a time, read (not mapped) so they leave RSS when dropped."""
    with path.open("rb") as f:
        while True:
            rows = np.fromfile(f, dtype=np.float32, count=BATCH * DIM)
            if not rows.size:
                return
            yield rows.reshape(-1, DIM)


def read_all(path: Path) -> np.ndarray:
    return np.fromfile(path, dtype=np.float32).reshape(-1, DIM)


def disk(directory: Path) -> float:
    return sum(p.stat().st_size for p in directory.rglob("*") if p.is_file()) / MIB


def latencies(wall: list[float], cpu: list[float]) -> dict[str, float]:
    """Wall-clock percentiles, and the CPU time of the querying thread, which other processes
    competing for the cores do not inflate."""
    ms, cpu_ms = np.asarray(wall) * 1e3, np.asarray(cpu) * 1e3
    return {
        "p50_ms": float(np.percentile(ms, 50)),
        "p99_ms": float(np.percentile(ms, 99)),
        "cpu_p99_ms": float(np.percentile(cpu_ms, 99)),
    }


def timed(call: Callable[[], Any]) -> tuple[Any, float, float]:
    wall, cpu = time.perf_counter(), time.thread_time()
    result = call()
    return result, time.perf_counter() - wall, time.thread_time() - cpu


def run_build(dataset: Dataset, data_dir: str, hnsw: dict[str, Any]) -> dict[str, Any]:
    """In a fresh process: insert every vector, then close (which snapshots the graph)."""
    from contracts.embeddings import Embedding
    from contracts.gallery import CollectionSpec, NewItem
    from engine.gallery import GallerySettings, HnswSettings, open_gallery

    settings = GallerySettings(data_dir=Path(data_dir), hnsw=HnswSettings(**hnsw))
    started = time.perf_counter()
    with open_gallery(settings) as gallery:
        spec = CollectionSpec(namespace="bench", name="db", max_size=dataset.size)
        gallery.create_collection(spec)
        n = 0
        for rows in read_batches(dataset.path("enrolled")):
            items = [
                NewItem(
                    embedding=Embedding(vector=tuple(v.tolist()), model="bench"),
                    external_id=str(n + i),
                )
                for i, v in enumerate(rows)
            ]
            gallery.insert_many("bench", "db", items)
            n += len(rows)
        build_s = time.perf_counter() - started
    return {"insert_per_s": n / build_s, "peak_rss_mib": memory()["VmHWM"]}


def run_search(dataset: Dataset, data_dir: str, hnsw: dict[str, Any]) -> dict[str, Any]:
    """In a fresh process: open the built gallery (from its snapshot) and query it."""
    from contracts.embeddings import Embedding
    from engine.gallery import GallerySettings, HnswSettings, open_gallery

    settings = GallerySettings(data_dir=Path(data_dir), hnsw=HnswSettings(**hnsw))
    base = memory()["VmRSS"]
    started = time.perf_counter()
    with open_gallery(settings) as gallery:
        open_s = time.perf_counter() - started
        hits: dict[str, list[list[int]]] = {}
        timings: dict[str, dict[str, float]] = {}
        for part in ("probes", "strangers"):
            found, wall, cpu = [], [], []
            for q in read_all(dataset.path(part)):
                query = Embedding(vector=tuple(q.tolist()), model="bench")
                result, w, c = timed(functools.partial(gallery.search, "bench", query, top_k=TOP_K))
                found.append([int(h.external_id or -1) for h in result])
                wall.append(w)
                cpu.append(c)
            hits[part], timings[part] = found, latencies(wall, cpu)
        rss = memory()
    return {
        "rss_mib": rss["VmRSS"],
        "base_rss_mib": base,
        "peak_rss_mib": rss["VmHWM"],
        "disk_mib": disk(Path(data_dir)),
        "open_s": open_s,
        "latency": timings,
        "hits": hits,
    }


def run_exact(dataset: Dataset) -> dict[str, Any]:
    """In a fresh process: exact search with numpy, the baseline and the ground truth."""
    base = memory()["VmRSS"]
    started = time.perf_counter()
    enrolled = np.empty((dataset.size, DIM), dtype=np.float32)
    n = 0
    for rows in read_batches(dataset.path("enrolled")):
        enrolled[n : n + len(rows)] = rows
        n += len(rows)
    load_s = time.perf_counter() - started

    def top(queries: np.ndarray) -> np.ndarray:
        scores = queries @ enrolled.T
        best = np.argpartition(-scores, TOP_K, axis=1)[:, :TOP_K]
        order = np.argsort(-np.take_along_axis(scores, best, axis=1), axis=1)
        return np.take_along_axis(best, order, axis=1)

    truth: dict[str, list[list[int]]] = {}
    timings: dict[str, dict[str, float]] = {}
    for part in ("probes", "strangers"):
        queries = read_all(dataset.path(part))
        truth[part] = np.concatenate(
            [top(queries[s : s + 64]) for s in range(0, len(queries), 64)]
        ).tolist()
        measured = [timed(functools.partial(top, q[None, :]))[1:] for q in queries[:EXACT_TIMED]]
        timings[part] = latencies([w for w, _ in measured], [c for _, c in measured])
    return {
        "insert_per_s": n / load_s,
        "rss_mib": memory()["VmRSS"],
        "base_rss_mib": base,
        "peak_rss_mib": memory()["VmHWM"],
        "disk_mib": dataset.path("enrolled").stat().st_size / MIB,
        "open_s": load_s,
        "latency": timings,
        "hits": truth,
    }


def recall(found: list[list[int]], truth: list[list[int]], k: int) -> float:
    return float(
        np.mean([len(set(f[:k]) & set(t[:k])) / k for f, t in zip(found, truth, strict=True)])
    )


def in_fresh_process(function: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(function, *args).result()


def measure(
    kind: str, size: int, queries: int, workdir: Path, hnsw: dict[str, Any], efs: list[int]
) -> dict[str, Any]:
    """Exact search, one build, then a search run per ef_search value on that build."""
    dataset = make_dataset(kind, size, queries, workdir / f"{kind}-{size}")
    data_dir = workdir / f"gallery-{kind}-{size}"
    try:
        exact = in_fresh_process(run_exact, dataset)
        build = in_fresh_process(run_build, dataset, str(data_dir), hnsw)
        runs = {
            f"hnsw ef={ef}": in_fresh_process(
                run_search, dataset, str(data_dir), hnsw | {"ef_search": ef}
            )
            for ef in efs
        }
    finally:
        shutil.rmtree(dataset.directory, ignore_errors=True)
        shutil.rmtree(data_dir, ignore_errors=True)
    per_million = MILLION / dataset.size
    rows = {}
    for name, result in (*runs.items(), ("exact", exact)):
        built = build if name != "exact" else exact
        row = {
            "insert_per_s": built["insert_per_s"],
            "rss_mib": result["rss_mib"],
            "peak_rss_mib": max(built["peak_rss_mib"], result["peak_rss_mib"]),
            "rss_mib_per_m": (result["rss_mib"] - result["base_rss_mib"]) * per_million,
            "disk_mib_per_m": result["disk_mib"] * per_million,
            "open_s": result["open_s"],
        }
        for part in ("probes", "strangers"):
            for stat in ("p50_ms", "p99_ms", "cpu_p99_ms"):
                row[f"{part}_{stat}"] = result["latency"][part][stat]
            for k in (1, 10):
                row[f"{part}_recall@{k}"] = recall(result["hits"][part], exact["hits"][part], k)
        rows[name] = row
    return {"kind": kind, "size": dataset.size, "queries": queries, "hnsw": hnsw, "rows": rows}


COLUMNS = (
    ("insert/s", "insert_per_s", "{:,.0f}"),
    ("RSS MiB", "rss_mib", "{:,.0f}"),
    ("peak MiB", "peak_rss_mib", "{:,.0f}"),
    ("MiB/M RSS", "rss_mib_per_m", "{:,.0f}"),
    ("MiB/M disk", "disk_mib_per_m", "{:,.0f}"),
    ("open s", "open_s", "{:.1f}"),
    ("p50 ms", "probes_p50_ms", "{:.2f}"),
    ("p99 ms", "probes_p99_ms", "{:.2f}"),
    ("p99 CPU ms", "probes_cpu_p99_ms", "{:.2f}"),
    ("R@1 probe", "probes_recall@1", "{:.4f}"),
    ("R@10 probe", "probes_recall@10", "{:.4f}"),
    ("R@1 stranger", "strangers_recall@1", "{:.4f}"),
    ("R@10 stranger", "strangers_recall@10", "{:.4f}"),
)


def table(results: list[dict[str, Any]]) -> str:
    header = ["data", "size", "search", *(title for title, _, _ in COLUMNS)]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for result in results:
        for name, row in result["rows"].items():
            cells = [result["kind"], f"{result['size']:,}", name]
            cells += [fmt.format(row[key]) for _, key, fmt in COLUMNS]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--kinds", default="random,faces")
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--quick", action="store_true", help="10k and 100k, 200 queries")
    parser.add_argument("--workdir", type=Path, default=None, help="default: a temporary dir")
    parser.add_argument("--m", type=int, default=None)
    parser.add_argument("--ef-construction", type=int, default=None)
    parser.add_argument(
        "--ef-search", default=None, help="comma-separated: one search run per value, one build"
    )
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args(argv)
    # Single queries run on one thread each, as request handlers run them; the measured sides
    # run in fresh processes, which read this before numpy loads.
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    sizes = [10_000, 100_000] if args.quick else [int(s) for s in args.sizes.split(",")]
    queries = 200 if args.quick else args.queries
    hnsw: dict[str, Any] = {}
    for key in ("m", "ef_construction"):
        if getattr(args, key) is not None:
            hnsw[key] = getattr(args, key)
    default_ef = HnswSettings().ef_search
    efs = [int(ef) for ef in args.ef_search.split(",")] if args.ef_search else [default_ef]

    results = []
    with tempfile.TemporaryDirectory(dir=args.workdir) as workdir:
        for size in sizes:
            for kind in args.kinds.split(","):
                results.append(measure(kind, size, queries, Path(workdir), hnsw, efs))
                print("\n".join(table(results[-1:]).splitlines()[2:]), flush=True)
    print()
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
