"""Error-rate maths: small cases worked by hand, and agreement with scikit-learn."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import det_curve as sklearn_det_curve
from sklearn.metrics import roc_curve

from verifydemo.error_rates import (
    ScoreSet,
    det_curve,
    equal_error_rate,
    error_rates,
    threshold_for_fmr,
    wilson_interval,
)

HAND = ScoreSet.from_distances(
    genuine=np.array([0.2, 0.3, 0.5, 0.7]), impostor=np.array([0.4, 0.6, 0.8, 0.9, 1.0])
)


def test_rates_worked_by_hand():
    rates = error_rates(HAND, 0.55)
    assert (rates.fmr.errors, rates.fmr.trials) == (1, 5)
    assert (rates.fnmr.errors, rates.fnmr.trials) == (1, 4)
    assert rates.fmr.value == pytest.approx(0.2) and rates.fnmr.value == pytest.approx(0.25)


def test_a_distance_equal_to_the_threshold_is_a_match():
    assert error_rates(HAND, 0.4).fmr.errors == 1
    assert error_rates(HAND, 0.7).fnmr.errors == 0


def test_failures_to_acquire_count_in_far_and_frr_only():
    scores = ScoreSet.from_distances(
        genuine=np.array([0.2, np.nan, 0.7]), impostor=np.array([0.4, np.nan, np.nan, 0.9])
    )
    rates = error_rates(scores, 0.5)
    assert (scores.genuine_fta, scores.impostor_fta) == (1, 2)
    assert (rates.fnmr.errors, rates.fnmr.trials) == (1, 2)
    assert (rates.frr.errors, rates.frr.trials) == (2, 3)
    assert (rates.fmr.errors, rates.fmr.trials) == (1, 2)
    assert (rates.far.errors, rates.far.trials) == (1, 4)


def test_equal_error_rate_by_hand():
    eer = equal_error_rate(HAND)
    assert eer.threshold == pytest.approx(0.5)
    assert (eer.fmr, eer.fnmr) == (pytest.approx(0.2), pytest.approx(0.25))
    assert eer.rate == pytest.approx(0.225)


def test_threshold_for_fmr_is_the_largest_that_meets_the_target():
    threshold = threshold_for_fmr(HAND, 0.2)
    assert threshold < 0.6
    assert error_rates(HAND, threshold).fmr.value <= 0.2
    assert error_rates(HAND, np.nextafter(threshold, np.inf)).fmr.value > 0.2
    assert threshold_for_fmr(HAND, 1.0) == float("inf")


def test_wilson_interval_known_values():
    low, high = wilson_interval(0, 10)
    assert low == 0.0 and high == pytest.approx(0.2775, abs=1e-4)
    low, high = wilson_interval(91, 10302)
    assert low < 91 / 10302 < high
    assert (low, high) == (pytest.approx(0.00720, abs=5e-5), pytest.approx(0.01084, abs=5e-5))


@pytest.mark.parametrize("bad", [np.zeros((2, 2)), np.array([0.1, np.inf])])
def test_invalid_scores_are_refused(bad):
    with pytest.raises(ValueError):
        ScoreSet.from_distances(bad, np.array([0.5]))


def test_empty_side_is_refused():
    with pytest.raises(ValueError, match="genuine and impostor"):
        error_rates(ScoreSet.from_distances(np.array([]), np.array([0.5])), 0.6)


def test_labels_must_be_zero_or_one():
    with pytest.raises(ValueError, match="labels"):
        ScoreSet.from_labels(np.array([0.1, 0.2]), np.array([1, 2]))


@pytest.fixture(scope="module")
def random_scores() -> tuple[ScoreSet, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(7)
    genuine = np.round(rng.normal(0.4, 0.1, 300), 3)
    impostor = np.round(rng.normal(0.8, 0.1, 5000), 3)
    distances = np.concatenate([genuine, impostor])
    labels = np.concatenate([np.ones(300, int), np.zeros(5000, int)])
    return ScoreSet.from_labels(distances, labels), distances, labels


def test_det_curve_agrees_with_sklearn_roc_curve(random_scores):
    scores, distances, labels = random_scores
    fpr, tpr, sk_thresholds = roc_curve(labels, -distances, drop_intermediate=False)
    finite = np.isfinite(sk_thresholds)
    ours = det_curve(scores)
    lookup = dict(zip(ours.thresholds, zip(ours.fmr, ours.fnmr, strict=True), strict=True))
    for threshold, sk_fmr, sk_tpr in zip(
        -sk_thresholds[finite], fpr[finite], tpr[finite], strict=True
    ):
        fmr, fnmr = lookup[threshold]
        assert fmr == pytest.approx(sk_fmr)
        assert fnmr == pytest.approx(1 - sk_tpr)


def test_det_curve_agrees_with_sklearn_det_curve(random_scores):
    scores, distances, labels = random_scores
    sk_fpr, sk_fnr, sk_thresholds = sklearn_det_curve(labels, -distances)
    for threshold, fpr, fnr in zip(-sk_thresholds, sk_fpr, sk_fnr, strict=True):
        rates = error_rates(scores, threshold)
        assert rates.fmr.value == pytest.approx(fpr)
        assert rates.fnmr.value == pytest.approx(fnr)


def test_equal_error_rate_is_where_the_curves_cross(random_scores):
    scores, _, _ = random_scores
    eer = equal_error_rate(scores)
    curve = det_curve(scores)
    gaps = np.abs(curve.fmr - curve.fnmr)
    assert abs(eer.fmr - eer.fnmr) == pytest.approx(gaps.min())
    assert min(eer.fmr, eer.fnmr) <= eer.rate <= max(eer.fmr, eer.fnmr)
