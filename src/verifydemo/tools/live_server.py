"""Start the real Streamlit server and Debian's Chromium: for the browser tests and the benchmark.

Playwright is a development dependency; only the functions that drive a browser import it.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[3]
"""The checkout: ``streamlit run app.py`` runs from a source tree, not from an installed wheel."""
APP = ROOT / "app.py"
"""The entry ``streamlit run`` is given (it serves ``ui/page.py``)."""
CHROMIUM = "/usr/bin/chromium"
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@dataclass(frozen=True)
class RunningServer:
    url: str
    pid: int
    log: IO[bytes]
    """Everything the server has printed so far (standard output and error)."""

    def output(self) -> str:
        """Read without moving the file's offset, which the server shares to write."""
        descriptor = self.log.fileno()
        return os.pread(descriptor, os.fstat(descriptor).st_size, 0).decode(errors="replace")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def streamlit_server(
    extra_env: dict[str, str] | None = None, wrapper: list[str] | None = None
) -> Iterator[RunningServer]:
    """Run ``streamlit run app.py`` on a free port in its own process group; stop the group after.

    ``wrapper`` goes in front of the command (``strace ...``, say). The server's output goes to
    a temporary log so a full pipe can never stall it.
    """
    port = free_port()
    command = [
        *(wrapper or []),
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.port",
        str(port),
    ]
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, **(extra_env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until_healthy(url, server, log)
            yield RunningServer(url, server.pid, log)
        finally:
            stop_process_group(server)


def wait_until_healthy(url: str, server: subprocess.Popen, log, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"streamlit exited: {log.read().decode(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"streamlit did not answer at {url} within {timeout} s")


def stop_process_group(process: subprocess.Popen) -> None:
    """Stop a server and everything it started (strace and its tracee, say)."""
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 15)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def launch_chromium(playwright, fake_camera: Path | None = None):
    """Debian's Chromium, headless, with no background traffic; a fake camera if asked."""
    args = list(CHROMIUM_FLAGS)
    if fake_camera is not None:
        args += [
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={Path(fake_camera).resolve()}",
        ]
    return playwright.chromium.launch(executable_path=CHROMIUM, args=args)


def chromium_available() -> bool:
    """Debian's Chromium, Playwright and the checkout's page are all here."""
    if not Path(CHROMIUM).exists() or not APP.exists():
        return False
    try:
        import playwright  # noqa: F401
    except ImportError:
        return False
    return True
