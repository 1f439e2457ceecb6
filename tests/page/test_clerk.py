"""Be the clerk: the round's pairs, its scoring, and the page's step through AppTest, with the
real model on the shipped demo photos."""

from __future__ import annotations

import time

import pytest

from support import new_app
from verifydemo.core.compare import DEFAULT_THRESHOLD, compare
from verifydemo.core.faces import face_from_bytes, find_face
from verifydemo.lessons.clerk import ROUND_PAIRS, clerk_round, following, score
from verifydemo.lessons.perturb import chip_photo
from verifydemo.ui import keys
from verifydemo.ui.clerk_rounds import FIRST_ROUND


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


def test_following_counts_agreement_with_right_and_wrong_labels_apart(demo_matrix):
    pairs = clerk_round(4, *demo_matrix)
    truth = [pair.genuine for pair in pairs]
    labels = [not value if index < 3 else value for index, value in enumerate(truth)]
    followed = following(pairs, labels, labels)
    assert (followed.followed_right, followed.right) == (5, 5)
    assert (followed.followed_wrong, followed.wrong) == (3, 3)
    truthful = following(pairs, truth, labels)
    assert (truthful.followed_right, truthful.followed_wrong) == (5, 0)


def test_a_second_round_shows_none_of_the_first_rounds_id_photos(demo_matrix):
    first = clerk_round(7, *demo_matrix)
    second = clerk_round(7, *demo_matrix, exclude=frozenset(p.id_person for p in first))
    assert not {p.id_person for p in first} & {p.id_person for p in second}
    assert len(second) == ROUND_PAIRS


def test_round_two_shows_the_machines_real_label_and_counts_how_often_it_was_followed(
    demo_by_id, embedded_demo_faces
):
    """Round two's label before each pair is the match rule on the chip photo's embedding; a
    student who always follows it follows every right and every wrong label."""
    from verifydemo.ui.clerk_rounds import advised_pairs

    page = new_app()
    _answer_round(page, same_person=True)
    page.button(key=keys.CLERK_ADVISED_START).click().run()
    shown = []
    for _ in range(ROUND_PAIRS):
        (label,) = [box.value for box in page.info if box.value.startswith("The machine says")]
        same = "**same person**" in label
        shown.append(same)
        page.button(key=keys.CLERK_SAME if same else keys.CLERK_DIFFERENT).click().run()
        assert not page.exception
    pairs, _distances = advised_pairs(page.session_state[keys.CLERK_ROUND])
    first = {pair.id_person for pair in clerk_round(FIRST_ROUND, *_matrix_of_page())}
    assert not first & {pair.id_person for pair in pairs}
    expected = []
    for pair in pairs:
        rgb, face = face_from_bytes(demo_by_id[pair.id_person].id_photo.read_bytes())
        chip = find_face(chip_photo(rgb, face.box)).embedding
        live = embedded_demo_faces[pair.live_person][1].embedding
        expected.append(compare(chip, live, DEFAULT_THRESHOLD).is_match)
    assert shown == expected
    wrong = sum(label != pair.genuine for label, pair in zip(shown, pairs, strict=True))
    text = " ".join(element.value for element in page.markdown)
    assert (
        f"you followed it on **{ROUND_PAIRS - wrong} of {ROUND_PAIRS - wrong}** pairs; where it "
        f"was wrong, on **{wrong} of {wrong}**"
    ) in text


def _matrix_of_page():
    from verifydemo.ui.clerk_rounds import demo_distances

    return demo_distances()


@pytest.mark.slow
def test_an_answer_after_the_time_limit_turns_the_customer_away():
    page = new_app()
    page.radio(key=keys.CLERK_TIME_LIMIT).set_value("five").run()
    page.button(key=keys.CLERK_START).click().run()
    time.sleep(5.5)
    page.button(key=keys.CLERK_SAME).click().run()
    for _ in range(ROUND_PAIRS - 1):
        page.button(key=keys.CLERK_SAME).click().run()
    answers = page.session_state[keys.CLERK_ANSWERS]
    assert [answer.late for answer in answers] == [True] + [False] * (ROUND_PAIRS - 1)
    assert not answers[0].lets_through and answers[1].lets_through
    assert any(
        c.value == "1 answer came after the time limit and counted as turning the customer away."
        for c in page.caption
    )
