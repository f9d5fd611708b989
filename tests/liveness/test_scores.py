"""The one mapping of attack scores onto each vendor's liveness scale."""

from __future__ import annotations

import pytest

from contracts.liveness import ATTACK_THRESHOLD
from contracts.liveness_scores import netocr_score, sensetime_image_score, sensetime_video_score


def test_the_engine_threshold_is_each_vendors_threshold():
    assert sensetime_image_score(ATTACK_THRESHOLD) == pytest.approx(0.95)
    assert sensetime_video_score(ATTACK_THRESHOLD) == pytest.approx(0.96)
    assert netocr_score(ATTACK_THRESHOLD) == pytest.approx(50.0)


def test_scales_run_from_bottom_to_top_and_keep_the_order():
    for scale, top in ((sensetime_image_score, 1.0), (sensetime_video_score, 1.0)):
        assert scale(0.0) == 0.0 and scale(1.0) == top
    assert netocr_score(0.0) == 0.0 and netocr_score(1.0) == 100.0
    values = [sensetime_video_score(a / 20) for a in range(21)]
    assert values == sorted(values) and len(set(values)) == 21
