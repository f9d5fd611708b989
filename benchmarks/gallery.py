"""Gallery at scale: the embedded store (SQLite + usearch) against exact numpy search, and the
candidate vector indexes side by side on the same vectors.

    python -m benchmarks.gallery [--sizes 10000,100000,1000000] [--quick] [--json out.json]
    python -m benchmarks.gallery --sizes 100000 --kinds faces,real,random --engines-only \
        --engines hnswlib,usearch-f16,usearch-i8,faiss-sq8     # pip install -e '.[bench]'
    python -m benchmarks.gallery --sizes 1000000 --kinds faces --engines-only \
        --engines usearch-i8-ip --engine-m 24 --engine-ef-search 128,192,256   # a degree sweep

For each size and kind of data it builds a gallery through the public API (`insert_many` in
batches of 1,000, each batch a durable commit), asks single queries through
`Gallery.search(top_k=10)`, and prints: the insert rate of the whole build and of its last
tenth, inserted once the collection has the graph its size calls for (with the CPU ms of each
such insert), and the build's CPU seconds; process RSS (steady, and the peak of the build) and
disk per million vectors; the open time (from the snapshot; with --rebuild also from SQLite
alone); search latency p50/p99 and the query thread's CPU p99; recall@1 and @10 against exact
search. Exact numpy search is measured in the same run as the baseline. `--engines` adds each
named index on its own (benchmarks/vector_engines.py): same vectors, same batches, same graph
degree and list sizes, its candidates re-scored in float32, with its own rank-1 recall before
re-scoring ("raw"). Each side runs in a fresh process, so each RSS is that side's own. Rows
print as they finish, with the load average.

Data, 128-d unit vectors:
- random: uniform on the sphere; a probe is an enrolled vector seen again (cosine 0.7 to it).
- faces: identities in a space of about 50 effective dimensions (a decaying spectrum, as face
  embeddings have), two enrolled photos per identity (cosine ~0.77 between them); a probe is a
  third photo of an enrolled identity.
- real: the face engine's embeddings of ../shared/data/faces among synthetic identities drawn
  from their measured between- and within-identity spread; a real identity is enrolled with
  one photo and probed with its others.
A stranger is a query from the same distribution with no enrolled match. A 1:N search answers
it with a score under the match threshold, so its recall matters less; it is shown as the
hardest case, not the target.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import itertools
import json
import multiprocessing
import os
import resource
import shutil
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.images import imread
from benchmarks.memory import memory
from benchmarks.vector_engines import ENGINES, Params
from engine.gallery._settings import HnswSettings

DIM = 128
BATCH = 1_000
TOP_K = 10
PROBE_SIMILARITY = 0.7
PHOTO_SPREAD = 0.55  # norm of a photo's deviation from its identity's centre
SPECTRUM = (1.0 + np.arange(DIM, dtype=np.float32)) ** -0.35
EXACT_TIMED = 200  # exact single queries timed per size: each one scans every vector
MILLION = 1_000_000
MIB = 1024 * 1024
DATA = Path("../shared/data")


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


@functools.cache
def real_embeddings() -> dict[str, np.ndarray]:
    """Embeddings of the labelled photos in ../shared/data/faces, by identity, from the face
    engine (its largest face per photo)."""
    import csv

    from contracts.images import DecodedImage
    from engine import face

    with (DATA / "faces" / "labels.csv").open(newline="") as f:
        rows = list(csv.DictReader(f))
    found: dict[str, list[np.ndarray]] = {}
    for row in rows:
        image = DecodedImage(pixels=imread(DATA / row["file"]), format="jpeg")
        detection = face.detect(image)
        largest = detection.largest()
        if largest is None:
            continue
        embedding = face.embed(image, detection, detection.faces.index(largest))
        found.setdefault(row["identity"], []).append(np.asarray(embedding.vector, np.float32))
    return {person: unit(np.vstack(vectors)) for person, vectors in found.items()}


def real_data(rng: np.random.Generator, size: int, queries: int) -> dict[str, np.ndarray]:
    """Real embeddings among synthetic identities drawn around them.

    The photos' spread is split into within-identity (each photo less its identity's mean) and
    between-identity covariance (the rest); synthetic identities are Gaussian draws from the
    second around the real mean, their photos draws from the first. Each real identity with
    two or more photos is enrolled with its first one and probed with every other one; the
    remaining probes are third photos of synthetic identities.
    """
    people = real_embeddings()
    enrolled_real = [vectors[0] for vectors in people.values() if len(vectors) >= 2]
    probes_real = [v for vectors in people.values() if len(vectors) >= 2 for v in vectors[1:]]
    everything = np.vstack(list(people.values()))
    residuals = np.vstack(
        [vectors - vectors.mean(axis=0) for vectors in people.values() if len(vectors) >= 2]
    )
    within = residuals.T @ residuals / len(residuals)
    between = np.cov(everything.T) - within
    values, axes = np.linalg.eigh(between)
    floor = 0.01 * float(np.trace(within)) / DIM  # the real photos span under 100 directions
    between_root = axes * np.sqrt(np.clip(values, 0, None) + floor)
    values, axes = np.linalg.eigh(within)
    within_root = axes * np.sqrt(np.clip(values, 0, None) + floor)
    mean = everything.mean(axis=0)

    def centres(n: int) -> np.ndarray:
        return mean + rng.standard_normal((n, DIM), dtype=np.float32) @ between_root.T

    def photos(of: np.ndarray) -> np.ndarray:
        return unit(of + rng.standard_normal(of.shape, dtype=np.float32) @ within_root.T)

    synthetic = centres((size - len(enrolled_real)) // 2)
    enrolled = np.vstack([enrolled_real, photos(synthetic), photos(synthetic)])
    enrolled = enrolled[rng.permutation(len(enrolled))]
    extra = max(0, queries - len(probes_real))
    chosen = synthetic[rng.choice(len(synthetic), extra, replace=False)]
    probes = np.vstack([probes_real, photos(chosen)]).astype(np.float32)
    return {"enrolled": enrolled, "probes": probes, "strangers": photos(centres(queries))}


KINDS: dict[str, Callable[[np.random.Generator, int, int], dict[str, np.ndarray]]] = {
    "random": random_data,
    "faces": faces_data,
    "real": real_data,
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
    # The last tenth goes in after the collection has its graph: the sustained rate of inserts
    # into a graph, which the bulk of the load (into the exact scan, then one rebuild) is not.
    tail_from = (dataset.size - dataset.size // 10) // BATCH * BATCH
    started, cpu = time.perf_counter(), cpu_seconds()
    inserted_s = tail_started = tail_cpu = 0.0  # set when n reaches tail_from
    with open_gallery(settings) as gallery:
        spec = CollectionSpec(namespace="bench", name="db", max_size=dataset.size)
        gallery.create_collection(spec)
        n = 0
        for rows in read_batches(dataset.path("enrolled")):
            if n == tail_from:
                inserted_s = time.perf_counter() - started
                # What the next upkeep round would do: rebuild a collection that outgrew its
                # exact scan as a graph, so later inserts and searches meet the structure its
                # size gets.
                gallery.compact("bench", "db")
                tail_started, tail_cpu = time.perf_counter(), cpu_seconds()
            items = [
                NewItem(
                    embedding=Embedding(vector=tuple(v.tolist()), model="bench"),
                    external_id=str(n + i),
                )
                for i, v in enumerate(rows)
            ]
            gallery.insert_many("bench", "db", items)
            n += len(rows)
        tail_s, tail_cpu_s = time.perf_counter() - tail_started, cpu_seconds() - tail_cpu
    # Closing waits for the upkeep and writes the snapshot: part of the build.
    build_s, build_cpu_s = time.perf_counter() - started, cpu_seconds() - cpu
    return {
        "insert_per_s": n / build_s,
        "acknowledged_per_s": tail_from / inserted_s,
        "graph_insert_per_s": (n - tail_from) / tail_s,
        "graph_insert_cpu_ms": 1e3 * tail_cpu_s / (n - tail_from),
        "build_cpu_s": build_cpu_s,
        "peak_rss_mib": memory()["VmHWM"],
    }


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


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_engine_build(name: str, dataset: Dataset, params: Params, path: str) -> dict[str, Any]:
    """In a fresh process: feed one engine every vector in batches, then save it."""
    engine = ENGINES[name](DIM, params)
    wall, cpu, n = time.perf_counter(), cpu_seconds(), 0
    for rows in read_batches(dataset.path("enrolled")):
        engine.add(np.arange(n, n + len(rows), dtype=np.int64), rows)
        n += len(rows)
    build_s, build_cpu_s = time.perf_counter() - wall, cpu_seconds() - cpu
    engine.save(Path(path))
    return {
        "insert_per_s": n / build_s,
        "build_s": build_s,
        "build_cpu_s": build_cpu_s,
        "peak_rss_mib": memory()["VmHWM"],
    }


def run_engine_search(
    name: str, dataset: Dataset, params: Params, path: str, candidates: int
) -> dict[str, Any]:
    """In a fresh process: load one engine and ask it single queries; its candidates are
    re-scored in float32 (read from the vectors file, as the gallery reads its row file)."""
    engine = ENGINES[name](DIM, params)
    base = memory()["VmRSS"]
    started = time.perf_counter()
    engine.load(Path(path))
    open_s = time.perf_counter() - started
    loaded = memory()["VmRSS"]
    exact = np.memmap(dataset.path("enrolled"), dtype=np.float32, mode="r").reshape(-1, DIM)
    hits: dict[str, list[list[int]]] = {}
    first: dict[str, list[int]] = {}
    timings: dict[str, dict[str, float]] = {}
    for part in ("probes", "strangers"):
        found, raw, wall, cpu = [], [], [], []
        for q in read_all(dataset.path(part)):
            labels, w, c = timed(functools.partial(engine.search, q, candidates))
            labels = labels[labels >= 0]
            scores = exact[np.sort(labels)] @ q
            found.append(np.sort(labels)[np.argsort(-scores)][:TOP_K].tolist())
            raw.append(int(labels[0]))
            wall.append(w)
            cpu.append(c)
        hits[part], first[part], timings[part] = found, raw, latencies(wall, cpu)
    return {
        "rss_mib": loaded,
        "base_rss_mib": base,
        "peak_rss_mib": memory()["VmHWM"],
        "disk_mib": Path(path).stat().st_size / MIB,
        "open_s": open_s,
        "latency": timings,
        "hits": hits,
        "first": first,
    }


def compare_engines(
    dataset: Dataset,
    workdir: Path,
    engines: list[str],
    params: Params,
    candidates: int,
    exact: dict[str, Any],
    efs: list[int],
) -> dict[str, dict[str, Any]]:
    """One row per engine and ef_search: the same vectors, batches, graph degree and list
    sizes for each; one build per engine, searched once per ef_search."""
    rows = {}
    for name in engines:
        path = workdir / f"{dataset.kind}-{dataset.size}.{name}"
        try:
            build = in_fresh_process(run_engine_build, name, dataset, params, str(path))
            for ef in efs:
                tuned = dataclasses.replace(params, ef_search=ef)
                result = in_fresh_process(
                    run_engine_search, name, dataset, tuned, str(path), candidates
                )
                row = row_of(build, result, exact, MILLION / dataset.size)
                for part in ("probes", "strangers"):
                    truth = [t[0] for t in exact["hits"][part]]
                    first = np.asarray(result["first"][part])
                    row[f"{part}_raw@1"] = float(np.mean(first == truth))
                key = f"{name} m={params.m} efc={params.ef_construction} ef={ef}"
                rows[key] = row
                progress(dataset, key, rows)
        finally:
            path.unlink(missing_ok=True)
    return rows


def progress(dataset: Dataset, name: str, rows: dict[str, dict[str, Any]]) -> None:
    """One finished row at once, with the load it ran under: a long run shows its figures as
    they come."""
    row = {"kind": dataset.kind, "size": dataset.size, "row": name, **rows[name]}
    print(json.dumps(row | {"load": os.getloadavg()}), flush=True)


def row_of(
    built: dict[str, Any], result: dict[str, Any], exact: dict[str, Any], per_million: float
) -> dict[str, Any]:
    row = {
        "insert_per_s": built["insert_per_s"],
        "rss_mib": result["rss_mib"],
        "peak_rss_mib": max(built["peak_rss_mib"], result["peak_rss_mib"]),
        "rss_mib_per_m": (result["rss_mib"] - result["base_rss_mib"]) * per_million,
        "disk_mib_per_m": result["disk_mib"] * per_million,
        "open_s": result["open_s"],
    }
    for key in ("build_cpu_s", "graph_insert_per_s", "graph_insert_cpu_ms"):
        if key in built:
            row[key] = built[key]
    for part in ("probes", "strangers"):
        for stat in ("p50_ms", "p99_ms", "cpu_p99_ms"):
            row[f"{part}_{stat}"] = result["latency"][part][stat]
        for k in (1, 10):
            row[f"{part}_recall@{k}"] = recall(result["hits"][part], exact["hits"][part], k)
    return row


def recall(found: list[list[int]], truth: list[list[int]], k: int) -> float:
    return float(
        np.mean([len(set(f[:k]) & set(t[:k])) / k for f, t in zip(found, truth, strict=True)])
    )


def in_fresh_process(function: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(function, *args).result()


def measure(
    kind: str,
    size: int,
    queries: int,
    workdir: Path,
    hnsw: dict[str, Any],
    efs: list[int],
    rescored: list[int],
    engines: list[str],
    params: Params,
    engine_efs: list[int],
    candidates: int,
    rebuild: bool,
) -> dict[str, Any]:
    """Exact search; the gallery (one build, a search run per (ef_search, candidates) pair, and
    with `rebuild` one more after deleting its snapshots, whose open time is the rebuild from
    SQLite) unless `efs` is empty; then each engine of `engines` on its own."""
    dataset = make_dataset(kind, size, queries, workdir / f"{kind}-{size}")
    data_dir = workdir / f"gallery-{kind}-{size}"
    per_million = MILLION / dataset.size
    rows = {}
    try:
        exact = in_fresh_process(run_exact, dataset)
        if efs:
            build = in_fresh_process(run_build, dataset, str(data_dir), hnsw)
            print(json.dumps({"built": build, "load": os.getloadavg()}), flush=True)
            for ef, count in itertools.product(efs, rescored):
                tuned = hnsw | {"ef_search": ef, "candidates": count}
                result = in_fresh_process(run_search, dataset, str(data_dir), tuned)
                # the ef the graph searched with: `ef` grown with the size (ef_search_for)
                grown = HnswSettings(**tuned).ef_search_for(dataset.size)
                name = f"gallery ef={grown} c={count}"
                rows[name] = row_of(build, result, exact, per_million)
                progress(dataset, name, rows)
            if rebuild:
                shutil.rmtree(data_dir / "gallery-index")
                result = in_fresh_process(run_search, dataset, str(data_dir), hnsw)
                rows["gallery rebuilt"] = row_of(build, result, exact, per_million)
                progress(dataset, "gallery rebuilt", rows)
        rows.update(
            compare_engines(dataset, workdir, engines, params, candidates, exact, engine_efs)
        )
    finally:
        shutil.rmtree(dataset.directory, ignore_errors=True)
        shutil.rmtree(data_dir, ignore_errors=True)
    rows["exact"] = row_of(exact, exact, exact, per_million)
    return {"kind": kind, "size": dataset.size, "queries": queries, "hnsw": hnsw, "rows": rows}


COLUMNS = (
    ("insert/s", "insert_per_s", "{:,.0f}"),
    ("into graph /s", "graph_insert_per_s", "{:,.0f}"),
    ("CPU ms/insert", "graph_insert_cpu_ms", "{:.2f}"),
    ("RSS MiB", "rss_mib", "{:,.0f}"),
    ("peak MiB", "peak_rss_mib", "{:,.0f}"),
    ("MiB/M RSS", "rss_mib_per_m", "{:,.0f}"),
    ("MiB/M disk", "disk_mib_per_m", "{:,.0f}"),
    ("open s", "open_s", "{:.1f}"),
    ("p50 ms", "probes_p50_ms", "{:.2f}"),
    ("p99 ms", "probes_p99_ms", "{:.2f}"),
    ("p99 CPU ms", "probes_cpu_p99_ms", "{:.2f}"),
    ("build CPU s", "build_cpu_s", "{:,.0f}"),
    ("R@1 probe", "probes_recall@1", "{:.4f}"),
    ("raw R@1 probe", "probes_raw@1", "{:.4f}"),
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
            cells += [fmt.format(row[key]) if key in row else "" for _, key, fmt in COLUMNS]
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
    parser.add_argument("--exact-below", type=int, default=None)
    parser.add_argument("--quantization", default=None, choices=["f32", "f16", "i8"])
    parser.add_argument(
        "--rebuild", action="store_true", help="also time a rebuild from SQLite (no snapshot)"
    )
    parser.add_argument(
        "--ef-search",
        default=None,
        help="comma-separated: one search run per value, one build; each is the gallery's "
        "ef_search, which grows past a million (rows name the grown value)",
    )
    parser.add_argument(
        "--engines",
        default="",
        help=f"also measure these indexes on their own, side by side: {','.join(ENGINES)}",
    )
    parser.add_argument("--engines-only", action="store_true", help="skip the gallery build")
    parser.add_argument("--engine-m", type=int, default=16)
    parser.add_argument("--engine-ef-construction", type=int, default=128)
    parser.add_argument(
        "--engine-ef-search", default="128", help="comma-separated: one search run per value"
    )
    parser.add_argument(
        "--candidates",
        default=None,
        help="comma-separated: answers re-scored in float32, one gallery search run per value "
        "(the engines take the first; default the gallery's)",
    )
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args(argv)
    # Single queries run on one thread each, as request handlers run them; the measured sides
    # run in fresh processes, which read this before numpy loads.
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    sizes = [10_000, 100_000] if args.quick else [int(s) for s in args.sizes.split(",")]
    queries = 200 if args.quick else args.queries
    hnsw: dict[str, Any] = {}
    for key in ("m", "ef_construction", "exact_below", "quantization"):
        if getattr(args, key) is not None:
            hnsw[key] = getattr(args, key)
    default_ef = HnswSettings().ef_search
    efs = [int(ef) for ef in args.ef_search.split(",")] if args.ef_search else [default_ef]
    if args.engines_only:
        efs = []
    default_candidates = HnswSettings().candidates
    rescored = (
        [int(c) for c in args.candidates.split(",")] if args.candidates else [default_candidates]
    )
    engines = [e for e in args.engines.split(",") if e]
    engine_efs = [int(ef) for ef in args.engine_ef_search.split(",")]
    params = Params(args.engine_m, args.engine_ef_construction, engine_efs[0])
    print(f"load average before: {os.getloadavg()}", flush=True)

    results = []
    with tempfile.TemporaryDirectory(dir=args.workdir) as workdir:
        for size in sizes:
            for kind in args.kinds.split(","):
                results.append(
                    measure(
                        kind,
                        size,
                        queries,
                        Path(workdir),
                        hnsw,
                        efs,
                        rescored,
                        engines,
                        params,
                        engine_efs,
                        rescored[0],
                        args.rebuild,
                    )
                )
                print("\n".join(table(results[-1:]).splitlines()[2:]), flush=True)
                print(f"load average: {os.getloadavg()}", flush=True)
    print()
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
