"""The class pool: numbers only, from the server's own check, shared by every session, cleared
only with the teacher code."""

from __future__ import annotations

import dataclasses
import itertools
import math
import threading

import numpy as np
import pytest

from browser import IDLE, OnDemand, choose_live_source
from support import PASSED, new_app
from verifydemo.entry.live_server import classroom_server
from verifydemo.lessons.class_pool import (
    ADDITIONS_PER_MINUTE,
    GENUINE,
    IMPOSTOR,
    MAX_ENTRIES_PER_STUDENT,
    PER_STUDENT,
    POOL,
    ClassPool,
    PoolBusy,
    PoolEntry,
    StudentLimit,
    beat_count,
    best_separation,
    class_bpcer,
    class_rates,
    distances_of,
)
from verifydemo.metrics.error_rates import Rate, error_rates
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
    assert all(type(entry) is PoolEntry for entry in pool._entries)


def test_pool_counts_students_without_keeping_their_address():
    pool = ClassPool()
    pool.add(GENUINE, 0.31, student="192.168.1.23")
    assert "192.168.1.23" not in repr(vars(pool))
    assert pool.allowance("192.168.1.23", GENUINE, False) == 0
    assert pool.allowance("192.168.1.24", GENUINE, False) == 1


def test_one_student_adds_at_most_their_allowance_whatever_they_declare():
    """20 sessions from one device (one address) each try every kind of trial."""
    pool = ClassPool()
    refused = 0
    for _session in range(20):
        for kind, beat_round in PER_STUDENT:
            try:
                pool.add(kind, 0.5, beat_round, student="10.0.0.7")
            except StudentLimit:
                refused += 1
    assert len(pool.entries()) == MAX_ENTRIES_PER_STUDENT == 6
    assert refused == 20 * len(PER_STUDENT) - 6
    assert sum(entry.kind == GENUINE and not entry.beat_round for entry in pool.entries()) == 1
    pool.clear()
    assert pool.allowance("10.0.0.7", GENUINE, False) == 1


def test_the_server_takes_a_bounded_number_of_additions_a_minute():
    now = [0.0]
    pool = ClassPool(clock=lambda: now[0])
    for student in range(ADDITIONS_PER_MINUTE):
        pool.add(GENUINE, 0.4, student=f"10.0.{student // 250}.{student % 250}")
    with pytest.raises(PoolBusy):
        pool.add(GENUINE, 0.4, student="10.9.9.9")
    now[0] = 60.0
    pool.add(GENUINE, 0.4, student="10.9.9.9")
    assert len(pool.entries()) == ADDITIONS_PER_MINUTE + 1


def test_removing_the_last_entries_keeps_the_earlier_ones():
    pool = ClassPool()
    for index, kind in enumerate((GENUINE, IMPOSTOR, GENUINE)):
        pool.add(kind, 0.1 * (index + 1), student=f"student {index}")
    assert pool.remove_last(2) == 2
    assert [entry.distance for entry in pool.entries()] == [0.1]
    assert pool.remove_last(10) == 1
    assert pool.remove_last(-3) == 0
    assert pool.entries() == ()


@pytest.mark.parametrize(
    ("typed", "right"),
    [
        ("ABCDEF", True),
        (" abcdef ", True),
        ("\uff21\uff22\uff23\uff24\uff25\uff26", True),  # full-width
        ("\uff41\uff42\uff43\uff44\uff45\uff46", True),
        ("É", False),
        ("ABCDEG", False),
        ("", False),
        ("ABCDEF\x00", False),
    ],
)
def test_any_typed_text_is_either_the_teacher_code_or_wrong(typed, right):
    room = classroom.Classroom("https://127.0.0.1:8501", "ABCDEF")
    assert room.is_teacher_code(typed) is right


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
    seconds = itertools.count()
    pool = ClassPool(clock=lambda: next(seconds))

    def add_many(thread: int):
        for index in range(400):
            pool.add(GENUINE if index % 2 else IMPOSTOR, index / 400, student=f"{thread}/{index}")

    threads = [threading.Thread(target=add_many, args=(thread,)) for thread in range(8)]
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


def test_class_rates_on_the_reference_pairs_are_the_reference_rates(reference):
    """Fed the reference set's own-photo and neighbour's-photo distances, the class's FMR and
    FNMR are the reference set's: one match rule, one count."""
    pairs = reference.pair_scores("studio", "studio")
    for threshold, impostors_accepted in ((0.5, 11), (0.6, 90)):
        rates = class_rates(pairs.genuine, pairs.distances[pairs.impostor_mask], threshold)
        assert rates.fmr == Rate(impostors_accepted, 10_302)
        assert rates.fnmr == Rate(0, 102)
        expected = error_rates(pairs.score_set(), threshold)
        assert (rates.fmr, rates.fnmr) == (expected.fmr, expected.fnmr)


def test_class_rates_accept_a_distance_at_the_threshold_and_count_a_missing_kind_as_none():
    rates = class_rates(np.array([0.6, 0.61]), np.array([0.6, 0.7, 0.8]), 0.6)
    assert (rates.fmr, rates.fnmr) == (Rate(1, 3), Rate(1, 2))
    only_own = class_rates(np.array([0.3]), np.array([]), 0.6)
    assert only_own.fmr == Rate(0, 0) and only_own.fnmr == Rate(0, 1)


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
    shown = {e.value for e in [*page.success, *page.warning] if "phone number" in e.value}
    (text,) = shown  # the check step and the verdict step say the same
    return float(text.split("distance ")[1].split(",")[0])


def own_live_photo(page, face) -> None:
    """Upload ``face``'s live photo as the student's own (a demo volunteer's built-in photo is
    not a class result)."""
    page.radio(key=keys.LIVE_SOURCE).set_value("upload").run()
    (uploader,) = [u for u in page.file_uploader if u.key.startswith(keys.LIVE_UPLOAD)]
    uploader.set_value(("live.jpg", face.live_photo.read_bytes(), "image/jpeg")).run()


def pool_line(page) -> str:
    return next(m.value for m in page.markdown if "Results in the class pool" in m.value)


@pytest.mark.slow
def test_a_demo_volunteers_live_photo_is_not_a_class_result(empty_pool):
    """The page opens on a demo pair: its check is the dataset's, not the student's, so it
    offers no add button and says what to do instead."""
    page = new_app(CLASS_TAB)
    assert not [button for button in page.button if button.key == keys.POOL_ADD]
    assert any("your own face" in info.value for info in page.info)
    page.radio(key=keys.LIVE_SOURCE).set_value("other_person").run()
    assert not [button for button in page.button if button.key == keys.POOL_ADD]
    assert POOL.entries() == ()


@pytest.mark.slow
def test_two_sessions_add_and_a_third_sees_both(empty_pool, demo_by_id):
    own = new_app(CLASS_TAB)
    own_live_photo(own, demo_by_id["001"])
    own.radio(key=keys.POOL_KIND).set_value(GENUINE).run()
    own.button(key=keys.POOL_ADD).click().run()
    neighbour = new_app(CLASS_TAB)
    own_live_photo(neighbour, demo_by_id["002"])
    neighbour.radio(key=keys.POOL_KIND).set_value(IMPOSTOR).run()
    neighbour.button(key=keys.POOL_ADD).click().run()
    kinds = {entry.kind: entry.distance for entry in POOL.entries()}
    assert kinds[GENUINE] == pytest.approx(shown_distance(own), abs=5e-4)
    assert kinds[IMPOSTOR] == pytest.approx(shown_distance(neighbour), abs=5e-4)
    watcher = new_app(CLASS_TAB)
    assert "Results in the class pool: 2** (1 own-photo check, 1 neighbour's-photo check)" in (
        pool_line(watcher)
    )
    assert any("would have separated this class" in m.value for m in watcher.markdown)


@pytest.mark.slow
def test_forget_and_new_pages_do_not_give_a_student_more_results(empty_pool, demo_by_id):
    page = new_app(CLASS_TAB)
    own_live_photo(page, demo_by_id["001"])
    page.button(key=keys.POOL_ADD).click().run()
    assert any("0 more results of this kind" in caption.value for caption in page.caption)
    assert page.button(key=keys.POOL_ADD).disabled
    page.button(key=keys.FORGET).click().run()
    own_live_photo(page, demo_by_id["001"])
    assert page.button(key=keys.POOL_ADD).disabled
    beat_tries = PER_STUDENT[(GENUINE, True)]
    for _ in range(beat_tries + 1):
        other_tab = new_app(CLASS_TAB)
        own_live_photo(other_tab, demo_by_id["001"])
        assert other_tab.button(key=keys.POOL_ADD).disabled
        other_tab.checkbox(key=keys.POOL_BEAT).check().run()
        if other_tab.button(key=keys.POOL_ADD).disabled:
            break
        other_tab.button(key=keys.POOL_ADD).click().run()
    assert len(POOL.entries()) == 1 + beat_tries
    assert other_tab.button(key=keys.POOL_ADD).disabled


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


@pytest.fixture(scope="module")
def classrooms():
    """One ``verifydemo classroom`` for the browser tests below; each leaves its class pool
    empty (the teacher clears it)."""
    shared = OnDemand(classroom_server)
    yield shared
    shared.stop()


@pytest.fixture
def room(classrooms, request):
    """The module's classroom; after a failed test, which may have left results in its pool,
    the next test gets a new one."""
    yield classrooms.get()
    if not request.node.stash.get(PASSED, False):
        classrooms.stop()


def open_class_tab(browser, url):
    page = browser.new_context(
        viewport={"width": 1400, "height": 2400}, ignore_https_errors=True
    ).new_page()
    page.goto(url)
    page.wait_for_selector(IDLE, timeout=120_000)
    return page


def show_tab(page):
    page.get_by_role("tab", name="Class experiment").click()


def choose_kind(page, kind_label, live_photo):
    """Upload ``live_photo`` as the student's own and choose ``kind_label`` on the class tab."""
    choose_live_source(page, "Upload a photo")
    uploader = page.locator("[data-testid='stFileUploader'] input[type=file]")
    uploader.first.set_input_files(str(live_photo))
    page.get_by_text("your uploaded live photo").first.wait_for(timeout=120_000)
    page.wait_for_selector(IDLE, timeout=60_000)
    show_tab(page)
    page.get_by_text(kind_label, exact=True).click()
    page.wait_for_selector(IDLE, timeout=60_000)


def add(page, kind_label, live_photo):
    """Upload ``live_photo`` as the student's own, then add the check as ``kind_label``."""
    choose_kind(page, kind_label, live_photo)
    page.get_by_role("button", name="Add my result to the class").click()
    page.get_by_text("Added: distance").wait_for(timeout=60_000)


def enter_teacher_code(page, code: str):
    if not page.get_by_label("Teacher code").is_visible():
        page.get_by_text("For the teacher").click()
    field = page.get_by_label("Teacher code")
    field.fill(code)
    field.press("Enter")
    page.wait_for_selector(IDLE, timeout=30_000)


@pytest.mark.browser
@pytest.mark.slow
def test_browsers_share_the_pool_and_only_the_teacher_code_clears_it(room, chromium, demo_by_id):
    """Three real sessions on the classroom launcher: two add, the third sees both; a wrong
    code clears nothing, the printed code clears the pool for everyone."""
    browser = chromium.plain
    own = open_class_tab(browser, room.url)
    add(own, "me against my own ID photo", demo_by_id["001"].live_photo)
    neighbour = open_class_tab(browser, room.url)
    add(neighbour, "me against my neighbour's ID photo", demo_by_id["002"].live_photo)
    teacher = open_class_tab(browser, room.url)
    show_tab(teacher)
    teacher.get_by_text("Results in the class pool: 2").wait_for(timeout=30_000)
    teacher.get_by_text("1 own-photo check, 1 neighbour's-photo check").wait_for()

    enter_teacher_code(teacher, "WRONG1")
    teacher.get_by_role("button", name="Clear the class results").click()
    teacher.get_by_text("Wrong teacher code: nothing was cleared.").wait_for(timeout=30_000)
    teacher.get_by_text("Results in the class pool: 2").wait_for(timeout=30_000)

    enter_teacher_code(teacher, room.teacher_code)
    teacher.get_by_role("button", name="Clear the class results").click()
    teacher.get_by_text("The class pool is cleared.").wait_for(timeout=30_000)
    own.get_by_role("button", name="Refresh the class results").click()
    own.get_by_text("Results in the class pool: 0").wait_for(timeout=30_000)


def test_a_liveness_attempt_is_numbers_only_one_per_student_and_counted_as_bpcer():
    pool = ClassPool()
    pool.add_liveness(("blink", "turn"), (True, False), student="10.0.0.1")
    with pytest.raises(StudentLimit):
        pool.add_liveness(("mouth", "nod"), (True, True), student="10.0.0.1")
    pool.add_liveness(("mouth", "nod", "blink"), (True, True, True), student="10.0.0.2")
    for challenges, passed in [
        (("wink",), (True,)),
        (("blink", "blink"), (True, True)),
        (("blink",), (True, False)),
        ((), ()),
    ]:
        with pytest.raises(ValueError):
            pool.add_liveness(challenges, passed, student="10.0.0.3")
    bpcer = class_bpcer(pool.liveness_entries())
    assert (bpcer.errors, bpcer.trials) == (1, 2)
    assert "1 of 2 live" in bpcer.describe("live students' attempts rejected")
    pool.clear()
    assert pool.liveness_entries() == ()


@pytest.mark.slow
def test_an_empty_board_says_so_and_draws_no_empty_chart(empty_pool):
    page = new_app(CLASS_TAB)
    assert any("No results in the class pool yet" in info.value for info in page.info)
    assert any(c.value.startswith("No histogram yet") for c in page.caption)
    assert not [b for b in page.get("download_button") if "class_distances" in b.proto.id]
    POOL.add(GENUINE, 0.4, student="someone")
    page.run()
    assert not any("No results in the class pool yet" in info.value for info in page.info)
    assert [b for b in page.get("download_button") if "class_distances" in b.proto.id]


@pytest.mark.slow
def test_the_board_shows_the_class_bpcer(empty_pool):
    POOL.add_liveness(("blink", "turn"), (True, False), student="a")
    POOL.add_liveness(("mouth", "nod"), (True, True), student="b")
    POOL.add_liveness(("nod", "turn", "mouth"), (True, True, True), student="c")
    page = new_app(CLASS_TAB)
    assert any(
        m.value.startswith("1 of 3 live students' attempts rejected (BPCER") for m in page.markdown
    )


@pytest.mark.browser
@pytest.mark.slow
def test_every_open_board_updates_itself_and_a_clear_empties_it_at_once(room, chromium, demo_by_id):
    """A watcher who presses nothing sees a new result within 10 s and the teacher's clear
    within 10 s; the teacher's own board is empty in the same run as the clear."""
    browser = chromium.plain
    watcher = open_class_tab(browser, room.url)
    show_tab(watcher)
    watcher.get_by_text("No results in the class pool yet").wait_for(timeout=30_000)
    student = open_class_tab(browser, room.url)
    add(student, "me against my own ID photo", demo_by_id["001"].live_photo)
    watcher.get_by_text("Results in the class pool: 1").wait_for(timeout=10_000)
    teacher = open_class_tab(browser, room.url)
    show_tab(teacher)
    enter_teacher_code(teacher, room.teacher_code)
    assert teacher.get_by_label("Teacher code").is_visible(), "the panel stays open"
    teacher.get_by_role("button", name="Clear the class results").click()
    teacher.get_by_text("The class pool is cleared.").wait_for(timeout=30_000)
    assert teacher.get_by_text("Results in the class pool: 0").count() == 1
    watcher.get_by_text("Results in the class pool: 0").wait_for(timeout=10_000)


def test_the_pool_keeps_a_distance_to_the_three_decimals_the_page_shows():
    pool = ClassPool()
    assert pool.add(GENUINE, 0.4242424242).distance == 0.424
    assert [entry.distance for entry in pool.entries()] == [0.424]


def test_the_class_distances_come_out_smallest_first_not_in_the_order_added():
    pool = ClassPool()
    for index, distance in enumerate((0.52, 0.31, 0.44)):
        pool.add(GENUINE, distance, student=f"10.0.0.{index}")
    assert list(distances_of(pool.entries(), GENUINE)) == [0.31, 0.44, 0.52]


@pytest.mark.browser
@pytest.mark.slow
def test_a_forwarded_for_header_does_not_make_one_machine_two_students(room, chromium, demo_by_id):
    """Two tabs of one machine, each claiming another address in ``X-Forwarded-For`` (no proxy
    stands in front of a classroom): once the first has added its own-photo result, the second
    is the same student, with none of that kind left."""
    tabs = []
    for claimed in ("10.9.8.7", "10.9.8.8"):
        page = chromium.plain.new_context(
            viewport={"width": 1400, "height": 2400},
            ignore_https_errors=True,
            extra_http_headers={"X-Forwarded-For": claimed},
        ).new_page()
        page.goto(room.url)
        page.wait_for_selector(IDLE, timeout=120_000)
        tabs.append(page)
    add(tabs[0], "me against my own ID photo", demo_by_id["001"].live_photo)
    choose_kind(tabs[1], "me against my own ID photo", demo_by_id["002"].live_photo)
    tabs[1].get_by_text("You can add 0 more results of this kind from this device.").wait_for()
    assert tabs[1].get_by_role("button", name="Add my result to the class").is_disabled()
    enter_teacher_code(tabs[1], room.teacher_code)
    tabs[1].get_by_role("button", name="Clear the class results").click()
    tabs[1].get_by_text("The class pool is cleared.").wait_for(timeout=30_000)
