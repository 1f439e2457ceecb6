"""Run the ``verifydemo`` command: in this process (fast, for most tests) or in a fresh Python
process, exactly as a person would run it."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys

from verifydemo.entry import cli


def run_cli(
    *args: str,
    fresh: bool = False,
    environment: dict[str, str] | None = None,
    timeout: float = 300,
) -> subprocess.CompletedProcess:
    """``verifydemo ARGS``: its exit code, standard output and standard error. ``environment``
    (for a fresh process) is laid over this one's, as a shell would."""
    if fresh or environment:
        return subprocess.run(
            [sys.executable, "-m", "verifydemo.entry.cli", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            env={**os.environ, **(environment or {})},
        )
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(list(args))
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 2
    return subprocess.CompletedProcess(["verifydemo", *args], code, out.getvalue(), err.getvalue())
