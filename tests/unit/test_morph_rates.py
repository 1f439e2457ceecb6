"""MMPMR on the shipped morph embeddings, against a count made here with a plain loop."""

from __future__ import annotations

import re

import numpy as np
import pytest

from commands import run_cli
from verifydemo.datasets.morphs import MORPH_PAIRS, MORPH_SEED, MORPHS_FILE, load_morphs
from verifydemo.lessons.morph import MORPH_ALPHA, sample_pairs
from verifydemo.metrics.morphs import MorphScores, morph_rates

THRESHOLDS = (0.6, 0.55, 0.5, 0.45)


@pytest.fixture(scope="module")
def morphs():
    return load_morphs()


def test_shipped_morphs_are_embeddings_and_provenance_only(morphs, reference):
    with np.load(MORPHS_FILE) as data:
        assert set(data.files) == {
            "first_ids",
            "second_ids",
            "embeddings",
            "alpha",
            "seed",
            "provenance",
        }
    assert morphs.embeddings.shape == (MORPH_PAIRS, 128) and MORPH_PAIRS >= 150
    assert morphs.alpha == MORPH_ALPHA == 0.5 and morphs.seed == MORPH_SEED
    expected = sample_pairs(reference.person_ids, reference.groups, MORPH_PAIRS, MORPH_SEED)
    assert list(zip(morphs.first_ids, morphs.second_ids, strict=True)) == expected


def test_mmpmr_and_impostor_fmr_match_an_independent_count(morphs, reference):
    live = reference.embeddings_for("live", "studio").astype(np.float64)
    ids = reference.embeddings_for("id", "studio").astype(np.float64)
    row = {str(p): i for i, p in enumerate(reference.person_ids)}
    scores = morphs.scores(reference)
    for threshold in THRESHOLDS:
        passed_both = impostors_accepted = 0
        for embedding, first, second in zip(
            morphs.embeddings, morphs.first_ids, morphs.second_ids, strict=True
        ):
            a, b = row[str(first)], row[str(second)]
            to_a = np.sqrt(((embedding - live[a]) ** 2).sum())
            to_b = np.sqrt(((embedding - live[b]) ** 2).sum())
            passed_both += bool(to_a <= threshold and to_b <= threshold)
            impostors_accepted += bool(np.sqrt(((ids[a] - live[b]) ** 2).sum()) <= threshold)
            impostors_accepted += bool(np.sqrt(((ids[b] - live[a]) ** 2).sum()) <= threshold)
        rates = morph_rates(scores, threshold)
        assert (rates.mmpmr.errors, rates.mmpmr.trials) == (passed_both, len(morphs.embeddings))
        assert (rates.impostor_fmr.errors, rates.impostor_fmr.trials) == (
            impostors_accepted,
            2 * len(morphs.embeddings),
        )
        for rate in (rates.mmpmr, rates.impostor_fmr):
            low, high = rate.leading_interval
            assert low <= rate.value <= high
            assert rate.leading_interval == rate.people_interval, "one method: people"


def test_morphs_pass_as_both_far_more_often_than_impostors_are_accepted(morphs, reference):
    rates = morph_rates(morphs.scores(reference), 0.6)
    assert rates.mmpmr.value > 0.5
    assert rates.mmpmr.interval[0] > rates.impostor_fmr.leading_interval[1]


def test_mmpmr_falls_as_the_threshold_gets_stricter(morphs, reference):
    scores = morphs.scores(reference)
    counts = [morph_rates(scores, t).mmpmr.errors for t in THRESHOLDS]
    assert counts == sorted(counts, reverse=True) and counts[0] > counts[-1]


def test_a_morph_without_a_face_counts_as_not_passing():
    live = np.eye(3, 128)
    scores = MorphScores.of(
        np.array([live[0] * 0.5 + live[1] * 0.5, np.full(128, np.nan)]),
        np.array([0, 1]),
        np.array([1, 2]),
        live,
        live,
    )
    rates = morph_rates(scores, 0.75)
    assert (rates.mmpmr.errors, rates.mmpmr.trials, rates.no_face) == (1, 2, 1)


def test_people_interval_resamples_the_contributors(morphs, reference):
    """A morph counts in a resample as often as both its people were drawn: an interval over
    people is wider than Wilson's over morphs when people recur in many morphs."""
    rates = morph_rates(morphs.scores(reference), 0.5)
    wilson = rates.mmpmr.interval
    people = rates.mmpmr.people_interval
    assert people[1] - people[0] > wilson[1] - wilson[0]


def test_no_command_makes_morph_images():
    """ETHICS: morphs exist as pictures only on the lab's page; the command line has no morph
    command and build-reference takes no output path."""
    names = re.findall(r"^ {4}([a-z-]+)", run_cli("--help").stdout, flags=re.MULTILINE)
    assert "build-reference" in names and "verify" in names
    assert not [name for name in names if "morph" in name]
    options = re.findall(r"--[a-z-]+", run_cli("build-reference", "--help").stdout)
    assert set(options) == {"--help", "--workers"}
