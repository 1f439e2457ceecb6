"""Error-rate maths: small cases worked by hand, and agreement with scikit-learn."""

from __future__ import annotations

import json
from statistics import NormalDist

import numpy as np
import pytest
from sklearn.metrics import det_curve as sklearn_det_curve
from sklearn.metrics import roc_curve

from verifydemo.metrics.error_rates import (
    Rate,
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


def test_separated_scores_have_no_eer_and_the_gap_gives_the_threshold():
    scores = ScoreSet.from_distances(np.array([0.2, 0.3, 0.35]), np.array([0.5, 0.6, 0.7, 0.8]))
    eer = equal_error_rate(scores)
    assert eer.separated and eer.rate == 0.0
    assert eer.threshold == pytest.approx(0.425)
    rates = error_rates(scores, eer.threshold)
    assert (rates.fmr.errors, rates.fnmr.errors) == (0, 0)
    text = eer.describe()
    assert "No error in this sample" in text and "0.00%" not in text
    fmr_bound, fnmr_bound = eer.upper_bounds
    assert fnmr_bound == pytest.approx(wilson_interval(0, 3)[1])
    assert fmr_bound == pytest.approx(wilson_interval(0, 4)[1])


def test_touching_scores_are_not_separated():
    scores = ScoreSet.from_distances(np.array([0.2, 0.5]), np.array([0.5, 0.8]))
    assert not equal_error_rate(scores).separated


def test_eer_is_never_printed_finer_than_the_sample_allows():
    rng = np.random.default_rng(3)
    scores = ScoreSet.from_distances(rng.normal(0.45, 0.08, 50), rng.normal(0.75, 0.08, 5000))
    eer = equal_error_rate(scores)
    assert eer.percent_decimals == 0, "50 genuine pairs: steps of 2%, whole percents only"
    text = eer.describe()
    assert f"EER): about {eer.rate:.0%} at" in text
    assert f"FNMR ({eer.fnmr:.0%})" in text and f"FMR ({eer.fmr:.1%})" in text


def test_a_rate_with_no_error_is_described_by_its_upper_bound():
    text = Rate(0, 102).describe("genuine pairs rejected")
    assert text.startswith("0 of 102 genuine pairs rejected: none observed")
    assert f"{wilson_interval(0, 102)[1]:.2%}" in text


def test_a_rate_describes_both_intervals_in_plain_words():
    rate = Rate(90, 10302, people_interval=(0.0036, 0.0163), people=102)
    text = rate.describe("impostor pairs accepted")
    assert "0.36% to 1.6% if the volunteers were a different 102 people" in text
    assert f"{rate.interval_text()} if the pairs were independent" in text
    assert rate.leading_interval == (0.0036, 0.0163)


def test_det_chart_draws_a_curve_even_when_the_sets_do_not_overlap():
    from verifydemo.pictures.charts import det_points, det_template

    scores = ScoreSet.from_distances(np.array([0.2, 0.3, 0.35]), np.array([0.5, 0.6, 0.7, 0.8]))
    spec = det_template(det_curve(scores))
    (line,) = [data for data in spec["datasets"].values() if data and "fmr" in data[0]]
    assert len(line) >= 2
    floor_x = NormalDist().inv_cdf(1 / 8)
    assert any(point["x"] == pytest.approx(floor_x) for point in line), "FMR 0 sits on 1/(2n)"
    assert "0 observed" in json.dumps(spec)
    eer = equal_error_rate(scores)
    points = det_points(error_rates(scores, eer.threshold), eer)
    assert all(np.isfinite([point["x"], point["y"]]).all() for point in points)


def test_det_line_stays_in_its_plot_and_the_zero_labels_stand_apart():
    from verifydemo.pictures.charts import det_template

    scores = ScoreSet.from_distances(np.array([0.2, 0.3, 0.35]), np.array([0.5, 0.6, 0.7, 0.8]))
    spec = det_template(det_curve(scores))
    layers = _flat(spec["layer"])
    (line,) = [layer for layer in layers if layer["mark"]["type"] == "line"]
    assert line["mark"]["clip"] is True
    labels = [
        layer
        for layer in layers
        if layer["mark"]["type"] == "text"
        and "0 observed" in json.dumps(spec["datasets"][layer["data"]["name"]])
    ]
    placed = [
        (spec["datasets"][layer["data"]["name"]][0]["x"], layer["mark"]["align"])
        for layer in labels
    ]
    assert len(placed) == 2 and placed[0] != placed[1]
    right_end = line["encoding"]["x"]["scale"]["domain"][1]
    assert (right_end, "right") in placed, "the FNMR floor's label at the right end"


def _flat(layers: list) -> list:
    return [
        part
        for layer in layers
        for part in (_flat(layer["layer"]) if "layer" in layer else [layer])
    ]


def test_a_rate_with_one_pair_per_person_leads_with_the_pair_interval():
    """1 of 102 genuine pairs: a people bootstrap would say "0% to 2.9%", a lower end of 0
    despite the error seen; with one pair per volunteer the pairs are independent."""
    rate = Rate(1, 102, people_interval=(0.0, 0.029), people=102, one_per_person=True)
    text = rate.describe("genuine pairs rejected")
    assert text.startswith(f"1 of 102 genuine pairs rejected (95% CI {rate.interval_text()};")
    assert rate.interval[0] > 0
    assert "different" not in text and "each volunteer is in one" in text


def test_a_separated_samples_fmr_bound_allows_for_recurring_people(reference):
    """The EER caption's "FMR is probably below" quotes the bound the FMR sentence gives, not
    the pairs-as-independent one the page calls too narrow."""
    from verifydemo.metrics.bootstrap import LabelledScores, eer_of, zero_error_bound

    pairs = reference.pair_scores("studio", "studio")
    labelled = LabelledScores.from_matrix(pairs.distances)
    eer = eer_of(pairs.score_set(), labelled)
    assert eer.separated
    bound = zero_error_bound(labelled)
    assert eer.upper_bounds[0] == bound > wilson_interval(0, 10_302)[1]
    assert f"FMR is probably below {bound:.2%}" in eer.describe()


@pytest.mark.parametrize("includes", [True, False])
def test_the_match_rule_is_one_switch_every_count_follows(monkeypatch, includes):
    """``MATCH_INCLUDES_THRESHOLD`` promises a one-line change of the rule: every count and
    rate must follow it, at a tie with the threshold and away from it."""
    from verifydemo.core import compare

    monkeypatch.setattr(compare, "MATCH_INCLUDES_THRESHOLD", includes)
    genuine = np.array([0.3, 0.6, 0.6, 0.7])
    impostor = np.array([0.5, 0.6, 0.8, 0.9, 1.0])
    scores = ScoreSet.from_distances(genuine, impostor)
    assert bool(compare.accepted(0.6, 0.6)) is includes
    assert compare.Comparison(0.6, 0.6).is_match is includes
    for threshold in (0.3, 0.5, 0.6, 0.65, 1.0):
        rates = error_rates(scores, threshold)
        assert rates.fmr.errors == int(compare.accepted(impostor, threshold).sum())
        assert rates.fnmr.errors == int((~compare.accepted(genuine, threshold)).sum())
    at_tie = error_rates(scores, 0.6)
    assert (at_tie.fmr.errors, at_tie.fnmr.errors) == ((2, 1) if includes else (1, 3))


def test_recurring_people_are_told_from_the_labels_not_the_counts():
    """10 genuine pairs, all of one person among 40: not independent, however few they are;
    and a people bootstrap with no error seen never reads "below 0%"."""
    from verifydemo.metrics.bootstrap import LabelledScores, with_people

    one_person = np.zeros(10, dtype=np.int64)
    others = np.arange(1, 40)
    distances = np.r_[np.full(10, 0.3), np.full(39, 0.9)]
    scores = LabelledScores(distances, np.r_[one_person, others], np.r_[one_person, others - 1], 40)
    score_set = ScoreSet.from_distances(distances[:10], distances[10:])
    rates = with_people(error_rates(score_set, 0.6), scores)
    assert not rates.fnmr.one_per_person
    assert "each volunteer is in one" not in rates.fnmr.describe("genuine pairs rejected")
    assert "below 0%" not in rates.fnmr.describe("genuine pairs rejected")
    assert rates.fnmr.leading_interval[1] > 0

    repeated = np.repeat(np.arange(10), 3)
    threes = LabelledScores(np.full(30, 0.3), repeated, repeated, 10)
    zero = with_people(
        error_rates(ScoreSet.from_distances(np.full(30, 0.3), np.array([0.9])), 0.6), threes
    ).fnmr
    assert zero.errors == 0 and "below 0%" not in zero.describe("genuine pairs rejected")


def test_the_group_heat_map_keeps_every_group_name_whole():
    from verifydemo.pictures.charts import group_pairs_chart

    groups = ["East Asian/Female", "East Asian/Male", "White/Female"]
    rows = [
        {"id_group": a, "live_group": b, "accepted": 1, "pairs": 10, "fmr": 0.1}
        for a in groups
        for b in groups
    ]
    spec = group_pairs_chart(rows)
    axes = [layer["encoding"][channel]["axis"] for layer in spec["layer"] for channel in ("x", "y")]
    assert all(axis["labelOverlap"] is False and axis["labelLimit"] == 0 for axis in axes)
