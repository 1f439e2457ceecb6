"""What one browser session holds: its photos' analyses, in its own memory only.

Nothing here goes through Streamlit's data cache (shared by every visitor) or module-level state.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import streamlit as st

from verifydemo.demo_faces import DemoFace
from verifydemo.errors import UnusableInput
from verifydemo.faces import FaceResult, face_from_bytes

ANALYSES = "analyses"
GENERATION = "generation"


@dataclass(frozen=True)
class Photo:
    """A photo chosen for one side of the check, and where it came from."""

    data: bytes
    source: str


@dataclass(frozen=True)
class Analysis:
    """A decoded photo and its face, or the reason there is none."""

    digest: str
    rgb: np.ndarray | None
    face: FaceResult | None
    problem: str | None


@dataclass(frozen=True)
class PairOnScreen:
    """The two analysed photos of the current check, both with a face."""

    id_analysis: Analysis
    live_analysis: Analysis
    id_person: DemoFace | None

    @property
    def id_embedding(self) -> np.ndarray:
        return self.id_analysis.face.embedding

    @property
    def live_embedding(self) -> np.ndarray:
        return self.live_analysis.face.embedding


def analyse(photo: Photo) -> Analysis:
    """Decode and embed ``photo`` once per session; reruns (the slider) reuse the result."""
    digest = hashlib.sha256(photo.data).hexdigest()
    analyses: dict[str, Analysis] = st.session_state.setdefault(ANALYSES, {})
    if digest not in analyses:
        try:
            with st.spinner("Finding the face and computing its 128 numbers..."):
                rgb, face = face_from_bytes(photo.data)
            analyses[digest] = Analysis(digest, rgb=rgb, face=face, problem=None)
        except UnusableInput as error:
            analyses[digest] = Analysis(digest, rgb=None, face=None, problem=str(error))
    return analyses[digest]


def keep_only(photos: list[Photo]) -> None:
    """Drop analyses of photos no longer on the page, so old faces do not linger in memory."""
    wanted = {hashlib.sha256(photo.data).hexdigest() for photo in photos}
    analyses: dict[str, Analysis] = st.session_state.get(ANALYSES, {})
    for digest in list(analyses):
        if digest not in wanted:
            del analyses[digest]


def session_memo(name: str, key: tuple, compute, limit: int = 24):
    """``compute()`` once per ``key`` in this session's own memory, keeping the newest ``limit``.

    For derived images and embeddings of this visitor's photos, which must never go through a
    cache shared by other sessions.
    """
    memo: dict = st.session_state.setdefault(name, {})
    if key not in memo:
        memo[key] = compute()
        while len(memo) > limit:
            memo.pop(next(iter(memo)))
    return memo[key]


def widget_key(name: str) -> str:
    """A key that changes when the visitor forgets their photos, so upload widgets start empty."""
    return f"{name}_{st.session_state.get(GENERATION, 0)}"


def forget_photos() -> None:
    """Clear this session's images, embeddings and upload widgets."""
    generation = st.session_state.get(GENERATION, 0) + 1
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    st.session_state[GENERATION] = generation
