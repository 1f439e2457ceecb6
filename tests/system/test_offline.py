"""The app works with no network at all: server and browser inside a loopback-only namespace."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from browser import require_chromium

pytestmark = pytest.mark.browser
FLOW = Path(__file__).resolve().parents[1] / "helpers" / "offline_flow.py"


def namespace_available() -> bool:
    if shutil.which("unshare") is None or shutil.which("ip") is None:
        return False
    probe = subprocess.run(
        ["unshare", "-rn", "sh", "-c", "ip link set lo up"], capture_output=True, check=False
    )
    return probe.returncode == 0


@pytest.mark.parametrize("launcher", ["streamlit run", "classroom"])
def test_whole_check_and_a_liveness_recording_run_with_only_loopback(launcher):
    """Also for ``verifydemo classroom``: over HTTPS, the webcam works (a secure context) and
    nothing leaves loopback."""
    require_chromium()
    if not namespace_available():
        if os.environ.get("CI") == "true":
            pytest.fail("network namespaces (unshare -rn) must work in CI")
        pytest.skip("cannot create a network namespace here (unshare -rn)")
    argument = "classroom" if launcher == "classroom" else ""
    script = f"ip link set lo up && exec {sys.executable} {FLOW} {argument}"
    result = subprocess.run(
        ["unshare", "-rn", "sh", "-c", script],
        capture_output=True,
        text=True,
        timeout=400,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["interfaces"] == ["lo"]
    assert report["decision"].startswith("Match: the phone number is issued")
    assert 2 <= len(report["asked"]) <= 3
    assert [verdict.split(":")[0] for verdict in report["liveness"]] == report["asked"]
    origin = urlsplit(report["url"])
    assert report["requested"]
    for url in report["requested"]:
        # the liveness recorder's script is a blob: URL the page makes in its own memory
        parts = urlsplit(url.removeprefix("blob:"))
        assert (parts.hostname, parts.port) == (origin.hostname, origin.port), url
