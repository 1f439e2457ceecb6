"""End to end: the real server, Debian's Chromium, a fake camera fed from a demo face."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from browser import IDLE, launch_chromium, require_chromium, streamlit_server, write_y4m
from verifydemo.compare import compare
from verifydemo.decode import decode_image
from verifydemo.faces import find_face

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server():
    require_chromium()
    with streamlit_server() as url:
        yield url


def test_webcam_check_in_a_real_browser(server, tmp_path, demo_by_id, embedded_demo_faces):
    from playwright.sync_api import sync_playwright

    camera_frame = write_y4m(
        decode_image(demo_by_id["001"].live_photo.read_bytes()), tmp_path / "cam.y4m"
    )
    expected = compare(embedded_demo_faces["001"][0].embedding, find_face(camera_frame).embedding)
    requested: list[str] = []
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright, fake_camera=tmp_path / "cam.y4m")
        context = browser.new_context(
            permissions=["camera"], viewport={"width": 1400, "height": 1800}
        )
        context.on("request", lambda request: requested.append(request.url))
        context.on("websocket", lambda socket: requested.append(socket.url))
        page = context.new_page()
        page.goto(server)
        page.wait_for_selector(IDLE, timeout=90_000)
        page.get_by_role("button", name="#001").click()
        page.wait_for_selector(IDLE, timeout=30_000)
        page.get_by_test_id("stRadio").nth(1).get_by_text("Webcam").click()
        page.wait_for_selector(IDLE, timeout=30_000)
        button = page.get_by_test_id("stCameraInputButton")
        button.wait_for(timeout=30_000)
        page.wait_for_function(
            "() => !document.querySelector(\"[data-testid='stCameraInputButton']\").disabled",
            timeout=30_000,
        )
        page.wait_for_timeout(1500)
        button.click()
        decision = page.get_by_text(re.compile(r"Match: the phone number is issued"))
        decision.wait_for(timeout=60_000)
        text = decision.inner_text()
        browser.close()

    shown = float(re.search(r"distance (\d\.\d+)", text).group(1))
    assert shown == pytest.approx(expected.distance, abs=0.05)
    assert shown <= 0.6
    origin = urlsplit(server)
    for url in requested:
        parts = urlsplit(url)
        assert (parts.hostname, parts.port) == (origin.hostname, origin.port), url
