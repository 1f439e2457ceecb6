"""What a distance means: shares of the reference set's pairs, counted by hand here."""

from __future__ import annotations

import numpy as np
import pytest

from support import new_app
from verifydemo.lessons.scale import chance_of_at_least_one_match, search_with_a_false_match
from verifydemo.metrics.bootstrap import LabelledScores
from verifydemo.metrics.error_rates import ScoreSet, error_rates
from verifydemo.metrics.score_shares import score_shares


@pytest.mark.parametrize("distance", [0.3, 0.45, 0.5512, 0.6, 0.9])
def test_score_shares_equal_a_hand_count_of_the_reference_pairs(reference, distance):
    pairs = reference.pair_scores("studio", "studio")
    matrix = pairs.distances
    genuine = np.diagonal(matrix)
    impostor = matrix[~np.eye(len(matrix), dtype=bool)]
    shares = score_shares(pairs.score_set(), LabelledScores.from_matrix(matrix), distance)
    assert shares.impostors_as_close.errors == int((impostor <= distance).sum())
    assert shares.impostors_as_close.trials == 10_302
    assert shares.genuine_as_far.errors == int((genuine >= distance).sum())
    assert shares.genuine_as_far.trials == 102
    low, high = shares.impostors_as_close.people_interval
    assert low <= shares.impostors_as_close.value <= high and high > 0


def test_a_score_share_is_never_a_made_up_number():
    pairs_scores = np.array([0.5, 0.7])
    with pytest.raises(ValueError):
        score_shares(
            ScoreSet.from_distances(pairs_scores, pairs_scores),
            LabelledScores(np.array([0.5, 0.7]), np.array([0, 1]), np.array([0, 1]), 2),
            float("nan"),
        )


def test_the_one_to_n_formula_overstates_the_reference_sets_own_searches(reference):
    """At 0.6 the formula, assuming independent comparisons, predicts that about 59% of 102
    volunteers find a false match among the other 101 ID photos; 36 of them (35%) do."""
    pairs = reference.pair_scores("studio", "studio")
    fmr = error_rates(pairs.score_set(), 0.6).fmr.value
    check = search_with_a_false_match(pairs.distances, 0.6, fmr)
    off_diagonal = pairs.distances + np.diag(np.full(102, np.inf))
    assert check.found.errors == int((off_diagonal <= 0.6).any(axis=0).sum()) == 36
    assert (check.found.trials, check.gallery) == (102, 101)
    assert check.predicted == pytest.approx(float(chance_of_at_least_one_match(fmr, 101)))
    assert check.predicted == pytest.approx(0.588, abs=0.001)


def test_a_search_counts_only_the_id_photos_it_was_compared_with(reference):
    """The chip scenario lost 2 ID photos: each search covers 99 or 100 others, not 101."""
    pairs = reference.pair_scores("chip", "studio")
    check = search_with_a_false_match(pairs.distances, 0.6, 0.01)
    assert check.gallery == 100 - 1
    assert check.found.trials == 102


@pytest.mark.slow
def test_the_page_says_what_the_checks_distance_means():
    page = new_app()
    (caption,) = [c.value for c in page.caption if c.value.startswith("What does")]
    assert "impostor pairs were at least this close" in caption
    assert "genuine pairs were at least this far apart" in caption
    assert "of 10,302" in caption and "of 102" in caption
    assert "not a probability" in caption
