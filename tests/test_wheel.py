"""The built wheel installs into a fresh environment and checks two demo faces outside the
checkout: the demo faces and the reference set travel inside the package."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from support import ROOT, require

pytestmark = pytest.mark.slow


def test_wheel_install_runs_verify_outside_the_checkout(tmp_path):
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
