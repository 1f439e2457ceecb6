"""The ``verifydemo verify`` command, run as a person would run it."""

from __future__ import annotations

import json

import numpy as np
import pytest

from commands import run_cli
from verifydemo.datasets.reference import load_reference


def test_genuine_pair_exits_zero_and_says_match(demo_by_id):
    """The installed ``verifydemo`` script in a fresh process: the entry point and its exit
    code; the tests below call the same ``main`` in this process."""
    face = demo_by_id["025"]
    result = run_cli("verify", str(face.id_photo), str(face.live_photo), fresh=True)
    assert result.returncode == 0, result.stderr
    assert "decision:    match" in result.stdout
    assert "faces found: ID photo 1, live photo 1" in result.stdout


def test_impostor_pair_exits_one_with_json(demo_by_id):
    result = run_cli(
        "verify", str(demo_by_id["001"].id_photo), str(demo_by_id["061"].live_photo), "--json"
    )
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["decision"] == "no match"
    assert report["distance"] > report["threshold"] == 0.6
    assert report["faces_found"] == {"id": 1, "live": 1}
    pairs = load_reference().pair_scores()
    impostor = pairs.distances[~np.eye(102, dtype=bool)]
    genuine = np.diagonal(pairs.distances)
    low, high = report["distance"] - 5e-5, report["distance"] + 5e-5  # printed to 4 places
    close = report["reference_set"]["impostor_pairs_at_least_this_close"]
    far = report["reference_set"]["genuine_pairs_at_least_this_far"]
    assert (impostor <= low).sum() <= close["count"] <= (impostor <= high).sum()
    assert (genuine >= high).sum() <= far["count"] <= (genuine >= low).sum()
    assert (close["of"], far["of"]) == (10_302, 102)
    assert close["ci95"][0] <= close["share"] <= close["ci95"][1]


def test_threshold_option_changes_the_decision(demo_by_id):
    face = demo_by_id["001"]
    loose = json.loads(run_cli("verify", str(face.id_photo), str(face.live_photo), "--json").stdout)
    strict = run_cli(
        "verify",
        str(face.id_photo),
        str(face.live_photo),
        "--threshold",
        str(loose["distance"] - 0.01),
        "--json",
    )
    assert strict.returncode == 1
    assert json.loads(strict.stdout)["decision"] == "no match"


@pytest.mark.parametrize(
    ("make_input", "message"),
    [
        (lambda tmp: tmp / "missing.jpg", "cannot read"),
        (lambda tmp: _write(tmp / "text.jpg", b"not a photo"), "not an image"),
        (lambda tmp: _write(tmp / "empty.jpg", b""), "empty"),
    ],
)
def test_unusable_input_exits_two_with_one_line(tmp_path, demo_by_id, make_input, message):
    bad = make_input(tmp_path)
    result = run_cli("verify", str(demo_by_id["001"].id_photo), str(bad))
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]
    assert "Traceback" not in result.stderr


def test_photo_without_a_face_exits_two(tmp_path, demo_by_id):
    from PIL import Image

    blank = tmp_path / "wall.png"
    Image.new("RGB", (640, 480), (120, 130, 140)).save(blank)
    result = run_cli("verify", str(blank), str(demo_by_id["001"].live_photo))
    assert result.returncode == 2
    assert "No face found" in result.stderr and "wall.png" in result.stderr


def _write(path, data: bytes):
    path.write_bytes(data)
    return path
