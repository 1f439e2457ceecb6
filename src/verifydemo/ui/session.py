"""What one browser session holds, in its own memory only.

One memo, ``st.session_state[keys.MEMO]``, keeps everything computed from the visitor's photos:
the analysis of each photo, the lab's degraded pictures, curves and the attack frame.

- Kept: values keyed by ``(name, sources, detail)``, where ``sources`` are the digests of the
  photos a value comes from.
- Dropped: by :func:`drop_all_but` when a source photo leaves the page, by
  :func:`forget_photos`, when a name holds more than ``MEMO_LIMIT`` values (oldest first), and
  with the session itself (within a minute of the tab closing: ``closed_tabs.py``).

Nothing of the visitor's own photos goes through Streamlit's data cache (shared by every visitor)
or module state; only the shipped demo photos' faces do (``resources.demo_face``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TypeVar

import numpy as np
import streamlit as st

from verifydemo.core.errors import UnusableInput
from verifydemo.core.faces import FaceResult, face_from_bytes
from verifydemo.core.i18n import Message, _
from verifydemo.datasets.demo_faces import DemoFace
from verifydemo.ui import keys
from verifydemo.ui.resources import demo_face
from verifydemo.ui.streamlit_private import forget_this_sessions_media

MEMO_LIMIT = 24
ANALYSIS = "analysis"
Value = TypeVar("Value")


@dataclass(frozen=True)
class Photo:
    """A photo chosen for one side of the check, and where it came from: ``demo_path`` is the
    shipped file of a demo volunteer's photo, None for the visitor's own."""

    data: bytes
    source: str
    demo_path: str | None = None

    @cached_property
    def digest(self) -> str:
        """Names the photo in this session's memory; hashed once per run, not per use."""
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class FaceFound:
    """A decoded photo and the face chosen in it."""

    digest: str
    rgb: np.ndarray
    face: FaceResult


@dataclass(frozen=True)
class Unusable:
    """A photo the check cannot use, and the one-line reason."""

    digest: str
    reason: Message


Analysis = FaceFound | Unusable


@dataclass(frozen=True)
class PairOnScreen:
    """The two photos of the current check, both with a face."""

    id_photo: FaceFound
    live_photo: FaceFound
    id_person: DemoFace | None
    own_live_photo: bool = True
    """Whether the live photo is the visitor's own (webcam, upload or their device), not a demo
    volunteer's: only such a check is a result of the class."""

    @property
    def id_embedding(self) -> np.ndarray:
        return self.id_photo.face.embedding

    @property
    def live_embedding(self) -> np.ndarray:
        return self.live_photo.face.embedding


def analyse(photo: Photo) -> Analysis:
    """The photo's face or the reason there is none, computed once per session (the reason is
    translated where it is shown, so a change of language computes nothing again). A demo
    photo's face is found once per server and shared (``resources.demo_face``)."""

    def compute() -> Analysis:
        try:
            with st.spinner(_("Finding the face and computing its 128 numbers...")):
                rgb, face = (
                    demo_face(photo.demo_path) if photo.demo_path else face_from_bytes(photo.data)
                )
        except UnusableInput as error:
            return Unusable(photo.digest, error.message)
        return FaceFound(photo.digest, rgb, face)

    return memo(ANALYSIS, (photo.digest,), (), compute)


def memo(name: str, sources: tuple[str, ...], detail: tuple, compute: Callable[[], Value]) -> Value:
    """``compute()`` once per ``(name, sources, detail)`` in this session's own memory."""
    values: dict = st.session_state.setdefault(keys.MEMO, {}).setdefault(name, {})
    key = (sources, detail)
    if key not in values:
        values[key] = compute()
        while len(values) > MEMO_LIMIT:
            values.pop(next(iter(values)))
    return values[key]


def remembered(name: str, sources: tuple[str, ...], detail: tuple) -> object | None:
    """What :func:`memo` holds for this key, or None if it was never computed."""
    return st.session_state.get(keys.MEMO, {}).get(name, {}).get((sources, detail))


def drop_memo(name: str) -> None:
    """Drop every value of one memo ``name`` (a new webcam recording replaces the last)."""
    st.session_state.get(keys.MEMO, {}).pop(name, None)


def drop_all_but(photos: list[Photo]) -> None:
    """Drop every memo value derived from a photo that is no longer on the page."""
    wanted = {photo.digest for photo in photos}
    for values in st.session_state.get(keys.MEMO, {}).values():
        for key in [key for key in values if not set(key[0]) <= wanted]:
            del values[key]


def widget_key(name: str) -> str:
    """A key that changes when the visitor forgets their photos, so upload widgets start empty."""
    return f"{name}_{st.session_state.get(keys.GENERATION, 0)}"


def forget_photos() -> None:
    """Clear this session's images, embeddings and upload widgets, keeping only its language,
    and stop serving every picture this session was shown: Streamlit would drop them only once
    a later full run has finished, and a run of the threshold section's fragment keeps them."""
    generation = st.session_state.get(keys.GENERATION, 0) + 1
    for key in [key for key in st.session_state if key != keys.LANGUAGE]:
        del st.session_state[key]
    st.session_state[keys.GENERATION] = generation
    forget_this_sessions_media()
