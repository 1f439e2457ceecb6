"""Issue #22: every liveness path checks frame count, bytes and pixel size before decoding, and
decodes frames no larger than the checks need; the built-in clips keep their verdicts."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from support import image_bytes
from verifydemo.core.decode import decode_image
from verifydemo.core.errors import UnusableInput
from verifydemo.entry import cli
from verifydemo.lessons.liveness import (
    CHALLENGES,
    MAX_CLIP_FRAMES,
    MAX_FRAME_SIDE,
    MAX_MISSING_FRAMES,
    check_challenge,
    frames_from_files,
    measure_frames,
)
from verifydemo.lessons.liveness_clips import ATTACKS, attack_clip
from verifydemo.pictures.drawing import letterbox
from verifydemo.ui.liveness_capture import (
    DATA_URL_PREFIX,
    FRAMES_PER_CHALLENGE,
    MAX_FRAME_CHARS,
    read_clip,
)

CHOSEN = ("blink", "mouth", "turn")


@pytest.fixture(scope="module")
def live_photo(demo_by_id) -> np.ndarray:
    return decode_image(demo_by_id["001"].live_photo.read_bytes())


def data_url(rgb: np.ndarray) -> str:
    return DATA_URL_PREFIX + base64.b64encode(image_bytes(rgb, quality=70)).decode()


def message(image: str, per_challenge: int, challenges: tuple[str, ...] = CHOSEN) -> str:
    """The recorder's message: ``per_challenge`` copies of ``image`` for each challenge."""
    frames = [{"challenge": c, "image": image} for c in challenges for _ in range(per_challenge)]
    return json.dumps({"attempt": "now", "frames": frames})


# --- The page --------------------------------------------------------------------------------


def test_the_recorder_sends_what_the_page_accepts_and_no_more(live_photo):
    frame = data_url(letterbox(live_photo, 640, 480))
    clip = read_clip(message(frame, FRAMES_PER_CHALLENGE), "now", CHOSEN)
    assert [len(clip.frames_of(c)) for c in CHOSEN] == [FRAMES_PER_CHALLENGE] * 3
    with pytest.raises(UnusableInput, match=f"more than {FRAMES_PER_CHALLENGE} frames") as refused:
        read_clip(message(frame, FRAMES_PER_CHALLENGE + 1), "now", CHOSEN)
    assert "\n" not in str(refused.value)
    lopsided = message(frame, FRAMES_PER_CHALLENGE + 1, ("blink",))  # fewer than the total
    with pytest.raises(UnusableInput, match="frames per challenge"):
        read_clip(lopsided, "now", CHOSEN)


@pytest.mark.parametrize("challenge", [["blink"], {"a": 1}, 3, None])
def test_a_frame_naming_no_challenge_is_refused_in_one_line(live_photo, challenge):
    frame = data_url(letterbox(live_photo, 640, 480))
    crafted = json.dumps({"attempt": "now", "frames": [{"challenge": challenge, "image": frame}]})
    with pytest.raises(UnusableInput, match="could not be read"):
        read_clip(crafted, "now", CHOSEN)


def test_issue_22s_crafted_recording_is_refused_before_any_frame_is_decoded():
    grey = data_url(np.full((960, 1280, 3), 128, np.uint8))
    with pytest.raises(UnusableInput, match="frames per challenge"):
        read_clip(message(grey, 40), "now", CHOSEN)  # 120 frames, as in the issue


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("x" * 20_000_000, "MB, more than the recorder sends"),
        (message(DATA_URL_PREFIX + "A" * MAX_FRAME_CHARS, 1), "not a JPEG image of a usable size"),
    ],
    ids=["message too long", "frame too large"],
)
def test_a_message_or_frame_over_its_byte_bound_gets_one_line(text, reason):
    with pytest.raises(UnusableInput, match=reason) as refused:
        read_clip(text, "now", CHOSEN)
    assert "\n" not in str(refused.value)


def test_large_frames_are_decoded_scaled_down_to_what_the_checks_need(live_photo):
    big = data_url(letterbox(live_photo, 1280, 960))
    clip = read_clip(message(big, FRAMES_PER_CHALLENGE), "now", CHOSEN)
    for challenge in CHOSEN:
        frames = clip.decoded_frames(challenge)
        assert len(frames) == FRAMES_PER_CHALLENGE
        assert {frame.shape for frame in frames} == {(480, MAX_FRAME_SIDE, 3)}
    small = data_url(letterbox(live_photo, 320, 240))  # smaller ones are kept as they are
    (frame, *_others) = read_clip(message(small, 5), "now", CHOSEN).decoded_frames("mouth")
    assert frame.shape == (240, 320, 3)


def test_a_frame_claiming_more_pixels_than_the_recorder_draws_is_refused():
    huge = data_url(np.full((2000, 2000, 3), 128, np.uint8))  # a small JPEG of a huge picture
    clip = read_clip(message(huge, 5), "now", CHOSEN)
    with pytest.raises(UnusableInput, match="over the limit of 1 megapixels"):
        clip.decoded_frames("blink")


def test_frames_after_a_long_gap_are_still_measured(live_photo):
    """Past MAX_MISSING_FRAMES frames without a face the tracker looks more cheaply, but a
    face that comes back is still found, for the traces."""
    face = letterbox(live_photo, 640, 480)
    grey = np.full_like(face, 128)
    gap = MAX_MISSING_FRAMES + 3
    measures = measure_frames([face] * 5 + [grey] * gap + [face] * 5)
    assert [m.has_face for m in measures] == [True] * 5 + [False] * gap + [True] * 5
    result = check_challenge(measures, "blink")
    assert not result.passed and not result.same_face and result.frames_with_face == 10


# --- The command line ------------------------------------------------------------------------


def write_png(path: Path, rgb: np.ndarray) -> Path:
    path.write_bytes(image_bytes(rgb, "PNG", compress_level=1))
    return path


def test_more_frames_than_the_bound_exit_two_with_one_line(tmp_path, capsys, live_photo):
    frame = str(write_png(tmp_path / "frame.png", letterbox(live_photo, 640, 480)))
    code = cli.main(["liveness", *[frame] * (MAX_CLIP_FRAMES + 1), "--challenge", "blink"])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and f"{MAX_CLIP_FRAMES + 1} frames are too many" in lines[0], err


@pytest.mark.slow
def test_huge_png_frames_are_decoded_scaled_down(tmp_path, capsys, live_photo):
    huge = write_png(tmp_path / "huge.png", cv2.resize(live_photo, (6000, 6000)))
    frames = frames_from_files([huge] * 3)
    assert len(frames) == 3
    assert {frame.shape for frame in frames} == {(MAX_FRAME_SIDE, MAX_FRAME_SIDE, 3)}
    code = cli.main(["liveness", *[str(huge)] * 5, "--challenge", "blink", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1 and report["frames"] == report["frames_with_face"] == 5  # a photo: no blink


# --- The built-in clips keep their verdicts --------------------------------------------------


@pytest.mark.slow
def test_built_in_clips_read_from_files_keep_the_verdicts_the_lab_teaches(tmp_path, demo_by_id):
    photo = decode_image(demo_by_id["001"].id_photo.read_bytes())
    passed = {}
    for attack in ATTACKS:
        clip = attack_clip(attack, photo)
        paths = [write_png(tmp_path / f"{attack}_{i:02}.png", f) for i, f in enumerate(clip)]
        frames = frames_from_files(paths)
        assert all(np.array_equal(a, b) for a, b in zip(frames, clip, strict=True))
        measures = measure_frames(frames)
        for challenge in CHALLENGES:
            result = check_challenge(measures, challenge)
            passed[attack, challenge] = result.passed
            if (attack, challenge) == ("turned", "turn"):
                assert result.action_seen and result.flat_photo is True
    assert [c for c in CHALLENGES if passed["printed", c]] == []
    assert [c for c in CHALLENGES if passed["turned", c]] == []
    assert passed["synthesised", "blink"] and passed["synthesised", "mouth"]
