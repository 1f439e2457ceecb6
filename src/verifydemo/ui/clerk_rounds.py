"""The "be the clerk" rounds as the whole page needs them: the machine's distances between the
demo volunteers' photos, a round's pairs with those distances, the round a session is on, and
the class's eyes on it.

The clerk step (``clerk.py``), the class tab's worksheet (``class_experiment.py``) and the
projector's stage panel (``pace.py``) all read them from here, so the step and the tab need
not import each other.
"""

from __future__ import annotations

from contextlib import AbstractContextManager

import numpy as np
import streamlit as st

from verifydemo.core.compare import distance
from verifydemo.core.decode import encode_jpeg
from verifydemo.core.errors import UnusableInput
from verifydemo.core.faces import find_face
from verifydemo.core.i18n import _
from verifydemo.lessons.class_pool import POOL, ClerkEntry
from verifydemo.lessons.clerk import (
    ClassEyes,
    ClerkPair,
    class_eyes,
    clerk_round,
    machine_decisions,
    score,
)
from verifydemo.lessons.pace import PACE
from verifydemo.lessons.perturb import chip_photo
from verifydemo.tools import classroom
from verifydemo.ui import keys
from verifydemo.ui.resources import demo_by_id, demo_face, demo_faces

FIRST_ROUND = 1
"""The round a visitor at a desk starts on."""


def embedding_spinner() -> AbstractContextManager[None]:
    """The spinner shown while a cold server finds the faces of the 48 demo photos."""
    return st.spinner(_("Finding the faces of the demo volunteers (once per server)..."))


@st.cache_resource(show_spinner=False)
def demo_distances() -> tuple[tuple[str, ...], tuple[str, ...], np.ndarray]:
    """The demo volunteers' ids, groups, and the machine's distance from each one's ID photo to
    each one's live photo, computed once per server from the shipped photos."""
    faces = demo_faces()
    ids = [demo_face(str(face.id_photo))[1].embedding for face in faces]
    lives = [demo_face(str(face.live_photo))[1].embedding for face in faces]
    matrix = np.array([[distance(a, b) for b in lives] for a in ids])
    matrix.flags.writeable = False
    return (
        tuple(face.person.person_id for face in faces),
        tuple(face.person.group for face in faces),
        matrix,
    )


@st.cache_resource(show_spinner=False)
def chip_demo_photo(person_id: str) -> tuple[bytes, np.ndarray | None]:
    """A demo volunteer's ID photo as the simulated ID card chip holds it (a JPEG for the page,
    on a white square) and its embedding (None: no face found at that size), once per server."""
    rgb, face = demo_face(str(demo_by_id(person_id).id_photo))
    chip = chip_photo(np.array(rgb), face.box)
    try:
        embedding = find_face(chip).embedding
    except UnusableInput:
        embedding = None
    return encode_jpeg(_square(chip)), embedding


def _square(rgb: np.ndarray) -> np.ndarray:
    """``rgb`` centred on a white square, so it shows as tall as the square live photo beside
    it (the chip photo is 102 x 126)."""
    side = max(rgb.shape[:2])
    canvas = np.full((side, side, 3), 255, np.uint8)
    top, left = (side - rgb.shape[0]) // 2, (side - rgb.shape[1]) // 2
    canvas[top : top + rgb.shape[0], left : left + rgb.shape[1]] = rgb
    return canvas


@st.cache_resource(show_spinner=False)
def chip_distances() -> tuple[tuple[str, ...], tuple[str, ...], np.ndarray]:
    """Like :func:`demo_distances`, from the chip photos, for the volunteers whose chip photo
    has a face."""
    people, groups, _matrix = demo_distances()
    faces = {face.person.person_id: face for face in demo_faces()}
    lives = [demo_face(str(faces[person].live_photo))[1].embedding for person in people]
    rows = {person: chip_demo_photo(person)[1] for person in people}
    kept = [i for i, person in enumerate(people) if rows[person] is not None]
    matrix = np.array([[distance(rows[people[i]], lives[j]) for j in kept] for i in kept])
    matrix.flags.writeable = False
    return tuple(people[i] for i in kept), tuple(groups[i] for i in kept), matrix


def _with_distances(
    pairs: tuple[ClerkPair, ...], people: tuple[str, ...], matrix: np.ndarray
) -> tuple[tuple[ClerkPair, ...], tuple[float, ...]]:
    where = {person: index for index, person in enumerate(people)}
    return pairs, tuple(
        float(matrix[where[pair.id_person], where[pair.live_person]]) for pair in pairs
    )


def round_pairs(seed: int) -> tuple[tuple[ClerkPair, ...], tuple[float, ...]]:
    """Round one of ``seed`` and the machine's distance on each of its pairs."""
    people, groups, matrix = demo_distances()
    return _with_distances(clerk_round(seed, people, groups, matrix), people, matrix)


def advised_pairs(seed: int) -> tuple[tuple[ClerkPair, ...], tuple[float, ...]]:
    """Round two of ``seed``: chip ID photos, none of round one's ID photos, and the machine's
    distance on each pair."""
    first = frozenset(pair.id_person for pair in round_pairs(seed)[0])
    people, groups, matrix = chip_distances()
    pairs = clerk_round(seed, people, groups, matrix, exclude=first)
    return _with_distances(pairs, people, matrix)


def session_round() -> int:
    """The round this session's clerk step shows: the class's, as the teacher set it, in
    classroom mode; else the visitor's own (the first until they draw new pairs)."""
    if classroom.current() is not None:
        return PACE.clerk_round
    seed = st.session_state.get(keys.CLERK_ROUND, FIRST_ROUND)
    return seed if isinstance(seed, int) else FIRST_ROUND


def round_entries(seed: int) -> list[ClerkEntry]:
    """The class pool's rounds of ``seed``, both kinds."""
    return [entry for entry in POOL.clerk_entries() if entry.round_seed == seed]


def round_eyes(seed: int, threshold: float) -> ClassEyes | None:
    """The class's eyes on round ``seed`` beside the machine at ``threshold`` (None: no student
    has added round one of it; then no photo is embedded for it)."""
    entries = round_entries(seed)
    if not any(not entry.advised for entry in entries):
        return None
    with embedding_spinner():
        pairs, distances = round_pairs(seed)
    return class_eyes(entries, score(pairs, machine_decisions(distances, threshold)))
