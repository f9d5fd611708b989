"""The netocr facade end to end over HTTP: latency per path, the facade's own cost, accuracy.

    python -m benchmarks.netocr [--data ../shared/data] [--repeat 5]

Each served path is called through the whole gateway (Starlette app in process, the vendor's
form fields, base64 or files as its clients send them) `repeat` times after one warm-up, in
JSON and in XML; it prints p50/p95 wall time and sequential throughput per path and format.
The facade's own cost (form parsing of a ~200 KB base64 image, auth with the SHA-256 secret,
rendering) is timed on a call refused after all of that, for a missing second image. Accuracy:
every pair of faces/pairs.csv through `/verapi/verFaceImage.do` posted the way the public C
client does (raw base64 with line breaks, body starting with `&`): the share of genuine pairs
answered 是 and of impostor pairs answered 否 at netocr's threshold 50. The load average is
printed with the figures: on a shared machine they are an upper bound.
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

from starlette.testclient import TestClient

from benchmarks.memory import memory
from contracts.credentials import Vendor
from gateway.app import create_app
from gateway.credentials import SqliteCredentialStore, mint
from gateway.settings import load_settings
from vendors.netocr.client import NetocrClient

CARD = "id_documents/cn_id_card/cnid_syn_s1_front_photo.jpg"
HOLDER = "faces/azure_family1_dad/Family1-Dad2.jpg"
OTHER = "faces/azure_family1_dad/Family1-Dad3.jpg"
IMAGES = ("img1", "img2")


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def row(name: str, times: list[float]) -> str:
    p50 = statistics.median(times) * 1000
    p95 = sorted(times)[max(0, round(0.95 * len(times)) - 1)] * 1000
    return f"| {name} | {p50:.0f} | {p95:.0f} | {len(times) / sum(times):.2f} |"


def c_client_body(fields: dict[str, str]) -> bytes:
    return "".join(f"&{k}={v}" for k, v in fields.items()).encode()


def accuracy(http, key: str, secret: str, data: Path) -> str:
    with (data / "faces" / "pairs.csv").open() as f:
        pairs = list(csv.DictReader(f))
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
    args = parser.parse_args()
    data: Path = args.data
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings({"data": Path(tmp), "warm_up": False}, environ={})
        with TestClient(create_app(settings)) as http:
            run(http, Path(tmp), data, args.repeat)
    print(f"memory: {memory()}")


def run(http: TestClient, tmp: Path, data: Path, repeat: int) -> None:
    card, holder, other = ((data / p).read_bytes() for p in (CARD, HOLDER, OTHER))
    credential, shown = mint(Vendor.netocr)
    SqliteCredentialStore(tmp / "credentials.db").add(credential)
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    print("| path (format) | p50 ms | p95 ms | calls/s |\n| --- | --- | --- | --- |")
    for fmt in ("json", "xml"):
        client = NetocrClient(http, shown["key"], shown["secret"], fmt=fmt)
        calls = {
            "verFaceImage 21": lambda c=client: c.compare(holder, other),
            "faceliu 9999": lambda c=client: c.card_and_face(card, holder),
            "facerecog 9999": lambda c=client: c.card_and_face(card, holder, files=True),
            "recogliu 2": lambda c=client: c.recognise(card),
            "recog 2": lambda c=client: c.recognise(card, files=True),
            "facade only (refused, no img2)": lambda c=client: c.post(
                "/verapi/verFaceImage.do", 21, {"img1": card}
            ),
        }
        for name, call in calls.items():
            print(row(f"{name} ({fmt})", timed(call, repeat)))
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    print(accuracy(http, shown["key"], shown["secret"], data))


if __name__ == "__main__":
    main()
