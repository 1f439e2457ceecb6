"""``verifydemo classroom`` stopped by a signal at any moment (Ctrl-C, SIGTERM, or SIGHUP from a
closed terminal window), during the warm-up or while serving: the certificate folder and its key
are gone, the process has exited with 0, and it printed one line at most, never a traceback."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import ssl
import subprocess
import sys
import termios
import time
import urllib.request
from pathlib import Path

import pytest

from support import ROOT
from verifydemo.entry.live_server import free_port

pytestmark = pytest.mark.slow

START_TIMEOUT = 300
"""Seconds the launcher may take to reach the phase a test signals it in."""
STOP_TIMEOUT = 60
"""Seconds it may take, after the signal, to remove the folder and exit."""


def launch(temporary: Path, port: int, **streams) -> subprocess.Popen:
    """The launcher on ``port`` in its own session (as in a terminal window of its own, so a
    signal goes to its group), making its temporary files in ``temporary``."""
    environment = {
        **os.environ,
        "TMPDIR": str(temporary),
        "LC_ALL": "C.UTF-8",
        "PYTHONIOENCODING": "utf-8",
    }
    command = [sys.executable, "-m", "verifydemo.entry.cli", "classroom"]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    return subprocess.Popen(command, cwd=ROOT, env=environment, start_new_session=True, **streams)


def certificate_folders(temporary: Path) -> list[Path]:
    return list(temporary.glob("verifydemo-classroom-*"))


def has_key(temporary: Path) -> bool:
    return any((folder / "key.pem").exists() for folder in certificate_folders(temporary))


def wait_gone(launcher: subprocess.Popen, folder: Path) -> None:
    """Within STOP_TIMEOUT: the folder and its key are gone and the launcher has exited."""
    deadline = time.monotonic() + STOP_TIMEOUT
    while folder.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not (folder / "key.pem").exists()
    assert not folder.exists()
    launcher.wait(timeout=max(1.0, deadline - time.monotonic()))


def stop(launcher: subprocess.Popen) -> None:
    if launcher.poll() is None:
        os.killpg(launcher.pid, signal.SIGKILL)
        launcher.wait(timeout=30)


def printed(log: Path) -> str:
    return log.read_bytes().decode(errors="replace")


def wait_for(condition, launcher: subprocess.Popen, log: Path, what: str) -> None:
    """Poll ``condition`` until true; fail if the launcher exits or the time runs out first."""
    deadline = time.monotonic() + START_TIMEOUT
    while not condition():
        if launcher.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"launcher never reached {what}: {printed(log)[-3000:]}")
        time.sleep(0.1)


def healthy(url: str, folder: Path) -> bool:
    """Whether the server's health check answers over HTTPS with its own certificate."""
    try:
        trusted = ssl.create_default_context(cafile=str(folder / "cert.pem"))
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2, context=trusted) as answer:
            return answer.status == 200
    except OSError:
        return False


@pytest.mark.parametrize(
    ("signal_number", "phase"),
    [
        (signal.SIGHUP, "warm-up"),
        (signal.SIGHUP, "serving"),
        (signal.SIGINT, "warm-up"),
        (signal.SIGINT, "serving"),
        (signal.SIGTERM, "warm-up"),
    ],
    ids=["sighup-warm-up", "sighup-serving", "sigint-warm-up", "sigint-serving", "sigterm-warm-up"],
)
def test_a_signal_removes_the_certificate_folder_quietly(signal_number, phase, tmp_path):
    port = free_port()
    log = tmp_path / "printed.log"
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    with open(log, "wb") as output:
        launcher = launch(temporary, port, stdout=output, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: has_key(temporary), launcher, log, "the certificate")
        (folder,) = certificate_folders(temporary)
        if phase == "warm-up":
            wait_for(lambda: "Loading the page" in printed(log), launcher, log, "the warm-up")
            time.sleep(1)  # the server is loading the page
            assert "Page loaded" not in printed(log), "the warm-up ended before the signal"
        else:
            wait_for(lambda: "Press Ctrl-C to stop." in printed(log), launcher, log, "serving")
            url = f"https://127.0.0.1:{port}"
            wait_for(lambda: healthy(url, folder), launcher, log, "the health check")
        before = printed(log)
        os.killpg(launcher.pid, signal_number)
        wait_gone(launcher, folder)
        after = printed(log)
        assert after.startswith(before)
        assert "Traceback" not in after, after[-3000:]
        assert len(after[len(before) :].strip().splitlines()) <= 1, after[len(before) :]
        assert launcher.returncode == 0, after[-3000:]
    finally:
        stop(launcher)


def test_closing_its_terminal_while_serving_removes_the_certificate_folder(tmp_path):
    """The real thing behind SIGHUP: the launcher's controlling terminal goes away (the kernel
    hangs it up, and writing to it fails after)."""
    port = free_port()
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    window, its_end = pty.openpty()
    terminal = os.fdopen(window, "rb", buffering=0)
    shown = bytearray()
    launcher = launch(
        temporary,
        port,
        stdin=its_end,
        stdout=its_end,
        stderr=its_end,
        preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),
    )
    os.close(its_end)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not has_key(temporary) or not healthy(
            f"https://127.0.0.1:{port}", certificate_folders(temporary)[0]
        ):
            assert launcher.poll() is None and time.monotonic() < deadline, bytes(shown)[-3000:]
            # A terminal window shows all, so the launcher never blocks on a full terminal.
            while select.select([terminal], [], [], 0.1)[0]:
                shown.extend(terminal.read(65536))
        (folder,) = certificate_folders(temporary)
        terminal.close()
        wait_gone(launcher, folder)
        assert launcher.returncode == 0
    finally:
        terminal.close()
        stop(launcher)


@pytest.mark.parametrize("after", [0.05, 0.2, 0.5, 1.0])
def test_ctrl_c_in_the_first_second_prints_no_traceback(after, tmp_path):
    """The installed ``verifydemo`` command, interrupted while Python is still importing it
    (before the launcher's own handlers): no traceback, no certificate folder left."""
    command = Path(sys.executable).with_name("verifydemo")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    launcher = subprocess.Popen(
        [str(command), "classroom", "--host", "127.0.0.1", "--port", str(free_port())],
        cwd=tmp_path,
        env={**os.environ, "TMPDIR": str(temporary), "LC_ALL": "C.UTF-8"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        time.sleep(after)
        os.killpg(launcher.pid, signal.SIGINT)
        printed, _ = launcher.communicate(timeout=STOP_TIMEOUT)
    finally:
        stop(launcher)
    assert b"Traceback" not in printed, printed.decode(errors="replace")
    assert len(printed.decode(errors="replace").strip().splitlines()) <= 2
    assert launcher.returncode in (0, 128 + signal.SIGINT)
    assert certificate_folders(temporary) == []
