"""Be the clerk: the round's pairs, its scoring, and the page's step through AppTest, with the
real model on the shipped demo photos."""

from __future__ import annotations

import math

import numpy as np
import pytest

from support import new_app
from verifydemo.core.compare import DEFAULT_THRESHOLD, compare
from verifydemo.lessons.clerk import ROUND_PAIRS, clerk_round, score
from verifydemo.ui import keys


@pytest.fixture(scope="module")
def demo_matrix(demo_faces, embedded_demo_faces):
    """Ids, groups and the machine's ID-to-live distances of the demo volunteers."""
    people = [face.person.person_id for face in demo_faces]
    matrix = np.array(
        [
            [
                math.dist(embedded_demo_faces[a][0].embedding, embedded_demo_faces[b][1].embedding)
                for b in people
            ]
            for a in people
        ]
    )
    return people, [face.person.group for face in demo_faces], matrix


def test_a_seed_gives_the_same_pairs_twice_and_a_new_seed_new_pairs(demo_matrix):
    first = clerk_round(1, *demo_matrix)
    assert clerk_round(1, *demo_matrix) == first
    assert clerk_round(2, *demo_matrix) != first


@pytest.mark.parametrize("seed", range(1, 6))
def test_a_round_is_half_genuine_with_lookalikes_from_the_same_group(demo_matrix, seed):
    people, groups, matrix = demo_matrix
    pairs = clerk_round(seed, people, groups, matrix)
    group_of = dict(zip(people, groups, strict=True))
    assert len(pairs) == ROUND_PAIRS
    assert sum(pair.genuine for pair in pairs) == ROUND_PAIRS // 2
    assert len({pair.id_person for pair in pairs}) == ROUND_PAIRS
    lookalikes = [pair for pair in pairs if pair.kind == "lookalike"]
    assert len(lookalikes) == 2
    for pair in lookalikes:
        i = people.index(pair.id_person)
        same_group = [j for j in range(len(people)) if groups[j] == groups[i] and j != i]
        nearest = min(same_group, key=lambda j: matrix[i, j])
        assert pair.live_person == people[nearest]
        assert group_of[pair.live_person] == group_of[pair.id_person]
    assert all(not pair.genuine for pair in pairs if pair.kind != "genuine")


def test_saying_same_to_every_pair_lets_every_stranger_through(demo_matrix):
    pairs = clerk_round(3, *demo_matrix)
    said = score(pairs, [True] * len(pairs))
    assert (said.strangers_accepted, said.strangers) == (4, 4)
    assert (said.genuine_rejected, said.genuine) == (0, 4)
    assert said.fmr.value == 1 and said.fnmr.value == 0
    truthful = score(pairs, [pair.genuine for pair in pairs])
    assert truthful.strangers_accepted == truthful.genuine_rejected == 0


def _answer_round(page, same_person: bool) -> None:
    page.button(key=keys.CLERK_START).click().run()
    for _ in range(ROUND_PAIRS):
        page.button(key=keys.CLERK_SAME if same_person else keys.CLERK_DIFFERENT).click().run()
        assert not page.exception


def test_a_round_answered_all_same_shows_fnmr_zero_and_every_stranger_let_through(
    demo_matrix, embedded_demo_faces
):
    page = new_app()
    _answer_round(page, same_person=True)
    text = " ".join(element.value for element in page.markdown)
    assert "**You** let through **4 of 4** strangers (FMR) and turned away **0 of 4**" in text

    pairs = clerk_round(page.session_state[keys.CLERK_ROUND], *demo_matrix)
    machine = [
        compare(
            embedded_demo_faces[pair.id_person][0].embedding,
            embedded_demo_faces[pair.live_person][1].embedding,
            DEFAULT_THRESHOLD,
        ).is_match
        for pair in pairs
    ]
    expected = score(pairs, machine)
    assert (
        f"let through **{expected.strangers_accepted} of 4** strangers and turned away "
        f"**{expected.genuine_rejected} of 4** genuine customers"
    ) in text
    disagreements = sum(not decided for decided in machine)
    captions = [c.value for c in page.caption if c.value.startswith("You said same person")]
    assert len(captions) == disagreements


def test_new_pairs_draw_another_round_and_start_it_empty():
    page = new_app()
    _answer_round(page, same_person=False)
    first = page.session_state[keys.CLERK_ROUND]
    page.button(key=keys.CLERK_NEW).click().run()
    assert page.session_state[keys.CLERK_ROUND] == first + 1
    assert page.session_state[keys.CLERK_ANSWERS] == []
    assert any(s.value.startswith("Pair 1 of 8") for s in page.subheader)
