"""The on-device check in a real classroom (issue 27, second step): a student's browser on
``verifydemo classroom``, its fake camera showing a demo face, takes the live photo on the page;
the browser computes the 128 numbers and the verdict appears, the same as the server's own
decision on that frame. Every websocket message and HTTP request the page sends after the click
is recorded: none carries an image, and together they stay a few kilobytes."""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from browser import IDLE, OnDemand, choose_live_source, students_address, write_y4m
from support import PASSED
from verifydemo.core.compare import DEFAULT_THRESHOLD, accepted, distance
from verifydemo.core.decode import decode_image
from verifydemo.core.faces import find_face

pytestmark = [pytest.mark.browser, pytest.mark.slow]

EMBEDDING_GAP = 0.07
"""As in ``test_ondevice.py``: the browser's box is YuNet's mapped to dlib's, not dlib's own."""
DECISION_MARGIN = 0.02
MAX_BYTES_AFTER_CLICK = 16_000
"""What the page may send from the click to the verdict: the numbers (about 1.3 kB) and
Streamlit's rerun requests with the page's widget values. A 640 x 480 JPEG is 20 to 50 kB."""
IMAGE_MARKS = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"data:image", b"RIFF", b";base64,")


@pytest.fixture(scope="module")
def classrooms():
    from verifydemo.entry.live_server import classroom_server

    shared = OnDemand(classroom_server)
    yield shared
    shared.stop()


@pytest.fixture
def students_url(classrooms, request) -> Iterator[str]:
    """The module's classroom as a student's device reaches it; a failed test, which may have
    left results in its pool, leaves the next test a new one."""
    with students_address(classrooms.get().url) as url:
        yield url
    if not request.node.stash.get(PASSED, False):
        classrooms.stop()


class Sent:
    """Everything the page sends: websocket frames and HTTP requests with their bodies."""

    def __init__(self, page) -> None:
        self.frames: list[bytes] = []
        self.requests: list[tuple[str, str, bytes]] = []
        page.on("websocket", lambda socket: socket.on("framesent", self._frame))
        page.on("request", self._request)

    def _frame(self, payload: str | bytes) -> None:
        self.frames.append(payload.encode() if isinstance(payload, str) else payload)

    def _request(self, request) -> None:
        self.requests.append((request.method, request.url, request.post_data_buffer or b""))

    def mark(self) -> tuple[int, int]:
        return len(self.frames), len(self.requests)

    def since(self, mark: tuple[int, int]) -> tuple[list[bytes], list[tuple[str, str, bytes]]]:
        return self.frames[mark[0] :], self.requests[mark[1] :]


def test_the_live_photo_is_checked_on_the_device_and_no_image_is_sent(
    tmp_path, demo_by_id, chromium, students_url
):
    camera = tmp_path / "cam.y4m"
    frame = write_y4m(decode_image(demo_by_id["001"].live_photo.read_bytes()), camera)
    id_face = find_face(decode_image(demo_by_id["001"].id_photo.read_bytes()))
    server_distance = distance(id_face.embedding, find_face(frame).embedding)

    context = chromium.with_camera(camera).new_context(
        permissions=["camera"],
        viewport={"width": 1400, "height": 1800},
        ignore_https_errors=True,
    )
    page = context.new_page()
    sent = Sent(page)
    page.goto(students_url)
    page.wait_for_selector(IDLE, timeout=120_000)
    page.get_by_role("button", name="#001").click()
    page.wait_for_selector(IDLE, timeout=30_000)
    choose_live_source(page, "Webcam")
    expect(page.get_by_text("Check on this phone: the photo stays here")).to_be_visible()
    assert page.get_by_test_id("stCameraInput").count() == 0, "no photo widget on the device"

    take = page.locator(".vd-ondevice .vd-take")
    expect(take).to_be_enabled(timeout=120_000)  # camera open, models loaded on the device
    page.locator(".vd-ondevice .vd-video").evaluate(
        "(video) => new Promise((resolve) => { const ready = () => video.readyState >= 2 &&"
        " video.videoWidth > 0 ? resolve() : setTimeout(ready, 50); ready(); })"
    )
    page.wait_for_selector(IDLE, timeout=30_000)
    before = sent.mark()
    started = time.perf_counter()
    take.click()
    decision = page.locator(".st-key-step_verdict").get_by_text(re.compile(r"(Match|No match): "))
    decision.wait_for(timeout=60_000)
    seconds = time.perf_counter() - started
    text = decision.inner_text()
    page.wait_for_selector(IDLE, timeout=60_000)
    frames, requests = sent.since(before)

    shown = float(re.search(r"distance (\d\.\d{3})", text)[1])
    assert abs(shown - server_distance) <= EMBEDDING_GAP, (shown, server_distance)
    if abs(server_distance - DEFAULT_THRESHOLD) > DECISION_MARGIN:
        assert text.startswith("Match") == bool(accepted(server_distance, DEFAULT_THRESHOLD))
    expect(page.get_by_text("The photo stayed on your phone")).to_be_visible()

    for payload in frames + [body for _method, _url, body in requests]:
        assert not any(mark in payload for mark in IMAGE_MARKS), payload[:200]
    assert all(method == "GET" for method, _url, _body in requests), requests
    assert not any("upload_file" in url for _method, url, _body in requests)
    assert all(url.startswith((students_url, "data:", "blob:")) for _m, url, _b in sent.requests), (
        "the runtime and the models come from the laptop only"
    )
    bytes_after = sum(map(len, frames)) + sum(len(body) for _m, _u, body in requests)
    assert bytes_after <= MAX_BYTES_AFTER_CLICK, bytes_after

    page.locator(".vd-ondevice .vd-panel-title").click()
    page.locator(".vd-ondevice .vd-show").check()
    shown_sent = page.locator(".vd-ondevice .vd-sent").inner_text()
    message = json.loads(shown_sent)
    assert set(message) == {"status", "embedding", "box", "frame", "faces", "ms"}
    assert len(message["embedding"]) == 128 and message["frame"] == [640, 480]
    as_sent = json.dumps(shown_sent)[1:-1].encode()  # a string inside the trigger's JSON
    assert any(as_sent in payload for payload in frames), "the page shows what it sent"
    assert math.isclose(distance(id_face.embedding, message["embedding"]), shown, abs_tol=0.0006), (
        "the verdict's distance is the server's, from the numbers sent"
    )

    page.get_by_role("button", name="Add my result to the class").click()
    page.wait_for_selector(IDLE, timeout=30_000)
    expect(page.locator(".st-key-class_add [data-testid=stAlert]").first).to_be_visible()
    page.get_by_text("Check on this phone: the photo stays here").click()  # send the photo
    page.wait_for_selector(IDLE, timeout=30_000)
    page.get_by_test_id("stCameraInput").wait_for(timeout=30_000)
    print(
        f"\non-device check: {len(shown_sent.encode())} bytes of numbers; "
        f"{bytes_after} bytes sent from the click to the verdict "
        f"({len(frames)} websocket messages, {len(requests)} requests); "
        f"on the device {message['ms']['embed']:.0f} ms per face, models loaded in "
        f"{message['ms']['load']:.0f} ms; click to verdict {seconds:.2f} s; "
        f"distance {shown:.3f} here, {server_distance:.3f} on the server's own frame"
    )
    context.close()
