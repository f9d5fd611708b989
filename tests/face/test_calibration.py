from __future__ import annotations

import itertools
import json
import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from contracts import calibration
from contracts.calibration import DECADES, Calibration, far_key, fit, load_calibration
from contracts.embeddings import Embedding
from contracts.errors import ErrorKind, IdfError
from engine import models
from gateway import calibrate

COSINES = np.linspace(-1.0, 1.0, 4001)
TNRS = ["99.9", "99.99", "99.999", "99.9999", "99.99999", "99.999999", "99.9999999"]


def test_the_packaged_calibration_is_for_the_installed_model() -> None:
    packaged = load_calibration()
    assert packaged.model == models.embedding_version()
    assert packaged.version.startswith("cal-")
    assert packaged.impostor_pairs > 4000 and packaged.genuine_pairs > 200


def test_thresholds_tighten_as_the_false_accept_rate_falls() -> None:
    packaged = load_calibration()
    ordered = [packaged.default_threshold] + [packaged.thresholds[far_key(k)] for k in DECADES]
    assert all(b > a for a, b in itertools.pairwise(ordered))
    assert ordered[-1] < 1.0
    tar = [packaged.tar["default"]] + [packaged.tar[far_key(k)] for k in DECADES]
    assert all(b <= a for a, b in itertools.pairwise(tar))
    assert packaged.measured["faces"].tar["default"] > 0.98


def test_the_packaged_thresholds_hold_on_the_east_asian_faces_alone() -> None:
    """At every operating point the East-Asian impostor pairs can measure (1e-3 and the
    default, with about 6 500 pairs within one colour mode), the measured FAR is within twice
    the nominal one."""
    packaged = load_calibration()
    nominal = packaged.nominal_far()
    east_asian = packaged.measured["faces_east_asian"]
    assert east_asian.impostor_pairs > 6_000  # cross-identity pairs within one colour mode
    assert east_asian.dishonest(nominal) == []
    assert east_asian.far["1e-3"] <= 2e-3 and east_asian.far["default"] <= 6e-3
    assert packaged.measured["faces"].dishonest(nominal) == []


def test_the_packaged_thresholds_hold_on_each_colour_mode_of_the_east_asian_faces() -> None:
    """The colour photos' impostors look more alike than the pool's: their own fit sets the
    thresholds, so FAR there stays within twice the nominal too."""
    packaged = load_calibration()
    nominal = packaged.nominal_far()
    for group in ("faces_east_asian/colour", "faces_east_asian/grey"):
        measured = packaged.measured[group]
        assert measured.impostor_pairs > 2_000
        assert measured.dishonest(nominal) == []
    assert packaged.measured["faces_east_asian/colour"].far["default"] <= 6e-3


def test_a_population_held_on_sets_the_thresholds_where_it_is_harder() -> None:
    rng = np.random.default_rng(5)
    easy = _exponential_tail_scores(rng, 20_000, 0.05)
    hard = _exponential_tail_scores(rng, 2_000, 0.2)
    subsets = {"easy": ([0.999], easy), "hard": ([0.999], hard)}
    pooled = fit([0.999], np.concatenate([easy, hard]), "m", subsets=subsets)
    held = fit([0.999], np.concatenate([easy, hard]), "m", subsets=subsets, hold_on=("hard",))
    nominal = held.nominal_far()
    assert held.measured["hard"].dishonest(nominal) == []
    assert held.measured["easy"].dishonest(nominal) == []
    assert held.default_threshold > pooled.default_threshold
    assert all(held.thresholds[k] >= pooled.thresholds[k] for k in pooled.thresholds)
    assert held.version != pooled.version


def test_a_fit_reports_what_each_set_gives_and_flags_a_dishonest_one() -> None:
    rng = np.random.default_rng(5)
    easy = _exponential_tail_scores(rng, 20_000, 0.05)
    hard = _exponential_tail_scores(rng, 2_000, 0.2)  # a heavier tail than the pool's
    fitted = fit(
        [0.999],
        np.concatenate([easy, hard]),
        "m",
        subsets={"easy": ([0.999], easy), "hard": ([0.999], hard)},
    )
    nominal = fitted.nominal_far()
    assert fitted.measured["easy"].impostor_pairs == 20_000
    assert fitted.measured["easy"].dishonest(nominal) == []
    assert "1e-3" in fitted.measured["hard"].dishonest(nominal)


@pytest.mark.parametrize(
    ("to_scale", "top"),
    [
        (calibration.sensetime_similarity, 1.0),
        (calibration.yitu_similarity, 100.0),
        (calibration.netocr_similarity, 100.0),
    ],
)
def test_every_vendor_map_is_strictly_increasing_over_the_whole_range(
    to_scale: Callable[[float], float], top: float
) -> None:
    scores = np.array([to_scale(c) for c in COSINES])
    assert np.all(np.diff(scores) > 0)
    assert scores[0] == 0.0 and scores[-1] == top


def test_the_default_operating_point_is_sensetimes_07_and_netocrs_50() -> None:
    threshold = calibration.default_threshold()
    assert calibration.sensetime_threshold() == pytest.approx(0.7)
    assert calibration.sensetime_similarity(threshold) == pytest.approx(0.7)
    assert calibration.netocr_threshold() == pytest.approx(50.0)
    assert (
        calibration.netocr_similarity(threshold - 0.01)
        < 50
        < calibration.netocr_similarity(threshold + 0.01)
    )


def test_yitu_true_negative_rates_are_5_points_apart_from_60() -> None:
    assert [calibration.yitu_threshold(tnr) for tnr in TNRS] == pytest.approx(
        [60, 65, 70, 75, 80, 85, 90]
    )
    packaged = load_calibration()
    cos_at_1e4 = packaged.thresholds["1e-4"]
    assert calibration.yitu_similarity(cos_at_1e4) == pytest.approx(65)
    assert calibration.yitu_similarity(cos_at_1e4 - 1e-3) < calibration.yitu_threshold("99.99")


@pytest.mark.parametrize("tnr", ["99", "99.0", "99.99999999", "0.999", "ninety", ""])
def test_other_true_negative_rates_are_refused(tnr: str) -> None:
    with pytest.raises(IdfError) as error:
        calibration.yitu_threshold(tnr)
    assert (error.value.kind, error.value.field) == (ErrorKind.bad_param, "true_negative_rate")


def test_sensetime_knots_are_the_map() -> None:
    cosines, scores = calibration.sensetime_knots()
    assert len(cosines) == len(scores) == 8  # like the manual's normalizeSrc/normalizeDst
    assert (cosines[0], cosines[-1]) == (-1.0, 1.0)
    assert scores == (0.0, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
    assert [calibration.sensetime_similarity(c) for c in cosines] == pytest.approx(scores)


def test_another_models_scores_are_refused() -> None:
    with pytest.raises(IdfError) as error:
        load_calibration().check_model("dlib-resnet-v1:55533b28")
    assert error.value.kind == ErrorKind.model_mismatch


def _exponential_tail_scores(rng: np.random.Generator, n: int, scale: float) -> np.ndarray:
    """Impostor cosines whose −ln(1 − cos) is 1.5 + Exp(scale): the tail model exactly."""
    return -np.expm1(-(1.5 + rng.exponential(scale, n)))


def test_fit_recovers_a_known_tail() -> None:
    rng = np.random.default_rng(7)
    impostor = _exponential_tail_scores(rng, 200_000, 0.12)
    fitted = fit([0.99], impostor, "m")
    for k in DECADES:
        # P(x > 1.5 + t) = e^(−t / 0.12): the true threshold at FAR 10^-k
        true = -math.expm1(-(1.5 + 0.12 * k * math.log(10)))
        assert fitted.thresholds[far_key(k)] == pytest.approx(true, abs=2e-3)
    assert fitted.tail.scale == pytest.approx(0.12, rel=0.03)


def test_fit_is_deterministic_and_versioned_by_its_inputs() -> None:
    rng = np.random.default_rng(3)
    impostor = _exponential_tail_scores(rng, 1000, 0.1)
    first = fit([0.95, 0.97], impostor, "m")
    assert fit([0.95, 0.97], impostor, "m") == first
    assert fit([0.95, 0.97], impostor, "other").version != first.version


def test_fit_needs_enough_impostors_and_a_sensible_default() -> None:
    with pytest.raises(ValueError):
        fit([0.9], np.linspace(0, 0.5, 50), "m")
    impostor = _exponential_tail_scores(np.random.default_rng(1), 1000, 0.1)
    with pytest.raises(ValueError):
        fit([0.9], impostor, "m", default_far=1e-5)


def test_the_packaged_file_is_the_model_it_claims() -> None:
    text = Path(calibration.__file__).with_name("calibration.json").read_text()
    assert Calibration.model_validate(json.loads(text)) == load_calibration()


@pytest.mark.slow
def test_refitting_on_the_shared_faces_reproduces_the_packaged_calibration(
    tmp_path: Path,
    shared_data: Path,
    dataset_embeddings: dict[str, Embedding],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        calibrate,
        "embed_images",
        lambda root, files: {f: dataset_embeddings[f] for f in files if f in dataset_embeddings},
    )
    out = tmp_path / "calibration.json"
    refitted = calibrate.run_calibration(shared_data, out)
    assert Calibration.model_validate_json(out.read_text()) == refitted
    packaged = load_calibration()
    assert refitted.model == packaged.model
    assert (refitted.genuine_pairs, refitted.impostor_pairs) == (
        packaged.genuine_pairs,
        packaged.impostor_pairs,
    )
    assert refitted.measured["faces"].impostor_pairs == 4309
    for key, value in packaged.thresholds.items():
        assert refitted.thresholds[key] == pytest.approx(value, abs=2e-3)
    assert refitted.default_threshold == pytest.approx(packaged.default_threshold, abs=2e-3)
