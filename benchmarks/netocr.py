"""The netocr facade end to end over HTTP: latency per path, the facade's own cost, accuracy.

    python -m benchmarks.netocr [--data ../shared/data] [--repeat 5] [--quick]

Each served path is called through the whole gateway (Starlette app in process, the vendor's
form fields, base64 or files as its clients send them) `repeat` times after one warm-up, in
JSON and in XML; it prints p50/p95 wall time, p50 CPU time (the process's, inference pool
threads included) and sequential throughput per path and format, the other documents too
(typeId 13 passport, 17 bank card, 5 driving licence, on the real and synthetic specimens).
The facade's own cost (form parsing of a ~200 KB base64 image, auth with the SHA-256 secret,
rendering) is timed on a call refused after all of that, for a missing second image. Accuracy:
every pair of faces/pairs.csv through `/verapi/verFaceImage.do` posted the way the public C
client does (raw base64 with line breaks, body starting with `&`): the share of genuine pairs
answered 是 and of impostor pairs answered 否 at netocr's threshold 50. The load average is
printed with the figures: on a shared machine they are an upper bound. `--quick` (what `make
bench` runs) times each path twice and takes every fifth pair.
"""

from __future__ import annotations

import argparse
import base64
import csv
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import cv2
from starlette.testclient import TestClient

from benchmarks.memory import memory
from contracts.credentials import Vendor
from gateway.app import create_app
from gateway.credentials import SqliteCredentialStore, mint
from gateway.settings import load_settings
from specimens import make_specimen
from vendors.netocr.client import NetocrClient

CARD = "id_documents/cn_id_card/cnid_syn_s1_front_photo.jpg"
HOLDER = "faces/azure_family1_dad/Family1-Dad2.jpg"
OTHER = "faces/azure_family1_dad/Family1-Dad3.jpg"
PASSPORT = "id_documents/passport/passport-td3_uto.jpg"
BANK_CARD = "id_documents/bank_card/credit_card_05.png"
IMAGES = ("img1", "img2")


def timed(fn: Callable[[], object], repeat: int) -> list[tuple[float, float]]:
    """(wall, CPU) seconds of each call after one warm-up."""
    fn()
    times = []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        times.append((time.perf_counter() - wall, time.process_time() - cpu))
    return times


def row(name: str, times: list[tuple[float, float]]) -> str:
    walls = sorted(wall for wall, _ in times)
    p50 = statistics.median(walls) * 1000
    p95 = walls[max(0, round(0.95 * len(walls)) - 1)] * 1000
    cpu = statistics.median(c for _, c in times) * 1000
    return f"| {name} | {p50:.0f} | {p95:.0f} | {cpu:.0f} | {len(walls) / sum(walls):.2f} |"


def c_client_body(fields: dict[str, str]) -> bytes:
    return "".join(f"&{k}={v}" for k, v in fields.items()).encode()


def accuracy(http, key: str, secret: str, data: Path, step: int = 1) -> str:
    with (data / "faces" / "pairs.csv").open() as f:
        pairs = list(csv.DictReader(f))[::step]
    right = {"1": 0, "0": 0}
    total = {"1": 0, "0": 0}
    for pair in pairs:
        images = [
            base64.encodebytes((data / pair[k]).read_bytes()).decode() for k in ("img1", "img2")
        ]
        fields = {"img1": images[0], "img2": images[1], "key": key, "secret": secret}
        body = c_client_body(fields | {"typeId": "21", "format": "xml"})
        reply = http.post(
            "/verapi/verFaceImage.do",
            content=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        ).content
        said_yes = "判定结果:是".encode() in reply
        total[pair["same"]] += 1
        right[pair["same"]] += said_yes == (pair["same"] == "1")
    return (
        f"genuine answered 是: {right['1']}/{total['1']}, "
        f"impostor answered 否: {right['0']}/{total['0']}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="2 calls a path, a fifth of pairs")
    args = parser.parse_args()
    data: Path = args.data
    repeat, step = (2, 5) if args.quick else (args.repeat, 1)
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings({"data": Path(tmp), "warm_up": False}, environ={})
        with TestClient(create_app(settings)) as http:
            run(http, Path(tmp), data, repeat, step)
    print(f"memory: {memory()}")


def run(http: TestClient, tmp: Path, data: Path, repeat: int, step: int) -> None:
    card, holder, other, passport, bank_card = (
        (data / p).read_bytes() for p in (CARD, HOLDER, OTHER, PASSPORT, BANK_CARD)
    )
    licence = cv2.imencode(".png", make_specimen("driving_licence", 0).image)[1].tobytes()
    credential, shown = mint(Vendor.netocr)
    SqliteCredentialStore(tmp / "credentials.db").add(credential)
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    print("| path (format) | p50 ms | p95 ms | CPU p50 ms | calls/s |")
    print("| --- | --- | --- | --- | --- |")
    for fmt in ("json", "xml"):
        client = NetocrClient(http, shown["key"], shown["secret"], fmt=fmt)
        calls = {
            "verFaceImage 21": lambda c=client: c.compare(holder, other),
            "faceliu 9999": lambda c=client: c.card_and_face(card, holder),
            "facerecog 9999": lambda c=client: c.card_and_face(card, holder, files=True),
            "recogliu 2": lambda c=client: c.recognise(card),
            "recog 2": lambda c=client: c.recognise(card, files=True),
            "recogliu 13 (passport specimen)": lambda c=client: c.recognise(passport, 13),
            "recog 17 (bank card specimen)": lambda c=client: c.recognise(
                bank_card, 17, files=True
            ),
            "recogliu 5 (synthetic licence)": lambda c=client: c.recognise(licence, 5),
            "facade only (refused, no img2)": lambda c=client: c.post(
                "/verapi/verFaceImage.do", 21, {"img1": card}
            ),
        }
        for name, call in calls.items():
            print(row(f"{name} ({fmt})", timed(call, repeat)))
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    print(accuracy(http, shown["key"], shown["secret"], data, step))


if __name__ == "__main__":
    main()
