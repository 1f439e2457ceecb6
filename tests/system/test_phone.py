"""A student's phone joining the classroom (``verifydemo classroom --host 127.0.0.1``) from an
address of its own, as a phone on the room's network does: from the top of the page to the
verdict and the "add" button within three screens of a 390 x 844 phone, the class results one
tap away, every tab in view, no teacher's panel."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from browser import IDLE, students_address, take_on_device, write_y4m
from verifydemo.core.decode import decode_image

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}
BOTTOM = """(selector) => {
    const main = document.querySelector('[data-testid=stMain]');
    const element = document.querySelector(selector);
    return element.getBoundingClientRect().bottom + main.scrollTop;
}"""


@pytest.fixture(scope="module")
def room():
    from verifydemo.entry.live_server import classroom_server

    with classroom_server() as running:
        yield running


@pytest.fixture(scope="module")
def students_url(room) -> Iterator[str]:
    """The room's address as a student's device reaches it."""
    with students_address(room.url) as url:
        yield url


def test_a_students_phone_reaches_the_verdict_the_add_button_and_the_class_results(
    tmp_path, demo_by_id, chromium, students_url
):
    camera = tmp_path / "cam.y4m"
    write_y4m(decode_image(demo_by_id["001"].live_photo.read_bytes()), camera)
    window = chromium.with_camera(camera).new_context(
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        permissions=["camera"],
        ignore_https_errors=True,
    )
    page = window.new_page()
    page.goto(students_url)
    page.wait_for_selector(IDLE, timeout=120_000)
    # The first screen, once drawn (the page reports idle before its first run too).
    page.wait_for_function(
        f"document.querySelector('.st-key-gallery') !== null && "
        f"({BOTTOM})('.st-key-gallery') < {2 * PHONE['height']}",
        timeout=60_000,
    )
    page.wait_for_function(
        "document.querySelectorAll('.st-key-gallery button p').length === 24", timeout=60_000
    )
    gallery_labels = page.evaluate(
        "[...document.querySelectorAll('.st-key-gallery button p')]"
        ".map(p => parseFloat(getComputedStyle(p).fontSize))"
    )
    assert len(gallery_labels) == 24 and min(gallery_labels) >= 12, gallery_labels
    live_source = page.get_by_test_id("stRadio").filter(
        has_text="Where does the live photo come from?"
    )
    live_source.get_by_text("Webcam").click()
    page.wait_for_selector(IDLE, timeout=30_000)
    take_on_device(page)  # the default in a classroom: only the 128 numbers leave the phone
    page.locator(".st-key-check_decision").get_by_text("Match: the phone number").wait_for(
        timeout=60_000
    )
    page.wait_for_selector(IDLE, timeout=60_000)
    three_screens = 3 * PHONE["height"]
    assert page.evaluate(BOTTOM, ".st-key-check_decision") <= three_screens
    assert page.evaluate(BOTTOM, ".st-key-pool_add") <= three_screens
    page.get_by_role("button", name="Add my result to the class").click()
    page.wait_for_selector(IDLE, timeout=30_000)
    page.get_by_role("link", name="See the class results").click()
    board = page.get_by_text("Results in the class pool: 1")
    board.wait_for(timeout=30_000)
    page.wait_for_timeout(1000)
    box = board.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], "the board in view"
    for tab in page.locator("[role=tab]").all():
        box = tab.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], tab.inner_text()
    assert page.locator("[role=tab][aria-selected=true]").inner_text() == "Class experiment"
    assert not page.get_by_text("For the teacher").count(), "a student sees no teacher's panel"
    assert not page.get_by_text("QR code for the projector").is_visible(), "not on a phone"


def test_the_teachers_panel_is_on_the_teachers_screen_only(chromium, room, students_url):
    """A student's device shows no teacher's panel; the room's computer does, and so does a
    student-side tab opened with ``?teacher``, where a teacher on another device types the
    code."""
    shown = {}
    for who, url in (
        ("student", f"{students_url}/?tab=class"),
        ("teacher elsewhere", f"{students_url}/?tab=class&teacher"),
        ("room's computer", f"{room.url}/?tab=class"),
    ):
        page = chromium.plain.new_context(ignore_https_errors=True).new_page()
        page.goto(url)
        page.wait_for_selector(IDLE, timeout=120_000)
        page.get_by_text("Results in the class pool:").first.wait_for(timeout=60_000)
        page.wait_for_selector(IDLE, timeout=60_000)
        shown[who] = page.get_by_text("For the teacher").count()
    assert shown == {"student": 0, "teacher elsewhere": 1, "room's computer": 1}
