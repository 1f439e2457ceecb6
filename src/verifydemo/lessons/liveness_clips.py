"""The built-in attack clips of the liveness step, made here from one ID photo.

Three presentation attacks, in the order a class meets them, so the lab runs without a camera:

1. ``printed``: the ID photo printed on paper and held still in front of the camera (a hand
   shakes it by a pixel or so);
2. ``turned``: the same print turned about its vertical axis, left and right: the landmarks
   move as a head turn would, but as a plane;
3. ``synthesised``: a crude fake video made from the ID photo alone: the eyelids painted shut,
   then the mouth opened by warping its landmarks, as a replay of a fake video would show it.

Each clip is :data:`CLIP_FRAMES` frames of :data:`FRAME_WIDTH` x :data:`FRAME_HEIGHT` RGB, about
3 seconds at 10 fps, and the same every time for the same photo. :func:`attack_outcomes` runs
every challenge on every clip, and :func:`attack_rates` gives the APCER (ISO/IEC 30107-3: the
share of attack presentations accepted as genuine) of each attack type under the decision the
page really makes, over the demo volunteers.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from verifydemo.core.decode import ensure_rgb_uint8
from verifydemo.core.errors import UnusableInput
from verifydemo.core.faces import find_face
from verifydemo.core.i18n import N_
from verifydemo.core.landmarks import INNER_LIPS, landmarks68
from verifydemo.core.warp import delaunay_triangles, warp_piecewise, with_border_points
from verifydemo.lessons.liveness import (
    CHALLENGES,
    ChallengeResult,
    FrameMeasure,
    check_challenge,
    measure_frames,
)
from verifydemo.lessons.perturb import print_texture
from verifydemo.metrics.bootstrap import apcer

FRAME_WIDTH, FRAME_HEIGHT = 640, 480
CLIP_FRAMES = 30
CLIP_SEED = 2016
"""Seeds the hand shake and the sensor noise, so every clip is the same on every run."""

ATTACKS = ("printed", "turned", "synthesised")
"""The built-in attacks, by id, in the order a class meets them."""

ATTACK_NAMES = {
    "printed": N_("Printed ID photo, held still"),
    "turned": N_("Printed ID photo, turned left and right"),
    "synthesised": N_("Fake video made from the ID photo (a crude fake made here)"),
}
"""What each attack is, per id; shown through ``_()``."""

PRINT_HEIGHT = 330
"""Height in pixels of the print in the frame at no turn (the face is then about 130 px wide,
a student sitting at arm's length from a laptop)."""
PAPER_MARGIN = 0.06
"""The white paper margin around the printed photo, as a share of the photo's height."""
TURN_DEGREES_PRINT = 30.0
"""How far the turned print rotates each way about its vertical axis."""
FOCAL_PX = FRAME_WIDTH
"""The simulated camera's focal length in pixels (as ``lessons.liveness.head_pose`` assumes)."""
NOISE_SIGMA = 2.0
"""Sensor noise, in grey levels (of 255)."""

EYES_CLOSED = (9, 10, 11, 12, 13)
"""Frames (of 30) in which the synthesised clip's eyes close: five frames, a slow blink of
0.5 s at 10 fps."""
MOUTH_OPEN = (18, 19, 20, 21, 22, 23)
"""Frames in which its mouth opens (0.6 s), widest in the middle."""
MOUTH_GAP = 0.9
"""The synthesised mouth's widest gap between the inner lips, as a share of the mouth width."""


# --- The printed photo ---------------------------------------------------------------------------


def paper(id_photo: np.ndarray) -> np.ndarray:
    """The ID photo as a print: white paper margins and a faint print texture, float32 RGB."""
    photo = ensure_rgb_uint8(id_photo).astype(np.float32)
    margin = round(PAPER_MARGIN * photo.shape[0])
    printed = cv2.copyMakeBorder(
        photo, margin, margin, margin, margin, cv2.BORDER_CONSTANT, value=(243, 242, 236)
    )
    texture = print_texture(*printed.shape[:2], depth=0.04)
    return (printed * texture[..., None]).astype(np.float32)


@functools.cache
def room() -> np.ndarray:
    """The background behind the print: a wall lit from one side, float32 RGB."""
    shade = np.linspace(70, 150, FRAME_WIDTH, dtype=np.float32)[None, :, None]
    tint = np.array([1.0, 0.97, 0.92], dtype=np.float32)[None, None, :]
    wall = np.broadcast_to(shade * tint, (FRAME_HEIGHT, FRAME_WIDTH, 3)).copy()
    wall.flags.writeable = False
    return wall


def print_homography(
    paper_size: tuple[int, int], degrees: float, shift: tuple[float, float], roll: float
) -> np.ndarray:
    """The 3 x 3 map from the paper's pixels to the frame for a print turned ``degrees``
    about its vertical axis, moved by ``shift`` pixels and rolled by ``roll`` degrees in the
    image plane, seen by a pinhole camera of focal length :data:`FOCAL_PX`."""
    paper_width, paper_height = paper_size
    distance = FOCAL_PX * paper_height / PRINT_HEIGHT  # in paper pixels
    angle = np.radians(degrees)
    corners = np.array(
        [[0, 0], [paper_width, 0], [paper_width, paper_height], [0, paper_height]],
        dtype=np.float64,
    )
    centred = corners - (paper_width / 2, paper_height / 2)
    x = centred[:, 0] * np.cos(angle)
    z = distance + centred[:, 0] * np.sin(angle)
    projected = FOCAL_PX * np.column_stack([x, centred[:, 1]]) / z[:, None]
    roll_angle = np.radians(roll)
    rotation = np.array(
        [[np.cos(roll_angle), -np.sin(roll_angle)], [np.sin(roll_angle), np.cos(roll_angle)]]
    )
    placed = projected @ rotation.T + (FRAME_WIDTH / 2 + shift[0], FRAME_HEIGHT / 2 + shift[1])
    return cv2.getPerspectiveTransform(corners.astype(np.float32), placed.astype(np.float32))


def _shot(printed: np.ndarray, homography: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One camera frame of the print under ``homography``: on the wall, blurred a little,
    with sensor noise."""
    size = (FRAME_WIDTH, FRAME_HEIGHT)
    warped = cv2.warpPerspective(printed, homography, size, flags=cv2.INTER_LINEAR)
    inside = cv2.warpPerspective(
        np.ones(printed.shape[:2], np.float32), homography, size, flags=cv2.INTER_LINEAR
    )[..., None]
    frame = room() * (1 - inside) + warped * inside
    frame = cv2.GaussianBlur(frame, (0, 0), sigmaX=0.7)
    frame += NOISE_SIGMA * rng.standard_normal(frame.shape, dtype=np.float32)
    return np.clip(np.rint(frame), 0, 255).astype(np.uint8)


def _hand_shake(count: int, rng: np.random.Generator) -> np.ndarray:
    """(count, 3) shifts in x and y (pixels) and rolls (degrees) of a hand holding a print:
    a slow drift of about a pixel, the same for the same ``rng``."""
    steps = rng.normal(0.0, 1.0, (count, 3)) * (0.5, 0.5, 0.1)
    drift = np.cumsum(steps, axis=0)
    return drift - drift.mean(axis=0)


def printed_clip(id_photo: np.ndarray, frames: int = CLIP_FRAMES) -> tuple[np.ndarray, ...]:
    """Attack 1: the ID photo printed and held still in front of the camera."""
    rng = np.random.default_rng(CLIP_SEED)
    printed = paper(id_photo)
    size = (printed.shape[1], printed.shape[0])
    shake = _hand_shake(frames, rng)
    return tuple(
        _shot(printed, print_homography(size, 0.0, (dx, dy), roll), rng) for dx, dy, roll in shake
    )


def turned_print_clip(id_photo: np.ndarray, frames: int = CLIP_FRAMES) -> tuple[np.ndarray, ...]:
    """Attack 2: the print turned about its vertical axis, to :data:`TURN_DEGREES_PRINT` one
    way and then the other, as a person would turn their head."""
    rng = np.random.default_rng(CLIP_SEED + 1)
    printed = paper(id_photo)
    size = (printed.shape[1], printed.shape[0])
    shake = _hand_shake(frames, rng)
    angles = TURN_DEGREES_PRINT * np.sin(2 * np.pi * np.arange(frames) / frames)
    return tuple(
        _shot(printed, print_homography(size, angle, (dx, dy), roll), rng)
        for angle, (dx, dy, roll) in zip(angles, shake, strict=True)
    )


# --- The synthesised video -----------------------------------------------------------------------


def video_frame(id_photo: np.ndarray) -> tuple[np.ndarray, float, tuple[int, int]]:
    """The ID photo filling a webcam frame's height, centred on a plain background: the frame,
    the scale applied and the photo's top-left corner in the frame."""
    photo = ensure_rgb_uint8(id_photo)
    scale = FRAME_HEIGHT / photo.shape[0]
    width = min(FRAME_WIDTH, round(photo.shape[1] * scale))
    scaled = cv2.resize(photo, (width, FRAME_HEIGHT), interpolation=cv2.INTER_AREA)
    frame = np.empty((FRAME_HEIGHT, FRAME_WIDTH, 3), np.uint8)
    frame[:] = np.median(scaled[:, :8].reshape(-1, 3), axis=0).astype(np.uint8)
    left = (FRAME_WIDTH - width) // 2
    frame[:, left : left + width] = scaled[:, :width]
    return frame, scale, (left, 0)


def opened_mouth(points: np.ndarray, amount: float) -> np.ndarray:
    """``points`` with the lower lip and the chin dropped by ``amount`` times
    :data:`MOUTH_GAP` of the mouth width, the jaw following less towards its ends."""
    moved = points.copy()
    width = float(np.linalg.norm(points[64] - points[60]))
    drop = np.array([0.0, amount * MOUTH_GAP * width])
    for index in (*range(55, 60), *range(65, 68)):  # lower lip, outer and inner
        moved[index] = points[index] + drop
    for index, share in ((4, 0.2), (5, 0.5), (6, 0.8), (7, 0.95), (8, 1.0)):
        moved[index] = points[index] + share * drop
        moved[16 - index] = points[16 - index] + share * drop
    return moved


def shut_lids(frame: np.ndarray, points: np.ndarray, amount: float) -> np.ndarray:
    """Both eyes painted over with the skin just below them, with a dark lash line where the
    lids meet, blended by ``amount`` (0 open, 1 shut).

    Painted, not warped: pulling the upper-lid landmarks down squeezes the eye into a slit that
    dlib's landmark model still reads as an open eye (it did for 10 of the 24 demo faces)."""
    if amount <= 0:
        return frame
    mask = np.zeros(frame.shape[:2], np.float32)
    painted = frame.copy()
    for first in (36, 42):
        eye = points[first : first + 6]
        centre = eye.mean(axis=0)
        width = float(np.linalg.norm(eye[3] - eye[0]))
        below = np.rint(centre + np.array([0.0, 0.45 * width])).astype(int)
        half = max(2, round(0.12 * width))
        patch = frame[below[1] - half : below[1] + half, below[0] - half : below[0] + half]
        skin = patch.reshape(-1, 3).mean(axis=0) if patch.size else frame[below[1], below[0]]
        lid = np.rint(centre + 1.5 * (eye - centre)).astype(np.int32)
        cv2.fillPoly(painted, [lid], tuple(float(c) * 0.9 for c in skin), cv2.LINE_AA)
        cv2.fillPoly(mask, [lid], 1.0, cv2.LINE_AA)
        droop = np.array([0.0, 0.1 * width])
        lashes = np.rint(
            np.array([eye[0], (eye[1] + eye[5]) / 2 + droop, (eye[2] + eye[4]) / 2 + droop, eye[3]])
        ).astype(np.int32)
        thickness = max(1, round(0.12 * width))
        cv2.polylines(painted, [lashes], False, (40, 28, 26), thickness, cv2.LINE_AA)
        cv2.polylines(mask, [lashes], False, 1.0, thickness, cv2.LINE_AA)
    mask = cv2.GaussianBlur(mask, (0, 0), 1.2)[..., None] * amount
    return np.rint(frame * (1 - mask) + painted * mask).astype(np.uint8)


def _mouth_inside(frame: np.ndarray, inner_lips: np.ndarray, amount: float) -> np.ndarray:
    """The gap between the parted lips painted as the inside of a mouth: dark, with a band of
    upper teeth under the upper lip."""
    if amount <= 0:
        return frame
    cavity = np.zeros(frame.shape[:2], np.uint8)
    cv2.fillPoly(cavity, [np.rint(inner_lips).astype(np.int32)], 1, cv2.LINE_8)
    teeth = np.zeros_like(cavity)
    width = float(np.linalg.norm(inner_lips[4] - inner_lips[0]))
    upper_lip = np.rint(inner_lips[0:5]).astype(np.int32)
    cv2.polylines(teeth, [upper_lip], False, 1, max(2, round(0.22 * width)), cv2.LINE_8)
    painted = frame.copy()
    painted[cavity > 0] = (28, 12, 15)
    painted[(cavity > 0) & (teeth > 0)] = (222, 216, 204)
    blend = cv2.GaussianBlur(cavity.astype(np.float32), (0, 0), 1.0)[..., None]
    return np.rint(frame * (1 - blend) + painted * blend).astype(np.uint8)


def _profile(frame_index: int, frames_on: Sequence[int]) -> float:
    """0 outside ``frames_on``; inside, rising to 1 in the middle and back (a smooth action)."""
    if frame_index not in frames_on:
        return 0.0
    position = (frames_on.index(frame_index) + 0.5) / len(frames_on)
    return float(min(1.0, 2.5 * np.sin(np.pi * position)))


def synthesised_clip(id_photo: np.ndarray, frames: int = CLIP_FRAMES) -> tuple[np.ndarray, ...]:
    """Attack 3: a crude fake video from the ID photo alone: the eyelids are painted shut over
    :data:`EYES_CLOSED` (:func:`shut_lids`), and over :data:`MOUTH_OPEN` (frames of a 30-frame
    clip) the lower lip and chin landmarks are moved down and the photo is warped with them,
    triangle by triangle (``core/warp.py``).

    Raises ``UnusableInput`` when the ID photo shows no face."""
    frame, _scale, _corner = video_frame(id_photo)
    face = find_face(frame)
    points = landmarks68(frame, face.box)
    anchored = with_border_points(points, FRAME_WIDTH, FRAME_HEIGHT)
    triangles = delaunay_triangles(anchored, FRAME_WIDTH, FRAME_HEIGHT)
    rng = np.random.default_rng(CLIP_SEED + 2)
    shake = _hand_shake(frames, rng)
    clip = []
    for index in range(frames):
        at = round(index * CLIP_FRAMES / frames)
        eyes, mouth = _profile(at, EYES_CLOSED), _profile(at, MOUTH_OPEN)
        warped = shut_lids(frame, points, eyes)
        if mouth:
            target = with_border_points(opened_mouth(points, mouth), FRAME_WIDTH, FRAME_HEIGHT)
            warped = warp_piecewise(warped, anchored, target, triangles)
            warped = _mouth_inside(warped, target[INNER_LIPS], mouth)
        dx, dy, roll = shake[index]
        move = cv2.getRotationMatrix2D((FRAME_WIDTH / 2, FRAME_HEIGHT / 2), roll, 1.0)
        move[:, 2] += (dx, dy)
        shifted = cv2.warpAffine(
            warped, move, (FRAME_WIDTH, FRAME_HEIGHT), borderMode=cv2.BORDER_REPLICATE
        ).astype(np.float32)
        shifted += NOISE_SIGMA * rng.standard_normal(shifted.shape, dtype=np.float32)
        clip.append(np.clip(np.rint(shifted), 0, 255).astype(np.uint8))
    return tuple(clip)


ATTACK_CLIPS = {
    "printed": printed_clip,
    "turned": turned_print_clip,
    "synthesised": synthesised_clip,
}


def attack_clip(attack: str, id_photo: np.ndarray) -> tuple[np.ndarray, ...]:
    """The built-in clip of ``attack`` (one of :data:`ATTACKS`) made from ``id_photo``."""
    if attack not in ATTACK_CLIPS:
        raise ValueError(f"unknown attack {attack!r}; one of {', '.join(ATTACKS)}")
    return ATTACK_CLIPS[attack](id_photo)


# --- What each attack beats, and APCER -----------------------------------------------------------


@dataclass(frozen=True)
class AttackOutcome:
    """One attack clip put to one challenge."""

    attack: str
    challenge: str
    result: ChallengeResult

    @property
    def accepted(self) -> bool:
        """The attack was accepted as a live person doing the action."""
        return self.result.passed


def clip_outcomes(
    attack: str, measures: Sequence[FrameMeasure], challenges: Sequence[str] = CHALLENGES
) -> tuple[AttackOutcome, ...]:
    """One measured clip of ``attack`` put to each of ``challenges``: the page's verdict on
    each, from the same frame numbers (a clip is measured once, whatever it is asked)."""
    return tuple(
        AttackOutcome(attack, challenge, check_challenge(measures, challenge))
        for challenge in challenges
    )


def attack_outcomes(
    id_photos: Iterable[np.ndarray],
    attacks: Sequence[str] = ATTACKS,
    challenges: Sequence[str] = CHALLENGES,
) -> tuple[AttackOutcome, ...]:
    """Every attack clip of every ID photo put to every challenge (each clip measured once).

    A photo without a face raises ``UnusableInput``."""
    outcomes = []
    for photo in id_photos:
        for attack in attacks:
            measures = measure_frames(attack_clip(attack, photo))
            outcomes.extend(clip_outcomes(attack, measures, challenges))
    if not outcomes:
        raise UnusableInput("no ID photo to make the attack clips from")
    return tuple(outcomes)


def beaten_checks(outcomes: Sequence[AttackOutcome], attack: str) -> tuple[str, ...]:
    """The challenges that ``attack`` passed in every one of its clips, in the order of
    :data:`CHALLENGES`."""
    passed: dict[str, bool] = {}
    for outcome in outcomes:
        if outcome.attack == attack:
            passed[outcome.challenge] = passed.get(outcome.challenge, True) and outcome.accepted
    return tuple(challenge for challenge in CHALLENGES if passed.get(challenge))


# --- APCER of the page's decision, per attack type -----------------------------------------------

DRAWN_COUNTS = (2, 3)
"""The page asks for 2 or 3 different challenges, each count equally likely, and accepts a
person only when every one passes (a challenge fails when its clip looks like a flat photo)."""


def acceptance_chance(accepted: Mapping[str, bool]) -> float:
    """The chance that the page's decision accepts a presentation whose clip passes exactly
    the challenges ``accepted`` marks True, over the page's random draws of challenges."""
    chances = []
    for count in DRAWN_COUNTS:
        draws = list(itertools.combinations(CHALLENGES, count))
        chances.append(sum(all(accepted[c] for c in draw) for draw in draws) / len(draws))
    return sum(chances) / len(chances)


@dataclass(frozen=True)
class AttackRate:
    """The APCER of one attack type under the page's decision, over ``volunteers`` whose ID
    photos the attack was made from: the mean chance of acceptance, its 95% interval resampling
    the volunteers, and how many were accepted whatever the draw (``always``) or by none."""

    attack: str
    volunteers: int
    apcer: float
    interval: tuple[float, float]
    always: int
    never: int


def attack_rates(
    verdicts: Mapping[str, Mapping[str, Mapping[str, Mapping[str, bool | None]]]],
) -> tuple[AttackRate, ...]:
    """Per attack type in :data:`ATTACKS` order, its :class:`AttackRate` from the verdicts of
    each volunteer (person id -> attack -> challenge -> {"accepted", ...})."""
    rates = []
    for attack in ATTACKS:
        chances = [
            acceptance_chance({c: bool(v["accepted"]) for c, v in by_attack[attack].items()})
            for by_attack in verdicts.values()
        ]
        rates.append(_attack_rate(attack, chances))
    return tuple(rates)


def worst_attack(rates: Sequence[AttackRate]) -> AttackRate:
    """The headline ISO/IEC 30107-3 reports: the attack type with the highest APCER."""
    return max(rates, key=lambda rate: rate.apcer)


def _attack_rate(attack: str, chances: Sequence[float]) -> AttackRate:
    share = apcer(np.asarray(chances, dtype=np.float64))
    return AttackRate(
        attack=attack,
        volunteers=share.people,
        apcer=share.value,
        interval=share.interval,
        always=share.always,
        never=share.never,
    )
