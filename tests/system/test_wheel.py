"""The built wheel installs into a fresh environment and checks two demo faces outside the
checkout: the demo faces and the reference set travel inside the package."""

from __future__ import annotations

import asyncio
import json
import shutil
import ssl
import subprocess
import sys
from pathlib import Path

import pytest

from support import ROOT, require
from verifydemo.entry.live_server import classroom_server
from verifydemo.ui.load_client import page_run

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path]:
    """The built wheel installed into a fresh venv, and an empty folder outside the checkout."""
    tmp_path = tmp_path_factory.mktemp("wheel")
    uv = shutil.which("uv")
    require(uv is not None, "uv", "python3 -m pip install uv")
    dist = tmp_path / "dist"
    subprocess.run(
        [uv, "build", "--wheel", "--out-dir", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("verifydemo-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([uv, "venv", "--python", sys.executable, str(venv)], check=True)
    overrides = tmp_path / "overrides.txt"
    overrides.write_text("dlib; sys_platform == 'never'\n")
    subprocess.run(
        [
            uv,
            "pip",
            "install",
            "--python",
            str(venv / "bin" / "python"),
            "--override",
            str(overrides),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    return venv, elsewhere


def test_wheel_install_runs_verify_outside_the_checkout(installed):
    venv, elsewhere = installed
    script = (
        "import verifydemo, pathlib; faces = verifydemo.load_demo_faces(); "
        "print(faces[0].id_photo, faces[0].live_photo, faces[1].live_photo)"
    )
    listed = subprocess.run(
        [str(venv / "bin" / "python"), "-c", script],
        cwd=elsewhere,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert all(str(venv) in path for path in listed), listed
    id_photo, own_live, other_live = listed
    command = str(venv / "bin" / "verifydemo")
    same = subprocess.run(
        [command, "verify", id_photo, own_live, "--json"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
    )
    other = subprocess.run(
        [command, "verify", id_photo, other_live, "--json"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
    )
    assert same.returncode == 0, same.stderr
    assert json.loads(same.stdout)["decision"] == "match"
    assert other.returncode == 1, other.stderr
    assert json.loads(other.stdout)["decision"] == "no match"


def test_an_installed_wheel_serves_the_classroom_from_another_folder(installed):
    """``verifydemo classroom`` from the wheel, in a folder with no checkout: it serves HTTPS
    with its own certificate, and a visitor's run of the page shows the room's QR panel."""
    venv, elsewhere = installed
    with classroom_server(verifydemo=[str(venv / "bin" / "verifydemo")], cwd=elsewhere) as room:
        trusted = ssl.create_default_context(cafile=str(room.certificate_folder / "cert.pem"))
        drawn = asyncio.run(asyncio.wait_for(_drawn(room.url, trusted), 300))
    assert "exception {" not in drawn
    assert "QR code for the projector" in drawn
    assert "the phone number is issued" in drawn


async def _drawn(url: str, trusted: ssl.SSLContext) -> str:
    """Every element of one run of the page, as a browser opening ``url`` would get it."""
    return "\n".join([element async for element in page_run(url, trusted)])
