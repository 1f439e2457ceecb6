"""Helpers for the real-browser tests: a real Streamlit server and Debian's Chromium."""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, suppress
from pathlib import Path
from urllib.parse import urlsplit

import cv2
import numpy as np

from support import ROOT, require  # noqa: F401  (ROOT re-exported for the tests)
from verifydemo.entry.live_server import (  # noqa: F401  (re-exported for the tests)
    CHROMIUM,
    IDLE,
    launch_chromium,
    streamlit_server,
)
from verifydemo.pictures.drawing import letterbox

STEP_NUMBER = "document.querySelector('.st-key-present_nav h3').innerText.match(/\\d+/)[0]"
"""The projector view's step number, as the page shows it."""


def open_projector(page, url: str) -> None:
    """``url`` (a ``?view=present`` address) in ``page``, on its first step, with the keyboard
    on the page so that PageDown and PageUp reach the presenter keys."""
    page.goto(url)
    page.wait_for_selector(IDLE, timeout=120_000)
    page.wait_for_selector("html[data-presenter-keys=ready]", state="attached", timeout=30_000)
    page.locator(".st-key-present_nav h3").first.click()


def go_to_step(page, name: str) -> None:
    """The projector view moved to the step called ``name`` with the presenter keys, one step
    at a time, each drawn before the next key."""
    from verifydemo.ui.present import STEPS

    target = 1 + [step for step, _title in STEPS].index(name)
    while (now := int(page.evaluate(STEP_NUMBER))) != target:
        page.keyboard.press("PageDown" if now < target else "PageUp")
        page.wait_for_function(f"{STEP_NUMBER} != '{now}'", timeout=30_000)
        page.wait_for_selector(IDLE, timeout=60_000)
    page.wait_for_timeout(500)


def require_chromium() -> None:
    """Skip without a browser, except in CI, where a missing browser is a failure."""
    require(Path(CHROMIUM).exists(), CHROMIUM, "apt-get install chromium")


def choose_live_source(page, label: str) -> None:
    """Click ``label`` in step 2's "Where does the live photo come from?" and wait for the run."""
    radio = page.get_by_test_id("stRadio").filter(has_text="Where does the live photo come from?")
    radio.get_by_text(label).click()
    page.wait_for_selector(IDLE, timeout=30_000)


def write_y4m(rgb: np.ndarray, path: Path, frames: int = 10) -> np.ndarray:
    """Write a still as a 640 x 480 Y4M video for Chromium's fake camera; return the frame used."""
    frame = letterbox(rgb, 640, 480)
    write_y4m_clip([frame] * frames, path)
    return frame


def write_y4m_clip(frames: Sequence[np.ndarray], path: Path) -> None:
    """Write RGB frames, in order, as a 640 x 480 Y4M video at 10 fps; Chromium's fake camera
    plays it in a loop."""
    with open(path, "wb") as handle:
        handle.write(b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n")
        for frame in frames:
            planar = cv2.cvtColor(letterbox(frame, 640, 480), cv2.COLOR_RGB2YUV_I420).tobytes()
            handle.write(b"FRAME\n" + planar)


class Chromiums:
    """Debian's Chromium for the tests of one module, driven by one Playwright: a plain browser
    and one per fake-camera clip, each launched when first asked for and kept until the module
    ends. A test opens its own windows (contexts), which :meth:`close_windows` closes after it,
    so no test sees another's pages or cookies."""

    def __init__(self, playwright) -> None:
        self.playwright = playwright
        self._browsers: dict[Path | None, object] = {}

    @property
    def plain(self):
        """Chromium without a camera."""
        return self._launched(None)

    def with_camera(self, clip: Path):
        """Chromium whose fake camera plays ``clip`` (a Y4M file) in a loop, and allows it."""
        return self._launched(Path(clip).resolve())

    def _launched(self, clip: Path | None):
        browser = self._browsers.get(clip)
        if browser is None or not browser.is_connected():
            browser = self._browsers[clip] = launch_chromium(self.playwright, fake_camera=clip)
        return browser

    def close_windows(self) -> None:
        for browser in self._browsers.values():
            if browser.is_connected():
                for context in browser.contexts:
                    context.close()

    def close(self) -> None:
        for browser in self._browsers.values():
            if browser.is_connected():
                browser.close()
        self._browsers.clear()


class OnDemand:
    """What ``start()`` (a context manager: a server, say) yields, started when first asked
    for and kept until :meth:`stop`, so the tests of a module can share it."""

    def __init__(self, start: Callable[[], AbstractContextManager]) -> None:
        self._start = start
        self._running: AbstractContextManager | None = None
        self._value = None

    def get(self):
        if self._running is None:
            running = self._start()
            self._value = running.__enter__()
            self._running = running
        return self._value

    def stop(self) -> None:
        running, self._running, self._value = self._running, None, None
        if running is not None:
            running.__exit__(None, None, None)


STUDENT_ADDRESS = "127.0.0.2"
"""Where a student's device connects from: any address but the room's own (127.0.0.1 here),
which is the teacher's computer (``ui/classroom.is_teachers``)."""


@contextmanager
def students_address(room_url: str, source: str = STUDENT_ADDRESS) -> Iterator[str]:
    """The room's address as a student's device reaches it: a port on 127.0.0.1 that relays
    every connection to the room from ``source``, so the server sees a device other than its
    own computer (the bytes, HTTPS included, pass untouched)."""
    port = urlsplit(room_url).port
    listener = socket.create_server(("127.0.0.1", 0))

    def relay(source_socket: socket.socket, target: socket.socket) -> None:
        try:
            while data := source_socket.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source_socket, target):
                with suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def accept() -> None:
        while True:
            try:
                device, _address = listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", port), source_address=(source, 0))
            for ends in ((device, server), (server, device)):
                threading.Thread(target=relay, args=ends, daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield f"https://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        listener.close()


def camera_page(browser, url: str, requested: list[str], ignore_https_errors: bool = False):
    """A page of ``url`` with the camera allowed, loaded and idle; every URL it requests (HTTP
    and WebSocket) is appended to ``requested``."""
    context = browser.new_context(
        permissions=["camera"],
        viewport={"width": 1400, "height": 1800},
        ignore_https_errors=ignore_https_errors,
    )
    context.on("request", lambda request: requested.append(request.url))
    context.on("websocket", lambda socket: requested.append(socket.url))
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector(IDLE, timeout=120_000)
    return page


def webcam_check(browser, url: str, ignore_https_errors: bool = False) -> tuple[str, list[str]]:
    """In ``browser`` (whose fake camera shows a face): pick demo ID photo #001, take the live
    photo with the camera (in classroom mode, on the device: only its numbers are sent), read
    the decision. ``ignore_https_errors`` accepts the classroom's
    self-signed certificate.

    Returns the decision text and every URL the page requested (HTTP and WebSocket).
    """
    requested: list[str] = []
    page = camera_page(browser, url, requested, ignore_https_errors)
    page.get_by_role("button", name="#001").click()
    page.wait_for_selector(IDLE, timeout=30_000)
    choose_live_source(page, "Webcam")
    either = page.locator(".vd-ondevice, [data-testid='stCameraInputButton']").first
    either.wait_for(timeout=60_000)
    if page.locator(".vd-ondevice").count():  # classroom mode: the check runs in the browser
        take_on_device(page)
    else:
        take_with_camera_input(page)
    decision = page.locator(".st-key-step_verdict").get_by_text(re.compile(r"(Match|No match): "))
    decision.wait_for(timeout=60_000)
    text = decision.inner_text()
    page.context.close()
    return text, requested


def take_on_device(page) -> None:
    """Take the live photo with the on-device check (classroom mode): once the camera shows a
    picture and the models are loaded in the browser, press its button."""
    take = page.locator(".vd-ondevice .vd-take")
    take.wait_for(timeout=30_000)
    page.wait_for_function(
        "(button) => !button.disabled", arg=take.element_handle(), timeout=120_000
    )
    take.click()


def take_with_camera_input(page) -> None:
    """Take the live photo with Streamlit's camera widget, which sends it to the server."""
    button = page.get_by_test_id("stCameraInputButton")
    button.wait_for(timeout=30_000)
    page.wait_for_function(
        "() => !document.querySelector(\"[data-testid='stCameraInputButton']\").disabled",
        timeout=30_000,
    )
    page.wait_for_function(
        "() => { const video = document.querySelector("
        "\"[data-testid='stCameraInput'] video\");"
        " return video !== null && video.readyState >= 2 && video.videoWidth > 0; }",
        timeout=30_000,
    )
    button.click()


def write_liveness_camera(id_photo: Path, path: Path) -> int:
    """Write a fake-camera clip that blinks and opens its mouth, made from ``id_photo`` with the
    built-in synthesised attack: a loop of about 2 s from just before the blink to just after
    the mouth opening. Every 3-second recording of it, wherever it starts in the loop, holds a
    whole blink (open, closed, open) and both a closed and an open mouth. Returns the frames
    written."""
    from verifydemo.core.decode import decode_image
    from verifydemo.lessons.liveness_clips import EYES_CLOSED, MOUTH_OPEN, synthesised_clip

    clip = synthesised_clip(decode_image(id_photo.read_bytes()))
    loop = clip[EYES_CLOSED[0] - 5 : MOUTH_OPEN[-1] + 2]
    write_y4m_clip(loop, path)
    return len(loop)


LIVENESS_VERDICT = re.compile(r"(Accepted|Not accepted) as a live person")


def liveness_recording(
    browser, url: str, ignore_https_errors: bool = False
) -> tuple[list[str], list[str], list[str]]:
    """Record the liveness challenges through the page's recorder in ``browser`` (whose fake
    camera plays a clip).

    Returns the challenges the page asked for (in order), the verdict of each as the page shows
    it ("Blink: passed."), and every URL the page requested (HTTP and WebSocket).
    """
    requested: list[str] = []
    page = camera_page(browser, url, requested, ignore_https_errors)
    asked, verdicts = record_liveness(page)
    page.context.close()
    return asked, verdicts, requested


def record_liveness(page) -> tuple[list[str], list[str]]:
    """Press the recorder's button on an open page (whose browser has a fake camera), wait for
    the verdict; returns the challenges asked and the verdict of each as the page shows it."""
    start = page.get_by_role("button", name="Start recording")
    start.wait_for(timeout=60_000)
    asked = page.locator(".vd-steps li").all_inner_texts()
    start.scroll_into_view_if_needed()
    start.click()
    page.get_by_text(LIVENESS_VERDICT).wait_for(timeout=120_000)
    page.wait_for_selector(IDLE, timeout=60_000)
    verdicts = (
        page.locator("strong")
        .filter(has_text=re.compile(r"^[^:]+: (not )?passed\.$"))
        .all_inner_texts()
    )
    return asked, verdicts
