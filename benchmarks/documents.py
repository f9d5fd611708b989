"""Per document type: latency, field accuracy and check flags of engine.ocr.scan_documents on
the synthetic documents (specimens/), and the MRZ of the real passport specimens.

    nice -n 10 python -m benchmarks.documents [--seeds 2] [--data ../shared/data]
        [--kinds passport_td3,id_td1,id_td2]

For every template and seed, the valid and the invalid variant are drawn, each flat and as a
simulated phone photo (specimens.photographed), the residence permits on both sides, and read
through the public API once (the models are loaded first). It prints, as Markdown for
docs/ocr.md: per type, n, wall p50 / p95, CPU p50, the share of ground-truth fields read
exactly (flat and photo apart), and how many check flags agree with the generator's; then,
per real passport of ../shared/data/id_documents/passport, whether each MRZ line and field
was read exactly. The machine's load average is printed with the figures: on a shared host
the latencies are those of a busy machine.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from benchmarks.images import imread
from contracts.documents import DocumentType
from contracts.images import DecodedImage
from engine import ocr
from specimens import KINDS, make_specimen, photographed
from specimens.documents import BACK_PAGES


@dataclass
class Tally:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    fields: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    checks: list[int] = field(default_factory=lambda: [0, 0])
    misses: list[str] = field(default_factory=list)


def read(pixels: np.ndarray, kind: DocumentType) -> tuple:
    image = DecodedImage(pixels=np.ascontiguousarray(pixels), format="png")
    wall, cpu = time.perf_counter(), time.process_time()
    scan = ocr.scan_documents(image, kind)
    return scan, time.perf_counter() - wall, time.process_time() - cpu


def synthetic(seeds: int, portrait: np.ndarray | None, kinds: list[str]) -> dict[str, Tally]:
    tallies: dict[str, Tally] = defaultdict(Tally)
    for kind in kinds:
        for seed in range(seeds):
            for valid in (True, False):
                for back in (False, True) if kind in BACK_PAGES else (False,):
                    made = make_specimen(kind, seed, valid=valid, back=back, portrait=portrait)
                    for variant, pixels in (
                        ("flat", made.image),
                        ("photo", photographed(made.image, seed)),
                    ):
                        tally = tallies[kind]
                        scan, wall, cpu = read(pixels, DocumentType(made.type))
                        tally.wall.append(wall)
                        tally.cpu.append(cpu)
                        document = scan.documents[0] if scan.documents else None
                        for name, expected in made.truth.items():
                            got = document.value(name) if document else None
                            counts = tally.fields[variant]
                            counts[0] += got == expected
                            counts[1] += 1
                            if got != expected:
                                tally.misses.append(
                                    f"{kind} {seed} {variant}: {name} {got!r} for {expected!r}"
                                )
                        for name, wanted in made.checks.items():
                            check = document.checks.get(name) if document else None
                            tally.checks[0] += check is wanted
                            tally.checks[1] += 1
    return tallies


def share(counts: list[int]) -> str:
    return f"{counts[0]}/{counts[1]} ({100 * counts[0] / max(counts[1], 1):.1f}%)"


def report(tallies: dict[str, Tally]) -> str:
    lines = [
        "| template | n | wall p50 | wall p95 | CPU p50 | fields flat | fields photo | checks |",
        "|---|---|---|---|---|---|---|---|",
    ]
    total = Tally()
    for kind, tally in tallies.items():
        lines.append(_row(kind, tally))
        total.wall += tally.wall
        total.cpu += tally.cpu
        for variant, counts in tally.fields.items():
            total.fields[variant][0] += counts[0]
            total.fields[variant][1] += counts[1]
        total.checks = [a + b for a, b in zip(total.checks, tally.checks, strict=True)]
        total.misses += tally.misses
    lines.append(_row("**all**", total))
    lines += ["", "Fields not read exactly:", *(f"- {m}" for m in total.misses or ["none"])]
    return "\n".join(lines)


def _row(name: str, tally: Tally) -> str:
    wall = np.percentile(tally.wall, [50, 95])
    return (
        f"| {name} | {len(tally.wall)} | {wall[0]:.2f} s | {wall[1]:.2f} s "
        f"| {np.percentile(tally.cpu, 50):.2f} s | {share(tally.fields['flat'])} "
        f"| {share(tally.fields['photo'])} | {tally.checks[0]}/{tally.checks[1]} |"
    )


def passports(data: Path) -> str:
    folder = data / "id_documents" / "passport"
    truth = json.loads((folder / "ground_truth.json").read_text(encoding="utf-8"))
    lines = [
        "| specimen | line 1 | line 2 | number | birth | expiry | all checks pass | wall | CPU |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for entry in truth:
        pixels = imread(folder / entry["file"])
        scan, wall, cpu = read(pixels, DocumentType.passport)
        document = scan.documents[0] if scan.documents else None

        def same(name: str, expected: str, document=document) -> str:
            return "yes" if document is not None and document.value(name) == expected else "no"

        def yymmdd(name: str, expected: str, document=document) -> str:
            value = document.value(name) if document is not None else None
            return "yes" if value and value[2:].replace("-", "") == expected else "no"

        checked = "yes" if document and all(document.checks.values()) else "no"
        lines.append(
            f"| {entry['file']} | {same('line1', entry['mrz_line1'])} "
            f"| {same('line2', entry['mrz_line2'])} | {same('document_number', entry['number'])} "
            f"| {yymmdd('birth', entry['birth_yymmdd'])} "
            f"| {yymmdd('expiry', entry['expiry_yymmdd'])} | {checked} | {wall:.2f} s "
            f"| {cpu:.2f} s |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--kinds", default=",".join(KINDS), help="templates, comma-separated")
    args = parser.parse_args()
    kinds = [k for k in args.kinds.split(",") if k]
    faces = sorted((args.data / "faces" / "azure_family1_mom").glob("*.jpg"))
    portrait = cv2.imread(str(faces[0])) if faces else None
    ocr.warm_up()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(report(synthetic(args.seeds, portrait, kinds)))
    print()
    if (args.data / "id_documents" / "passport").is_dir():
        print(passports(args.data))
    print(f"\nload average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
