"""``verifydemo classroom``: make the room's certificate, then serve the same app as
``streamlit run app.py`` over HTTPS on the computer's local-network address, until Ctrl-C.

The server is Streamlit's own command (``python -m streamlit run`` on the packaged
``ui/app.py``), given its settings as documented flags: the page's configuration, the room's
address and port, the certificate and its key. The room's address and teacher code reach the
page through the environment (``tools.classroom.current``). The app's lifespan loads the models
and the reference set before the health check answers (``ui/startup.py``), for both launchers.

The server runs in a session of its own, so a signal reaches only this launcher, which stops the
server, removes the certificate folder and prints one line: Ctrl-C, SIGTERM or SIGHUP (the
terminal window closed) at any moment leave no key behind and no traceback.
"""

from __future__ import annotations

import contextlib
import importlib.util
import ipaddress
import os
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from verifydemo.core.i18n import _
from verifydemo.tools.classroom import (
    DEFAULT_PORT,
    Classroom,
    certificate_folder,
    command_line_flags,
    environment_of,
    lan_address,
    new_teacher_code,
    qr_text,
    server_options,
    url_of,
    write_certificate,
)

APP = Path(importlib.util.find_spec("verifydemo.ui.app").origin)
"""The packaged app (``app.py`` in a checkout is the same one), found without importing it."""
START_TIMEOUT = 600
"""Seconds the server may take to load the models and answer its health check."""
STOP_TIMEOUT = 30
"""Seconds the server may take to stop before it is killed."""


class _Stop(Exception):
    """A stop signal arrived (Ctrl-C, SIGTERM, SIGHUP)."""


def serve(
    address: str | None = None,
    port: int = DEFAULT_PORT,
    say: Callable[[str], None] = print,
) -> int:
    """Start the room and block until Ctrl-C, SIGTERM or SIGHUP; return the exit code: 2 if it
    cannot start, else 0, also when stopped by one of those signals at any moment."""
    address = address or lan_address()
    try:
        ipaddress.ip_address(address)
    except ValueError:
        _complain(_("verifydemo: not an IP address: {address}", address=address))
        return 2
    if (reason := _cannot_serve(address, port)) is not None:
        _complain(
            _(
                "verifydemo: cannot serve on {address} port {port}: {reason}",
                address=address,
                port=port,
                reason=reason,
            )
        )
        return 2
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, _raise_stop)
    code = 0
    server: subprocess.Popen | None = None
    try:
        with certificate_folder() as folder:
            try:
                cert, key = write_certificate(folder, address)
                classroom = Classroom(url_of(address, port), new_teacher_code())
                say(_("Loading the page and the face model..."))
                started = time.perf_counter()
                server = _start_server(classroom, server_options(address, port, cert, key))
                if not _wait_until_healthy(server, classroom.url, cert):
                    _complain(_("verifydemo: the classroom server stopped while starting."))
                    return 2
                _announce(classroom, folder, time.perf_counter() - started, say)
                server.wait()
                _complain(_("verifydemo: the classroom server stopped."))
                code = 2
            finally:
                _ignore_stop_signals()  # stopping already: let nothing cut the cleanup short
                if server is not None:
                    stop_process_group(server)
    except _Stop:
        pass
    with contextlib.suppress(OSError):  # the terminal window may be gone (SIGHUP)
        if code == 0:
            say(_("Stopped; the certificate folder is removed."))
    return code


def _start_server(classroom: Classroom, options: dict[str, object]) -> subprocess.Popen:
    """``python -m streamlit run ui/app.py`` with ``options`` as flags, in a session of its
    own, the room in its environment. Its standard output (Streamlit's own "You can now view"
    lines, which would repeat ours) goes nowhere; its log, on standard error, stays."""
    command = [sys.executable, "-m", "streamlit", "run", str(APP), *command_line_flags(options)]
    return subprocess.Popen(
        command,
        env={**os.environ, **environment_of(classroom)},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )


def _wait_until_healthy(server: subprocess.Popen, url: str, cert: Path) -> bool:
    """Whether the server answered its health check over HTTPS, with its own certificate,
    before it exited or :data:`START_TIMEOUT` ran out."""
    trusted = ssl.create_default_context(cafile=str(cert))
    deadline = time.monotonic() + START_TIMEOUT
    while server.poll() is None and time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(
                f"{url}/_stcore/health", timeout=2, context=trusted
            ) as answer:
                if answer.status == 200:
                    return True
        except OSError:
            time.sleep(0.2)
    return False


def _announce(
    classroom: Classroom, folder: Path, seconds: float, say: Callable[[str], None]
) -> None:
    """What the teacher needs: the address, its QR code, the teacher code, the warning."""
    say(_("Page loaded in {seconds:.1f} s.", seconds=seconds))
    say(_("Students open: {url}", url=classroom.url))
    say(qr_text(classroom.url))
    say(_("Teacher code (keep it to yourself): {code}", code=classroom.teacher_code))
    say(
        _(
            "Browsers will warn that the certificate is not trusted: it was made just now "
            "by this computer. Students choose Advanced, then Proceed (README)."
        )
    )
    say(_("Certificate folder (removed on exit): {folder}", folder=folder))
    say(_("Press Ctrl-C to stop."))


def stop_process_group(process: subprocess.Popen, seconds: float = STOP_TIMEOUT) -> None:
    """SIGTERM to the process's group (Streamlit stops serving on it; while still loading,
    Python stops at once; strace stops with its tracee), then SIGKILL if it lingers."""
    for number in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, number)
        try:
            process.wait(timeout=seconds)
            return
        except subprocess.TimeoutExpired:
            continue


def _complain(message: str) -> None:
    """A one-line reason on standard error, as every ``verifydemo`` command gives one."""
    with contextlib.suppress(OSError):
        print(message, file=sys.stderr, flush=True)


def _cannot_serve(address: str, port: int) -> str | None:
    """Why the server could not listen on ``address``:``port`` (in use, not this computer's
    address, out of range), found before the slow start; None when it can."""
    family = socket.AF_INET6 if ipaddress.ip_address(address).version == 6 else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((address, port))
        except (OSError, OverflowError) as error:
            return getattr(error, "strerror", None) or str(error)
    return None


def _raise_stop(signal_number: int, frame: object) -> None:
    """A stop signal: unwind to :func:`serve`'s cleanup, ignoring any further one meanwhile."""
    _ignore_stop_signals()
    raise _Stop


def _ignore_stop_signals() -> None:
    """From here on, Ctrl-C, SIGTERM and SIGHUP do nothing."""
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, signal.SIG_IGN)
