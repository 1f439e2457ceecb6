"""What a student's phone sends after the on-device check (issue 27, second step): 128 numbers,
the face box, a status and timings, never a picture. :func:`read_sent` holds the message to
exactly what ``ui/ondevice_capture.py``'s component sends, before the page uses any of it.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

from verifydemo.core.errors import UnusableInput
from verifydemo.core.i18n import N_

EMBEDDING_LENGTH = 128
MAX_VALUE = 1.0
"""The largest size of one of the 128 numbers the page takes. dlib's network gives values within
about 0.56 of zero on the reference set (607 faces); anything beyond 1 came from no face."""
NORM_RANGE = (1.0, 2.0)
"""The length of the 128 numbers taken as a face's: 1.30 to 1.62 on the reference set's 204
studio photos; numbers of another length were not computed from a face."""
MAX_MESSAGE_CHARS = 6_000
"""The component's message is about 1.3 kB (128 numbers at 6 decimals, the box, the timings);
a longer one was not sent by it and is refused before it is parsed."""
MAX_FRAME_SIDE = 4096
MAX_FACES = 100
MAX_MS = 600_000.0
"""Timings above ten minutes are not a phone's; they are refused with the rest."""
STATUSES = ("ok", "several", "no_face")
"""One face found; several found (the largest was embedded, as on the server); none."""
TIMINGS = ("load", "embed")
"""Milliseconds the phone took to load the models, and to embed this photo."""

UNREADABLE = N_("The phone's numbers could not be read; please take the live photo again.")


@dataclass(frozen=True)
class SentCheck:
    """What the phone sent, checked: the 128 numbers (None when no face was found), the face box
    as left, top, right, bottom in the frame's pixels, the frame's size, the faces found, and
    the phone's timings in milliseconds."""

    status: str
    embedding: tuple[float, ...] | None
    box: tuple[int, int, int, int] | None
    frame: tuple[int, int]
    face_count: int
    timings: dict[str, float]

    def canonical(self) -> bytes:
        """The check as compact JSON text: names it in the session's memory."""
        return json.dumps(
            [
                self.status,
                self.embedding,
                self.box,
                self.frame,
                self.face_count,
                sorted(self.timings.items()),
            ],
            separators=(",", ":"),
        ).encode()


def _finite(value: object) -> float | None:
    """``value`` as a float if it is a finite JSON number (not true or false), else None."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except OverflowError:  # an integer of hundreds of digits
        return None
    return number if math.isfinite(number) else None


def _whole(value: object, low: int, high: int) -> int:
    number = _finite(value)
    if number is None or number != int(number) or not low <= number <= high:
        raise UnusableInput(UNREADABLE)
    return int(number)


def read_embedding(values: object) -> tuple[float, ...]:
    """Exactly 128 finite numbers, each within ``MAX_VALUE`` of zero, their length within
    ``NORM_RANGE``; else :class:`UnusableInput`."""
    if not isinstance(values, list) or len(values) != EMBEDDING_LENGTH:
        raise UnusableInput(
            "The phone did not send exactly {count} numbers; please take the live photo again.",
            count=EMBEDDING_LENGTH,
        )
    numbers = [_finite(value) for value in values]
    if any(number is None for number in numbers):
        raise UnusableInput(
            "The phone sent something other than ordinary numbers; please take the live photo "
            "again."
        )
    if any(abs(number) > MAX_VALUE for number in numbers):
        raise UnusableInput(
            "The phone sent numbers outside the range a face gives (within {limit:g} of zero); "
            "please take the live photo again.",
            limit=MAX_VALUE,
        )
    if not NORM_RANGE[0] <= math.hypot(*numbers) <= NORM_RANGE[1]:
        raise UnusableInput(
            "The phone's numbers are not those of a face; please take the live photo again."
        )
    return tuple(numbers)


def read_sent(text: object) -> SentCheck:
    """The phone's message, checked, or :class:`UnusableInput` with a one-line reason.

    Refused: anything longer than ``MAX_MESSAGE_CHARS`` (before parsing), text that is not a
    JSON object, an unknown status, an embedding that :func:`read_embedding` refuses (or one
    sent with ``no_face``), a box outside the frame, and timings that are not small positive
    numbers. Fields the component does not send are refused too, so nothing else (an image)
    can ride along.
    """
    if not isinstance(text, str) or len(text) > MAX_MESSAGE_CHARS:
        raise UnusableInput(
            "The phone sent more than the on-device check sends; please take the live photo again."
        )
    try:
        payload = json.loads(text, parse_constant=lambda _name: math.nan)
    except (ValueError, RecursionError):
        raise UnusableInput(UNREADABLE) from None
    expected = {"status", "embedding", "box", "frame", "faces", "ms"}
    if not isinstance(payload, dict) or not set(payload) <= expected:
        raise UnusableInput(UNREADABLE)
    status = payload.get("status")
    if status not in STATUSES:
        raise UnusableInput(UNREADABLE)
    frame_values = payload.get("frame")
    if not isinstance(frame_values, list) or len(frame_values) != 2:
        raise UnusableInput(UNREADABLE)
    width, height = (_whole(side, 1, MAX_FRAME_SIDE) for side in frame_values)
    faces = _whole(payload.get("faces", 0), 0, MAX_FACES)
    timings = _timings(payload.get("ms", {}))
    if status == "no_face":
        if payload.get("embedding") is not None or payload.get("box") is not None or faces:
            raise UnusableInput(UNREADABLE)
        return SentCheck(status, None, None, (width, height), 0, timings)
    if (status == "ok" and faces != 1) or (status == "several" and faces < 2):
        raise UnusableInput(UNREADABLE)
    embedding = read_embedding(payload.get("embedding"))
    if payload.get("box") is None:
        raise UnusableInput(UNREADABLE)
    return SentCheck(
        status,
        embedding,
        _box(payload.get("box"), width, height),
        (width, height),
        faces,
        timings,
    )


def _box(values: object, width: int, height: int) -> tuple[int, int, int, int] | None:
    """The face box as left, top, right, bottom; dlib's box may reach a little past the frame,
    so up to one frame's size beyond each edge is allowed."""
    if values is None:
        return None
    if not isinstance(values, list) or len(values) != 4:
        raise UnusableInput(UNREADABLE)
    left, right = (_whole(v, -width, 2 * width) for v in values[0::2])
    top, bottom = (_whole(v, -height, 2 * height) for v in values[1::2])
    if right <= left or bottom <= top:
        raise UnusableInput(UNREADABLE)
    return left, top, right, bottom


def _timings(values: object) -> dict[str, float]:
    if not isinstance(values, dict) or not set(values) <= set(TIMINGS):
        raise UnusableInput(UNREADABLE)
    timings = {}
    for name, value in values.items():
        number = _finite(value)
        if number is None or not 0 <= number <= MAX_MS:
            raise UnusableInput(UNREADABLE)
        timings[name] = number
    return timings
