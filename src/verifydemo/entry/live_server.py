"""Start the real Streamlit server and Debian's Chromium: for the browser tests and the benchmark.

Playwright is a development dependency; only the functions that drive a browser import it.
"""

from __future__ import annotations

import os
import shutil
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

from verifydemo.entry.classroom import APP, stop_process_group

CHROMIUM = os.environ.get("VERIFYDEMO_CHROMIUM") or shutil.which("chromium") or "chromium"
"""The browser the tests and the benchmark drive: ``VERIFYDEMO_CHROMIUM``, else ``chromium`` on
the PATH (Debian's package)."""
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
    extra_env: dict[str, str] | None = None,
    wrapper: list[str] | None = None,
    app: Path = APP,
) -> Iterator[RunningServer]:
    """Run ``streamlit run`` on ``app`` with the page's settings, on 127.0.0.1 and a free port, in
    its own process group; stop the group after.

    ``wrapper`` goes in front of the command (``strace ...``, say). The server's output goes to
    a temporary log so a full pipe can never stall it.
    """
    from verifydemo.tools.classroom import command_line_flags, page_options

    port = free_port()
    options = {**page_options(), "server.address": "127.0.0.1", "server.port": port}
    command = [
        *(wrapper or []),
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        *command_line_flags(options),
    ]
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(
            command,
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
    """Chromium and Playwright are both here."""
    if not Path(CHROMIUM).exists():
        return False
    try:
        import playwright  # noqa: F401
    except ImportError:
        return False
    return True


@dataclass(frozen=True)
class RunningClassroom:
    """A launcher started by :func:`classroom_server`: what it printed, parsed."""

    url: str
    pid: int
    teacher_code: str
    certificate_folder: Path
    qr: str
    """The QR code as printed (block characters)."""


@contextmanager
def classroom_server(
    port: int | None = None,
    wrapper: list[str] | None = None,
    extra_env: dict[str, str] | None = None,
    timeout: float = 300,
    verifydemo: list[str] | None = None,
    cwd: Path | None = None,
) -> Iterator[RunningClassroom]:
    """Run ``verifydemo classroom --host 127.0.0.1`` (in English) in its own process group
    until it says it serves (it says so once its health check answers over HTTPS with its own
    certificate); stop it with Ctrl-C
    (SIGINT to its process group) after. For the tests and the benchmark; ``wrapper`` goes in
    front (strace); ``verifydemo`` is the command (this Python's, unless an installed one's),
    run in ``cwd``."""
    import re

    port = port or free_port()
    command = [
        *(wrapper or []),
        *(verifydemo or [sys.executable, "-m", "verifydemo.entry.cli"]),
        "classroom",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    environment = {
        **os.environ,
        **(extra_env or {}),
        "LC_ALL": "C.UTF-8",
        "PYTHONIOENCODING": "utf-8",
    }
    with tempfile.TemporaryFile() as log:
        launcher = subprocess.Popen(
            command,
            cwd=cwd,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + timeout
            printed = ""
            while "Press Ctrl-C to stop." not in printed:
                if launcher.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"classroom did not start: {printed[-3000:]}")
                time.sleep(0.1)
                log.seek(0)
                printed = log.read().decode(errors="replace")
            url = re.search(r"Students open: (https://\S+)", printed)[1]
            code = re.search(r"Teacher code \(keep it to yourself\): (\S+)", printed)[1]
            folder = Path(re.search(r"Certificate folder \(removed on exit\): (\S+)", printed)[1])
            qr = printed.split(url, 1)[1].split("Teacher code", 1)[0].strip("\n")
            yield RunningClassroom(url, launcher.pid, code, folder, qr)
            _stop(launcher)
            log.seek(0)
            if launcher.returncode != 0:
                raise RuntimeError(f"classroom failed to stop: {log.read().decode()[-3000:]}")
        finally:
            _stop(launcher)


def _stop(launcher) -> None:
    """Ctrl-C to the launcher's process group, then, if it lingers, SIGTERM and SIGKILL."""
    if launcher.poll() is None:
        os.killpg(launcher.pid, signal.SIGINT)  # what Ctrl-C in a terminal sends
        try:
            launcher.wait(timeout=30)
        except subprocess.TimeoutExpired:
            stop_process_group(launcher)
