"""A student's phone joining the classroom: from the top of the page to the verdict and the
"add" button within three screens of a 390 x 844 phone, the class results one tap away."""

from __future__ import annotations

import pytest

from browser import IDLE, launch_chromium, require_chromium, write_y4m
from verifydemo.core.decode import decode_image
from verifydemo.entry.live_server import classroom_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}
BOTTOM = """(selector) => {
    const main = document.querySelector('[data-testid=stMain]');
    const element = document.querySelector(selector);
    return element.getBoundingClientRect().bottom + main.scrollTop;
}"""


def test_a_phone_reaches_the_verdict_and_the_add_button_within_three_screens(tmp_path, demo_by_id):
    require_chromium()
    from playwright.sync_api import sync_playwright

    camera = tmp_path / "cam.y4m"
    write_y4m(decode_image(demo_by_id["001"].live_photo.read_bytes()), camera)
    with classroom_server() as room, sync_playwright() as playwright:
        browser = launch_chromium(playwright, fake_camera=camera)
        context = browser.new_context(
            viewport=PHONE,
            is_mobile=True,
            has_touch=True,
            permissions=["camera"],
            ignore_https_errors=True,
        )
        page = context.new_page()
        page.goto(room.url)
        page.wait_for_selector(IDLE, timeout=120_000)
        # The first screen, once drawn (the page reports idle before its first run too).
        page.wait_for_function(
            f"document.querySelector('.st-key-gallery') !== null && "
            f"({BOTTOM})('.st-key-gallery') < {PHONE['height']}",
            timeout=60_000,
        )
        live_source = page.get_by_test_id("stRadio").filter(
            has_text="Where does the live photo come from?"
        )
        live_source.get_by_text("Webcam").click()
        page.wait_for_selector(IDLE, timeout=30_000)
        page.wait_for_function(
            "() => { const video = document.querySelector(\"[data-testid='stCameraInput'] video\");"
            " return video !== null && video.readyState >= 2 && video.videoWidth > 0; }",
            timeout=30_000,
        )
        page.get_by_test_id("stCameraInputButton").click()
        page.locator(".st-key-check_decision").get_by_text("Match: the phone number").wait_for(
            timeout=60_000
        )
        page.wait_for_selector(IDLE, timeout=60_000)
        three_screens = 3 * PHONE["height"]
        assert page.evaluate(BOTTOM, ".st-key-check_decision") <= three_screens
        assert page.evaluate(BOTTOM, ".st-key-pool_add") <= three_screens
        page.get_by_role("button", name="Add my result to the class").click()
        page.wait_for_selector(IDLE, timeout=30_000)
        page.get_by_role("tab", name="Class experiment").click()
        page.get_by_text("Results in the class pool: 1").wait_for(timeout=30_000)
        assert not page.get_by_text("QR code for the projector").is_visible(), "not on a phone"
        browser.close()
