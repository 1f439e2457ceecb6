"""End to end: Chromium's fake camera plays a clip made from a demo face through the page's
liveness recorder, and the page shows the verdict of each challenge it asked for."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from browser import IDLE, liveness_recording, write_liveness_camera
from verifydemo.lessons.liveness_clips import EYES_CLOSED
from verifydemo.ui.liveness_capture import FRAMES_PER_SECOND, SECONDS

pytestmark = pytest.mark.browser

EXPECTED = {
    "Blink": "passed",
    "Open your mouth": "passed",
    "Turn your head": "not passed",
    "Nod": "not passed",
}
"""What the fake camera's clip does: it blinks and opens its mouth, but never turns or nods."""


@pytest.fixture
def server(page_server) -> str:
    return page_server.url


def test_fake_camera_clip_gets_a_verdict_per_challenge(server, chromium, tmp_path, demo_by_id):
    camera = tmp_path / "liveness.y4m"
    looped = write_liveness_camera(demo_by_id["001"].id_photo, camera)
    recorded = round(SECONDS * FRAMES_PER_SECOND)
    assert looped + len(EYES_CLOSED) + 2 <= recorded, "each recording holds a whole blink"
    asked, verdicts, requested = liveness_recording(chromium.with_camera(camera), server)
    url = server

    assert 2 <= len(asked) <= 3 and set(asked) <= set(EXPECTED), asked
    assert verdicts == [f"{challenge}: {EXPECTED[challenge]}." for challenge in asked]
    origin = urlsplit(url)
    for address in requested:
        # the component's script is a blob: URL the page makes in its own memory
        parts = urlsplit(address.removeprefix("blob:"))
        assert (parts.hostname, parts.port) == (origin.hostname, origin.port), address


def test_without_a_camera_the_page_says_so_in_one_line_and_offers_the_clips(server, chromium):
    browser = chromium.plain  # no fake camera, and no camera permission
    page = browser.new_context(viewport={"width": 1400, "height": 1800}).new_page()
    page.goto(server)
    page.wait_for_selector(IDLE, timeout=120_000)
    page.get_by_role("button", name="Start recording").click()
    problem = page.get_by_test_id("stAlertContentWarning").filter(
        has_text=re.compile(r"^(The camera was refused|No camera was found)")
    )
    problem.wait_for(timeout=60_000)
    page.wait_for_selector(IDLE, timeout=60_000)
    text = problem.inner_text().strip()
    assert "\n" not in text and "built-in clips below" in text
    said = page.get_by_text(re.compile(r"(camera was refused|No camera was found)"))
    assert said.count() == 1, "the page says it once, not again in the recorder"
    page.get_by_text("Show the three built-in attacks").click()
    page.get_by_text(re.compile(r"^Beats: ")).first.wait_for(timeout=120_000)
    assert page.get_by_test_id("stException").count() == 0
