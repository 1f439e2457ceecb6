"""What one browser session holds: its photos' analyses, in its own memory only.

Nothing here goes through Streamlit's data cache (shared by every visitor) or module-level state.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TypeVar

import numpy as np
import streamlit as st

from verifydemo.demo_faces import DemoFace
from verifydemo.errors import UnusableInput
from verifydemo.faces import FaceResult, face_from_bytes

ANALYSES = "analyses"
MEMOS = "memos"
GENERATION = "generation"
Value = TypeVar("Value")


@dataclass(frozen=True)
class Photo:
    """A photo chosen for one side of the check, and where it came from."""

    data: bytes
    source: str

    @cached_property
    def digest(self) -> str:
        """Names the photo in this session's memory; hashed once per run, not per use."""
        return hashlib.sha256(self.data).hexdigest()


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
    digest = photo.digest
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
    """Drop the analyses, and everything derived from them, of photos no longer on the page, so
    a replaced face does not linger in memory."""
    wanted = {photo.digest for photo in photos}
    analyses: dict[str, Analysis] = st.session_state.get(ANALYSES, {})
    for digest in list(analyses):
        if digest not in wanted:
            del analyses[digest]
    for memo in st.session_state.get(MEMOS, {}).values():
        for key in list(memo):
            sources, _ = key
            if not set(sources) <= wanted:
                del memo[key]


def session_memo(
    name: str,
    sources: tuple[str, ...],
    detail: tuple,
    compute: Callable[[], Value],
    limit: int = 24,
) -> Value:
    """``compute()`` once per ``(sources, detail)`` in this session's own memory.

    For images and numbers derived from the visitor's photos, which must never go through a
    cache shared by other sessions. ``sources`` are the digests of the photos the value comes
    from: ``keep_only`` drops it with them. Only the newest ``limit`` values per name are kept.
    """
    memo: dict = st.session_state.setdefault(MEMOS, {}).setdefault(name, {})
    key = (sources, detail)
    if key not in memo:
        memo[key] = compute()
        while len(memo) > limit:
            memo.pop(next(iter(memo)))
    return memo[key]


def recalled(name: str, sources: tuple[str, ...], detail: tuple) -> object | None:
    """What ``session_memo`` holds for this key, or None if it was never computed."""
    return st.session_state.get(MEMOS, {}).get(name, {}).get((sources, detail))


def widget_key(name: str) -> str:
    """A key that changes when the visitor forgets their photos, so upload widgets start empty."""
    return f"{name}_{st.session_state.get(GENERATION, 0)}"


def forget_photos() -> None:
    """Clear this session's images, embeddings and upload widgets."""
    generation = st.session_state.get(GENERATION, 0) + 1
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    st.session_state[GENERATION] = generation
