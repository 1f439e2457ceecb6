"""``verifydemo evaluate`` on a small set the test builds from demo_faces/."""

from __future__ import annotations

import csv
import itertools
import json
import shutil

import numpy as np
import pytest
from PIL import Image

from commands import run_cli
from verifydemo.core.compare import distance
from verifydemo.metrics.error_rates import ScoreSet, error_rates

PEOPLE = ["001", "004", "025", "042", "030", "037"]


@pytest.fixture(scope="module")
def folder_set(tmp_path_factory, demo_by_id):
    root = tmp_path_factory.mktemp("people")
    for person_id in PEOPLE:
        folder = root / f"person{person_id}"
        folder.mkdir()
        shutil.copy(demo_by_id[person_id].id_photo, folder / f"person{person_id}_0001.jpg")
        shutil.copy(demo_by_id[person_id].live_photo, folder / f"person{person_id}_0002.jpg")
    return root


def expected_scores(embedded_demo_faces) -> ScoreSet:
    images = [(pid, embedded_demo_faces[pid][side].embedding) for pid in PEOPLE for side in (0, 1)]
    genuine, impostor = [], []
    for (first_id, first), (second_id, second) in itertools.combinations(images, 2):
        (genuine if first_id == second_id else impostor).append(distance(first, second))
    return ScoreSet.from_distances(np.array(genuine), np.array(impostor))


@pytest.mark.slow
def test_folder_set_gives_the_rates_of_its_pairs(folder_set, embedded_demo_faces):
    result = run_cli(
        "evaluate",
        str(folder_set),
        "--json",
        "--threshold",
        "0.6",
        "--threshold",
        "0.5",
        "--workers",
        "2",
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["genuine_pairs"], report["impostor_pairs"]) == (6, 60)
    expected = expected_scores(embedded_demo_faces)
    for row in report["at_thresholds"]:
        rates = error_rates(expected, row["threshold"])
        assert row["fmr"]["errors"] == rates.fmr.errors
        assert row["fnmr"]["errors"] == rates.fnmr.errors
    assert report["failures_to_acquire"]["images"] == 0
    assert report["people"] == len(PEOPLE)
    for row in report["at_thresholds"]:
        for name in ("fmr", "far"):
            low, high = row[name]["ci95_people"]
            assert 0.0 <= low <= row[name]["rate"] <= high <= 1.0, (name, row[name])
            assert row[name]["ci95_lead"] == row[name]["ci95_people"]
        for name in ("fnmr", "frr"):  # one genuine pair per person: Wilson's is the interval
            assert row[name]["ci95_people"] is None
            assert row[name]["ci95_lead"] == row[name]["ci95"]
            assert row[name]["ci95_lead"][1] > 0, "0 of 6 is not [0, 0]"
    assert "0.01" in report["threshold_for_fmr"]
    assert "images: [" in result.stderr


@pytest.mark.slow
def test_image_without_a_face_is_a_failure_to_acquire(folder_set, tmp_path):
    root = tmp_path / "set"
    shutil.copytree(folder_set, root)
    Image.new("RGB", (320, 240), (90, 90, 90)).save(root / "person001" / "person001_0003.jpg")
    result = run_cli("evaluate", str(root), "--json", "--workers", "1")
    report = json.loads(result.stdout)
    assert report["failures_to_acquire"]["images"] == 1
    assert report["failures_to_acquire"]["genuine_pairs"] == 2
    assert report["genuine_pairs"] == 6


@pytest.mark.slow
def test_lfw_pair_list(folder_set, embedded_demo_faces):
    pairs = folder_set / "pairs.txt"
    pairs.write_text("1\t2\nperson001\t1\t2\nperson001\t1\tperson042\t2\n")
    result = run_cli("evaluate", str(folder_set), "--pairs", str(pairs), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["genuine_pairs"], report["impostor_pairs"]) == (1, 1)
    assert report["people"] == 2, "the LFW names are the people"
    fmr = report["at_thresholds"][0]["fmr"]
    assert fmr["ci95_people"] is None, "one impostor pair: nobody recurs"
    assert fmr["ci95_lead"] == fmr["ci95"]


def test_score_csv_and_plot(tmp_path):
    scores_file = tmp_path / "scores.csv"
    with open(scores_file, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["score", "label"])
        writer.writerows([[0.3, 1], [0.5, 1], [0.7, 1], [0.4, 0], [0.8, 0], [0.9, 0], [1.0, 0]])
    plot = tmp_path / "rates.png"
    result = run_cli("evaluate", "--scores", str(scores_file), "--plot", str(plot))
    assert result.returncode == 0, result.stderr
    assert "FMR    25.00%  1 of 4 (95% CI" in result.stdout
    assert "FNMR   33.33%  1 of 3 (95% CI" in result.stdout
    assert (
        "threshold for FMR <= 1.0%: 0.400 (not measurable with 4 impostor pairs)" in result.stdout
    )
    assert "people: not known (add id_a,id_b columns" in result.stdout
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with Image.open(plot) as image:
        assert image.width > 300 and image.height > 400


def test_score_csv_without_people_has_no_people_interval(tmp_path):
    scores_file = tmp_path / "scores.csv"
    scores_file.write_text("score,label\n0.3,1\n0.7,0\n0.4,0\n")
    report = json.loads(run_cli("evaluate", "--scores", str(scores_file), "--json").stdout)
    assert report["people"] is None
    for name in ("fmr", "fnmr", "far", "frr"):
        assert report["at_thresholds"][0][name]["ci95_people"] is None


def test_score_csv_with_people_gets_intervals_that_resample_them(tmp_path):
    rng = np.random.default_rng(5)
    rows = ["score,label,id_a,id_b"]
    people = [f"p{number}" for number in range(12)]
    for a in people:
        rows.append(f"{rng.normal(0.4, 0.08):.4f},1,{a},{a}")
        for b in people:
            if a != b:
                close = 0.45 if "p0" in (a, b) else 0.8
                rows.append(f"{rng.normal(close, 0.05):.4f},0,{a},{b}")
    scores_file = tmp_path / "scores.csv"
    scores_file.write_text("\n".join(rows) + "\n")
    result = run_cli("evaluate", "--scores", str(scores_file), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["people"] == 12
    fmr = report["at_thresholds"][0]["fmr"]
    people_width = fmr["ci95_people"][1] - fmr["ci95_people"][0]
    pairs_width = fmr["ci95"][1] - fmr["ci95"][0]
    assert people_width > 2 * pairs_width, "one person causes the false matches"
    text = run_cli("evaluate", "--scores", str(scores_file)).stdout
    assert "if the volunteers were a different 12 people" in text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("score,label\n0.1,3\n", "labels"),
        ("a,b\n1,2\n", "score,label"),
        ("score,label\n0.2,1\n", "genuine and impostor"),
        ("score,label,id_a,id_b\n0.2,1,ann,bo\n0.5,0,ann,bo\n", "does not fit"),
    ],
)
def test_bad_score_files_exit_two_with_one_line(tmp_path, content, message):
    scores_file = tmp_path / "scores.csv"
    scores_file.write_text(content)
    result = run_cli("evaluate", "--scores", str(scores_file))
    assert result.returncode == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
