"""Lookalikes, group differences, national scale and the lab curve, checked by brute force."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from verifydemo.decode import decode_image
from verifydemo.demographics import group_rates, same_versus_cross_group
from verifydemo.faces import find_face
from verifydemo.lab import degradation, distance_curve
from verifydemo.lookalikes import closest_people, count_passing
from verifydemo.scale import chance_of_false_match_in_search, national_scale


def test_lookalike_ranking_agrees_with_brute_force(reference, embedded_demo_faces):
    id_face, _ = embedded_demo_faces["042"]
    live = reference.embeddings_for("live", "studio")
    brute = sorted(
        (math.dist(id_face.embedding, live[row]), str(person_id))
        for row, person_id in enumerate(reference.person_ids)
        if person_id != "042"
    )
    ranked = closest_people(id_face.embedding, live, reference.person_ids, exclude="042", count=10)
    assert [person.person_id for person in ranked] == [person_id for _, person_id in brute[:10]]
    assert [person.distance for person in ranked] == pytest.approx([d for d, _ in brute[:10]])
    passing, strangers = count_passing(id_face.embedding, live, reference.person_ids, 0.6, "042")
    assert strangers == 101
    assert passing == sum(distance <= 0.6 for distance, _ in brute)


def test_a_visitor_is_compared_with_all_102(reference, embedded_demo_faces):
    id_face, _ = embedded_demo_faces["001"]
    _, strangers = count_passing(
        id_face.embedding, reference.embeddings_for("live", "studio"), reference.person_ids, 0.6
    )
    assert strangers == 102


def test_group_rates_agree_with_brute_force(reference):
    distances = reference.pair_scores("studio", "studio").distances
    groups = reference.groups
    threshold = 0.6
    by_group = {result.group: result for result in group_rates(distances, groups, threshold)}
    for group, result in by_group.items():
        members = [i for i, g in enumerate(groups) if g == group]
        pairs = [(i, j) for i, j in itertools.permutations(members, 2)]
        accepted = sum(distances[i, j] <= threshold for i, j in pairs)
        assert (result.same_group_fmr.errors, result.same_group_fmr.trials) == (
            accepted,
            len(pairs),
        )
        assert result.people == len(members)
    assert sum(result.people for result in by_group.values()) == 102


def test_same_and_cross_group_pairs_partition_the_impostors(reference):
    distances = reference.pair_scores("studio", "studio").distances
    same, cross = same_versus_cross_group(distances, reference.groups, 0.6)
    assert same.trials + cross.trials == 102 * 101
    total = int((distances[~np.eye(102, dtype=bool)] <= 0.6).sum())
    assert same.errors + cross.errors == total


def test_group_failures_to_acquire_follow_the_scenario(reference):
    distances = reference.pair_scores("studio", "dim").distances
    missing = reference.failures_to_acquire("live", "dim")
    results = group_rates(distances, reference.groups, 0.6)
    assert sum(result.failures_to_acquire for result in results) == len(missing)


def test_national_scale_arithmetic():
    estimate = national_scale(46_000_000, 0.01, fmr=0.0087, fnmr=0.02)
    assert estimate.impostor_attempts == pytest.approx(460_000)
    assert estimate.genuine_attempts == pytest.approx(45_540_000)
    assert estimate.genuine_rejected_per_year == pytest.approx(910_800)
    assert estimate.impostors_accepted_per_year == pytest.approx(4_002)
    assert estimate.genuine_rejected_per_day == pytest.approx(910_800 / 365)


@pytest.mark.parametrize("bad", [{"impostor_share": 1.5}, {"fmr": -0.1}, {"fnmr": 2.0}])
def test_national_scale_refuses_impossible_rates(bad):
    arguments = {"registrations_per_year": 1000, "impostor_share": 0.1, "fmr": 0.1, "fnmr": 0.1}
    with pytest.raises(ValueError):
        national_scale(**{**arguments, **bad})


def test_one_to_n_matches_daugmans_figures():
    chances = chance_of_false_match_in_search(0.001, np.array([1, 200, 2000]))
    assert chances[0] == pytest.approx(0.001)
    assert chances[1] == pytest.approx(0.18, abs=0.005)
    assert chances[2] == pytest.approx(0.86, abs=0.005)
    tiny = chance_of_false_match_in_search(1e-12, 1e6)
    assert tiny == pytest.approx(1e-6, rel=1e-6)


def test_lab_curve_reports_failures_to_acquire(demo_by_id, embedded_demo_faces):
    photo = decode_image(demo_by_id["004"].live_photo.read_bytes())
    box = find_face(photo).box
    id_embedding = embedded_demo_faces["004"][0].embedding
    curve = distance_curve(photo, box, degradation("Head tilt"), id_embedding, [0, 20, 90])
    assert curve[0][1] == pytest.approx(
        math.dist(id_embedding, embedded_demo_faces["004"][1].embedding), abs=1e-6
    )
    assert curve[1][1] is not None and curve[1][1] > curve[0][1]
    assert curve[2][1] is None
