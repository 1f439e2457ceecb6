"""Lookalikes, group differences, national scale and the lab curve, checked by brute force."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from verifydemo.core.decode import decode_image
from verifydemo.core.faces import find_face
from verifydemo.datasets.london_set import group_label
from verifydemo.lessons.lab import degradation, distance_curve
from verifydemo.lessons.lookalikes import closest_people, count_passing
from verifydemo.lessons.scale import chance_of_at_least_one_match, national_scale
from verifydemo.metrics.groups import group_pairs, group_rates, same_versus_cross_group


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
        assert result.people == len(members)
        if len(members) < 2:
            assert result.same_group_fmr is None, "a group of one has no impostor pair"
            continue
        pairs = list(itertools.permutations(members, 2))
        accepted = sum(distances[i, j] <= threshold for i, j in pairs)
        rate = result.same_group_fmr
        assert (rate.errors, rate.trials) == (accepted, len(pairs))
        assert rate.people == len(members)
        low, high = rate.people_interval
        assert low <= rate.value <= high
    assert sum(result.people for result in by_group.values()) == 102


def test_group_map_cells_add_up_to_the_same_and_cross_group_pairs(reference):
    distances = reference.pair_scores("studio", "studio").distances
    same, cross = same_versus_cross_group(distances, reference.groups, 0.6)
    cells = group_pairs(distances, reference.groups, 0.6)
    assert len(cells) == len(set(reference.groups.tolist())) ** 2
    diagonal = [cell for cell in cells if cell.id_group == cell.live_group]
    off = [cell for cell in cells if cell.id_group != cell.live_group]
    assert sum(cell.fmr.errors for cell in diagonal) == same.errors
    assert sum(cell.fmr.trials for cell in diagonal) == same.trials
    assert sum(cell.fmr.errors for cell in off) == cross.errors
    black_men = next(cell for cell in diagonal if cell.id_group == "male / black")
    assert (black_men.fmr.errors, black_men.fmr.trials) == (36, 56)


def test_group_labels_are_plain_words():
    assert group_label("male / black") == "Black men"
    assert group_label("female / east_asian") == "East Asian women"
    assert group_label("male / east_asian/white") == "East Asian/White men"


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
    estimate = national_scale(46_000_000, 0.01, far=0.0087, frr=0.02)
    assert estimate.impostor_attempts == pytest.approx(460_000)
    assert estimate.genuine_attempts == pytest.approx(45_540_000)
    assert estimate.genuine_rejected_per_year == pytest.approx(910_800)
    assert estimate.impostors_accepted_per_year == pytest.approx(4_002)
    assert estimate.genuine_rejected_per_day == pytest.approx(910_800 / 365)


@pytest.mark.parametrize("bad", [{"impostor_share": 1.5}, {"far": -0.1}, {"frr": 2.0}])
def test_national_scale_refuses_impossible_rates(bad):
    arguments = {"registrations_per_year": 1000, "impostor_share": 0.1, "far": 0.1, "frr": 0.1}
    with pytest.raises(ValueError):
        national_scale(**{**arguments, **bad})


def test_one_to_n_matches_daugmans_figures():
    chances = chance_of_at_least_one_match(0.001, np.array([1, 200, 2000]))
    assert chances[0] == pytest.approx(0.001)
    assert chances[1] == pytest.approx(0.18, abs=0.005)
    assert chances[2] == pytest.approx(0.86, abs=0.005)
    tiny = chance_of_at_least_one_match(1e-12, 1e6)
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
