"""What a phone sends after the on-device check is held to what the component sends: exactly
128 finite numbers of a face's size, a box inside the frame, small timings, no other field."""

from __future__ import annotations

import json
import math

import pytest

from device_messages import device_message
from verifydemo.core.errors import UnusableInput
from verifydemo.ondevice.sent import EMBEDDING_LENGTH, MAX_MESSAGE_CHARS, read_sent


def sent(**changes) -> str:
    """A message with 128 ordinary numbers, ``changes`` applied."""
    ordinary = [round(0.01 * (i % 50) - 0.25, 6) for i in range(EMBEDDING_LENGTH)]
    return device_message(changes.pop("embedding", ordinary), **changes)


def test_what_the_component_sends_is_read_whole():
    check = read_sent(sent())
    assert check.status == "ok" and len(check.embedding) == EMBEDDING_LENGTH
    assert check.box == (180, 120, 330, 270) and check.frame == (640, 480)
    assert check.timings == {"load": 1500.0, "embed": 80.5}
    assert len(sent()) < MAX_MESSAGE_CHARS / 3
    several = read_sent(sent(status="several", faces=3))
    assert several.face_count == 3
    none = read_sent(sent(status="no_face", embedding=None, box=None, faces=0))
    assert none.embedding is None


@pytest.mark.parametrize(
    "values",
    [
        [0.1] * 127,
        [0.1] * 129,
        [],
        [0.1] * 127 + [math.nan],
        [0.1] * 127 + [math.inf],
        [0.1] * 127 + [-math.inf],
        [0.1] * 127 + [1.5],
        [0.1] * 127 + [-1e300],
        [0.1] * 127 + [10**400],
        [0.1] * 127 + ["0.1"],
        [0.1] * 127 + [True],
        [0.1] * 127 + [None],
        [0.1] * 127 + [[0.1]],
        {"0": 0.1},
        "0.1," * 128,
    ],
)
def test_anything_but_128_ordinary_numbers_is_refused(values):
    with pytest.raises(UnusableInput) as refused:
        read_sent(sent(embedding=values))
    assert "\n" not in str(refused.value)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not json",
        "[1, 2]",
        "x" * (MAX_MESSAGE_CHARS + 1),
        "[" * 5000,
        sent(image="data:image/jpeg;base64,/9j/4AAQ"),
        sent(status="fine"),
        sent(status="ok", faces=2),
        sent(status="several", faces=1),
        sent(status="no_face", box=None, faces=0),
        sent(frame=[640]),
        sent(frame=[0, 480]),
        sent(frame=[100_000, 480]),
        sent(box=[330, 120, 180, 270]),
        sent(box=[0, 0, 10**6, 10]),
        sent(box=[1.5, 0, 10, 10]),
        sent(ms={"embed": -1}),
        sent(ms={"embed": 1e12}),
        sent(ms={"picture": 1}),
        sent(ms=[1, 2]),
    ],
)
def test_other_messages_are_refused_in_one_line(text):
    with pytest.raises(UnusableInput) as refused:
        read_sent(text)
    assert "\n" not in str(refused.value)


def test_a_non_string_is_refused():
    with pytest.raises(UnusableInput):
        read_sent(None)
    with pytest.raises(UnusableInput):
        read_sent(b"{}")


@pytest.mark.parametrize("scale", [0.0, 0.5, 1.5])
def test_numbers_not_of_a_faces_length_are_refused(scale):
    """128 ordinary numbers whose length no face gives (the reference set's are 1.30 to 1.62):
    all zeros, half and one and a half times a face-like message's numbers."""
    face_like = json.loads(sent())["embedding"]
    assert 1.0 <= math.hypot(*face_like) <= 2.0
    with pytest.raises(UnusableInput, match="not those of a face"):
        read_sent(sent(embedding=[scale * value for value in face_like]))


def test_a_face_sent_without_its_box_is_refused():
    with pytest.raises(UnusableInput):
        read_sent(sent(box=None))
