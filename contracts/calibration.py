"""Score calibration: cosine thresholds per false-accept rate, and each vendor's score scale.

The engine scores a comparison as the cosine of two embeddings; what a cosine *means* depends on
the model, so every facade goes through this module: SenseTime's similarity (0..1), Yitu's
similarity (0..100) with thresholds chosen by `true_negative_rate`, netocr's score (0..100,
50 = same person). The numbers live in the versioned data file calibration.json, written by
`idfacade calibrate` (gateway/calibrate.py), which calls `fit` on the genuine and impostor
cosines of a labelled face set.

How `fit` turns scores into thresholds (details and limits in docs/calibration.md):

- FAR ≥ 10%: empirical quantiles of the impostor cosines.
- FAR < 10%: an exponential tail for x = −ln(1 − cos) above the impostors' 90th percentile
  (peaks-over-threshold; the scale is the mean excess, its maximum-likelihood estimate). In x
  the tail is unbounded, so thresholds approach but never reach cos = 1; in cosine terms it is
  a generalised Pareto tail with a finite end point at 1. On ../shared/data/faces the
  exceedances have a coefficient of variation of 0.95 (an exponential has 1), and 80th, 90th or
  95th percentile starts give thresholds within 0.003 of each other down to FAR 1e-9.
- The default operating point is FAR `DEFAULT_FAR` (0.3%), kept from the dlib calibration so
  that SenseTime's 0.7 and netocr's 50 keep their meaning across the model change.
- The pairs come from several labelled sets (the shared general faces and the East-Asian
  faces); the fit pools their impostors, and records for each set alone the FAR and TAR every
  threshold actually gives there (`Calibration.measured`), so that a threshold honest on the
  pool but not on one population shows (gateway/calibrate.py refuses to write such a fit).
  Populations named in `hold_on` (each set, and each colour mode within a set) also set a
  floor: each threshold is the highest of the pool's and theirs, fitted on them alone.

Vendor scales are piecewise linear in cosine through knots placed at FARs, the way SenseTime's
own service publishes its map (`normalizeSrc`/`normalizeDst`, seed 000 §3.2: eight knots, 0.1
apart in score, one decade of FAR apart). Anchors:

- SenseTime 0..1: 0.7 (the threshold its integrators customarily use for 1:1) at the default
  operating point; 0.6 at FAR 1e-2, 0.5 at 1e-1, 0.4 at the impostor median; 0.8 at 1e-4,
  0.9 at 1e-6.
- Yitu 0..100: 60 at FAR 1e-3 (the manual's sample scores 60 as a match at "99.9"), then 5 per
  decade to 90 at 1e-9; 50 at 1e-2, 30 at the impostor median. So `true_negative_rate`
  "99.9" … "99.9999999" are thresholds 60 … 90.
- netocr 0..100: 50 at the default operating point (its manual: threshold 50); 40 at 1e-2,
  25 at the impostor median; 60 at 1e-4, 70 at 1e-6, 80 at 1e-9.

Every map sends cosine −1 to the bottom of the scale and +1 to the top, and is strictly
increasing, so a threshold on a vendor scale is a threshold on cosine.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from functools import cache
from importlib import resources
from itertools import pairwise

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from contracts.errors import ErrorKind, IdfError

DECADES = tuple(range(3, 10))  # FAR 1e-3 … 1e-9
DEFAULT_FAR = 3e-3
TAIL_QUANTILE = 0.9
MIN_IMPOSTORS = 200

# Knot tables: (FAR, score). FAR 1 is cosine −1, FAR 0 is cosine +1, MEDIAN the impostors'
# median cosine, DEFAULT the default operating point.
MEDIAN, DEFAULT = "median", "default"
SENSETIME_KNOTS = (
    (1.0, 0.0),
    (MEDIAN, 0.4),
    (1e-1, 0.5),
    (1e-2, 0.6),
    (DEFAULT, 0.7),
    (1e-4, 0.8),
    (1e-6, 0.9),
    (0.0, 1.0),
)
YITU_KNOTS: tuple[tuple[float | str, float], ...] = (
    (1.0, 0.0),
    (MEDIAN, 30.0),
    (1e-2, 50.0),
    *((10.0**-k, 60.0 + 5.0 * (k - 3)) for k in DECADES),
    (0.0, 100.0),
)
NETOCR_KNOTS = (
    (1.0, 0.0),
    (MEDIAN, 25.0),
    (1e-2, 40.0),
    (DEFAULT, 50.0),
    (1e-4, 60.0),
    (1e-6, 70.0),
    (1e-9, 80.0),
    (0.0, 100.0),
)
_TNR = re.compile(r"99\.(9{1,7})")


def far_key(decade: int) -> str:
    """The key of FAR 10^-decade in `Calibration.thresholds`: "1e-3" … "1e-9"."""
    return f"1e-{decade}"


class Tail(BaseModel):
    """Exponential tail of x = −ln(1 − cos) above `start`: FAR = share · e^(−(x − x0) / scale)."""

    model_config = ConfigDict(frozen=True)

    start: float  # cosine where the tail model takes over (an impostor quantile)
    share: float  # fraction of impostor pairs scoring above start
    scale: float  # mean excess of x over x(start)

    def threshold(self, far: float) -> float:
        """The cosine above which a fraction `far` (< share) of impostors is expected."""
        x = -math.log1p(-self.start) + self.scale * math.log(self.share / far)
        return -math.expm1(-x)


class Knots(BaseModel):
    """A strictly increasing piecewise-linear map from cosine to a vendor's scale."""

    model_config = ConfigDict(frozen=True)

    cosine: tuple[float, ...]
    score: tuple[float, ...]

    def __call__(self, cosine: float) -> float:
        return float(np.interp(cosine, self.cosine, self.score))


class Measured(BaseModel):
    """What the thresholds give on one labelled set alone: measured FAR and TAR per far_key
    (and "default"), over how many pairs."""

    model_config = ConfigDict(frozen=True)

    genuine_pairs: int
    impostor_pairs: int
    far: dict[str, float]
    tar: dict[str, float]

    def dishonest(self, nominal: dict[str, float], factor: float = 2.0) -> list[str]:
        """The operating points whose measured FAR exceeds `factor` × the nominal one, among
        those the set can measure (at least one impostor pair expected at the nominal FAR)."""
        return [
            key
            for key, far in nominal.items()
            if far * self.impostor_pairs >= 1 and self.far[key] > factor * far
        ]


class Calibration(BaseModel):
    """Thresholds and vendor maps for one embedding model, fitted on one labelled face set."""

    model_config = ConfigDict(frozen=True)

    version: str
    model: str
    genuine_pairs: int
    impostor_pairs: int
    impostor_median: float
    tail: Tail
    default_far: float
    default_threshold: float
    thresholds: dict[str, float]  # far_key(decade) -> cosine
    tar: dict[str, float]  # share of genuine pairs accepted: per far_key, and "default"
    sensetime: Knots
    yitu: Knots
    netocr: Knots
    measured: dict[str, Measured] = Field(default_factory=dict, description="per labelled set")

    def nominal_far(self) -> dict[str, float]:
        """The FAR each threshold was fitted for, by the keys of `tar` and `measured`."""
        return {far_key(k): 10.0**-k for k in DECADES} | {DEFAULT: self.default_far}

    def check_model(self, model: str) -> None:
        """Refuse to score embeddings of a model this calibration was not fitted for."""
        if model != self.model:
            raise IdfError(
                ErrorKind.model_mismatch,
                f"calibration is for model {self.model!r}, not {model!r}",
            )


def fit(
    genuine: np.ndarray | list[float],
    impostor: np.ndarray | list[float],
    model_version: str,
    *,
    default_far: float = DEFAULT_FAR,
    subsets: dict[str, tuple[np.ndarray, np.ndarray]] | None = None,
    hold_on: tuple[str, ...] = (),
) -> Calibration:
    """Thresholds and vendor maps from the cosines of genuine and impostor pairs.

    `subsets` names the labelled sets (or groups within them) the pairs came from, as
    (genuine, impostor) cosines each; the fit reports how its thresholds do on each. The
    subsets named in `hold_on` are populations each threshold must also hold on by itself: a
    threshold is the highest of the pool's and each such population's own (the same
    quantile-then-tail fit on its impostors alone), so a population whose impostors look
    more alike than the pool's does not get the pool's FAR multiplied."""
    gen = np.sort(np.clip(np.asarray(genuine, dtype=np.float64), -1.0, 1.0))
    imp = np.sort(np.clip(np.asarray(impostor, dtype=np.float64), -1.0, 1.0))
    if len(imp) < MIN_IMPOSTORS or not len(gen):
        raise ValueError(f"need ≥ {MIN_IMPOSTORS} impostor and ≥ 1 genuine scores")
    if not 1e-4 < default_far < 1e-2:
        raise ValueError("default_far must lie between the 1e-4 and 1e-2 knots")
    floors = []
    for name in hold_on:
        own = np.sort(np.clip(np.asarray((subsets or {})[name][1], dtype=np.float64), -1, 1))
        if len(own) < MIN_IMPOSTORS:
            raise ValueError(f"{name}: need ≥ {MIN_IMPOSTORS} impostor scores to hold on")
        floors.append((own, _fit_tail(own)))

    tail = _fit_tail(imp)

    def cosine_at(far: float) -> float:
        return max(_cut(scores, fitted, far) for scores, fitted in [(imp, tail), *floors])

    thresholds = {far_key(k): cosine_at(10.0**-k) for k in DECADES}
    default_threshold = cosine_at(default_far)
    named = {MEDIAN: float(np.median(imp)), DEFAULT: default_threshold}

    def knot_cosine(far: float | str) -> float:
        if isinstance(far, str):
            return named[far]
        if far in (0.0, 1.0):
            return 1.0 - 2.0 * far  # FAR 1 at cosine −1, FAR 0 at +1
        return cosine_at(far)

    def knots(table: tuple[tuple[float | str, float], ...]) -> Knots:
        xs = tuple(knot_cosine(far) for far, _ in table)
        if any(b <= a for a, b in pairwise(xs)):
            raise ValueError(f"knot cosines are not increasing: {xs}")
        return Knots(cosine=xs, score=tuple(score for _, score in table))

    cuts = thresholds | {DEFAULT: default_threshold}
    accepted = {key: float(np.mean(gen >= t)) for key, t in cuts.items()}
    measured = {
        name: Measured(
            genuine_pairs=len(sub_gen),
            impostor_pairs=len(sub_imp),
            far={key: float(np.mean(np.asarray(sub_imp) >= t)) for key, t in cuts.items()},
            tar={key: float(np.mean(np.asarray(sub_gen) >= t)) for key, t in cuts.items()},
        )
        for name, (sub_gen, sub_imp) in (subsets or {}).items()
    }
    held = [own.round(6).tolist() for own, _ in floors]
    digest = hashlib.sha256(
        json.dumps(
            [model_version, default_far, gen.round(6).tolist(), imp.round(6).tolist()]
            + ([held] if held else [])
        ).encode()
    ).hexdigest()
    return Calibration(
        version=f"cal-{digest[:8]}",
        model=model_version,
        genuine_pairs=len(gen),
        impostor_pairs=len(imp),
        impostor_median=named[MEDIAN],
        tail=tail,
        default_far=default_far,
        default_threshold=default_threshold,
        thresholds=thresholds,
        tar=accepted,
        sensetime=knots(SENSETIME_KNOTS),
        yitu=knots(YITU_KNOTS),
        netocr=knots(NETOCR_KNOTS),
        measured=measured,
    )


def _cut(impostor: np.ndarray, tail: Tail, far: float) -> float:
    """The cosine letting through a share `far` of these impostors: their quantile where the
    tail model does not reach, the tail model's threshold below."""
    if far >= tail.share:
        return float(np.quantile(impostor, 1.0 - far))
    return tail.threshold(far)


def _fit_tail(impostor: np.ndarray) -> Tail:
    x = -np.log1p(-np.minimum(impostor, 1.0 - 1e-12))
    x0 = float(np.quantile(x, TAIL_QUANTILE))
    excess = x[x > x0] - x0
    return Tail(
        start=float(-np.expm1(-x0)),
        share=len(excess) / len(x),
        scale=float(excess.mean()),
    )


@cache
def load_calibration() -> Calibration:
    """The packaged calibration (contracts/calibration.json), read once."""
    text = resources.files("contracts").joinpath("calibration.json").read_text("utf-8")
    return Calibration.model_validate_json(text)


def default_threshold() -> float:
    """The cosine at or above which two faces are the same person by default (FAR 0.3%)."""
    return load_calibration().default_threshold


def sensetime_similarity(cosine: float) -> float:
    """SenseTime's 0..1 similarity for a cosine."""
    return load_calibration().sensetime(cosine)


def sensetime_threshold() -> float:
    """The SenseTime similarity of the default operating point (0.7)."""
    calibration = load_calibration()
    return calibration.sensetime(calibration.default_threshold)


def sensetime_knots() -> tuple[tuple[float, ...], tuple[float, ...]]:
    """(cosines, similarities): SenseTime's normalizeSrc/normalizeDst (seed 000 §3.2)."""
    knots = load_calibration().sensetime
    return knots.cosine, knots.score


def yitu_similarity(cosine: float) -> float:
    """Yitu's 0..100 similarity for a cosine."""
    return load_calibration().yitu(cosine)


def yitu_threshold(true_negative_rate: str) -> float:
    """The Yitu similarity at which a match is declared for a `true_negative_rate` ("99.9" …
    "99.9999999": FAR = 1 − TNR, 1e-3 … 1e-9)."""
    matched = _TNR.fullmatch(true_negative_rate.strip())
    if matched is None:
        raise IdfError(
            ErrorKind.bad_param,
            f"true_negative_rate {true_negative_rate!r} is not one of 99.9 … 99.9999999",
            field="true_negative_rate",
        )
    calibration = load_calibration()
    decade = 2 + len(matched.group(1))
    return calibration.yitu(calibration.thresholds[far_key(decade)])


def netocr_similarity(cosine: float) -> float:
    """netocr's 0..100 score for a cosine (50 and above: the same person)."""
    return load_calibration().netocr(cosine)


def netocr_threshold() -> float:
    """netocr's score of the default operating point (50)."""
    calibration = load_calibration()
    return calibration.netocr(calibration.default_threshold)
