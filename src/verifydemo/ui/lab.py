"""Perturbation lab and presentation attack: watch the check fail, and fail open."""

from __future__ import annotations

import numpy as np
import streamlit as st

from verifydemo import perturb
from verifydemo.charts import distance_curve_chart
from verifydemo.compare import Comparison, compare, face_distance
from verifydemo.decode import encode_jpeg
from verifydemo.drawing import thumbnail
from verifydemo.errors import UnusableInput
from verifydemo.faces import find_face
from verifydemo.lab import (
    DEGRADATIONS,
    Degradation,
    degradation,
    degrade_and_compare,
    distance_curve,
)
from verifydemo.ui.session import Analysis, PairOnScreen, recalled, session_memo

DISPLAY_SIDE = 360
LAB_MEMO, CURVE_MEMO, ATTACK_MEMO = "lab_results", "lab_curves", "attack_results"


def lab_tab(pair: PairOnScreen | None, threshold: float) -> None:
    st.markdown(
        "Degrade one photo and watch the distance move. Notice which changes barely matter "
        "(a mirror image) and which push a genuine pair over the threshold or make the face "
        "disappear altogether (a failure to acquire)."
    )
    if pair is None:
        st.info("Run a check above first: the lab degrades its photos.")
        return
    side = st.radio(
        "Degrade which photo?", ["Live photo", "ID photo"], horizontal=True, key="lab_side"
    )
    name = st.selectbox("Degradation", [d.name for d in DEGRADATIONS], key="lab_degradation")
    chosen = degradation(name)
    strength = st.slider(
        chosen.strength_label,
        chosen.minimum,
        chosen.maximum,
        chosen.default,
        chosen.step,
        key=f"lab_strength_{name}",
    )
    degraded, kept = (
        (pair.live_analysis, pair.id_analysis)
        if side == "Live photo"
        else (pair.id_analysis, pair.live_analysis)
    )
    other = kept.face.embedding
    sources = (degraded.digest, kept.digest)
    result, picture_bytes = session_memo(
        LAB_MEMO, sources, (name, strength), lambda: _degrade(degraded, chosen, strength, other)
    )
    picture, numbers = st.columns([2, 3])
    picture.image(picture_bytes, caption=f"{side}, {name.lower()} {strength:g}")
    original = compare(pair.id_embedding, pair.live_embedding, threshold)
    numbers.markdown(f"Before: distance **{original.distance:.3f}** ({_verdict(original)}).")
    if result.distance is None:
        numbers.error(f"After: {result.problem} A real check would ask the customer to try again.")
    else:
        after = Comparison(result.distance, threshold)
        numbers.markdown(f"After: distance **{after.distance:.3f}** ({_verdict(after)}).")
    numbers.caption(chosen.lesson)

    if numbers.button("Draw distance against strength", key="lab_curve"):
        progress = numbers.progress(0.0, text="Degrading and re-embedding...")
        session_memo(
            CURVE_MEMO,
            sources,
            (name,),
            lambda: distance_curve(
                degraded.rgb,
                degraded.face.box,
                chosen,
                other,
                chosen.strengths(),
                on_progress=lambda done, total: progress.progress(done / total),
            ),
        )
        progress.empty()
    curve = recalled(CURVE_MEMO, sources, (name,))
    if curve is not None:
        st.vega_lite_chart(
            distance_curve_chart(curve, threshold, chosen.strength_label), width="stretch"
        )


def attack_tab(pair: PairOnScreen | None, threshold: float) -> None:
    st.markdown(
        "A **presentation attack** (ISO/IEC 30107-3) shows the camera something other than a "
        "live face: a printed photo, a phone screen replaying one, a 3D mask. Here the ID photo "
        "is printed and held up to the camera, simulated with a tilt, paper margins, print "
        "texture, glare and webcam noise."
    )
    if pair is None:
        st.info("Run a check above first: the attack uses its ID photo.")
        return
    frame, distance = session_memo(
        ATTACK_MEMO, (pair.id_analysis.digest,), (), lambda: _attack(pair)
    )
    picture, numbers = st.columns([2, 3])
    picture.image(frame, caption="the ID photo, printed and held up to the camera (simulated)")
    if distance is None:
        numbers.warning("No face was found in the simulated frame.")
    else:
        at_threshold = Comparison(distance, threshold)
        verdict = "**passes**: the number is issued" if at_threshold.is_match else "is rejected"
        numbers.markdown(
            f"Distance to the ID photo: **{at_threshold.distance:.3f}**. At threshold "
            f"{threshold:.2f} the attack {verdict}."
        )
    numbers.markdown(
        "A plain comparator like this one has **no presentation attack detection**: a photo of "
        "the ID photo is, to it, the best possible match. Liveness checks try to close that "
        "gap by asking for something a photo cannot do: blink, turn the head, read numbers "
        "aloud. One field report (Bitter Winter, an advocacy outlet; an anecdote, not a study) "
        "describes staff asking customers to do just that, and older customers who do not "
        "speak Mandarin repeating it many times."
    )
    st.markdown(
        "- **APCER**: the share of attack presentations wrongly accepted as genuine.\n"
        "- **BPCER**: the share of genuine presentations wrongly rejected as attacks.\n\n"
        "Without attack detection, this comparator's APCER for printed ID photos is as high "
        "as its acceptance of the ID photo itself."
    )
    st.info(
        "**Try it for real**: with a webcam, print a demo ID photo (or show it on a phone), "
        "choose *Webcam* as the live photo in step 2 and photograph the print."
    )


def _degrade(degraded: Analysis, chosen: Degradation, strength: float, other: np.ndarray):
    """The lab result and its picture as JPEG bytes, encoded once rather than on every rerun."""
    result = degrade_and_compare(degraded.rgb, degraded.face.box, chosen, strength, other)
    return result, encode_jpeg(thumbnail(result.image, DISPLAY_SIDE))


def _attack(pair: PairOnScreen) -> tuple[bytes, float | None]:
    """The simulated frame (JPEG bytes) and its distance to the ID photo (None: no face)."""
    frame = perturb.photo_of_photo(pair.id_analysis.rgb, seed=0)
    try:
        distance = face_distance(find_face(frame).embedding, pair.id_embedding)
    except UnusableInput:
        distance = None
    return encode_jpeg(frame), distance


def _verdict(comparison: Comparison) -> str:
    return "match" if comparison.is_match else "no match"
