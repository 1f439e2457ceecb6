"""Run the ``verifydemo`` command as a person would, in a fresh Python process."""

from __future__ import annotations

import subprocess
import sys


def run_cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """``verifydemo ARGS`` in a fresh Python process, as a person would run it."""
    return subprocess.run(
        [sys.executable, "-m", "verifydemo.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
