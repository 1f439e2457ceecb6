"""Helpers for the real-browser tests: a real Streamlit server and Debian's Chromium."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import cv2
import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def require_chromium() -> None:
    """Skip without a browser, except in CI, where a missing browser is a failure."""
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{CHROMIUM} is missing in CI; .ci/run installs Debian's chromium")
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def streamlit_server(
    extra_env: dict[str, str] | None = None, wrapper: list[str] | None = None
) -> Iterator[str]:
    """Run ``streamlit run app.py`` on a free port; yield its URL; stop it afterwards."""
    port = free_port()
    command = [
        *(wrapper or []),
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ROOT / "app.py"),
        "--server.port",
        str(port),
    ]
    server = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, **(extra_env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, server)
        yield url
    finally:
        stop_process_group(server)


def stop_process_group(process: subprocess.Popen) -> None:
    """Stop a server and everything it started (strace and its tracee, say)."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=20)
    except ProcessLookupError:
        pass


def wait_until_healthy(url: str, server: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"streamlit exited: {server.stdout.read() if server.stdout else ''}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"streamlit did not answer at {url} within {timeout} s")


def write_y4m(rgb: np.ndarray, path: Path, frames: int = 10) -> np.ndarray:
    """Write a still as a 640 x 480 Y4M video for Chromium's fake camera; return the frame used."""
    frame = letterbox(rgb, 640, 480)
    planar = cv2.cvtColor(frame, cv2.COLOR_RGB2YUV_I420).tobytes()
    with open(path, "wb") as handle:
        handle.write(b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n")
        for _ in range(frames):
            handle.write(b"FRAME\n" + planar)
    return frame


def letterbox(rgb: np.ndarray, width: int, height: int) -> np.ndarray:
    scale = min(width / rgb.shape[1], height / rgb.shape[0])
    resized = cv2.resize(rgb, (round(rgb.shape[1] * scale), round(rgb.shape[0] * scale)))
    canvas = np.full((height, width, 3), 128, dtype=np.uint8)
    top, left = (height - resized.shape[0]) // 2, (width - resized.shape[1]) // 2
    canvas[top : top + resized.shape[0], left : left + resized.shape[1]] = resized
    return canvas


def launch_chromium(playwright, fake_camera: Path | None = None):
    args = [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
    ]
    if fake_camera is not None:
        args += [
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={fake_camera.resolve()}",
        ]
    return playwright.chromium.launch(executable_path=CHROMIUM, args=args)


def webcam_check(url: str, fake_camera: Path) -> tuple[str, list[str]]:
    """Pick demo ID photo #001, take the live photo with the fake camera, read the decision.

    Returns the decision text and every URL the page requested (HTTP and WebSocket).
    """
    from playwright.sync_api import sync_playwright

    requested: list[str] = []
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright, fake_camera=fake_camera)
        context = browser.new_context(
            permissions=["camera"], viewport={"width": 1400, "height": 1800}
        )
        context.on("request", lambda request: requested.append(request.url))
        context.on("websocket", lambda socket: requested.append(socket.url))
        page = context.new_page()
        page.goto(url)
        page.wait_for_selector(IDLE, timeout=120_000)
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
        decision = page.get_by_text(re.compile(r"(Match|No match): "))
        decision.wait_for(timeout=60_000)
        text = decision.inner_text()
        browser.close()
    return text, requested
