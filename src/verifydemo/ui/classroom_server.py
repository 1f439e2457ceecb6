"""The server half of ``verifydemo classroom``: load the page in this process, then run
Streamlit's own server here, over HTTPS with the certificate made at start.

``verifydemo classroom`` replaces its process with ``python -m verifydemo.ui.classroom_server``
(``tools/`` sits below the page and never imports it), so the ID of the process, its signals
and its output stay those of the command the teacher typed.
"""

from __future__ import annotations

import argparse
import contextlib
import ipaddress
import os
import signal
import socket
import sys
import tempfile
import time
from collections.abc import Callable

from verifydemo.core.i18n import _, language_of_environment, set_language
from verifydemo.tools.classroom import (
    DEFAULT_PORT,
    Classroom,
    certificate_folder,
    lan_address,
    new_teacher_code,
    qr_text,
    server_options,
    set_current,
    url_of,
    write_certificate,
)
from verifydemo.tools.live_server import APP
from verifydemo.ui.startup import PAGE


def warm_up() -> float:
    """Run the page once in this process per language, as a first visitor would, and return the
    seconds it took. It imports the page's modules and fills what every session shares
    (``st.cache_resource``: the dlib models and the port, the demo faces, the reference set, its
    figures and charts), so the first student does not wait for them. The run's own session is
    discarded. (``streamlit run app.py`` preloads in its lifespan instead, ``ui/startup.py``:
    AppTest cannot run beside a live Streamlit runtime, and it makes a temporary folder, which
    here goes into the classroom's private folder.)"""
    import logging

    from streamlit.testing.v1 import AppTest

    # Outside a page run Streamlit warns once per cached call that there is no session.
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(
        logging.ERROR
    )
    started = time.perf_counter()
    for language in ("en", "zh"):
        page = AppTest.from_file(str(PAGE), default_timeout=600)
        page.query_params["lang"] = language
        page.run()
        if page.exception:
            raise RuntimeError(page.exception[0].message)
    return time.perf_counter() - started


def serve(
    address: str | None = None,
    port: int = DEFAULT_PORT,
    say: Callable[[str], None] = print,
) -> int:
    """Start the room and block until Ctrl-C, SIGTERM or SIGHUP (the terminal window closed);
    return the exit code: 2 if it cannot start, else 0, also when stopped by one of those
    signals at any moment, which removes the certificate folder and prints one line."""
    if not APP.exists():
        _complain(_("verifydemo: the classroom needs a checkout of verifydemo (app.py not found)"))
        return 2
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
    # Streamlit installs its own SIGINT and SIGTERM handlers once it serves, not SIGHUP's.
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGHUP, _hang_up)
    with contextlib.suppress(KeyboardInterrupt), certificate_folder() as folder:
        # Any temporary file of this process (Streamlit's AppTest makes an empty folder at
        # import) goes into the private folder too, and so is gone on exit.
        tempfile.tempdir = str(folder)
        cert, key = write_certificate(folder, address)
        classroom = Classroom(url_of(address, port), new_teacher_code())
        options = server_options(address, port, cert, key)
        _load_streamlit_config(options)
        set_current(classroom)  # before the warm-up, so it draws the classroom's page too
        say(_("Loading the page and the face model..."))
        seconds = warm_up()
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
        try:
            _run_streamlit(options)
        finally:
            _ignore_stop_signals()  # stopping already: let nothing cut the cleanup short
            set_current(None)
    with contextlib.suppress(OSError):  # the terminal window may be gone (SIGHUP)
        say(_("Stopped; the certificate folder is removed."))
    return 0


def _complain(message: str) -> None:
    """A one-line reason on standard error, as every ``verifydemo`` command gives one."""
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


def _interrupt(signal_number: int, frame: object) -> None:
    """Ctrl-C or SIGTERM before Streamlit serves: unwind (``KeyboardInterrupt``, which
    :func:`serve` stops quietly on) so the certificate folder goes; ignore any further signal
    meanwhile, so the cleanup runs to its end and prints no traceback."""
    _ignore_stop_signals()
    raise KeyboardInterrupt


def _hang_up(signal_number: int, frame: object) -> None:
    """SIGHUP: stop as SIGTERM does at this moment (:func:`_interrupt` before Streamlit serves,
    Streamlit's own stop while it serves), since by default SIGHUP kills the process at once
    and leaves the key behind."""
    signal.raise_signal(signal.SIGTERM)


def _ignore_stop_signals() -> None:
    """From here on, Ctrl-C, SIGTERM and SIGHUP do nothing."""
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, signal.SIG_IGN)


def _load_streamlit_config(options: dict[str, object]) -> None:
    """Streamlit's configuration for this process, as ``streamlit run app.py`` with ``options``
    as its flags would set it (before the warm-up run, so both see the same settings)."""
    from streamlit import config
    from streamlit.web import bootstrap

    config._main_script_path = str(APP)
    bootstrap.load_config_options(flag_options=options)


def _run_streamlit(options: dict[str, object]) -> None:
    """Streamlit's own server in this process, serving the page as ``streamlit run`` does;
    returns when it stops (Ctrl-C, SIGTERM or SIGHUP: Streamlit's own signal handler stops it).
    The page is loaded already, so this does not go through ``app.py``'s lifespan (under it,
    uvicorn raises the signal again after stopping, and can fail on a websocket still closing).
    Streamlit's own lines go nowhere: its URL repeats ours, and its "Stopping..." would be a
    second line at the stop (its log, on standard error, stays)."""
    from streamlit.web import bootstrap

    sys.stdout.flush()
    with open(os.devnull, "w") as nowhere, contextlib.redirect_stdout(nowhere):
        bootstrap.run(str(PAGE), False, [], options)


def main(argv: list[str] | None = None) -> int:
    """``python -m verifydemo.ui.classroom_server [--host ADDRESS] [--port N]``."""
    parser = argparse.ArgumentParser(prog="verifydemo classroom")
    parser.add_argument("--host", default=None)
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    args = parser.parse_args(argv)
    set_language(language_of_environment())
    return serve(args.host, args.port, lambda line: print(line, flush=True))


if __name__ == "__main__":
    sys.exit(main())
