"""The class's eyes: clerk rounds in the class pool (counts only, one per device per round),
the class rates that resample students, and the lesson the teacher paces."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import numpy as np
import pytest

from browser import IDLE, launch_chromium, require_chromium, students_address
from support import new_app, speaking
from verifydemo.core.compare import DEFAULT_THRESHOLD
from verifydemo.entry.live_server import classroom_server
from verifydemo.lessons.class_pool import ClassPool, ClerkEntry, StudentLimit
from verifydemo.lessons.clerk import (
    ROUND_PAIRS,
    ClassEyes,
    ClerkScore,
    class_eyes,
    clerk_round,
    machine_decisions,
    score,
)
from verifydemo.lessons.pace import STAGES, LessonPace
from verifydemo.lessons.worksheet import WorksheetFigures, worksheet_html
from verifydemo.metrics.bootstrap import pooled_rate
from verifydemo.metrics.error_rates import Rate, equal_error_rate, error_rates
from verifydemo.tools import classroom
from verifydemo.ui import keys
from verifydemo.ui.clerk_rounds import FIRST_ROUND


def _entry(seed: int = 1, accepted: int = 1, rejected: int = 0, **advice) -> ClerkEntry:
    return ClerkEntry(seed, bool(advice), accepted, 4, rejected, 4, **advice)


def test_the_pool_takes_one_round_of_each_kind_per_student_and_round():
    pool = ClassPool()
    pool.add_clerk(_entry(), ROUND_PAIRS, student="a")
    with pytest.raises(StudentLimit):
        pool.add_clerk(_entry(accepted=2), ROUND_PAIRS, student="a")
    advised = _entry(followed_right=5, right=6, followed_wrong=2, wrong=2)
    pool.add_clerk(advised, ROUND_PAIRS, student="a")
    pool.add_clerk(_entry(seed=2), ROUND_PAIRS, student="a")
    pool.add_clerk(_entry(), ROUND_PAIRS, student="b")
    assert len(pool.clerk_entries()) == 4
    assert pool.allowance("a", "clerk-1", False) == 0
    assert pool.allowance("c", "clerk-1", False) == 1
    pool.clear()
    assert pool.clerk_entries() == ()
    assert pool.allowance("a", "clerk-1", False) == 1


@pytest.mark.parametrize(
    "entry",
    [
        ClerkEntry(1, False, 5, 4, 0, 4),  # more strangers let through than there were
        ClerkEntry(1, False, 0, 3, 0, 4),  # 7 pairs, not 8
        ClerkEntry(1, False, 0, 4, -1, 4),
        ClerkEntry(1, True, 0, 4, 0, 4),  # advised, but no labels counted
        ClerkEntry(1, False, 0, 4, 0, 4, 1, 8, 0, 0),  # labels in a round without advice
        ClerkEntry(1, True, 0, 4, 0, 4, 7, 6, 0, 2),  # followed more right labels than shown
        ClerkEntry(-1, False, 0, 4, 0, 4),
    ],
)
def test_the_pool_refuses_counts_no_round_gives(entry):
    with pytest.raises(ValueError):
        ClassPool().add_clerk(entry, ROUND_PAIRS, student="a")


def test_a_pooled_rate_counts_every_trial_and_resamples_students():
    errors, trials = np.array([0, 1, 4, 2]), np.array([4, 4, 4, 4])
    draws = np.array([[1, 1, 1, 1], [4, 0, 0, 0], [0, 0, 4, 0], [0, 2, 0, 2]])
    rate = pooled_rate(errors, trials, draws)
    assert (rate.errors, rate.trials, rate.people) == (7, 16, 4)
    shares = [7 / 16, 0.0, 1.0, 6 / 16]
    assert rate.people_interval == pytest.approx(tuple(np.percentile(shares, [2.5, 97.5])))
    assert pooled_rate(np.array([]), np.array([])).trials == 0
    with pytest.raises(ValueError):
        pooled_rate(np.array([5]), np.array([4]))


def test_the_pace_stays_within_its_stages_and_draws_new_pairs():
    pace = LessonPace()
    assert pace.stage is None
    assert pace.move_to(0) == 0
    assert pace.move_to(99) == len(STAGES) - 1
    assert pace.move_to(-3) == 0
    assert pace.move_to(None) is None
    first = pace.clerk_round
    assert pace.new_clerk_round() == first + 1


@pytest.fixture
def room():
    from verifydemo.lessons.class_pool import POOL
    from verifydemo.lessons.pace import PACE

    classroom.set_current(classroom.Classroom("https://127.0.0.1:8501", "ABCDEF"))
    POOL.clear()
    try:
        yield POOL, PACE
    finally:
        classroom.set_current(None)
        POOL.clear()
        PACE.move_to(None)


def test_a_students_added_round_is_their_own_answers_counted_on_the_server(
    room,
    demo_matrix,
):
    pool, pace = room
    page = new_app()
    page.button(key=keys.CLERK_START).click().run()
    said = []
    for index in range(ROUND_PAIRS):
        same = index % 3 == 0
        said.append(same)
        page.button(key=keys.CLERK_SAME if same else keys.CLERK_DIFFERENT).click().run()
    page.button(key=keys.CLERK_ADD).click().run()
    assert not page.exception
    (entry,) = pool.clerk_entries()
    expected = score(clerk_round(pace.clerk_round, *demo_matrix), said)
    assert (entry.round_seed, entry.advised) == (pace.clerk_round, False)
    assert (entry.strangers_accepted, entry.strangers) == (expected.strangers_accepted, 4)
    assert (entry.genuine_rejected, entry.genuine) == (expected.genuine_rejected, 4)
    assert not [button for button in page.button if button.key == keys.CLERK_ADD]
    assert any("are in the class results" in caption.value for caption in page.caption)


def test_the_board_shows_the_class_rates_by_hand_count(room):
    pool, pace = room
    for student, (accepted, rejected) in enumerate([(0, 1), (3, 0), (2, 2)]):
        pool.add_clerk(
            _entry(pace.clerk_round, accepted, rejected), ROUND_PAIRS, student=str(student)
        )
    page = new_app()
    page.session_state[keys.CLERK_ON] = True
    page.run()
    text = " ".join(markdown.value for markdown in page.markdown)
    assert "The class let through 5 of 12 strangers" in text
    assert "It turned away 3 of 12 genuine customers" in text


def _spread_charts(page) -> list[tuple[dict, dict[str, list[dict]]]]:
    """The page's charts of the class's spread: each one's spec and its named datasets as
    rows (Streamlit sends them as Arrow tables)."""
    import pyarrow as pa

    charts = []
    for chart in page.get("vega_lite_chart"):
        datasets = {
            dataset.name: pa.ipc.open_stream(dataset.data.data).read_all().to_pylist()
            for dataset in chart.proto.datasets
        }
        if "students" in datasets:
            charts.append((json.loads(chart.proto.spec), datasets))
    return charts


def test_the_boards_spread_chart_holds_each_students_errors_as_the_pool_does(room, demo_matrix):
    """One dot per student and kind of error, with the errors and pairs the pool holds, dots of
    equal errors stacked, the machine's errors on the same pairs, and n in the title."""
    pool, pace = room
    counts = [(0, 1), (3, 0), (2, 2), (0, 1)]
    for student, (accepted, rejected) in enumerate(counts):
        pool.add_clerk(
            _entry(pace.clerk_round, accepted, rejected), ROUND_PAIRS, student=str(student)
        )
    advised = _entry(pace.clerk_round, 1, 0, followed_right=6, right=6, followed_wrong=1, wrong=2)
    pool.add_clerk(advised, ROUND_PAIRS, student="0")
    page = new_app()
    page.session_state[keys.CLERK_ON] = True
    page.run()
    assert not page.exception
    ((spec, datasets),) = _spread_charts(page)
    first = [entry for entry in pool.clerk_entries() if not entry.advised]
    held = sorted(
        [("strangers let through", e.strangers_accepted, e.strangers) for e in first]
        + [("genuine customers turned away", e.genuine_rejected, e.genuine) for e in first]
    )
    drawn = datasets["students"]
    assert sorted((row["kind"], row["errors"], row["trials"]) for row in drawn) == held
    stacks = {}
    for row in drawn:
        stacks.setdefault((row["kind"], row["errors"]), []).append(row["stack"])
    assert all(sorted(stack) == list(range(len(stack))) for stack in stacks.values())
    pairs = clerk_round(pace.clerk_round, *demo_matrix)
    people = demo_matrix[0]
    distances = [
        demo_matrix[2][people.index(p.id_person), people.index(p.live_person)] for p in pairs
    ]
    machine = score(pairs, machine_decisions(distances, DEFAULT_THRESHOLD))
    assert {(row["kind"], row["errors"]) for row in datasets["machine"]} == {
        ("strangers let through", machine.strangers_accepted),
        ("genuine customers turned away", machine.genuine_rejected),
    }
    assert spec["title"]["text"][0] == "4 students, one dot each"


def test_a_teachers_new_pairs_start_every_students_round_afresh(room):
    _pool, pace = room
    page = new_app()
    page.button(key=keys.CLERK_START).click().run()
    page.button(key=keys.CLERK_SAME).click().run()
    assert len(page.session_state[keys.CLERK_ANSWERS]) == 1
    page.button(key=keys.PACE_NEW_PAIRS).click().run()
    assert page.session_state[keys.CLERK_ROUND] == pace.clerk_round
    assert page.session_state[keys.CLERK_ANSWERS] == []
    assert not [button for button in page.button if button.key == keys.CLERK_NEW]


def _stage_results(page) -> list[str]:
    """The text of the projector's panel of the class's results for the stage (none: no panel)."""
    from verifydemo.ui.pace import STAGE_RESULTS

    def blocks(node):
        for child in getattr(node, "children", {}).values():
            yield child
            yield from blocks(child)

    panels = [
        block
        for block in blocks(page.main)
        if str(getattr(getattr(block, "proto", None), "id", "")).endswith(f"-{STAGE_RESULTS}")
    ]
    assert len(panels) <= 1
    return [markdown.value for panel in panels for markdown in panel.markdown]


def test_the_projector_shows_the_class_results_for_the_stage_the_teacher_paced(room, demo_matrix):
    """On the teacher's projector, each stage's panel quotes the class's numbers with their
    counts: the clerk round beside the machine, the checks added, the liveness attempts; none
    at the threshold, where the class tab is on screen."""
    pool, pace = room
    page = new_app({"view": "present"})
    assert _stage_results(page) == [], "no paced lesson yet"
    pace.move_to(STAGES.index(next(s for s in STAGES if s.name == "clerk")))
    page.run()
    assert _stage_results(page) == [
        f"**The class's eyes, round {pace.clerk_round}**: no counts added yet."
    ]
    for student, (accepted, rejected) in enumerate([(0, 1), (3, 0), (2, 2)]):
        pool.add_clerk(
            _entry(pace.clerk_round, accepted, rejected), ROUND_PAIRS, student=str(student)
        )
    advised = _entry(pace.clerk_round, 1, 0, followed_right=6, right=6, followed_wrong=1, wrong=2)
    pool.add_clerk(advised, ROUND_PAIRS, student="0")
    machine = _machine_at(pace.clerk_round, DEFAULT_THRESHOLD, demo_matrix)
    clerk_lines = [
        f"**The class's eyes, round {pace.clerk_round}** (3 students): let through 5 of 12 "
        "strangers, turned away 3 of 12 genuine customers.",
        f"**The machine** at {DEFAULT_THRESHOLD:.2f}, on the same pairs: let through "
        f"{machine.strangers_accepted} of 4 strangers, turned away {machine.genuine_rejected} "
        "of 4 genuine customers.",
    ]
    page.run()
    assert _stage_results(page) == clerk_lines
    pace.move_to(1)
    page.run()
    assert _stage_results(page) == [
        *clerk_lines,
        "With the machine's advice (1 student), the class followed a wrong label 1 of 2 times.",
    ]
    pace.move_to([stage.name for stage in STAGES].index("own_face"))
    pool.add("genuine", 0.31, student="a")
    pool.add("impostor", 0.52, student="b")
    pool.add("impostor", 0.81, student="c")
    page.run()
    own_face = _stage_results(page)
    assert own_face[0] == (
        "**Results in the class pool: 3** (1 own-photo check, 2 neighbour's-photo checks)."
    )
    assert own_face[1].startswith("1 of 2 neighbour's-photo checks accepted")
    assert own_face[2].startswith("0 of 1 own-photo checks rejected")
    pace.move_to([stage.name for stage in STAGES].index("threshold"))
    page.run()
    assert _stage_results(page) == own_face, "the projector may be on another step than the tab"
    pace.move_to([stage.name for stage in STAGES].index("liveness"))
    page.run()
    assert _stage_results(page) == ["**Liveness, live students**: no attempt added yet."]
    pool.add_liveness(("blink",), (False,), student="a")
    page.run()
    assert _stage_results(page) == [
        "**Liveness, live students**: 1 of 1 attempts rejected (BPCER)."
    ]
    page.session_state[keys.PRESENT_VIEW] = False
    page.run()
    assert _stage_results(page) == [], "only the projector shows it"


@pytest.mark.browser
@pytest.mark.slow
def test_a_students_phone_follows_the_teachers_stage_without_a_click():
    """Two browsers in classroom mode: the teacher (on the room's computer) starts the paced
    lesson and moves it on; the student's page, joined from another address, follows within
    10 s each time without a click, showing only the stage's steps, and can look back."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with (
        classroom_server() as room,
        students_address(room.url) as door,
        sync_playwright() as playwright,
    ):
        browser = launch_chromium(playwright)
        teacher = browser.new_context(ignore_https_errors=True).new_page()
        student = browser.new_context(
            viewport={"width": 390, "height": 844}, is_mobile=True, ignore_https_errors=True
        ).new_page()
        teacher.goto(room.url)
        teacher.wait_for_selector(IDLE, timeout=120_000)
        student.goto(door)
        student.wait_for_selector(IDLE, timeout=120_000)
        student.locator(".st-key-step_clerk").wait_for(timeout=60_000)
        assert student.get_by_role("button", name="Start the paced lesson").count() == 0

        teacher.get_by_role("button", name="Start the paced lesson").click()
        student.get_by_text(f"Stage 1 of {len(STAGES)}: Be the clerk").wait_for(timeout=10_000)
        assert student.locator(".st-key-step_clerk").is_visible()
        assert not student.locator(".st-key-step_id").is_visible()
        student.wait_for_selector(IDLE, timeout=60_000)
        student.locator(".st-key-step_clerk .st-key-clerk_start button").first.click()
        labels = student.locator(".st-key-step_clerk [data-testid=stImageCaption]")
        labels.first.wait_for(state="visible", timeout=10_000)
        assert [label for label in labels.all_inner_texts() if label] == [
            "ID photo",
            "Live photo",
        ], "the phone keeps the clerk pair's photo labels"
        assert labels.nth(1).is_visible()

        teacher.get_by_text(f"Stage 1 of {len(STAGES)}").wait_for(timeout=10_000)
        teacher.get_by_role("button", name="Next stage").click()
        teacher.get_by_text(f"Stage 2 of {len(STAGES)}").wait_for(timeout=10_000)
        teacher.get_by_role("button", name="Next stage").click()
        student.get_by_text(f"Stage 3 of {len(STAGES)}: Your own face").wait_for(timeout=10_000)
        student.locator(".st-key-step_check").wait_for(state="visible", timeout=10_000)
        assert not student.locator(".st-key-step_clerk").is_visible()

        student.get_by_test_id("stSelectbox").filter(has_text="Look back at a stage").click()
        student.get_by_role("option", name="Be the clerk").click()
        student.locator(".st-key-step_clerk").wait_for(state="visible", timeout=10_000)
        assert not student.locator(".st-key-step_check").is_visible()
        browser.close()


def _eyes() -> ClassEyes:
    machine = ClerkScore(2, 4, 0, 4)
    entries = [
        _entry(1, 1, 0),
        _entry(1, 3, 1),
        _entry(1, 2, 0, followed_right=6, right=6, followed_wrong=1, wrong=2),
    ]
    eyes = class_eyes(entries, machine)
    assert eyes is not None
    return eyes


def test_the_worksheet_asks_about_the_clerk_round_with_the_class_numbers(reference):
    scores = reference.pair_scores("chip", "studio").score_set()
    figures = WorksheetFigures(
        0.6, "chip", "studio", error_rates(scores, 0.6), equal_error_rate(scores), clerk=_eyes()
    )
    page = worksheet_html(figures)
    assert "your class let through 4 of 8 strangers and turned away 1 of 8 genuine" in page
    assert "(2 students); the machine at 0.60, on the same pairs, 2 of 4 and 0 of 4" in page
    assert "followed a wrong label 1 of 2 times" in page
    alone = worksheet_html(replace(figures, clerk=None))
    assert "how many strangers did you let through" in alone


def _class_tab_worksheet() -> None:
    """A page that writes out, as text, the worksheet the class tab offers for its numbers."""
    import streamlit as st

    from verifydemo.lessons.class_pool import GENUINE, IMPOSTOR, POOL, class_rates, distances_of
    from verifydemo.lessons.worksheet import worksheet_html
    from verifydemo.ui.class_experiment import worksheet_figures
    from verifydemo.ui.resources import scenario_scores

    entries = POOL.entries()
    rates = class_rates(distances_of(entries, GENUINE), distances_of(entries, IMPOSTOR), 0.6)
    figures = worksheet_figures(scenario_scores("studio", "studio"), 0.6, None, rates)
    st.text(worksheet_html(figures))


def _worksheet_page(round_seed: int | None = None):
    from streamlit.testing.v1 import AppTest

    page = AppTest.from_function(_class_tab_worksheet, default_timeout=120)
    if round_seed is not None:
        page.session_state[keys.CLERK_ROUND] = round_seed
    page.run()
    assert not page.exception, page.exception
    return page.text[0].value


def _machine_at(seed: int, threshold: float, demo_matrix) -> ClerkScore:
    """The machine's score on round ``seed``'s pairs at ``threshold``, by hand."""
    people, _groups, matrix = demo_matrix
    pairs = clerk_round(seed, *demo_matrix)
    distances = [matrix[people.index(p.id_person), people.index(p.live_person)] for p in pairs]
    return score(pairs, machine_decisions(distances, threshold))


def _clerk_question(eyes: ClassEyes, students: str) -> str:
    return (
        f"your class let through {eyes.fmr.errors} of {eyes.fmr.trials} strangers and turned "
        f"away {eyes.fnmr.errors} of {eyes.fnmr.trials} genuine customers ({students}); the "
        f"machine at 0.60, on the same pairs, {eyes.machine.strangers_accepted} of 4 and "
        f"{eyes.machine.genuine_rejected} of 4"
    )


def test_the_class_tabs_worksheet_quotes_the_class_eyes_on_the_teachers_round(room, demo_matrix):
    pool, pace = room
    pace.new_clerk_round()
    for student, (accepted, rejected) in enumerate([(1, 0), (3, 1), (2, 2)]):
        pool.add_clerk(
            _entry(pace.clerk_round, accepted, rejected), ROUND_PAIRS, student=str(student)
        )
    pool.add_clerk(_entry(pace.clerk_round - 1, 4, 4), ROUND_PAIRS, student="0")
    advised = _entry(pace.clerk_round, 1, 0, followed_right=5, right=6, followed_wrong=2, wrong=2)
    pool.add_clerk(advised, ROUND_PAIRS, student="0")
    eyes = class_eyes(
        [entry for entry in pool.clerk_entries() if entry.round_seed == pace.clerk_round],
        _machine_at(pace.clerk_round, 0.6, demo_matrix),
    )
    assert (eyes.fmr.errors, eyes.fnmr.errors, len(eyes.right)) == (6, 3, 3)
    worksheet = _worksheet_page(round_seed=FIRST_ROUND)  # the teacher's round, not the session's
    assert _clerk_question(eyes, "3 students") in worksheet
    assert "followed a wrong label 2 of 2 times" in worksheet


def test_the_worksheet_at_a_desk_quotes_the_class_eyes_on_the_visitors_own_round(demo_matrix):
    from verifydemo.lessons.class_pool import POOL

    POOL.clear()
    try:
        POOL.add_clerk(_entry(3, 2, 1), ROUND_PAIRS, student="this computer")
        assert "how many strangers did you let through" in _worksheet_page(round_seed=2)
        eyes = class_eyes(list(POOL.clerk_entries()), _machine_at(3, 0.6, demo_matrix))
        assert _clerk_question(eyes, "1 student") in _worksheet_page(round_seed=3)
    finally:
        POOL.clear()


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_fullest_worksheet_prints_on_one_a4_page(reference, language):
    """Every question the worksheet can ask (a check, the class's checks and clerk rounds with
    advice), printed by Chromium: one sheet of A4."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    scores = reference.pair_scores("chip", "studio").score_set()
    with speaking(language):
        page_html = worksheet_html(
            WorksheetFigures(
                0.6,
                "chip",
                "studio",
                error_rates(scores, 0.6),
                equal_error_rate(scores),
                pair_distance=0.4123,
                class_fmr=Rate(2, 14),
                class_fnmr=Rate(1, 15),
                clerk=_eyes(),
            )
        )
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page()
        page.set_content(page_html)
        pdf = page.pdf(prefer_css_page_size=True)
        browser.close()
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
