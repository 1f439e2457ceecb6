"""The person-level bootstrap: against a slow loop, and on cases worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from verifydemo.core.compare import accepted
from verifydemo.datasets.reference import load_reference
from verifydemo.metrics.bootstrap import (
    LabelledScores,
    PeopleIntervals,
    accepted_share,
    apcer,
    impostor_interval,
    people_intervals,
    pooled_rate,
    resample_people,
    with_people,
)
from verifydemo.metrics.error_rates import Rate, error_rates, wilson_interval
from verifydemo.metrics.pairs import PairScores


def slow_people_intervals(
    scores: LabelledScores, threshold: float, draws: np.ndarray, confidence: float = 0.95
) -> PeopleIntervals:
    """The definition, one drawn slot at a time: ordered pairs of slots of two different people
    are impostor trials, each slot's own comparisons are genuine trials."""
    by_pair: dict[tuple[int, int], list[float]] = {}
    for distance, a, b in zip(scores.distances, scores.person_a, scores.person_b, strict=True):
        by_pair.setdefault((int(a), int(b)), []).append(float(distance))
    rates: dict[str, list[float]] = {"fmr": [], "fnmr": [], "far": [], "frr": []}
    for row in draws:
        slots = [person for person, times in enumerate(row) for _ in range(times)]
        impostor = [
            d
            for s, first in enumerate(slots)
            for t, second in enumerate(slots)
            if s != t and first != second
            for d in by_pair.get((first, second), [])
        ]
        genuine = [d for person in slots for d in by_pair.get((person, person), [])]
        imp_ok = [d for d in impostor if not np.isnan(d)]
        gen_ok = [d for d in genuine if not np.isnan(d)]
        imp_accepted = sum(bool(accepted(d, threshold)) for d in imp_ok)
        gen_rejected = sum(not accepted(d, threshold) for d in gen_ok)
        gen_missing = len(genuine) - len(gen_ok)
        for name, errors, trials in (
            ("fmr", imp_accepted, len(imp_ok)),
            ("fnmr", gen_rejected, len(gen_ok)),
            ("far", imp_accepted, len(impostor)),
            ("frr", gen_rejected + gen_missing, len(genuine)),
        ):
            if trials:
                rates[name].append(errors / trials)
    tail = 50 * (1 - confidence)

    def interval(values: list[float]) -> tuple[float, float]:
        if not values:
            return (0.0, 1.0)
        low, high = np.percentile(values, [tail, 100 - tail])
        return (float(low), float(high))

    return PeopleIntervals(**{name: interval(values) for name, values in rates.items()})


def assert_intervals_equal(got: PeopleIntervals, expected: PeopleIntervals) -> None:
    for name in ("fmr", "fnmr", "far", "frr"):
        assert getattr(got, name) == pytest.approx(getattr(expected, name), abs=1e-12), name


def test_people_intervals_match_a_slow_slot_by_slot_loop_on_a_square_matrix() -> None:
    rng = np.random.default_rng(7)
    distances = rng.uniform(0.2, 1.0, size=(12, 12))
    distances[np.diag_indices(12)] = rng.uniform(0.3, 0.7, size=12)
    distances[rng.random((12, 12)) < 0.08] = np.nan
    distances[5, :] = np.nan  # a whole ID photo that failed to acquire
    distances[[2, 4, 9, 0], [7, 4, 1, 0]] = 0.6  # ties at the threshold: matches
    scores = LabelledScores.from_matrix(distances)
    draws = resample_people(12, resamples=200, seed=3)
    for threshold in (0.45, 0.6):
        expected = slow_people_intervals(scores, threshold, draws)
        assert_intervals_equal(people_intervals(scores, threshold, draws), expected)
        assert impostor_interval(scores, threshold, draws) == pytest.approx(expected.fmr, abs=1e-12)


def test_people_intervals_match_the_slow_loop_with_several_comparisons_per_pair() -> None:
    rng = np.random.default_rng(11)
    photos = [(f"p{person:02d}", photo) for person in range(7) for photo in range(1 + person % 3)]
    labels_a, labels_b = zip(*[(a, b) for a, _ in photos for b, _ in photos], strict=True)
    distances = rng.uniform(0.3, 0.9, size=len(labels_a))
    distances[rng.random(len(distances)) < 0.1] = np.nan
    scores = LabelledScores.from_labels(distances, labels_a, labels_b)
    assert scores.people == 7
    assert scores.trials[0].sum() + scores.trials[1].sum() == len(photos) ** 2
    draws = resample_people(7, resamples=200, seed=5)
    expected = slow_people_intervals(scores, 0.6, draws)
    assert_intervals_equal(people_intervals(scores, 0.6, draws), expected)


def test_one_person_causing_every_false_match_widens_the_fmr_interval_far_beyond_wilson() -> None:
    people = 40
    distances = np.full((people, people), 0.9)
    distances[:, 0] = 0.3  # person 0's live photo is close to everyone's ID photo
    np.fill_diagonal(distances, 0.3)
    pairs = PairScores("", "", distances)
    fmr = error_rates(pairs.score_set(), 0.6).fmr
    assert (fmr.errors, fmr.trials) == (people - 1, people * (people - 1))
    low, high = people_intervals(LabelledScores.from_matrix(distances), 0.6).fmr
    wilson_low, wilson_high = wilson_interval(fmr.errors, fmr.trials)
    print(f"people {low:.2%}-{high:.2%}, Wilson {wilson_low:.2%}-{wilson_high:.2%}")
    assert high - low >= 3 * (wilson_high - wilson_low)
    assert low <= 0.001  # person 0 is left out of over a third of the resamples


def test_a_fixed_seed_gives_the_same_intervals_and_another_seed_other_draws() -> None:
    draws = resample_people(30)
    assert draws.shape == (1000, 30)
    assert (draws.sum(axis=1) == 30).all()
    assert np.array_equal(draws, resample_people(30))
    assert not np.array_equal(draws, resample_people(30, seed=2020))
    distances = np.random.default_rng(1).uniform(0.3, 0.9, size=(30, 30))
    scores = LabelledScores.from_matrix(distances)
    assert people_intervals(scores, 0.6) == people_intervals(scores, 0.6)
    assert people_intervals(scores, 0.6) == people_intervals(scores, 0.6, draws)


def test_every_person_drawn_once_gives_the_point_rates_of_the_reference_set() -> None:
    reference = load_reference()
    pairs = reference.pair_scores()
    scores = LabelledScores.from_matrix(pairs.distances)
    rates = error_rates(pairs.score_set(), 0.6)
    point = people_intervals(scores, 0.6, draws=np.ones((1, pairs.people), dtype=int))
    for name in ("fmr", "fnmr", "far", "frr"):
        value = getattr(rates, name).value
        assert getattr(point, name) == pytest.approx((value, value), abs=1e-15), name

    low, high = people_intervals(scores, 0.6).fmr
    wilson_low, wilson_high = rates.fmr.interval
    print(f"studio FMR {rates.fmr.value:.2%}: people {low:.2%}-{high:.2%}, ", end="")
    print(f"Wilson {wilson_low:.2%}-{wilson_high:.2%}")
    assert low <= rates.fmr.value <= high
    assert low < wilson_low and high > wilson_high

    group = scores.subset(reference.groups == "male / black")
    low, high = impostor_interval(group, 0.6)
    print(f"male / black FMR people interval {low:.2%}-{high:.2%}")
    assert low < 0.5 and high == 1.0


def test_a_group_resamples_only_its_own_people() -> None:
    distances = np.random.default_rng(2).uniform(0.4, 0.8, size=(20, 20))
    mask = np.arange(20) % 4 == 0
    group = LabelledScores.from_matrix(distances).subset(mask)
    alone = LabelledScores.from_matrix(distances[np.ix_(mask, mask)])
    assert group.people == 20 and len(group.distances) == mask.sum() ** 2
    assert people_intervals(group, 0.6) == people_intervals(alone, 0.6)


def test_a_person_drawn_twice_counts_twice_and_is_never_paired_with_itself() -> None:
    # Four people, person 0 drawn twice, 1 and 2 once, 3 never. (With only two people drawn,
    # every impostor pair would double and the impostor rates could not tell twice from once.)
    nan = np.nan
    distances = np.array(
        [
            [0.2, 0.8, nan, 0.1],  # ID photo of person 0 vs the live photos of 0, 1, 2, 3
            [0.8, 0.9, 0.3, 0.1],
            [0.8, 0.3, nan, 0.1],
            [0.1, 0.1, 0.1, 0.9],
        ]
    )
    got = people_intervals(LabelledScores.from_matrix(distances), 0.6, np.array([[2, 1, 1, 0]]))
    # Impostor slot pairs: (0,1) x2 rejected, (1,0) x2 rejected, (0,2) x2 NaN, (2,0) x2 rejected,
    # (1,2) x1 accepted, (2,1) x1 accepted: 2 accepted of 8 compared, plus 2 failures to acquire.
    # Counting person 0 once would give 2 of 5; pairing its copies would add (0,0) x2 accepted.
    # Genuine slots: (0,0) x2 accepted, (1,1) rejected, (2,2) NaN: 1 rejected of 3, plus 1 FTA.
    assert got == PeopleIntervals(
        fmr=(2 / 8, 2 / 8), fnmr=(1 / 3, 1 / 3), far=(2 / 10, 2 / 10), frr=(2 / 4, 2 / 4)
    )


def test_a_rate_with_no_trials_in_any_resample_has_the_whole_unit_interval() -> None:
    scores = LabelledScores.from_matrix(np.full((3, 3), np.nan))
    got = people_intervals(scores, 0.6, np.array([[1, 1, 1], [3, 0, 0]]))
    assert got.fmr == (0.0, 1.0) and got.fnmr == (0.0, 1.0)
    assert got.far == (0.0, 0.0) and got.frr == (1.0, 1.0)


def test_accepted_share_counts_each_person_once_and_resamples_them() -> None:
    distances = np.array([0.2, 0.5, 0.7, np.nan, 0.9])
    share = accepted_share(distances, 0.6)
    assert (share.errors, share.trials, share.people) == (2, 5, 5)
    low, high = share.people_interval
    assert low < 2 / 5 < high
    draws = np.array([[5, 0, 0, 0, 0], [0, 0, 0, 5, 0]])
    assert accepted_share(distances, 0.6, draws).people_interval == pytest.approx((0.025, 0.975))


def test_apcer_is_the_mean_chance_with_an_interval_over_the_drawn_people() -> None:
    draws = np.array([[4, 0, 0, 0], [0, 0, 4, 0], [1, 1, 1, 1]])  # shares 0, 1 and 0.625
    share = apcer(np.array([0.0, 0.5, 1.0, 1.0]), draws)
    assert (share.value, share.people, share.always, share.never) == (0.625, 4, 2, 1)
    assert share.interval == pytest.approx((0.05 * 0.625, 0.625 + 0.95 * 0.375))


def test_apcer_with_none_or_every_attack_accepted_is_a_bound_not_a_point() -> None:
    """Every resample then gives the same share, so Wilson's bound gives the open end."""
    assert apcer(np.zeros(24)).interval == (0.0, wilson_interval(0, 24)[1])
    assert apcer(np.ones(24)).interval == (wilson_interval(24, 24)[0], 1.0)
    with pytest.raises(ValueError, match="chance"):
        apcer(np.array([]))
    with pytest.raises(ValueError, match="chance"):
        apcer(np.array([0.5, np.nan]))


def test_the_printed_photo_tabs_apcer_is_the_one_apcer() -> None:
    """The printed ID photo held up to the comparator, over the reference set's 102 volunteers:
    at 0.4, 100 of them pass, and accepted_share reports apcer's figures as a Rate."""
    distances = load_reference().attack_scores().genuine
    share = apcer(accepted(distances, 0.4).astype(np.float64))
    assert (share.always, share.never, share.people) == (100, 2, 102)
    assert accepted_share(distances, 0.4) == Rate(
        errors=100, trials=102, people_interval=share.interval, people=102, one_per_person=True
    )
    assert share.interval[0] < 100 / 102 <= share.interval[1] == 1.0


def test_with_people_fills_every_rate_and_keeps_the_counts() -> None:
    pairs = load_reference().pair_scores("chip", "studio")
    rates = error_rates(pairs.score_set(), 0.6)
    filled = with_people(rates, LabelledScores.from_matrix(pairs.distances))
    for name in ("fmr", "fnmr", "far", "frr"):
        before, after = getattr(rates, name), getattr(filled, name)
        assert (after.errors, after.trials) == (before.errors, before.trials)
        assert after.people == 102
        low, high = after.people_interval
        assert low <= after.value <= high
    assert filled.frr.value > filled.fnmr.value, "chip photos with no face are rejections"


def test_no_false_match_is_bounded_allowing_for_volunteers_in_many_pairs() -> None:
    pairs = load_reference().pair_scores()
    rates = with_people(
        error_rates(pairs.score_set(), 0.45), LabelledScores.from_matrix(pairs.distances)
    )
    assert rates.fmr.errors == 0
    low, high = rates.fmr.people_interval
    wilson_high = wilson_interval(0, rates.fmr.trials)[1]
    assert low == 0.0 and high > 3 * wilson_high, "recurring people shrink the effective n"
    assert "allowing for volunteers who appear in many pairs" in rates.fmr.describe()
    assert rates.fnmr.leading_interval == rates.fnmr.interval, "one genuine pair per person"


def test_a_class_of_one_student_is_described_without_an_interval_across_students():
    """One student's round resamples to itself: the description says so instead of "a
    different 1 students"; from two students on, it gives the interval."""
    one = pooled_rate(np.array([3]), np.array([8]))
    assert one.describe("strangers", students=True) == (
        "3 of 8 strangers; one student so far, so no interval across students yet"
    )
    two = pooled_rate(np.array([3, 1]), np.array([8, 8])).describe("strangers", students=True)
    assert two.startswith("4 of 16 strangers; 95% interval ")
    assert two.endswith("if the class were a different 2 students")
