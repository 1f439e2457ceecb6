"""Issues #22 (7a) and #23: ``verifydemo evaluate`` counts a set before it pairs or decodes it,
and refuses one past its bounds in one line; every command's ``--json`` output is JSON."""

from __future__ import annotations

import json
import shutil

import pytest

from commands import run_cli
from support import write_frames
from verifydemo.core.decode import decode_image
from verifydemo.lessons.liveness import CHALLENGES, check_challenge, measure_frames
from verifydemo.lessons.liveness_clips import ATTACKS, attack_clip, printed_clip
from verifydemo.metrics import evaluation


@pytest.fixture
def no_decoding(monkeypatch):
    """Fail the test if ``evaluate`` reaches the step that decodes and embeds images."""

    def refuse(*args, **kwargs):
        raise AssertionError("evaluate started decoding images before refusing the set")

    monkeypatch.setattr(evaluation, "parallel_map", refuse)


@pytest.fixture
def no_pairs_built(monkeypatch, no_decoding):
    """...nor builds a single pair."""

    def refuse(*args, **kwargs):
        raise AssertionError("evaluate built pairs before refusing the set")

    monkeypatch.setattr(evaluation, "Pair", refuse)


def one_line_refusal(result) -> str:
    """The refusal's one line on stderr, after checking exit 2, no output and no traceback."""
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


# --- evaluate DIR --------------------------------------------------------------------------------


def test_a_folder_tree_with_too_many_pairs_is_refused_before_pairing(tmp_path, no_pairs_built):
    """1,000 people with 3 empty files each: 4.5 million pairs, refused from the listing alone
    (the files are empty, so decoding them would end in 'no face', not in the bound)."""
    for number in range(1000):
        folder = tmp_path / f"person{number:04}"
        folder.mkdir()
        for image in range(3):
            (folder / f"{image}.jpg").touch()
    line = one_line_refusal(run_cli("evaluate", str(tmp_path), "--json"))
    for count in ("3,000 images", "1,000 people", "3,000 genuine", "4,495,500 impostor"):
        assert count in line
    assert f"{evaluation.MAX_PAIRS:,}" in line


def test_a_folder_tree_with_too_many_images_is_refused_while_listing(
    tmp_path, monkeypatch, no_pairs_built
):
    monkeypatch.setattr(evaluation, "MAX_IMAGES", 5)
    for person in ("ann", "bo"):
        (tmp_path / person).mkdir()
        for image in range(3):
            (tmp_path / person / f"{image}.png").touch()
    line = one_line_refusal(run_cli("evaluate", str(tmp_path)))
    assert "more than 5 images" in line


def test_pair_counts_are_counted_not_built():
    assert evaluation.pair_counts([3, 3, 1]) == (6, 15)
    assert evaluation.pair_counts([]) == (0, 0)
    assert evaluation.pair_counts([2] * 5000) == (5000, 49_990_000)
    with pytest.raises(ValueError, match="negative"):
        evaluation.pair_counts([2, -1])


# --- evaluate DIR --pairs FILE -------------------------------------------------------------------


def test_a_pair_list_with_too_many_lines_is_refused_before_pairing(tmp_path, no_pairs_built):
    pairs = tmp_path / "pairs.txt"
    pairs.write_text("1\t2\n" + "ann\t1\t2\n" * (evaluation.MAX_PAIRS + 1))
    line = one_line_refusal(run_cli("evaluate", str(tmp_path), "--pairs", str(pairs)))
    assert f"more than {evaluation.MAX_PAIRS:,} pairs" in line


def test_a_pair_list_too_large_to_read_is_refused_by_its_size(tmp_path, no_pairs_built):
    pairs = tmp_path / "pairs.txt"
    with open(pairs, "wb") as handle:  # sparse: no disk used, and never read
        handle.truncate(evaluation.MAX_LIST_BYTES + 1)
    line = one_line_refusal(run_cli("evaluate", str(tmp_path), "--pairs", str(pairs)))
    assert f"{evaluation.MAX_LIST_BYTES + 1:,} bytes" in line
    assert f"{evaluation.MAX_LIST_BYTES:,}" in line


def test_a_pair_list_naming_too_many_images_is_refused_before_decoding(tmp_path, no_decoding):
    pairs = tmp_path / "pairs.txt"
    lines = (f"ann\t{2 * k + 1}\t{2 * k + 2}\n" for k in range(evaluation.MAX_IMAGES // 2 + 1))
    pairs.write_text("".join(lines))
    line = one_line_refusal(run_cli("evaluate", str(tmp_path), "--pairs", str(pairs)))
    assert f"{2 * (evaluation.MAX_IMAGES // 2 + 1):,} images" in line
    assert f"{evaluation.MAX_IMAGES:,}" in line


def test_a_pair_list_of_too_many_people_is_refused_before_decoding(
    tmp_path, monkeypatch, no_decoding
):
    monkeypatch.setattr(evaluation, "MAX_PEOPLE", 3)
    pairs = tmp_path / "pairs.txt"
    pairs.write_text("ann\t1\t2\nann\t1\tbo\t1\ncy\t1\tdi\t1\n")
    line = one_line_refusal(run_cli("evaluate", str(tmp_path), "--pairs", str(pairs)))
    assert "4 people" in line and "at most 3" in line


def test_a_pair_list_that_is_not_text_is_refused_in_one_line(tmp_path, no_pairs_built):
    pairs = tmp_path / "pairs.txt"
    pairs.write_bytes(b"ann\t1\t2\n\xff\xfe\x00garbage\n")
    line = one_line_refusal(run_cli("evaluate", str(tmp_path), "--pairs", str(pairs)))
    assert "UTF-8" in line


# --- evaluate --scores FILE ----------------------------------------------------------------------


def test_a_score_file_with_too_many_rows_is_refused(tmp_path, no_decoding):
    scores = tmp_path / "scores.csv"
    half = evaluation.MAX_PAIRS // 2 + 1
    scores.write_text("score,label\n" + "0.3,1\n" * half + "0.8,0\n" * half)
    line = one_line_refusal(run_cli("evaluate", "--scores", str(scores), "--json"))
    assert f"more than {evaluation.MAX_PAIRS:,} scores" in line


def test_a_score_file_too_large_to_read_is_refused_by_its_size(tmp_path):
    scores = tmp_path / "scores.csv"
    with open(scores, "wb") as handle:
        handle.truncate(evaluation.MAX_LIST_BYTES + 1)
    line = one_line_refusal(run_cli("evaluate", "--scores", str(scores)))
    assert f"{evaluation.MAX_LIST_BYTES + 1:,} bytes" in line


def test_a_score_file_naming_too_many_people_is_refused_before_resampling(tmp_path):
    """The intervals over people hold people x people matrices: too many people is refused
    before they are made."""
    rows = ["score,label,id_a,id_b", "0.3,1,a0,a0"]
    rows += [f"0.8,0,a{k},b{k}" for k in range(evaluation.MAX_PEOPLE // 2 + 1)]
    scores = tmp_path / "scores.csv"
    scores.write_text("\n".join(rows) + "\n")
    line = one_line_refusal(run_cli("evaluate", "--scores", str(scores), "--json"))
    assert f"{2 * (evaluation.MAX_PEOPLE // 2 + 1):,} people" in line
    assert f"{evaluation.MAX_PEOPLE:,}" in line


def test_a_score_file_with_a_huge_field_is_refused_in_one_line(tmp_path):
    scores = tmp_path / "scores.csv"
    scores.write_text("score,label\n" + "9" * 200_000 + ",1\n0.5,0\n")
    line = one_line_refusal(run_cli("evaluate", "--scores", str(scores)))
    assert "score,label" in line


# --- every --json output is JSON -----------------------------------------------------------------


def strict_json(text: str):
    """``text`` parsed as standard JSON: no NaN or Infinity, which are not JSON."""

    def refuse(constant: str):
        raise ValueError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)


@pytest.fixture(scope="module")
def id_photo(demo_by_id):
    return decode_image(demo_by_id["001"].id_photo.read_bytes())


def test_liveness_json_for_a_still_print_and_the_mouth_challenge(tmp_path, id_photo):
    """Issue #23: the mouth check's verdict was a numpy bool, which ``json`` cannot write."""
    paths = write_frames(tmp_path, printed_clip(id_photo, frames=8))
    result = run_cli("liveness", *paths, "--challenge", "mouth", "--json")
    assert result.returncode == 1, result.stderr
    report = strict_json(result.stdout)
    assert report["passed"] is False and report["challenge"] == "mouth"


def test_a_challenge_result_holds_plain_python_values(id_photo):
    measures = measure_frames(printed_clip(id_photo, frames=8))
    for challenge in CHALLENGES:
        result = check_challenge(measures, challenge)
        for name in ("passed", "action_seen", "same_face"):
            assert type(getattr(result, name)) is bool, (challenge, name)
        assert result.flat_photo is None or type(result.flat_photo) is bool
        assert result.flat_residual is None or type(result.flat_residual) is float
        assert type(result.frames) is int and type(result.frames_with_face) is int


@pytest.mark.slow
@pytest.mark.parametrize("attack", ATTACKS)
def test_liveness_json_for_every_challenge_on_every_built_in_clip(tmp_path, id_photo, attack):
    paths = write_frames(tmp_path / attack, attack_clip(attack, id_photo))
    for challenge in CHALLENGES:
        result = run_cli("liveness", *paths, "--challenge", challenge, "--json")
        assert result.returncode in (0, 1), (challenge, result.stderr)
        report = strict_json(result.stdout)
        assert report["challenge"] == challenge
        assert report["passed"] is (result.returncode == 0)


def test_verify_json_on_demo_faces(demo_by_id):
    for first, second in (("001", "001"), ("001", "061")):
        result = run_cli(
            "verify", str(demo_by_id[first].id_photo), str(demo_by_id[second].live_photo), "--json"
        )
        assert result.returncode in (0, 1), result.stderr
        report = strict_json(result.stdout)
        assert report["decision"] == ("match" if result.returncode == 0 else "no match")


def test_evaluate_json_on_demo_faces_and_on_a_score_file(tmp_path, demo_by_id):
    root = tmp_path / "people"
    for person_id in ("001", "061"):
        (root / person_id).mkdir(parents=True)
        shutil.copy(demo_by_id[person_id].id_photo, root / person_id / "id.jpg")
        shutil.copy(demo_by_id[person_id].live_photo, root / person_id / "live.jpg")
    result = run_cli("evaluate", str(root), "--json", "--workers", "1")
    assert result.returncode == 0, result.stderr
    report = strict_json(result.stdout)
    assert (report["genuine_pairs"], report["impostor_pairs"]) == (2, 4)
    assert isinstance(report["eer"]["separated"], bool)

    scores = tmp_path / "scores.csv"
    scores.write_text("score,label,id_a,id_b\n0.3,1,a,a\n0.7,0,a,b\n0.5,0,b,a\n0.2,1,b,b\n")
    result = run_cli("evaluate", "--scores", str(scores), "--json")
    assert result.returncode == 0, result.stderr
    assert strict_json(result.stdout)["people"] == 2
