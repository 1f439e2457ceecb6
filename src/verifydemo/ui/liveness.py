"""The liveness section: random challenges recorded with the webcam, and the built-in attacks
that beat each check.

A visitor's recording is decoded in memory, measured, and kept only as its measures and a strip
of small frames in the session memo (one recording at a time; "Forget my photos" drops it with
everything else). The built-in attack clips are made from demo faces, so their analysis is
shared by every session through ``st.cache_resource``, keyed by a person id.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import numpy as np
import streamlit as st

from verifydemo.core.decode import decode_image
from verifydemo.core.errors import UnusableInput
from verifydemo.core.i18n import Message, _
from verifydemo.lessons.class_pool import LIVENESS, POOL, PoolRefused
from verifydemo.lessons.liveness import (
    CHALLENGE_NAMES,
    ChallengeResult,
    FrameMeasure,
    challenge_sequence,
    check_challenge,
    frames_summary,
    measure_frames,
)
from verifydemo.lessons.liveness_clips import (
    ATTACK_NAMES,
    ATTACKS,
    AttackOutcome,
    attack_clip,
    clip_outcomes,
    worst_attack,
)
from verifydemo.metrics.error_rates import Rate, significant
from verifydemo.pictures.liveness import (
    challenge_name,
    frame_strip,
    residual_chart,
    trace_chart,
    verdict_words,
)
from verifydemo.ui import keys
from verifydemo.ui.class_experiment import student_key
from verifydemo.ui.language import page_language
from verifydemo.ui.liveness_capture import (
    FRAMES_PER_SECOND,
    Clip,
    Instruction,
    read_clip,
    recorder,
)
from verifydemo.ui.resources import demo_by_id, demo_photo_bytes, shipped_attack_rates
from verifydemo.ui.session import drop_memo, memo, remembered

RECORDING_MEMO = "liveness_recording"
ATTACK_PERSON = "001"
"""Whose demo ID photo the built-in attacks are made from: always the same volunteer, so the
clips are made and measured once per server, not once per gallery click."""


@dataclass(frozen=True)
class Attempt:
    """One try at the camera: its id and the challenges it asks for, in order."""

    attempt_id: str
    challenges: tuple[str, ...]


@dataclass(frozen=True)
class Recording:
    """A visitor's recording, measured: per challenge, each frame's numbers and a small strip."""

    challenges: tuple[str, ...]
    measures: dict[str, tuple[FrameMeasure, ...]]
    strips: dict[str, np.ndarray]


@dataclass(frozen=True)
class MeasuredClip:
    """A built-in attack clip, measured once per server, and a strip of its frames."""

    measures: tuple[FrameMeasure, ...]
    strip: np.ndarray


@st.fragment
def liveness_section() -> None:
    """The liveness step: the camera with random challenges, then the built-in attacks.

    A fragment: a recording reruns only this section."""
    page_language()
    st.header(_("Liveness detection: a live person, or a picture?"))
    st.markdown(
        _(
            "A comparator alone accepts a photo of the ID photo. Action liveness checks ask for "
            "random actions, such as blink, open the mouth, turn or nod the head. Huawei Cloud's "
            "live-detect API documentation says only that the service judges from a short video "
            "whether the requested actions were performed, and its newer page that it does not "
            "check that the person is real. Asking in a random order is meant to defeat a "
            "pre-recorded video: that is the design's reasoning, not a vendor's claim. Here "
            "every frame is reduced to dlib's 68 facial landmarks: the eye aspect ratio "
            "(Soukupová and Čech, CVWW 2016) for blinks, the same ratio on the inner lips for "
            "the mouth, and the head's angles for turns and nods."
        )
    )
    st.subheader(_("Try it with your camera"))
    camera_part()
    st.subheader(_("The attacks, in the order a class meets them"))
    shown = st.toggle(
        _(
            "Show the three built-in attacks (made and measured once per server: several "
            "seconds the first time)"
        ),
        key=keys.LIVENESS_ATTACKS,
    )
    if shown:
        attacks_part(ATTACK_PERSON)


# --- The camera ---------------------------------------------------------------------------------


def new_attempt() -> Attempt:
    """Two or three different challenges in a random order, from a fresh random generator."""
    rng = np.random.default_rng()
    count = int(rng.integers(2, 4))
    return Attempt(secrets.token_hex(8), challenge_sequence(rng, count))


def camera_part() -> None:
    st.markdown(
        _(
            "Press the button and do what the large text asks, about 3 seconds each. The "
            "challenges are drawn at random for every attempt. The frames go only to the "
            "computer running this app, are measured in memory and are kept in this session "
            "only as the numbers and the small pictures below."
        )
    )
    attempt = st.session_state.get(keys.LIVENESS_ATTEMPT)
    if not isinstance(attempt, Attempt):
        attempt = st.session_state[keys.LIVENESS_ATTEMPT] = new_attempt()
    instructions = [Instruction(name, challenge_name(name)) for name in attempt.challenges]
    events = recorder(attempt.attempt_id, instructions, key=keys.LIVENESS_RECORDER)
    if events.camera:
        st.session_state[keys.LIVENESS_CAMERA] = events.camera
    if events.clip:
        try:
            clip = read_clip(events.clip, attempt.attempt_id, attempt.challenges)
            with st.spinner(_("Measuring the frames...")):
                recording = measure_recording(clip)
        except UnusableInput as error:
            st.error(str(error))
        else:
            drop_memo(RECORDING_MEMO)
            memo(RECORDING_MEMO, (), (), lambda: recording)
            results, _problems = checked(recording)
            accepted = len(results) == len(recording.challenges) and all(
                result.passed for result in results
            )
            st.session_state.setdefault(keys.LIVENESS_OWN, []).append(accepted)
            st.session_state.pop(keys.LIVENESS_CAMERA, None)
            st.session_state[keys.LIVENESS_ATTEMPT] = new_attempt()
            st.rerun()
    problem = st.session_state.get(keys.LIVENESS_CAMERA)
    if problem:
        st.warning(camera_problem(problem))
    recording = remembered(RECORDING_MEMO, (), ())
    if isinstance(recording, Recording):
        show_recording(recording)


def add_attempt_to_class(challenges: tuple[str, ...], passed: tuple[bool, ...]) -> None:
    """A button that adds this live attempt's outcome (challenges and verdicts, as the server
    judged them; numbers only) to the class pool, for the class BPCER: one per device."""
    student = student_key()
    if POOL.allowance(student, LIVENESS, False) == 0:
        st.caption(_("Your liveness attempt is in the class results."))
        return
    if st.button(_("Add this attempt to the class results"), key=keys.LIVENESS_ADD):
        try:
            POOL.add_liveness(challenges, passed, student=student)
        except PoolRefused:
            st.warning(_("The class results take no more liveness attempts just now."))
        else:
            st.success(_("Added: the class tab counts it in the class BPCER."))


def camera_problem(problem: str) -> str:
    """The one line the page shows when the camera cannot record."""
    if problem == "refused":
        return _(
            "The camera was refused, so nothing was recorded: the built-in clips below show "
            "each check."
        )
    if problem == "insecure":
        return _(
            "This browser allows the camera only on https:// or localhost: the built-in clips "
            "below show each check."
        )
    return _("No camera was found: the built-in clips below show each check.")


def measure_recording(clip: Clip) -> Recording:
    """Decode each frame in memory (one challenge at a time, each frame no larger than the
    checks need), measure it, and keep only the numbers and a strip."""
    measures, strips = {}, {}
    for challenge in clip.challenges:
        frames = clip.decoded_frames(challenge)
        if not frames:
            raise UnusableInput(
                "The recording has no frames for {challenge}; please record again.",
                challenge=Message(CHALLENGE_NAMES[challenge]),
            )
        measures[challenge] = measure_frames(frames)
        strips[challenge] = frame_strip(frames)
    return Recording(clip.challenges, measures, strips)


def checked(recording: Recording) -> tuple[list[ChallengeResult], list[str]]:
    """The verdict on each challenge of a recording, and a line for each that could not be
    judged (no face, too few frames)."""
    results: list[ChallengeResult] = []
    problems: list[str] = []
    for challenge in recording.challenges:
        try:
            results.append(check_challenge(recording.measures[challenge], challenge))
        except UnusableInput as error:
            problems.append(
                _("{challenge}: {reason}", challenge=challenge_name(challenge), reason=error)
            )
    return results, problems


def show_recording(recording: Recording) -> None:
    st.markdown(_("**Your last recording**"))
    results, problems = checked(recording)
    passed = sum(result.passed for result in results)
    total = len(recording.challenges)
    if passed == total:
        st.success(_("**Accepted as a live person**: all {total} challenges passed.", total=total))
    else:
        st.warning(
            _(
                "**Not accepted as a live person**: {passed} of {total} challenges passed.",
                passed=passed,
                total=total,
            )
        )
    for line in problems:
        st.error(line)
    own = st.session_state.get(keys.LIVENESS_OWN, [])
    if own:
        st.caption(
            Rate(own.count(False), len(own)).describe(
                _("of your attempts in this session rejected as not live (your own BPCER)")
            )
        )
    if len(results) == total:
        add_attempt_to_class(recording.challenges, tuple(result.passed for result in results))
    for result in results:
        st.markdown(verdict_words(result))
    if results:  # one chart: the first challenge that failed, else the first
        shown = next((result for result in results if not result.passed), results[0])
        st.vega_lite_chart(trace_chart(shown.measures, FRAMES_PER_SECOND), width="content")
    with st.expander(_("The frames and traces of every challenge")):
        for result in results:
            show_result(result, recording.strips[result.challenge], FRAMES_PER_SECOND)
        residuals = {
            challenge_name(result.challenge): result.flat_residual
            for result in results
            if result.flat_residual is not None
        }
        if residuals:
            st.vega_lite_chart(residual_chart(residuals), width="stretch")


def show_result(result: ChallengeResult, strip: np.ndarray, fps: float) -> None:
    """One challenge: its name, the frames and the traces (its verdict is said above)."""
    st.markdown(f"**{challenge_name(result.challenge)}**")
    st.image(strip, caption=frames_summary(result), width="stretch")
    st.vega_lite_chart(trace_chart(result.measures, fps), width="content")


# --- The built-in attacks -----------------------------------------------------------------------


@st.cache_resource(show_spinner=False)
def measured_attack_clip(person_id: str, attack: str) -> MeasuredClip:
    """The built-in ``attack`` clip of a demo person's ID photo, measured once per server."""
    person = demo_by_id(person_id)
    if person is None:
        raise ValueError(f"no demo person {person_id!r}")
    frames = attack_clip(attack, decode_image(demo_photo_bytes(str(person.id_photo))))
    return MeasuredClip(measure_frames(frames), frame_strip(frames))


@st.cache_resource(show_spinner=False)
def demo_attack_outcomes(person_id: str) -> tuple[AttackOutcome, ...]:
    """Every built-in attack of a demo person put to every challenge, from the clips measured
    once per server (their reasons are translated where they are shown)."""
    return tuple(
        outcome
        for attack in ATTACKS
        for outcome in clip_outcomes(attack, measured_attack_clip(person_id, attack).measures)
    )


ATTACK_LESSONS = {
    "printed": lambda: _(
        "A print cannot blink or open its mouth. Held still, it barely moves, so the turn and "
        "nod checks see no movement either."
    ),
    "turned": lambda: _(
        "Turning the print moves the landmarks much as a head turn would, which can fool a "
        "naive turn check that only asks whether the head's angle changed enough. But a sheet "
        "of paper is flat: one perspective map (a homography) carries every frame's 68 "
        "landmarks onto another frame's almost exactly, which no real face allows, because the "
        "nose stands out of the plane of the eyes and mouth. That flat-photo check catches it."
    ),
    "synthesised": lambda: _(
        "This is a crude fake made here, from the ID photo alone: the eyelids are painted shut "
        "and the landmarks of the lips are moved, the photo warped with them, frame by frame. "
        "It blinks and "
        "opens its mouth well enough for landmark checks. A replayed or injected video like "
        "this is why an action check alone is not enough: face_recognition's maintainer warns "
        'that a blink check "can still be fooled by a pre-recorded video" '
        "(ageitgey/face_recognition #167, #371). Real systems may add checks that this app "
        "does not have; which ones the operators use, and how well they work, is not public."
    ),
}


def attacks_part(person_id: str) -> None:
    st.markdown(
        _(
            "Three presentation attacks, made by this app from the ID photo of London Set "
            "#{person_id} (a consented volunteer), each put to every check. Never try them on "
            "a real system (ETHICS.md).",
            person_id=person_id,
        )
    )
    with st.spinner(_("Measuring the built-in attack clips (once per server)...")):
        outcomes = demo_attack_outcomes(person_id)
    for number, attack in enumerate(ATTACKS, start=1):
        mine = [outcome for outcome in outcomes if outcome.attack == attack]
        st.markdown(f"**{number}. {_(ATTACK_NAMES[attack])}**")
        st.image(
            measured_attack_clip(person_id, attack).strip,
            caption=_("frames of the built-in clip (3 seconds at 10 frames per second)"),
            width="stretch",
        )
        st.markdown(ATTACK_LESSONS[attack]())
        st.markdown(beaten_summary(mine))
        st.markdown(checks_table(mine))
        with st.expander(_("The traces of this clip")):
            st.vega_lite_chart(
                trace_chart(mine[0].result.measures, FRAMES_PER_SECOND), width="content"
            )
    residuals = {
        _(ATTACK_NAMES[outcome.attack]): outcome.result.flat_residual
        for outcome in outcomes
        if outcome.challenge == "turn" and outcome.result.flat_residual is not None
    }
    if residuals:
        st.markdown(_("**The flat-photo check on each clip** (measured during the turn check):"))
        st.vega_lite_chart(residual_chart(residuals), width="stretch")
    show_apcer()


def beaten_summary(outcomes: list[AttackOutcome]) -> str:
    """Which checks the attack beats and which catch it, in one line; and the checks it would
    beat if only the action were looked for (the flat-photo check is what stops it there)."""
    beaten = [challenge_name(o.challenge) for o in outcomes if o.accepted]
    caught = [challenge_name(o.challenge) for o in outcomes if not o.accepted]
    naive = [
        challenge_name(o.challenge)
        for o in outcomes
        if not o.accepted and o.result.action_seen and o.result.same_face and o.result.flat_photo
    ]
    none, comma = _("none"), _(", ")
    summary = _(
        "**Beats**: {beaten}. **Caught by**: {caught}.",
        beaten=comma.join(beaten) or none,
        caught=comma.join(caught) or none,
    )
    if naive:
        summary += " " + _(
            "A naive check that only looks for the action would accept it for: {checks}; the "
            "flat-photo check stops it.",
            checks=comma.join(naive),
        )
    return summary


def checks_table(outcomes: list[AttackOutcome]) -> str:
    """A Markdown table: per check, whether the action was seen, the flat-photo verdict and
    whether the attack was accepted."""
    yes, no, unknown = _("yes"), _("no"), _("cannot tell (too little movement)")
    titles = (_("check"), _("action seen"), _("flat photo"), _("accepted as live"), _("why"))
    rows = ["| " + " | ".join(titles) + " |", "|---|---|---|---|---|"]
    for outcome in outcomes:
        result = outcome.result
        flat = unknown if result.flat_photo is None else (yes if result.flat_photo else no)
        if result.flat_residual is not None:
            flat = _("{verdict} ({residual:.1%})", verdict=flat, residual=result.flat_residual)
        rows.append(
            f"| {challenge_name(outcome.challenge)} | {yes if result.action_seen else no} | "
            f"{flat} | {yes if result.passed else no} | {result.reason} |"
        )
    return "\n".join(rows)


def show_apcer() -> None:
    """APCER per attack type of the decision this page makes, over the demo volunteers, the
    worst type first (as ISO/IEC 30107-3 reports it); and why BPCER needs live people."""
    rates = shipped_attack_rates()
    worst = worst_attack(rates)
    lines = [
        _(
            "- **{attack}**: {apcer} (95% interval {low} to {high}); accepted by some draws of "
            "challenges for {sometimes} of {volunteers} volunteers, by none for {never}.",
            attack=_(ATTACK_NAMES[rate.attack]),
            apcer=significant(rate.apcer),
            low=significant(rate.interval[0]),
            high=significant(rate.interval[1]),
            sometimes=rate.volunteers - rate.never,
            volunteers=rate.volunteers,
            never=rate.never,
        )
        for rate in rates
    ]
    st.markdown(
        _(
            "**APCER of this page's check: {apcer}**, for the worst of the three attacks "
            "({attack}). APCER (attack presentation classification error rate, ISO/IEC "
            "30107-3) is the share of attack presentations accepted as a live person, reported "
            "per attack type with the worst as the headline. Each attack was made from the ID "
            "photos of all {volunteers} demo volunteers; the page asks for two or three random "
            "challenges and accepts only when all pass, so each figure is the chance over its "
            "draws, and the interval resamples the volunteers:",
            apcer=significant(worst.apcer),
            attack=_(ATTACK_NAMES[worst.attack]),
            volunteers=worst.volunteers,
        )
        + "\n"
        + "\n".join(lines)
    )
    st.info(
        _(
            "Three crude attacks made here are far too few to rate a real check: a real "
            "attacker's fake would do better. **BPCER** (the share of live people wrongly "
            "rejected as attacks) needs live people: add your own attempt to the class results "
            "above, and the class tab counts every live student the check rejected."
        )
    )
