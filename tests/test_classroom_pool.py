"""The class pool: numbers only, from the server's own check, shared by every session, cleared
only with the teacher code."""

from __future__ import annotations

import dataclasses
import math
import threading

import numpy as np
import pytest

from support import new_app
from verifydemo.lessons.class_pool import (
    GENUINE,
    IMPOSTOR,
    MAX_ENTRIES_PER_SESSION,
    POOL,
    ClassPool,
    PoolEntry,
    beat_count,
    best_separation,
)
from verifydemo.tools import classroom
from verifydemo.ui import keys

CLASS_TAB = {"tab": "class"}
"""Opens the page on the class experiment tab, as a lesson-plan link does."""


@pytest.fixture
def empty_pool():
    POOL.clear()
    yield POOL
    POOL.clear()


def test_pool_holds_only_a_kind_a_distance_and_a_flag():
    pool = ClassPool()
    pool.add(GENUINE, 0.31)
    pool.add(IMPOSTOR, np.float64(0.74), beat_round=True)
    assert [field.name for field in dataclasses.fields(PoolEntry)] == [
        "kind",
        "distance",
        "beat_round",
    ]
    for entry in pool.entries():
        assert entry.kind in (GENUINE, IMPOSTOR)
        assert type(entry.distance) is float
        assert type(entry.beat_round) is bool
    assert set(vars(pool)) == {"_lock", "_entries"}
    assert all(type(entry) is PoolEntry for entry in pool._entries)


@pytest.mark.parametrize(
    ("kind", "value"),
    [("me", 0.3), (GENUINE, math.nan), (GENUINE, math.inf), (GENUINE, -0.1), (IMPOSTOR, 2.5)],
)
def test_pool_refuses_what_no_check_produces(kind, value):
    pool = ClassPool()
    with pytest.raises(ValueError):
        pool.add(kind, value)
    assert pool.entries() == ()


def test_pool_is_safe_across_threads():
    pool = ClassPool()

    def add_many():
        for index in range(400):
            pool.add(GENUINE if index % 2 else IMPOSTOR, index / 400)

    threads = [threading.Thread(target=add_many) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(pool.entries()) == 3200


def test_best_separation_finds_the_gap_or_the_fewest_mistakes():
    separated = best_separation(np.array([0.3, 0.4]), np.array([0.7, 0.8]))
    assert (separated.low, separated.high, separated.mistakes) == (0.4, 0.7, 0)
    overlapping = best_separation(np.array([0.3, 0.65]), np.array([0.5, 0.8]))
    assert overlapping.mistakes == 1
    assert best_separation(np.array([0.3]), np.array([])) is None


def test_beat_the_check_counts_successes_at_the_threshold():
    pool = ClassPool()
    pool.add(GENUINE, 0.7, beat_round=True)  # own check made to fail at 0.6
    pool.add(GENUINE, 0.4, beat_round=True)
    pool.add(IMPOSTOR, 0.55, beat_round=True)  # passed as the neighbour at 0.6
    pool.add(IMPOSTOR, 0.55)  # not a "Beat the check" try
    count = beat_count(pool.entries(), 0.6)
    assert (count.own_failed, count.own_tries) == (1, 2)
    assert (count.neighbour_passed, count.neighbour_tries) == (1, 1)
    assert beat_count(pool.entries(), 0.5).neighbour_passed == 0


def shown_distance(page) -> float:
    """The distance in the decision the page shows for its check."""
    (text,) = [e.value for e in [*page.success, *page.warning] if "phone number" in e.value]
    return float(text.split("distance ")[1].split(",")[0])


def pool_line(page) -> str:
    return next(m.value for m in page.markdown if "Results in the class pool" in m.value)


@pytest.mark.slow
def test_two_sessions_add_and_a_third_sees_both(empty_pool):
    own = new_app(CLASS_TAB)
    own.radio(key=keys.POOL_KIND).set_value(GENUINE).run()
    own.button(key=keys.POOL_ADD).click().run()
    neighbour = new_app(CLASS_TAB)
    neighbour.radio(key=keys.LIVE_SOURCE).set_value("other_person").run()
    neighbour.radio(key=keys.POOL_KIND).set_value(IMPOSTOR).run()
    neighbour.button(key=keys.POOL_ADD).click().run()
    kinds = {entry.kind: entry.distance for entry in POOL.entries()}
    assert kinds[GENUINE] == pytest.approx(shown_distance(own), abs=5e-4)
    assert kinds[IMPOSTOR] == pytest.approx(shown_distance(neighbour), abs=5e-4)
    watcher = new_app(CLASS_TAB)
    assert "Results in the class pool: 2** (1 own-photo checks, 1 neighbour's-photo" in (
        pool_line(watcher)
    )
    assert any("would have separated this class" in m.value for m in watcher.markdown)


@pytest.mark.slow
def test_a_session_adds_only_a_few_results(empty_pool):
    page = new_app(CLASS_TAB)
    for _ in range(MAX_ENTRIES_PER_SESSION):
        page.button(key=keys.POOL_ADD).click().run()
    assert len(POOL.entries()) == MAX_ENTRIES_PER_SESSION
    assert page.button(key=keys.POOL_ADD).disabled
    assert any("0 more results" in caption.value for caption in page.caption)


@pytest.mark.slow
def test_teacher_code_clears_the_pool_and_a_wrong_code_does_not(empty_pool):
    POOL.add(GENUINE, 0.3)
    POOL.add(IMPOSTOR, 0.8)
    assert not [b for b in new_app(CLASS_TAB).button if b.key == keys.POOL_CLEAR], (
        "no room, no control"
    )
    classroom.set_current(classroom.Classroom("https://127.0.0.1:8501", "ABCDEF"))
    try:
        page = new_app(CLASS_TAB)
        page.text_input(key=keys.TEACHER_CODE).set_value("ABCDEG").run()
        page.button(key=keys.POOL_CLEAR).click().run()
        assert any("Wrong teacher code" in error.value for error in page.error)
        assert len(POOL.entries()) == 2
        page.text_input(key=keys.TEACHER_CODE).set_value("abcdef").run()
        page.button(key=keys.POOL_CLEAR).click().run()
        assert POOL.entries() == ()
        assert any("cleared" in success.value for success in page.success)
    finally:
        classroom.set_current(None)


@pytest.mark.browser
@pytest.mark.slow
def test_browsers_share_the_pool_and_only_the_teacher_code_clears_it():
    """Three real sessions on the classroom launcher: two add, the third sees both; a wrong
    code clears nothing, the printed code clears the pool for everyone."""
    from playwright.sync_api import sync_playwright

    from browser import IDLE, choose_live_source, launch_chromium, require_chromium

    require_chromium()

    def open_class_tab(browser, url):
        page = browser.new_context(
            viewport={"width": 1400, "height": 2400}, ignore_https_errors=True
        ).new_page()
        page.goto(url)
        page.wait_for_selector(IDLE, timeout=120_000)
        return page

    def show_tab(page):
        page.get_by_role("tab", name="Class experiment").click()

    def add(page, kind_label):
        show_tab(page)
        page.get_by_text(kind_label, exact=True).click()
        page.wait_for_selector(IDLE, timeout=60_000)
        page.get_by_role("button", name="Add my result to the class").click()
        page.get_by_text("Added: distance").wait_for(timeout=60_000)

    with classroom.classroom_server() as room, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        own = open_class_tab(browser, room.url)
        add(own, "me against my own ID photo")
        neighbour = open_class_tab(browser, room.url)
        choose_live_source(neighbour, "Demo: a different person")
        add(neighbour, "me against my neighbour's ID photo")
        teacher = open_class_tab(browser, room.url)
        show_tab(teacher)
        teacher.get_by_text("Results in the class pool: 2").wait_for(timeout=30_000)
        teacher.get_by_text("1 own-photo checks, 1 neighbour's-photo checks").wait_for()

        teacher.get_by_text("For the teacher").click()
        code = teacher.get_by_label("Teacher code")
        code.fill("WRONG1")
        code.press("Enter")
        teacher.wait_for_selector(IDLE, timeout=30_000)
        teacher.get_by_role("button", name="Clear the class results").click()
        teacher.get_by_text("Wrong teacher code: nothing was cleared.").wait_for(timeout=30_000)
        teacher.get_by_text("Results in the class pool: 2").wait_for(timeout=30_000)

        code.fill(room.teacher_code)
        code.press("Enter")
        teacher.wait_for_selector(IDLE, timeout=30_000)
        teacher.get_by_role("button", name="Clear the class results").click()
        teacher.get_by_text("The class pool is cleared.").wait_for(timeout=30_000)
        own.get_by_role("button", name="Refresh the class results").click()
        own.get_by_text("Results in the class pool: 0").wait_for(timeout=30_000)
        browser.close()
