"""Write every synthetic document, flat and photographed, valid and invalid, with its ground
truth: `python -m specimens OUT_DIR [--faces ../shared/data/faces] [--seeds 2]`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import cv2

from specimens.documents import BACK_PAGES, KINDS, make_specimen
from specimens.photo import photographed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--faces", type=Path, default=Path("../shared/data/faces"))
    parser.add_argument("--seeds", type=int, default=2)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    portraits = sorted(args.faces.glob("*/*.jpg"))
    truth = []
    for kind in KINDS:
        for seed in range(args.seeds):
            portrait = cv2.imread(str(portraits[seed % len(portraits)])) if portraits else None
            for valid in (True, False):
                for back in (False, True) if kind in BACK_PAGES else (False,):
                    made = make_specimen(kind, seed, valid=valid, back=back, portrait=portrait)
                    stem = f"{kind}_{seed}{'' if valid else '_invalid'}{'_back' if back else ''}"
                    cv2.imwrite(str(args.out / f"{stem}.png"), made.image)
                    cv2.imwrite(str(args.out / f"{stem}_photo.jpg"), photographed(made.image, seed))
                    truth.append(
                        {
                            "files": [f"{stem}.png", f"{stem}_photo.jpg"],
                            "kind": kind,
                            "type": made.type,
                            "page": made.page,
                            "fields": made.truth,
                            "checks": made.checks,
                        }
                    )
    text = json.dumps(truth, ensure_ascii=False, indent=1)
    (args.out / "ground_truth.json").write_text(text, encoding="utf-8")
    print(f"{len(truth) * 2} images in {args.out}")


if __name__ == "__main__":
    main()
