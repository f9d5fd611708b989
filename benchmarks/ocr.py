"""Per-card latency and field accuracy of the ID-card reader on ../shared/data.

    python -m benchmarks.ocr [--data ../shared/data] [--repeat 3] [--no-turns]

Every image of id_documents/cn_id_card that has ground truth is read through the public API
(`engine.ocr.scan_id_cards`, the whole pipeline: card outline, warp, orientation, detection,
recognition, parsing, checks, quality, source), once to warm up and then `repeat` times, and,
unless `--no-turns`, also turned by 90°, 180° and 270°. It prints, as Markdown tables for
docs/ocr.md:

- latency per image: p50 and p95 of wall time, and of process CPU time (the figure that a
  machine shared with other jobs disturbs least: two threads on two cores give CPU ≈ 2 × wall
  when idle);
- field accuracy: the share of ground-truth fields read exactly (front: name, sex, nation,
  birth, address, id_number; back: authority, validity), and whether each id number's check
  agrees with the ground truth's checksum_valid;
- the quality and source scores of every stored image, and of one photo degraded in the ways
  the data set has no example of (blur, motion blur, dark, glare spot, cut off, greyscale,
  screen moiré).
"""

from __future__ import annotations

import argparse
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from benchmarks.images import imread
from contracts.documents import CardSide, CardSource, IdCard, IdNumberCheck
from contracts.images import DecodedImage
from engine import ocr

FRONT = ("name", "sex", "nation", "birth", "address", "id_number")
BACK = ("authority", "validity")
TRUTH_NAMES = {"validity": "valid"}
TURNS = (0, 90, 180, 270)
DEGRADED = "cnid_syn_s2_front_photo.jpg"


@dataclass
class Group:
    """Results of one group of images (flat scans, photos, specimens; one turn)."""

    latencies: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    fields: int = 0
    exact: int = 0
    checks: int = 0
    checks_right: int = 0
    misses: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Sample:
    """One image, the sides it shows, and the ground truth of its card."""

    group: str
    file: str
    sides: tuple[CardSide, ...]
    truth: dict


def samples(truth: list[dict]) -> list[Sample]:
    found = []
    for card in truth:
        for view, file in card["files"].items():
            if view == "front_and_back":
                found.append(Sample("specimens", file, (CardSide.front, CardSide.back), card))
                continue
            side = CardSide.front if view.startswith("front") else CardSide.back
            if not card["type"].startswith("synthetic"):
                group = "specimens"
            else:
                group = "photos" if view.endswith("photo") else "flat scans"
            found.append(Sample(group, file, (side,), card))
    return found


def score(sample: Sample, cards: tuple[IdCard, ...], group: Group, label: str) -> None:
    for side in sample.sides:
        card = next((c for c in cards if c.side is side), None)
        for name in FRONT if side is CardSide.front else BACK:
            expected = sample.truth.get(TRUTH_NAMES.get(name, name))
            if expected is None:
                continue
            group.fields += 1
            read = card.value(name) if card is not None else None
            if read == expected:
                group.exact += 1
            else:
                group.misses.append(f"{label} {name}: {read!r} for {expected!r}")
        if side is CardSide.front:
            group.checks += 1
            valid = card is not None and card.id_number_check is IdNumberCheck.valid
            group.checks_right += valid == sample.truth["checksum_valid"]


def run(data: Path, repeat: int, turns: tuple[int, ...]) -> dict[str, Group]:
    folder = data / "id_documents" / "cn_id_card"
    truth = json.loads((folder / "ground_truth.json").read_text(encoding="utf-8"))
    ocr.warm_up()
    groups: dict[str, Group] = {}
    for sample in samples(truth):
        pixels = imread(folder / sample.file)
        for turn in turns:
            image = DecodedImage(
                pixels=np.ascontiguousarray(np.rot90(pixels, -turn // 90)), format="png"
            )
            group = groups.setdefault(f"{sample.group}, turned {turn}°", Group())
            ocr.scan_id_cards(image)
            for _ in range(repeat):
                wall, cpu = time.perf_counter(), time.process_time()
                result = ocr.scan_id_cards(image)
                group.latencies.append(time.perf_counter() - wall)
                group.cpu.append(time.process_time() - cpu)
            score(sample, result.cards, group, f"{sample.file} turned {turn}°")
    return groups


def report(groups: dict[str, Group]) -> str:
    lines = [
        "| images | n | wall p50 | wall p95 | CPU p50 | CPU p95 | fields exact | checks right |",
        "|---|---|---|---|---|---|---|---|",
    ]
    total = Group()
    for name, group in groups.items():
        lines.append(_row(name, group))
        total.latencies += group.latencies
        total.cpu += group.cpu
        total.fields += group.fields
        total.exact += group.exact
        total.checks += group.checks
        total.checks_right += group.checks_right
        total.misses += group.misses
    lines.append(_row("**all**", total))
    lines += ["", "Fields not read exactly:", *(f"- {miss}" for miss in total.misses or ["none"])]
    return "\n".join(lines)


def _row(name: str, group: Group) -> str:
    wall = np.percentile(group.latencies, [50, 95])
    cpu = np.percentile(group.cpu, [50, 95])
    return (
        f"| {name} | {len(group.latencies)} | {wall[0]:.2f} s | {wall[1]:.2f} s "
        f"| {cpu[0]:.2f} s | {cpu[1]:.2f} s "
        f"| {group.exact}/{group.fields} ({100 * group.exact / max(group.fields, 1):.1f}%) "
        f"| {group.checks_right}/{group.checks} |"
    )


def degraded(pixels: np.ndarray) -> dict[str, np.ndarray]:
    """The photo as the data set has no example of it."""
    height, width = pixels.shape[:2]
    drawn = np.zeros((height, width), np.float32)
    cv2.ellipse(drawn, (width // 2, height * 5 // 12), (300, 160), 0, 0, 360, 1.0, -1)
    spot = cv2.GaussianBlur(drawn, (0, 0), 15)[..., None]
    y, x = np.mgrid[0:height, 0:width]
    beat = 1 - 0.06 * (1 + np.sin(2 * np.pi * (x * np.cos(0.4) + y * np.sin(0.4)) / 4.5))
    grey = cv2.cvtColor(cv2.cvtColor(pixels, cv2.COLOR_BGR2GRAY), cv2.COLOR_GRAY2BGR)
    as_float = pixels.astype(np.float32)
    streak = np.full((1, 9), 1 / 9, np.float32)
    return {
        "blur σ 1.5 px": cv2.GaussianBlur(pixels, (0, 0), 1.5),
        "blur σ 2.5 px": cv2.GaussianBlur(pixels, (0, 0), 2.5),
        "motion blur 9 px": cv2.filter2D(pixels, -1, streak),
        "dark ×0.25": (as_float * 0.25).astype(np.uint8),
        "glare spot": np.clip(as_float * (1 - spot) + 306 * spot, 0, 255).astype(np.uint8),
        "right side cut off": pixels[:, : width * 5 // 8],
        "bottom cut off": pixels[: height * 7 // 12],
        "greyscale": grey,
        "screen moiré 6%": np.clip(as_float * beat[..., None], 0, 255).astype(np.uint8),
    }


def analysis(data: Path, degrade: str) -> str:
    """Quality and source scores of every stored image, and of one photo degraded."""
    folder = data / "id_documents" / "cn_id_card"
    images = {path.name: imread(path) for path in sorted(folder.glob("*.*g"))}
    images |= {f"{degrade}, {name}": px for name, px in degraded(images[degrade]).items()}
    lines = [
        "| image | read | blur | crop | occlusion | strong light | weak light "
        "| copy | screen | source |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, pixels in images.items():
        result = ocr.scan_id_cards(DecodedImage(pixels=np.ascontiguousarray(pixels), format="png"))
        q = result.quality
        sources = [card.source for card in result.cards]
        copy = " / ".join(f"{s.scores[CardSource.copy]:.2f}" for s in sources) or "–"
        screen = " / ".join(f"{s.scores[CardSource.screen]:.2f}" for s in sources) or "–"
        read = " + ".join(f"{c.side.value} ({len(c.fields)})" for c in result.cards)
        lines.append(
            f"| {name} | {read or result.kind.value} | {q.blur:.2f} | {q.crop:.2f} "
            f"| {q.occlusion:.2f} | {q.strong_light:.2f} | {q.weak_light:.2f} | {copy} "
            f"| {screen} | {' / '.join(s.source.value for s in sources) or '–'} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
    parser.add_argument("--data", type=Path, default=default)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-turns", action="store_true", help="read each image only as stored")
    args = parser.parse_args()
    groups = run(args.data, args.repeat, (0,) if args.no_turns else TURNS)
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end\n")
    print(report(groups))
    print()
    print(analysis(args.data, DEGRADED))


if __name__ == "__main__":
    main()
