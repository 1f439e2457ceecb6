"""Face morphing: one ID-style photo blended from two people, the attack an ID photo can carry.

Both photos are first aligned into one fixed frame (a similarity transform that puts the eye
centres at fixed points), so the morph is a usable ID-style photo. Then, at blend ``alpha``, the
68 landmarks of the two faces are averaged, both faces are warped onto the average (one affine
map per Delaunay triangle, ``core.warp``) and cross-dissolved. Landmarks and triangles are
computed once per pair (:func:`prepare_morph`), so moving ``alpha`` only warps and blends.
Deterministic: the same photos and ``alpha`` give the same pixels.

The lab makes morphs only from the consented demo volunteers (ETHICS.md says why).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import cv2
import numpy as np

from verifydemo.core.compare import accepted, distance, distances
from verifydemo.core.decode import ensure_rgb_uint8
from verifydemo.core.errors import UnusableInput
from verifydemo.core.faces import detect_faces
from verifydemo.core.landmarks import LANDMARK_COUNT, eye_centres, landmarks68
from verifydemo.core.warp import delaunay_triangles, warp_piecewise, with_border_points

CANVAS_WIDTH, CANVAS_HEIGHT = 480, 600
"""The common frame: a 4:5 portrait, like an ID photo."""
RIGHT_EYE_AT = (180.0, 250.0)
"""Where the subject's right eye (left in the picture) is put in the frame."""
LEFT_EYE_AT = (300.0, 250.0)
FACE_OUTLINE = slice(0, 27)
"""The jaw (0-16) and brows (17-26) of the iBUG numbering: the face that is blended."""
MORPH_ALPHA = 0.5
"""The blend of the shipped morphs: half of each face (the usual choice in morphing studies)."""


@dataclass(frozen=True, eq=False)
class AlignedFace:
    """One photo moved into the common frame, with its 68 landmarks and 8 border points there."""

    image: np.ndarray
    points: np.ndarray


@dataclass(frozen=True, eq=False)
class MorphGeometry:
    """Two aligned faces and the triangles both are cut into, ready for any ``alpha``."""

    first: AlignedFace
    second: AlignedFace
    triangles: np.ndarray = field(repr=False)


def eye_alignment(points: np.ndarray) -> np.ndarray:
    """The 2 x 3 similarity transform (rotation, uniform scale, shift) that puts the eye centres
    of the 68 ``points`` at :data:`RIGHT_EYE_AT` and :data:`LEFT_EYE_AT`."""
    right, left = (complex(*centre) for centre in eye_centres(points))
    right_at, left_at = complex(*RIGHT_EYE_AT), complex(*LEFT_EYE_AT)
    if right == left:
        raise UnusableInput("The eyes could not be told apart in this photo.")
    turn = (left_at - right_at) / (left - right)
    shift = right_at - turn * right
    return np.array(
        [[turn.real, -turn.imag, shift.real], [turn.imag, turn.real, shift.imag]], dtype=np.float64
    )


def align_face(rgb: np.ndarray) -> AlignedFace:
    """The largest face of ``rgb`` in the common frame (edges repeated where the photo ends).

    Raises ``UnusableInput`` when no face is found.
    """
    rgb = ensure_rgb_uint8(rgb)
    boxes = detect_faces(rgb)
    if not boxes:
        raise UnusableInput("No face was found in this photo.")
    points = landmarks68(rgb, boxes[0])
    matrix = eye_alignment(points)
    image = cv2.warpAffine(
        rgb,
        matrix,
        (CANVAS_WIDTH, CANVAS_HEIGHT),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_REPLICATE,
    )
    moved = points @ matrix[:, :2].T + matrix[:, 2]
    return AlignedFace(image, with_border_points(moved, CANVAS_WIDTH, CANVAS_HEIGHT))


def prepare_morph(first_rgb: np.ndarray, second_rgb: np.ndarray) -> MorphGeometry:
    """Both faces aligned, and the Delaunay triangles of their average points, computed once."""
    first, second = align_face(first_rgb), align_face(second_rgb)
    middle = (first.points + second.points) / 2
    return MorphGeometry(first, second, delaunay_triangles(middle, CANVAS_WIDTH, CANVAS_HEIGHT))


def morph(prepared: MorphGeometry, alpha: float) -> np.ndarray:
    """The RGB morph at blend ``alpha``: 0 is the first face, 1 the second, 0.5 half of each.

    Shape: the landmarks at ``(1 - alpha) * first + alpha * second``; colour: both faces warped
    to that shape and mixed in the same proportion inside the face (jaw and brows), spliced
    into the hair, neck and background of the contributor with the larger share (the first at
    0.5), so the morph shows no double outline and looks like an ordinary ID photo.
    """
    if not 0.0 <= alpha <= 1.0:
        raise ValueError(f"alpha must lie in [0, 1], got {alpha}")
    first, second = prepared.first, prepared.second
    target = (1.0 - alpha) * first.points + alpha * second.points
    warped_first = warp_piecewise(first.image, first.points, target, prepared.triangles)
    warped_second = warp_piecewise(second.image, second.points, target, prepared.triangles)
    face = (1.0 - alpha) * warped_first.astype(np.float32) + alpha * warped_second.astype(
        np.float32
    )
    surround = (warped_first if alpha <= 0.5 else warped_second).astype(np.float32)
    inside = face_mask(target[:LANDMARK_COUNT], CANVAS_WIDTH, CANVAS_HEIGHT)[..., None]
    blended = inside * face + (1.0 - inside) * surround
    return np.clip(np.rint(blended), 0, 255).astype(np.uint8)


FACE_FEATHER_PX = 6.0
"""How soft the edge of the spliced face is (the Gaussian's sigma, in pixels)."""


def face_mask(points: np.ndarray, width: int, height: int) -> np.ndarray:
    """A (height, width) float32 mask: 1 inside the face (the hull of the jaw and brows), falling
    smoothly to 0 at its edge, the soft edge kept inside the hull."""
    outline = np.rint(points[FACE_OUTLINE]).astype(np.int32)
    hard = np.zeros((height, width), dtype=np.uint8)
    cv2.fillConvexPoly(hard, cv2.convexHull(outline), 255)
    margin = int(2 * FACE_FEATHER_PX) | 1
    shrunk = cv2.erode(hard, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (margin, margin)))
    return cv2.GaussianBlur(shrunk.astype(np.float32) / 255.0, (0, 0), FACE_FEATHER_PX)


@dataclass(frozen=True)
class MorphCheck:
    """A morph's distances to the two contributors' live photos at one threshold."""

    to_first: float
    to_second: float
    threshold: float

    @property
    def passes_first(self) -> bool:
        return bool(accepted(self.to_first, self.threshold))

    @property
    def passes_second(self) -> bool:
        return bool(accepted(self.to_second, self.threshold))

    @property
    def passes_as_both(self) -> bool:
        """The morph is accepted as either person: the attack succeeded (MMPMR counts these)."""
        return self.passes_first and self.passes_second


def check_morph(
    morph_embedding: np.ndarray,
    first_live: np.ndarray,
    second_live: np.ndarray,
    threshold: float,
) -> MorphCheck:
    """The morph's 1:1 checks against each contributor's live photo."""
    return MorphCheck(
        distance(morph_embedding, first_live), distance(morph_embedding, second_live), threshold
    )


@dataclass(frozen=True)
class LookalikePair:
    """Two people of one self-reported group, and the distance between their ID photos."""

    first: str
    second: str
    distance: float


def lookalike_pairs(
    person_ids: np.ndarray, groups: np.ndarray, id_embeddings: np.ndarray, count: int = 5
) -> list[LookalikePair]:
    """The ``count`` closest pairs of people sharing a group (same gender and ethnicity),
    nearest first: the pairs a morpher would pick. People without an embedding are skipped."""
    gaps = distances(id_embeddings, id_embeddings)
    candidates = []
    for i, j in itertools.combinations(range(len(person_ids)), 2):
        if groups[i] != groups[j]:
            continue
        gap = float(gaps[i, j])
        if not np.isnan(gap):
            candidates.append(LookalikePair(str(person_ids[i]), str(person_ids[j]), gap))
    return sorted(candidates, key=lambda pair: (pair.distance, pair.first, pair.second))[:count]


def same_group_pairs(person_ids: np.ndarray, groups: np.ndarray) -> list[tuple[str, str]]:
    """Every unordered pair of people sharing a group, in id order."""
    order = np.argsort(person_ids, kind="stable")
    return [
        (str(person_ids[i]), str(person_ids[j]))
        for i, j in itertools.combinations(order, 2)
        if groups[i] == groups[j]
    ]


def sample_pairs(
    person_ids: np.ndarray, groups: np.ndarray, count: int, seed: int
) -> list[tuple[str, str]]:
    """``count`` same-group pairs drawn without replacement with ``np.random.default_rng(seed)``
    (all of them if there are fewer), in id order."""
    pairs = same_group_pairs(person_ids, groups)
    if count >= len(pairs):
        return pairs
    chosen = np.random.default_rng(seed).choice(len(pairs), size=count, replace=False)
    return [pairs[index] for index in sorted(chosen)]


@dataclass(frozen=True)
class QuizItem:
    """One ID photo of the quiz: a volunteer's own photo (``second`` is None) or a morph."""

    first: str
    second: str | None = None

    @property
    def is_morph(self) -> bool:
        return self.second is not None


def quiz_items(
    person_ids: np.ndarray, groups: np.ndarray, size: int = 6, seed: int = 2017
) -> list[QuizItem]:
    """``size`` ID photos in a seeded order: between a third and two thirds of them morphs of two
    people of one group, the rest single volunteers, nobody used twice."""
    rng = np.random.default_rng(seed)
    morphs = int(rng.integers(size // 3, 2 * size // 3 + 1))
    unused = [str(person_id) for person_id in person_ids]
    group_of = dict(zip(unused, (str(g) for g in groups), strict=True))
    items: list[QuizItem] = []
    for person_id in rng.permutation(unused):
        person_id = str(person_id)
        if person_id not in unused or len(items) == morphs:
            continue
        partners = [
            other
            for other in unused
            if other != person_id and group_of[other] == group_of[person_id]
        ]
        if partners:
            partner = str(rng.choice(partners))
            items.append(QuizItem(*sorted((person_id, partner))))
            unused = [other for other in unused if other not in (person_id, partner)]
    singles = rng.choice(unused, size=size - len(items), replace=False)
    items.extend(QuizItem(str(person_id)) for person_id in singles)
    return [items[index] for index in rng.permutation(len(items))]
