"""Character accuracy of the general text reader on **simulated** handwriting.

    nice -n 10 python -m benchmarks.handwriting [--seeds 3]

../shared/data holds no handwriting with ground truth, so this draws some: fixed lines of
Chinese characters that Japanese shares (names, dates, addresses, amounts, with digits) in
Kiloji, a longhand-like font (Debian's fonts-kiloji), each character jittered in size,
rotation and baseline as a hand would, on a paper background, flat and as a simulated phone
photo (specimens.photographed). Each line image is read by `engine.ocr.read_text` (the reader
behind SenseTime's `handWriting`), and the character error rate is the edit distance between
what was read (spaces dropped) and the line, over the line's length.

It measures a font that imitates longhand, not people's handwriting: the figure is an upper
bound for neat hands, and says nothing of cursive or of simplified characters the font lacks.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from contracts.images import DecodedImage
from engine import ocr
from specimens import photographed

FONT = Path("/usr/share/fonts/truetype/kiloji/kiloji.ttf")
# Only characters written the same in simplified Chinese and in Japanese (the font's), so
# that a reading in the simplified form is not counted as an error.
LINES = (
    "山田太郎",
    "王小明",
    "石川正人",
    "木村花子",
    "1985年6月12日",
    "2023年11月3日生",
    "北京市西城区金融大街35号",
    "上海市中山南路12号",
    "天津市和平区南京路",
    "四川省成都市武侯区",
    "林森北路100号",
    "花田町1丁目4番地",
    "金五千八百元",
    "人民大会堂",
    "明日下午三点",
    "工学部大学生",
)
SIZE = 44


def draw_line(text: str, rng: random.Random) -> np.ndarray:
    """The line written out character by character, each a little larger or smaller, turned
    by a few degrees and off the baseline, in dark blue ink on off-white paper."""
    width = int(SIZE * 1.15 * len(text)) + 80
    height = SIZE * 2 + 40
    paper = np.full((height, width, 3), (236, 240, 244), np.uint8)
    paper = (paper + np.random.default_rng(rng.randrange(1 << 30)).normal(0, 3, paper.shape)).clip(
        0, 255
    )
    canvas = Image.fromarray(paper.astype(np.uint8))
    x = 40
    for char in text:
        size = round(SIZE * rng.uniform(0.85, 1.12))
        font = ImageFont.truetype(str(FONT), size)
        glyph = Image.new("L", (size * 2, size * 2), 0)
        ImageDraw.Draw(glyph).text((size // 2, size // 3), char, font=font, fill=255)
        glyph = glyph.rotate(rng.uniform(-6, 6), resample=Image.Resampling.BICUBIC)
        y = 20 + round(rng.uniform(-5, 5))
        ink = Image.new("RGB", glyph.size, (90, 40, 30))  # BGR order on the array: dark blue
        canvas.paste(ink, (x - size // 2, y), glyph)
        advance = font.getlength(char) or size * 0.6
        x += round(advance * rng.uniform(0.95, 1.15))
    pixels = np.asarray(canvas)[:, : x + 40]
    return np.ascontiguousarray(pixels)


def distance(a: str, b: str) -> int:
    """Levenshtein distance."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    ocr.warm_up()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    errors = {"flat": [0, 0, 0], "photo": [0, 0, 0]}  # edits, characters, lines exact
    cpu: list[float] = []
    misses = []
    for seed in range(args.seeds):
        rng = random.Random(seed)
        for text in LINES:
            flat = draw_line(text, rng)
            for variant, pixels in (("flat", flat), ("photo", photographed(flat, seed))):
                start = time.process_time()
                page = ocr.read_text(DecodedImage(pixels=pixels, format="png"))
                cpu.append(time.process_time() - start)
                read = "".join(line.text for line in page.lines).replace(" ", "")
                edits = distance(read, text)
                counts = errors[variant]
                counts[0] += edits
                counts[1] += len(text)
                counts[2] += edits == 0
                if edits:
                    misses.append(f"{variant} {seed}: {read!r} for {text!r}")
    lines = len(LINES) * args.seeds
    print("| variant | lines | characters | CER | lines exact |\n|---|---|---|---|---|")
    for variant, (edits, chars, exact) in errors.items():
        print(f"| {variant} | {lines} | {chars} | {100 * edits / chars:.1f}% | {exact}/{lines} |")
    print(f"CPU p50 per line: {np.percentile(cpu, 50):.2f} s")
    print("\nMisread:", *(f"- {m}" for m in misses or ["none"]), sep="\n")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
