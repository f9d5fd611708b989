"""Video and single-image liveness on ../shared/data: actions, silent separation, speed.

    python -m benchmarks.liveness [--data ../shared/data] [--runs 5]

Prints, as Markdown for docs/liveness.md:

1. per action (blink, mouth, nod, yaw), the labelled events of videos/videos.json found and
   the events found that match no label, counted only in clips whose labels cover that
   action exhaustively (blinks where `blink_count` is given, …); events inside labelled
   ambiguous spans (a long eye closure, a half-lowered lid, a head circle) count as neither;
2. the silent attack score of every clip: the shared live clips, the mixed Silent-Face demo,
   and simulated attacks made from real data (benchmarks/video_attacks.py: printed photos
   turned and held still, a live clip replayed on a phone), with the pass rate of live clips
   and the catch rate of attacks at the engine's threshold;
3. the single-image score of every antispoof still, by label;
4. milliseconds per clip for a real 5-s 640×480 clip (the first 5 s of frontal_gaze_demo.mp4),
   silent and interactive, as wall time and as the process's CPU time (which a busy machine
   inflates far less than wall time), and the process's peak memory above what it held
   before the timed clips.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

import cv2

from benchmarks import video_attacks
from benchmarks.memory import memory
from contracts.errors import IdfError
from contracts.images import ImageInput, ImageLimits, VideoInput, VideoLimits
from contracts.liveness import ATTACK_THRESHOLD, Action, ClipVerdict
from engine.liveness import judge_clip, score_image

LIMITS = VideoLimits(max_seconds=30.0, max_bytes=50 * 1024 * 1024)
TARGETS = {
    Action.blink: ("blink",),
    Action.mouth: ("mouth_open",),
    Action.nod: ("nod", "pitch_up", "pitch_down"),
    Action.yaw: ("yaw_turn",),
}
AMBIGUOUS = ("eyes_closed_long", "partial_eyelid_lowering", "head_circle")
# clips whose labels list every event of an action (MANIFEST.md)
EXHAUSTIVE = {
    Action.blink: ("blink_phone_man.mp4", "blink_talk_aoc.mp4", "talking_no_blink_lp_d20.mp4"),
    Action.mouth: ("mouth_open_webcam.mp4", "blink_phone_man.mp4"),
    Action.nod: ("nod_yes_phone.mp4", "blink_phone_man.mp4", "headpose_protocol_eyewide.mp4"),
    Action.yaw: ("nod_yes_phone.mp4", "blink_phone_man.mp4", "headpose_protocol_eyewide.mp4"),
}
SLACK = 0.2  # seconds of tolerance around a label


def judge(path: Path, sequence: tuple[Action, ...] = ()) -> ClipVerdict:
    return judge_clip(VideoInput(data=path.read_bytes(), limits=LIMITS), sequence=sequence)


def overlaps(event, label) -> bool:
    return event.start <= label["end_s"] + SLACK and event.end >= label["start_s"] - SLACK


def action_rates(data: Path, verdicts: dict[str, ClipVerdict], meta: list[dict]) -> None:
    print("| action | labelled events found | events matching no label (exhaustive clips) |")
    print("| --- | --- | --- |")
    for action, kinds in TARGETS.items():
        found = total = false = 0
        for clip in meta:
            verdict = verdicts.get(clip["file"])
            if verdict is None:
                continue
            events = [e for e in verdict.actions if e.action is action]
            labels = [a for a in clip.get("actions", []) if a["type"] in kinds]
            ambiguous = [a for a in clip.get("actions", []) if a["type"] in AMBIGUOUS]
            total += len(labels)
            found += sum(any(overlaps(e, label) for e in events) for label in labels)
            if clip["file"] in EXHAUSTIVE[action]:
                false += sum(not any(overlaps(e, a) for a in labels + ambiguous) for e in events)
        print(f"| {action.value} | {found}/{total} | {false} |")


def silent_table(verdicts: dict[str, tuple[str, ClipVerdict]]) -> None:
    print("| clip | kind | attack score | planarity | stillness | passive | blinks | verdict |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    live = attack = live_ok = attack_ok = 0
    for name, (kind, v) in verdicts.items():
        s = v.silent
        cells = [_cell(s.planarity), _cell(s.stillness), _cell(s.passive)]
        flagged = v.attack_score >= ATTACK_THRESHOLD
        print(
            f"| {name} | {kind} | {v.attack_score:.2f} | {' | '.join(cells)} | {s.blinks} | "
            f"{'attack' if flagged else 'live'} |"
        )
        if kind == "live":
            live, live_ok = live + 1, live_ok + (not flagged)
        elif kind.startswith("attack"):
            attack, attack_ok = attack + 1, attack_ok + flagged
    print(f"\nlive clips passed: {live_ok}/{live}; attack clips caught: {attack_ok}/{attack}")


def still_table(data: Path) -> None:
    rows = list(csv.DictReader((data / "antispoof/labels.csv").open(encoding="utf-8")))
    limits = ImageLimits(max_bytes=8 * 1024 * 1024)
    by_label: dict[str, list[float]] = {}
    for row in rows:
        image = ImageInput(data=(data / row["file"]).read_bytes(), limits=limits)
        try:
            by_label.setdefault(row["label"], []).append(score_image(image).attack_score)
        except Exception:
            by_label.setdefault(row["label"], []).append(float("nan"))
    print("| label | n | no face | median attack score | judged attack (≥ 0.5) |")
    print("| --- | --- | --- | --- | --- |")
    for label, scores in sorted(by_label.items()):
        seen = [s for s in scores if s == s]
        attack = sum(s >= ATTACK_THRESHOLD for s in seen)
        median = statistics.median(seen) if seen else float("nan")
        print(f"| {label} | {len(scores)} | {len(scores) - len(seen)} | {median:.2f} | {attack} |")


def speed(data: Path, folder: Path, runs: int) -> None:
    path = folder / "five_seconds.mp4"
    capture = cv2.VideoCapture(str(data / "videos/frontal_gaze_demo.mp4"))
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"mp4v"), 30.0, (640, 480))
    for _ in range(150):
        ok, frame = capture.read()
        if ok:
            writer.write(frame)
    writer.release()
    capture.release()
    judge(path)  # models loaded, caches warm
    before = memory()
    for sequence in ((), (Action.blink,)):
        times, cpu = [], []
        for _ in range(runs):
            start, start_cpu = time.perf_counter(), time.process_time()
            judge(path, sequence)
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        label = "interactive (blink)" if sequence else "silent"
        p50, p90 = statistics.median(times), sorted(times)[int(0.9 * (len(times) - 1))]
        print(
            f"{label}: wall p50 {p50:.0f} ms, p90 {p90:.0f} ms; CPU time p50 "
            f"{statistics.median(cpu):.0f} ms over {runs} runs"
        )
    after = memory()
    print(
        f"memory: RSS {before['VmRSS']:.0f} MiB before the timed clips, peak {after['VmHWM']:.0f}"
        f" MiB ({after['VmHWM'] - before['VmRSS']:.0f} MiB above)"
    )


def _kind(name: str, label: str) -> str:
    """A clip's row kind: "live", "attack (mixed demo)", or its own label for a clip that is
    neither (multi-person footage: judged by the person checks, counted in neither total)."""
    if label == "live":
        return "live"
    return "attack (mixed demo)" if "attack" in name else label


def _cell(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    data: Path = args.data
    print(f"load average {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f} (2 cores)\n")
    meta = json.loads((data / "videos/videos.json").read_text(encoding="utf-8"))
    clips = {c["file"]: c for c in meta if c["file"].endswith(".mp4")}
    verdicts, refused = {}, {}
    for name in clips:
        try:
            verdicts[name] = judge(data / "videos" / name)
        except IdfError as error:
            refused[name] = error.kind.value
    print("## Actions\n")
    action_rates(data, verdicts, meta)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        wall = video_attacks.backdrop(data)
        made = {
            "simulated print, turned (jom_real_1)": video_attacks.printed_photo_clip(
                data / "antispoof/live/jom_real_1.jpg", wall, folder / "p1.mp4"
            ),
            "simulated print, turned (obama)": video_attacks.printed_photo_clip(
                data / "faces/barack_obama/obama.jpg", wall, folder / "p2.mp4"
            ),
            "simulated print, turned (silentface_T1)": video_attacks.printed_photo_clip(
                data / "antispoof/live/silentface_image_T1.jpg", wall, folder / "p3.mp4"
            ),
            "simulated print, still (jom_real_1)": video_attacks.printed_photo_clip(
                data / "antispoof/live/jom_real_1.jpg", wall, folder / "p4.mp4", still=True
            ),
            "simulated replay (blink_talk_aoc)": video_attacks.screen_replay_clip(
                data / "videos/blink_talk_aoc.mp4", wall, folder / "r1.mp4"
            ),
            "simulated replay (mouth_open_webcam)": video_attacks.screen_replay_clip(
                data / "videos/mouth_open_webcam.mp4", wall, folder / "r2.mp4"
            ),
        }
        table = {name: (_kind(name, clips[name]["label"]), v) for name, v in verdicts.items()}
        table.update({name: ("attack", judge(path)) for name, path in made.items()})
        print("\n## Silent liveness\n")
        silent_table(table)
        for name, kind in refused.items():
            print(f"refused: {name} ({kind})")
        print("\n## Single images (antispoof/)\n")
        still_table(data)
        print("\n## Speed and memory\n")
        speed(data, folder, args.runs)


if __name__ == "__main__":
    main()
