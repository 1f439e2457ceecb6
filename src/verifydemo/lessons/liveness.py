"""The liveness step: is a live person doing the asked action in front of the camera?

Action ("interactive") liveness asks for random actions, such as blink, open the mouth, turn or
nod the head; the random order is what is meant to stop a pre-recorded video (vendors' own
documentation, e.g. Huawei Cloud's live-detect API). Each frame of a short clip is reduced to a
few numbers measured on dlib's 68 landmarks (:class:`FrameMeasure`); a challenge passes when its
action is seen while the same face stays in view (:func:`check_challenge`). A flat-photo check
then asks whether the landmarks moved like a face or like a sheet of paper.

Every threshold lives in the block of constants below, with where its value comes from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from verifydemo.core.decode import MAX_PIXELS, decode_image, ensure_rgb_uint8
from verifydemo.core.errors import UnusableInput
from verifydemo.core.faces import DETECT_SIDE, FaceBox, detect_faces, detect_scaled
from verifydemo.core.i18n import N_, Message, n_
from verifydemo.core.landmarks import INNER_LIPS, LEFT_EYE, RIGHT_EYE, eye_distance
from verifydemo.core.video import MAX_VIDEO_FRAMES, decode_video

CHALLENGES = ("blink", "mouth", "turn", "nod")
"""The actions a clip can be asked for, by id (also the CLI's ``--challenge`` values)."""

CHALLENGE_NAMES = {
    "blink": N_("Blink"),
    "mouth": N_("Open your mouth"),
    "turn": N_("Turn your head"),
    "nod": N_("Nod"),
}
"""What a person is asked to do, per challenge id; shown through ``_()``."""

# --- Thresholds: every number that decides a verdict -------------------------------------------

MIN_FRAMES = 5
"""Fewer frames than this cannot show an action start and end (the CLI's exit 2)."""

EYE_CLOSED_RATIO = 0.2
"""Eyes count as closed below this eye aspect ratio (mean of both eyes). Soukupová and Čech
(CVWW 2016) report open eyes at about 0.25-0.35 and closed ones near 0.05-0.15; the 48 demo
photos measure 0.23 to 0.43 with the eyes open (the lowest are smiling photos, where the cheeks
narrow the eyes), so 0.2 sits below every open eye in the demo set
(``tests/unit/test_liveness.py`` recomputes this) and above a closed one."""

FRAMES_PER_SECOND = 10
"""The frame rate every frame-count threshold here assumes: the recorder records at it and the
built-in clips are made at it (Huawei's live-detect recommends 10 to 30 fps)."""

MIN_CLOSED_FRAMES = 2
"""A blink is at least this many consecutive frames with closed eyes (0.2 s at 10 fps), between
frames with open eyes: a single low frame is more often a landmark slip than a blink."""

MOUTH_OPEN_RATIO = 0.35
"""The mouth counts as open above this mouth aspect ratio (inner lips: mean gap between the
lips over the width between the inner mouth corners). The 48 demo photos, neutral and smiling,
measure 0.00 to 0.25 (smiles that show the teeth are highest; ``tests/unit/test_liveness.py``
recomputes this); a mouth opened on request measures 0.5 or more."""

TURN_DEGREES = 12.0
"""A head turn is a yaw range (largest minus smallest) of at least this many degrees: a small,
easy turn. The pose from five landmarks and a generic face is rough: a print held still ranges
over 2 to 7 degrees on 23 of the 24 demo faces (11.5 on one), so the threshold keeps clear of
that; a flat print turned 30 degrees each way reads as 8 to 61 degrees (median 18), because its
nose does not move against its eyes as a real one would. That is the naive check that the
flat-photo check backs up. Yaw and pitch count only from frames where the mouth is not open
(below :data:`MOUTH_OPEN_RATIO`): the mouth corners are two of the generic face's five points,
and an open mouth moves them, which the pose reads as a turn (up to 20 degrees on the built-in
fake video)."""

NOD_DEGREES = 10.0
"""A nod is a pitch range of at least this many degrees (a nod is smaller than a turn)."""

POSE_SMOOTHING_FRAMES = 3
"""Yaw and pitch are median-filtered over this many frames before taking their range, so one
frame's pose slip does not count as a movement."""

FLAT_MIN_DEGREES = 10.0
"""The flat-photo check needs a yaw or pitch range of at least this many degrees: with less
movement a face and a sheet of paper move the landmarks alike, and the pose's own jitter (up to
7 degrees on 23 of the 24 demo faces' prints held still) would trigger it."""

FLAT_RESIDUAL = 0.03
"""A clip is a flat photo when every frame's landmarks fit one homography of a reference
frame's landmarks to within this RMS, as a fraction of the eye distance. A plane seen by a
camera maps to its image by a homography exactly, so a print leaves only the landmark model's
errors: on the turned-print clips of the 24 demo faces, 1.6% to 4.5% (median 2.1%; 19 of 24
below 3%; the other five are prints of four volunteers who self-reported as black and one as
west Asian: the landmarks follow some printed faces less faithfully). A face is not flat (the nose
stands out of the plane of the eyes and mouth): a 3D face model turned 15 degrees each way
leaves about 6% (``tests/unit/test_liveness.py``)."""

MAX_MISSING_FRAMES = 2
"""The same face stays in view when it is missing from at most this many frames in a row..."""

MAX_JUMP = 0.5
"""...and between consecutive frames where it was found, its centre moves less than this share
of its width and its width changes by less than this share: one face, moving, not a swap."""

# --- Tracking ---------------------------------------------------------------------------------

TRACK_FACE_PX = 90
"""In the search box, the previous face is scaled to this width: enough for dlib's HOG detector
(its window is 80 pixels) and small enough to take a few milliseconds."""

TRACK_PADDING = 0.5
"""The search box is the previous landmarks' box grown by this share of its width on each side."""

POSE_MODEL_POINTS = np.array(
    [
        (0.0, 0.0, 0.0),  # 30: nose tip
        (-225.0, -170.0, 135.0),  # 36: outer corner of the eye on the image's left
        (225.0, -170.0, 135.0),  # 45: outer corner of the eye on the image's right
        (-150.0, 150.0, 125.0),  # 48: mouth corner on the image's left
        (150.0, 150.0, 125.0),  # 54: mouth corner on the image's right
    ]
)
"""A generic 3D face in model units: Satya Mallick, "Head Pose Estimation using OpenCV and
Dlib", LearnOpenCV, 26 September 2016, with its y and z axes flipped into the camera's frame
(x right, y down, z away from the camera), so a frontal face has no rotation. Its sixth point,
the chin, is left out: the chin drops when the mouth opens, and with it the pose would move."""
POSE_LANDMARKS = (30, 36, 45, 48, 54)
"""The iBUG landmark numbers of :data:`POSE_MODEL_POINTS`, in the same order."""


@dataclass(frozen=True)
class FrameMeasure:
    """What one frame shows: whether a face was found, its eye and mouth aspect ratios, its
    yaw and pitch in degrees and its 68 landmarks (NaN and None without a face).

    Yaw is positive when the nose points to the image's right, pitch when it points up.
    """

    has_face: bool
    eye_ratio: float
    mouth_ratio: float
    yaw: float
    pitch: float
    points: np.ndarray | None


NO_FACE = FrameMeasure(False, float("nan"), float("nan"), float("nan"), float("nan"), None)


@dataclass(frozen=True)
class ChallengeResult:
    """The verdict on one challenge for one clip.

    ``passed`` needs the action seen, the same face in view throughout, and no flat photo.
    ``flat_photo`` is None when the head moved too little to tell; ``flat_residual`` is the
    worst homography residual as a fraction of the eye distance (None likewise). ``reason`` is
    one sentence saying why, translated where it is shown.
    """

    challenge: str
    passed: bool
    flat_photo: bool | None
    flat_residual: float | None
    frames: int
    frames_with_face: int
    reason: Message
    measures: tuple[FrameMeasure, ...]
    action_seen: bool = False
    same_face: bool = False


# --- Per-frame numbers --------------------------------------------------------------------------


def eye_aspect_ratio(points: np.ndarray) -> float:
    """The eye aspect ratio of Soukupová and Čech (CVWW 2016), mean of both eyes: the two
    lid-to-lid heights over twice the corner-to-corner width. About 0.3 open, near 0 closed."""
    ratios = []
    for eye in (points[RIGHT_EYE], points[LEFT_EYE]):
        heights = np.linalg.norm(eye[1] - eye[5]) + np.linalg.norm(eye[2] - eye[4])
        ratios.append(heights / (2 * max(np.linalg.norm(eye[0] - eye[3]), 1e-9)))
    return float(np.mean(ratios))


def mouth_aspect_ratio(points: np.ndarray) -> float:
    """The inner lips' mean gap (points 61-67, 62-66, 63-65) over the width between the inner
    mouth corners (60-64): 0 closed, about 0.5 or more wide open."""
    lips = points[INNER_LIPS]
    gaps = [np.linalg.norm(lips[top] - lips[bottom]) for top, bottom in ((1, 7), (2, 6), (3, 5))]
    return float(np.mean(gaps) / max(np.linalg.norm(lips[0] - lips[4]), 1e-9))


def head_pose(points: np.ndarray, width: int, height: int) -> tuple[float, float]:
    """Yaw and pitch in degrees from ``cv2.solvePnP`` (SQPnP, a global solver that stays
    stable with few points) on :data:`POSE_MODEL_POINTS`.

    The camera is a pinhole with its focal length equal to the frame width (about a 53 degree
    field of view, a typical webcam) and no lens distortion. Yaw is positive when the nose
    points to the image's right, pitch when it points up; both are 0 for a frontal face.
    """
    image_points = points[list(POSE_LANDMARKS)].astype(np.float64)
    camera = np.array(
        [[width, 0.0, width / 2], [0.0, width, height / 2], [0.0, 0.0, 1.0]], dtype=np.float64
    )
    try:
        ok, rotation_vector, _translation = cv2.solvePnP(
            POSE_MODEL_POINTS, image_points, camera, None, flags=cv2.SOLVEPNP_SQPNP
        )
    except cv2.error:  # degenerate points (all on one line): no pose
        ok = False
    if not ok:
        return float("nan"), float("nan")
    rotation, _jacobian = cv2.Rodrigues(rotation_vector)
    facing = rotation @ np.array([0.0, 0.0, -1.0])  # the direction the nose points
    yaw = np.degrees(np.arctan2(facing[0], -facing[2]))
    pitch = np.degrees(np.arctan2(-facing[1], -facing[2]))
    return float(yaw), float(pitch)


def measure_points(points: np.ndarray, width: int, height: int) -> FrameMeasure:
    """The numbers of one frame from its 68 landmarks, in a ``width`` x ``height`` frame."""
    yaw, pitch = head_pose(points, width, height)
    return FrameMeasure(
        True, eye_aspect_ratio(points), mouth_aspect_ratio(points), yaw, pitch, points
    )


# --- Tracking -----------------------------------------------------------------------------------


def _landmarks(rgb: np.ndarray, box: FaceBox) -> np.ndarray:
    from verifydemo.core.landmarks import landmarks68

    return landmarks68(rgb, box)


def search_box(points: np.ndarray, width: int, height: int) -> FaceBox:
    """Where to look for the face in the next frame: the landmarks' box, padded by
    :data:`TRACK_PADDING` of its width on each side, inside the frame."""
    left, top = points.min(axis=0)
    right, bottom = points.max(axis=0)
    pad = TRACK_PADDING * (right - left)
    return FaceBox(
        top=max(0, int(top - pad)),
        right=min(width, int(np.ceil(right + pad))),
        bottom=min(height, int(np.ceil(bottom + pad))),
        left=max(0, int(left - pad)),
    )


def find_in_box(rgb: np.ndarray, box: FaceBox, face_width: float) -> FaceBox | None:
    """The largest face the HOG detector finds inside ``box`` (scaled so a face of
    ``face_width`` pixels becomes :data:`TRACK_FACE_PX` wide), in frame coordinates."""
    if box.width < 8 or box.height < 8:
        return None
    scale = TRACK_FACE_PX / max(face_width, 1.0)
    faces = detect_scaled(rgb, scale, region=box, upsample=False)
    return faces[0] if faces else None


@dataclass
class FaceTracker:
    """Follows one face through a clip: the first frame (or one after the face was lost) runs
    the full detector; later frames run it only inside a padded box around the previous
    landmarks, which is several times cheaper.

    Once the face has been missing from more than :data:`MAX_MISSING_FRAMES` frames in a row,
    the clip has already failed (:func:`same_face_in_view`), so the detector then skips its
    upsampled pass: the frames are still measured for the traces, but a frame without a face
    costs about 25 ms instead of about 140 ms."""

    previous: np.ndarray | None = None
    missing: int = 0

    def measure(self, rgb: np.ndarray) -> FrameMeasure:
        """The numbers of the next frame of the clip."""
        rgb = ensure_rgb_uint8(rgb)
        height, width = rgb.shape[:2]
        box = None
        if self.previous is not None:
            previous_width = float(np.ptp(self.previous[:, 0]))
            box = find_in_box(rgb, search_box(self.previous, width, height), previous_width)
        if box is None and self.missing > MAX_MISSING_FRAMES:  # the detector's first pass only
            whole = FaceBox(top=0, right=width, bottom=height, left=0)
            box = find_in_box(rgb, whole, TRACK_FACE_PX * max(width, height) / DETECT_SIDE)
        elif box is None:
            faces = detect_faces(rgb)
            box = faces[0] if faces else None
        if box is None:
            self.previous = None
            self.missing += 1
            return NO_FACE
        points = _landmarks(rgb, box)
        self.previous, self.missing = points, 0
        return measure_points(points, width, height)


def measure_frames(frames: Sequence[np.ndarray]) -> tuple[FrameMeasure, ...]:
    """Each frame's numbers, following one face through the clip (frames in order)."""
    tracker = FaceTracker()
    return tuple(tracker.measure(frame) for frame in frames)


# --- Reading clips ------------------------------------------------------------------------------

MAX_FRAME_SIDE = 640
"""Frames are decoded scaled down to at most this many pixels on their longer side. It is the
size the thresholds above were measured at (the built-in clips are 640 x 480) and the size the
face detector works at (``DETECT_SIDE``), so larger frames only cost memory; smaller ones lose
landmark detail: at 480 px a turned print's flat-photo residual rises from 1.9% to 2.8% of the
eye distance (demo face 001), close to :data:`FLAT_RESIDUAL`."""

MAX_CLIP_FRAMES = MAX_VIDEO_FRAMES
"""The most image files a clip may have, as for a video: 30 s at 10 fps. More are refused,
not thinned out: a clip of many seconds is not one action, and which frames to drop would be
a guess (300 decoded frames take about 280 MB)."""


def decode_frame(data: bytes, max_pixels: int = MAX_PIXELS) -> np.ndarray:
    """One frame: its size read from its header and checked against ``max_pixels`` before
    decoding, then decoded at most :data:`MAX_FRAME_SIDE` on its longer side."""
    return decode_image(data, max_pixels=max_pixels, max_side=MAX_FRAME_SIDE)


def frames_from_files(paths: Sequence[Path]) -> tuple[np.ndarray, ...]:
    """The clip in ``paths``: image files are frames in order, each read and decoded in turn
    (see :func:`decode_frame`); a single file that is not an image is decoded as a video, frame
    by frame. Raises ``UnusableInput`` for more than :data:`MAX_CLIP_FRAMES` files, before
    reading any, or naming the file that cannot be read."""
    if len(paths) > MAX_CLIP_FRAMES:
        raise UnusableInput(
            "{count} frames are too many: a liveness clip has at most {limit}",
            count=len(paths),
            limit=MAX_CLIP_FRAMES,
        )
    if len(paths) == 1:
        try:
            return (decode_frame(paths[0].read_bytes()),)
        except UnusableInput as image_error:
            try:
                return decode_video(paths[0])
            except UnusableInput:
                raise UnusableInput(
                    "{name}: not an image ({reason}) and not a readable video",
                    name=paths[0].name,
                    reason=image_error,
                ) from None
    frames = []
    for path in paths:
        try:
            frames.append(decode_frame(path.read_bytes()))
        except UnusableInput as error:
            raise UnusableInput("{name}: {error}", name=path.name, error=error) from None
    return tuple(frames)


# --- Verdicts ---------------------------------------------------------------------------------


def blink_seen(eye_ratios: np.ndarray) -> bool:
    """Eyes open, then closed for at least :data:`MIN_CLOSED_FRAMES` frames in a row, then open
    again (NaN, a frame without a face, breaks a run)."""
    state, closed_run = "start", 0
    for ratio in eye_ratios:
        if np.isnan(ratio):
            state, closed_run = ("start" if state != "open" else "open"), 0
            continue
        if ratio >= EYE_CLOSED_RATIO:
            if state == "closed" and closed_run >= MIN_CLOSED_FRAMES:
                return True
            state, closed_run = "open", 0
        elif state in ("open", "closed"):
            state, closed_run = "closed", closed_run + 1
    return False


def mouth_opening_seen(mouth_ratios: np.ndarray) -> bool:
    """The mouth closed in some frame and open past :data:`MOUTH_OPEN_RATIO` in another: an
    opening, not a photo that happens to show an open mouth."""
    ratios = mouth_ratios[~np.isnan(mouth_ratios)]
    return bool(ratios.size) and ratios.min() < MOUTH_OPEN_RATIO < ratios.max()


def smoothed_range(values: np.ndarray) -> float:
    """Largest minus smallest of ``values`` (NaN dropped) after a running median over
    :data:`POSE_SMOOTHING_FRAMES` frames; 0 when fewer frames than that."""
    values = values[~np.isnan(values)]
    if values.size < POSE_SMOOTHING_FRAMES:
        return 0.0
    windows = np.lib.stride_tricks.sliding_window_view(values, POSE_SMOOTHING_FRAMES)
    smooth = np.median(windows, axis=1)
    return float(smooth.max() - smooth.min())


def same_face_in_view(measures: Sequence[FrameMeasure]) -> bool:
    """One face stays in view: missing from at most :data:`MAX_MISSING_FRAMES` frames in a row,
    and between found frames it moves and changes size by less than :data:`MAX_JUMP` of its
    width (a face swapped for another, or a second person, jumps)."""
    missing, previous = 0, None
    for measure in measures:
        if not measure.has_face:
            missing += 1
            if missing > MAX_MISSING_FRAMES:
                return False
            continue
        missing = 0
        points = measure.points
        centre, width = points.mean(axis=0), float(np.ptp(points[:, 0]))
        if previous is not None:
            previous_centre, previous_width = previous
            if np.linalg.norm(centre - previous_centre) > MAX_JUMP * previous_width:
                return False
            if abs(width - previous_width) > MAX_JUMP * previous_width:
                return False
        previous = centre, width
    return previous is not None


def flat_residual(measures: Sequence[FrameMeasure]) -> float | None:
    """How far the landmarks moved unlike a plane: the worst RMS residual, as a fraction of
    the eye distance, of one homography (least squares) from a reference frame's 68 landmarks
    to each other frame's. None when fewer than :data:`POSE_SMOOTHING_FRAMES` frames have a
    face.

    Each landmark is first median-filtered over :data:`POSE_SMOOTHING_FRAMES` frames with a
    face, as the pose is, so that landmark jitter and one frame's slip do not count as depth.
    The reference is the frame nearest the clip's median yaw.
    """
    found = [measure for measure in measures if measure.has_face]
    if len(found) < POSE_SMOOTHING_FRAMES:
        return None
    points = np.stack([measure.points for measure in found])
    windows = np.lib.stride_tricks.sliding_window_view(points, POSE_SMOOTHING_FRAMES, axis=0)
    smooth = np.median(windows, axis=-1)
    half = POSE_SMOOTHING_FRAMES // 2
    yaws = np.array([measure.yaw for measure in found])[half : len(found) - half]
    finite = np.isfinite(yaws)
    offsets = (
        np.where(finite, np.abs(yaws - np.median(yaws[finite])), np.inf)
        if finite.any()
        else np.zeros(len(yaws))
    )
    reference = smooth[int(np.argmin(offsets))]
    scale = eye_distance(reference)
    worst = 0.0
    for frame_points in smooth:
        homography, _mask = cv2.findHomography(reference, frame_points, 0)
        if homography is None:
            continue
        mapped = cv2.perspectiveTransform(reference[None], homography)[0]
        rms = float(np.sqrt(np.mean(np.sum((mapped - frame_points) ** 2, axis=1))))
        worst = max(worst, rms / scale)
    return worst


def check_challenge(
    frames_or_measures: Sequence[np.ndarray] | Sequence[FrameMeasure], challenge: str
) -> ChallengeResult:
    """The verdict on ``challenge`` for a clip (RGB frames in order, or their measures).

    Raises ``UnusableInput`` for fewer than :data:`MIN_FRAMES` frames or when no frame shows
    a face, and ``ValueError`` for a challenge not in :data:`CHALLENGES`.
    """
    if challenge not in CHALLENGES:
        raise ValueError(f"unknown challenge {challenge!r}; one of {', '.join(CHALLENGES)}")
    if len(frames_or_measures) < MIN_FRAMES:
        raise UnusableInput(
            "{count} frames are too few: a liveness check needs at least {minimum}",
            count=len(frames_or_measures),
            minimum=MIN_FRAMES,
        )
    measures = (
        tuple(frames_or_measures)
        if all(isinstance(item, FrameMeasure) for item in frames_or_measures)
        else measure_frames(frames_or_measures)
    )
    with_face = sum(measure.has_face for measure in measures)
    if not with_face:
        raise UnusableInput("no face was found in any of the {count} frames", count=len(measures))

    def series(name: str) -> np.ndarray:
        return np.array([getattr(measure, name) for measure in measures], dtype=np.float64)

    posed = series("mouth_ratio") < MOUTH_OPEN_RATIO  # see TURN_DEGREES; NaN compares False
    yaw_range = smoothed_range(np.where(posed, series("yaw"), np.nan))
    pitch_range = smoothed_range(np.where(posed, series("pitch"), np.nan))
    action_seen = {
        "blink": lambda: blink_seen(series("eye_ratio")),
        "mouth": lambda: mouth_opening_seen(series("mouth_ratio")),
        "turn": lambda: yaw_range >= TURN_DEGREES,
        "nod": lambda: pitch_range >= NOD_DEGREES,
    }[challenge]()
    same_face = same_face_in_view(measures)
    residual = flat_residual(measures) if max(yaw_range, pitch_range) >= FLAT_MIN_DEGREES else None
    flat = None if residual is None else residual < FLAT_RESIDUAL
    passed = action_seen and same_face and flat is not True
    return ChallengeResult(  # plain Python values (numpy's bool is not JSON): issue #23
        challenge=challenge,
        passed=bool(passed),
        flat_photo=None if flat is None else bool(flat),
        flat_residual=None if residual is None else float(residual),
        frames=len(measures),
        frames_with_face=int(with_face),
        reason=_reason(challenge, action_seen, same_face, flat, residual),
        measures=measures,
        action_seen=bool(action_seen),
        same_face=bool(same_face),
    )


def _reason(
    challenge: str, action_seen: bool, same_face: bool, flat: bool | None, residual: float | None
) -> Message:
    """One sentence saying why the challenge passed or failed."""
    if not same_face:
        return Message(
            "The face left the picture or changed between frames, so the check cannot vouch "
            "for one person."
        )
    if flat:
        return Message(
            "The landmarks moved like a flat picture (residual {residual:.1%} of the eye "
            "distance, below {limit:.0%}): judged a photo, not a face.",
            residual=residual,
            limit=FLAT_RESIDUAL,
        )
    if not action_seen:
        return {
            "blink": lambda: Message(
                "No blink seen: the eyes never closed for {frames} frames and opened again.",
                frames=MIN_CLOSED_FRAMES,
            ),
            "mouth": lambda: Message(
                "No mouth opening seen: the mouth never went from closed to open."
            ),
            "turn": lambda: Message(
                "No head turn seen: the head turned less than {degrees:.0f} degrees.",
                degrees=TURN_DEGREES,
            ),
            "nod": lambda: Message(
                "No nod seen: the head tilted less than {degrees:.0f} degrees.",
                degrees=NOD_DEGREES,
            ),
        }[challenge]()
    return {
        "blink": lambda: Message("Blink seen, with the same face in view."),
        "mouth": lambda: Message("Mouth opening seen, with the same face in view."),
        "turn": lambda: Message("Head turn seen, with the same face in view."),
        "nod": lambda: Message("Nod seen, with the same face in view."),
    }[challenge]()


def challenge_sequence(rng: np.random.Generator, count: int = 3) -> tuple[str, ...]:
    """``count`` different challenges in a random order, as vendors ask for them, so that one
    pre-recorded clip does not fit every session."""
    if not 1 <= count <= len(CHALLENGES):
        raise ValueError(f"count must be 1 to {len(CHALLENGES)}, not {count}")
    return tuple(str(CHALLENGES[index]) for index in rng.permutation(len(CHALLENGES))[:count])


def frames_summary(result: ChallengeResult) -> str:
    """ "n of m frames with a face", translated."""
    return n_(
        "{found} of {count} frame with a face",
        "{found} of {count} frames with a face",
        result.frames,
        found=result.frames_with_face,
    )
