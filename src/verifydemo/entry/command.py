"""The ``verifydemo`` command's first lines: Ctrl-C quits quietly from the very start, before
the heavy imports (numpy, OpenCV, dlib), which would otherwise end in a traceback."""

from __future__ import annotations

import signal
import sys


def main() -> int:
    """Run ``verifydemo``: until the command installs its own handling, Ctrl-C exits with 130
    and prints nothing."""
    signal.signal(signal.SIGINT, _quit)
    from verifydemo.entry.cli import main as run

    return run()


def _quit(signal_number: int, frame: object) -> None:
    sys.exit(128 + signal_number)
