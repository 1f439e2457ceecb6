"""Every widget key and session-state name of the page, in one place the tests import too."""

from __future__ import annotations

ID_SOURCE = "id_source"
LIVE_SOURCE = "live_source"
DEMO_PERSON = "id_person"
OTHER_PERSON = "live_other_person"
ID_UPLOAD = "id_upload"
ID_CAMERA = "id_camera"
LIVE_UPLOAD = "live_upload"
LIVE_CAMERA = "live_camera"
"""Upload and camera keys get the session's generation appended (see ``session.widget_key``)."""
GENERATED = (ID_UPLOAD, ID_CAMERA, LIVE_UPLOAD, LIVE_CAMERA)

FORGET = "forget"

THRESHOLD = "threshold"
ID_SCENARIO = "id_scenario"
LIVE_SCENARIO = "live_scenario"

LAB_SIDE = "lab_side"
LAB_DEGRADATION = "lab_degradation"
LAB_CURVE = "lab_curve"

SCALE_REGISTRATIONS = "scale_registrations"
SCALE_IMPOSTOR_SHARE = "scale_impostor_share"
SCALE_USE_MEASURED = "scale_use_measured"
SCALE_FAR = "scale_far"
SCALE_FRR = "scale_frr"
SCALE_TRIES = "scale_tries"

MORPH_FIRST = "morph_first"
MORPH_SECOND = "morph_second"
MORPH_ALPHA = "morph_alpha"
MORPH_REVEAL = "morph_reveal"
MORPH_REVEALED = "morph_revealed"
MORPH_QUIZ_START = "morph_quiz_start"
MORPH_QUIZ_ON = "morph_quiz_on"
LIVENESS_RECORDER = "liveness_recorder"
LIVENESS_ATTEMPT = "liveness_attempt"
"""The challenges the recorder asks for now; a new attempt draws new ones."""
LIVENESS_ATTACKS = "liveness_attacks"
LIVENESS_CAMERA = "liveness_camera_problem"
LIVENESS_ADD = "liveness_add"
LIVENESS_OWN = "liveness_own"
"""Whether each of this session's own recordings was accepted as live (for its own BPCER)."""
"""Why the camera could not record (refused, missing, insecure), until a recording arrives."""

CLERK_START = "clerk_start"
CLERK_SAME = "clerk_same"
CLERK_DIFFERENT = "clerk_different"
CLERK_CONFIDENCE = "clerk_confidence"
CLERK_NEW = "clerk_new"
CLERK_ON = "clerk_on"
CLERK_ROUND = "clerk_round"
"""The seed of the round's pairs: everyone on one round judges the same pairs."""
CLERK_ANSWERS = "clerk_answers"
"""This session's answers to the round so far, in the order of its pairs."""
CLERK_TIME_LIMIT = "clerk_time_limit"
CLERK_SECONDS = "clerk_seconds"
"""The time limit per pair in force for this session's rounds (None: none)."""
CLERK_SHOWN_AT = "clerk_shown_at"
"""When each pair was first drawn for this session (``time.monotonic``), for the time limit."""
CLERK_ADD = "clerk_add"
CLERK_REFUSED = "clerk_refused"
"""Why the pool did not take this session's round, to say once."""
CLERK_ADVISED_START = "clerk_advised_start"
CLERK_ADVISED_ON = "clerk_advised_on"
CLERK_ADVISED_ANSWERS = "clerk_advised_answers"
"""Round two's answers, each with the machine's label that was shown beside its pair."""

PACE_PANEL = "pace_panel"
PACE_BACK = "pace_back"
PACE_NEXT = "pace_next"
PACE_NEW_PAIRS = "pace_new_pairs"
PACE_END = "pace_end"
PACE_LOOK = "pace_look"
"""The stage a student's page shows: the class's, or an earlier one they look back at."""
PACE_SEEN = "pace_seen"
"""The class's stage when this page last followed it (None: no paced lesson)."""

LANGUAGE = "language"

GENERATION = "generation"
MEMO = "memo"


def pick(person_id: str) -> str:
    """The gallery button that chooses a demo person's ID photo."""
    return f"pick_{person_id}"


def preset(name: str) -> str:
    """A threshold preset button: ``library``, ``eer``, ``fmr_1`` or ``fmr_0.1``."""
    return f"preset_{name}"


def png_download(chart: str) -> str:
    """The button that saves the chart named ``chart`` as a PNG."""
    return f"png_{chart}"


def csv_download(chart: str) -> str:
    """The button that saves the numbers of the chart named ``chart`` as a CSV."""
    return f"csv_{chart}"


def lab_strength(degradation: str) -> str:
    """The strength slider of one degradation (each keeps its own value)."""
    return f"lab_strength_{degradation}"


def morph_suggestion(index: int) -> str:
    """The button that picks the ``index``-th suggested lookalike pair in the morph lab."""
    return f"morph_suggestion_{index}"


def morph_guess(index: int) -> str:
    """The guess for the ``index``-th photo of the "spot the morph" quiz."""
    return f"morph_guess_{index}"


URL_PRESETS_READ = "url_presets_read"
"""Set once the address's presets (``?threshold=&scenario=&tab=&view=``) were applied."""
URL_PRESET_NOTICES = "url_preset_notices"
OPEN_TAB = "open_tab"
"""The name of the teaching tab on screen (``threshold.TABS``): a lesson-plan link's ``?tab=``, then
the visitor's clicks. Only that tab runs."""
TAB_BAR = "tab_bar"
"""The tab bar's own state: the open tab's label, in the language it was drawn in."""
PRESENT_VIEW = "present_view"
PRESENT_STEP = "present_step"
PRESENT_BACK = "present_back"
PRESENT_NEXT = "present_next"
PRESENT_KEYS = "present_keys"
"""The presenter remote's keys (``presenter_keys.py``)."""

POOL_KIND = "pool_kind"
POOL_BEAT = "pool_beat_round"
POOL_ADD = "pool_add"
CLASS_ADD = "class_add"
FACE_CROP = "face_crop"
"""The box of the face crop of each side of the check (``face_crop_id``, ``face_crop_live``)."""
"""The box under the check (classroom mode) that adds its result to the class."""
POOL_MESSAGE = "pool_message"
POOL_REFRESH = "pool_refresh"
TEACHER_CODE = "teacher_code"
POOL_CLEAR = "pool_clear"
POOL_REMOVE_COUNT = "pool_remove_count"
POOL_REMOVE = "pool_remove"
TEACHER_MESSAGE = "teacher_message"
"""What the teacher's last clear or removal did: (done, message), shown once."""
WORKSHEET = "worksheet"
DOWNLOAD_TAG = "download_tag"
"""This session's random part of every download's file name (``takeaway.download_name``)."""

ONDEVICE_ON = "ondevice_on"
"""Classroom mode: whether the live photo is checked on the student's device (the default) or
sent to the server as a photo."""
ONDEVICE_CAPTURE = "ondevice_capture"
"""The on-device capture component (``ondevice_capture.py``)."""
ONDEVICE_SENT = "ondevice_sent"
"""What the device last sent, checked (``ondevice.sent.SentCheck``), or why it was refused."""
ONDEVICE_PROBLEM = "ondevice_problem"
"""Why the device could not run the check (camera, WebAssembly, models), until it sends numbers."""
