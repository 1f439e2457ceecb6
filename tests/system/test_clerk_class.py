"""The class's eyes: clerk rounds in the class pool (counts only, one per device per round),
the class rates that resample students, and the lesson the teacher paces."""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pytest

from browser import IDLE, launch_chromium, require_chromium, students_address
from support import new_app, speaking
from verifydemo.entry.live_server import classroom_server
from verifydemo.lessons.class_pool import ClassPool, ClerkEntry, StudentLimit
from verifydemo.lessons.clerk import (
    ROUND_PAIRS,
    ClassEyes,
    ClerkScore,
    class_eyes,
    clerk_round,
    score,
)
from verifydemo.lessons.pace import STAGES, LessonPace
from verifydemo.lessons.worksheet import WorksheetFigures, worksheet_html
from verifydemo.metrics.bootstrap import pooled_rate
from verifydemo.metrics.error_rates import Rate, equal_error_rate, error_rates
from verifydemo.tools import classroom
from verifydemo.ui import keys


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
    assert "3 students: 4 to 7 of 8 pairs right (median 5)." in text


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
