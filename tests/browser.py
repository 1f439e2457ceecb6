"""Helpers for the real-browser tests: a real Streamlit server and Debian's Chromium."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

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


def webcam_check(
    url: str, fake_camera: Path, ignore_https_errors: bool = False
) -> tuple[str, list[str]]:
    """Pick demo ID photo #001, take the live photo with the fake camera, read the decision.
    ``ignore_https_errors`` accepts the classroom's self-signed certificate.

    Returns the decision text and every URL the page requested (HTTP and WebSocket).
    """
    from playwright.sync_api import sync_playwright

    requested: list[str] = []
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright, fake_camera=fake_camera)
        page = camera_page(browser, url, requested, ignore_https_errors)
        page.get_by_role("button", name="#001").click()
        page.wait_for_selector(IDLE, timeout=30_000)
        choose_live_source(page, "Webcam")
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
        decision = page.locator(".st-key-step_verdict").get_by_text(
            re.compile(r"(Match|No match): ")
        )
        decision.wait_for(timeout=60_000)
        text = decision.inner_text()
        browser.close()
    return text, requested


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
    url: str, fake_camera: Path, ignore_https_errors: bool = False
) -> tuple[list[str], list[str], list[str]]:
    """Record the liveness challenges with the fake camera through the page's recorder.

    Returns the challenges the page asked for (in order), the verdict of each as the page shows
    it ("Blink: passed."), and every URL the page requested (HTTP and WebSocket).
    """
    from playwright.sync_api import sync_playwright

    requested: list[str] = []
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright, fake_camera=fake_camera)
        page = camera_page(browser, url, requested, ignore_https_errors)
        asked, verdicts = record_liveness(page)
        browser.close()
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
