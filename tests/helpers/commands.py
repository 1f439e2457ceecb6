"""Run the ``verifydemo`` command: in this process (fast, for most tests) or in a fresh process
started from the installed ``verifydemo`` script, exactly as a person would run it.

A fresh process loads the face model again (seconds each), so it is kept for what only a
process shows: the installed entry point, an exit code as the shell sees it, stdout's encoding
under a locale, signals. Everything else runs ``cli.main`` here, in the language the given
environment asks for, with its output captured.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from verifydemo.core.i18n import current_language, set_language
from verifydemo.entry import cli

COMMAND = Path(sys.executable).with_name("verifydemo")
"""The ``verifydemo`` script this environment installed (``[project.scripts]``)."""


def run_cli(
    *args: str,
    fresh: bool = False,
    environment: dict[str, str] | None = None,
    timeout: float = 300,
) -> subprocess.CompletedProcess:
    """``verifydemo ARGS``: its exit code, standard output and standard error. ``environment``
    is laid over this one's, as a shell would: for a fresh process, or for the call here."""
    if fresh:
        return subprocess.run(
            [str(COMMAND), *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            env={**os.environ, **(environment or {})},
        )
    out, err = io.StringIO(), io.StringIO()
    with (
        environment_laid_over(environment or {}),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        try:
            code = cli.main(list(args))
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 2
    return subprocess.CompletedProcess(["verifydemo", *args], code, out.getvalue(), err.getvalue())


@contextlib.contextmanager
def environment_laid_over(environment: dict[str, str]) -> Iterator[None]:
    """``environment`` over ``os.environ`` for a while, as a fresh process would start with it:
    ``TMPDIR`` is read again (``tempfile`` keeps the first folder it found), and this thread's
    language (which ``cli.main`` sets from the locale variables) is put back after."""
    saved = {name: os.environ.get(name) for name in environment}
    spoken, temporary = current_language(), tempfile.tempdir
    os.environ.update(environment)
    if "TMPDIR" in environment:
        tempfile.tempdir = None
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        tempfile.tempdir = temporary
        set_language(spoken)
