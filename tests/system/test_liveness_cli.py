"""``verifydemo liveness``: frames or one video in, a verdict and an exit code out."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from commands import run_cli
from hostile_inputs import hostile_files
from support import ROOT, write_frames
from verifydemo.core.decode import decode_image
from verifydemo.lessons.liveness_clips import printed_clip, synthesised_clip

JSON_KEYS = {"challenge", "passed", "flat_photo", "frames", "frames_with_face", "reason"}


def _write_video(path: Path, frames, fps: int = 10) -> Path:
    """An MPEG-4 video of ``frames`` (RGB), written by OpenCV as test input."""
    height, width = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, (width, height))
    for frame in frames:
        writer.write(cv2.cvtColor(frame, cv2.COLOR_RGB2BGR))
    writer.release()
    return path


@pytest.fixture(scope="module")
def id_photo(demo_by_id):
    return decode_image(demo_by_id["001"].id_photo.read_bytes())


@pytest.fixture(scope="module")
def fake_video_clip(id_photo):
    return synthesised_clip(id_photo)


def test_a_printed_photo_fails_the_blink_challenge_with_exit_one(tmp_path, id_photo):
    paths = write_frames(tmp_path, printed_clip(id_photo, frames=8))
    result = run_cli("liveness", *paths, "--challenge", "blink", "--json")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert set(report) == JSON_KEYS
    assert report["challenge"] == "blink" and report["passed"] is False
    assert report["frames"] == report["frames_with_face"] == 8
    assert report["flat_photo"] is None
    assert "blink" in report["reason"].lower()


def test_the_fake_video_as_frames_passes_the_mouth_challenge_with_exit_zero(
    tmp_path, fake_video_clip
):
    paths = write_frames(tmp_path, fake_video_clip)
    result = run_cli("liveness", *paths, "--challenge", "mouth")
    assert result.returncode == 0, result.stderr
    assert "decision:    passed" in result.stdout
    assert f"in {len(paths)} of {len(paths)} frames" in result.stdout


def test_one_video_file_is_decoded_in_memory_and_judged(tmp_path, fake_video_clip):
    video = _write_video(tmp_path / "clip.mp4", fake_video_clip)
    result = run_cli("liveness", str(video), "--challenge", "blink", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["passed"] is True and report["frames"] == len(fake_video_clip)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clip.mp4"]  # nothing else written


def test_a_video_of_fewer_than_five_frames_is_unusable(tmp_path, fake_video_clip):
    video = _write_video(tmp_path / "short.mp4", fake_video_clip[:3])
    result = run_cli("liveness", str(video), "--challenge", "blink")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "too few" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def _garbage(tmp: Path) -> list[str]:
    (tmp / "clip.mp4").write_bytes(b"this is not a video at all" * 40)
    return [str(tmp / "clip.mp4")]


def _four_frames(tmp: Path) -> list[str]:
    face = decode_image((ROOT / "demo_faces" / "001_id.jpg").read_bytes())
    return write_frames(tmp, [face] * 4)


def _no_face(tmp: Path) -> list[str]:
    return write_frames(tmp, [np.full((240, 320, 3), shade, np.uint8) for shade in range(5)])


def _one_bad_frame(tmp: Path) -> list[str]:
    paths = _no_face(tmp)
    Path(paths[2]).write_bytes(b"broken")
    return paths


@pytest.mark.parametrize(
    ("make_input", "message"),
    [
        (lambda tmp: [str(tmp / "missing.mp4")], "cannot read"),
        (_garbage, "not a readable video"),
        (_four_frames, "too few"),
        (_no_face, "no face"),
        (_one_bad_frame, "frame_002.png"),
    ],
)
def test_unusable_input_exits_two_with_one_line_and_no_traceback(tmp_path, make_input, message):
    result = run_cli("liveness", *make_input(tmp_path), "--challenge", "turn", "--json")
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_a_fresh_process_says_one_line_for_a_file_that_is_not_a_clip(tmp_path):
    result = run_cli("liveness", *_garbage(tmp_path), "--challenge", "nod", fresh=True)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_an_unknown_challenge_is_refused_by_the_parser(tmp_path):
    result = run_cli("liveness", *_no_face(tmp_path), "--challenge", "smile")
    assert result.returncode == 2
    assert "smile" in result.stderr


def test_video_frames_are_scaled_down_and_counted_as_they_are_decoded(tmp_path):
    from verifydemo.core.errors import UnusableInput
    from verifydemo.core.video import MAX_VIDEO_SIDE, decode_video

    big = [np.full((1080, 1920, 3), 40 * index, np.uint8) for index in range(4)]
    video = _write_video(tmp_path / "big.mp4", big)
    frames = decode_video(video)
    assert len(frames) == 4
    assert frames[0].shape == (720, MAX_VIDEO_SIDE, 3) and frames[0].dtype == np.uint8
    assert frames[3].mean() == pytest.approx(120, abs=3)
    with pytest.raises(UnusableInput, match="more than 3 frames"):
        decode_video(video, max_frames=3)


@pytest.mark.parametrize(
    "item", hostile_files(ROOT / "demo_faces" / "001_id.jpg"), ids=lambda item: item.name
)
def test_any_hostile_single_file_exits_two_with_one_line(item, tmp_path):
    """One file is read as an image, else as a video: either way a hostile file, or a single
    photo (too few frames), ends in one line on stderr and exit 2."""
    path = tmp_path / "clip.bin"
    path.write_bytes(item.data)
    result = run_cli("liveness", str(path), "--challenge", "blink")
    assert result.returncode == 2, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
