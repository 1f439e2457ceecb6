"""The printed-photo tab: a presentation attack that a plain comparator cannot see."""

from __future__ import annotations

import streamlit as st

from verifydemo.core.compare import Comparison, distance
from verifydemo.core.decode import encode_jpeg
from verifydemo.core.errors import UnusableInput
from verifydemo.core.faces import find_face
from verifydemo.core.i18n import _
from verifydemo.lessons import perturb
from verifydemo.metrics.bootstrap import accepted_share
from verifydemo.ui.present import folded
from verifydemo.ui.resources import ScenarioScores, reference
from verifydemo.ui.session import PairOnScreen, memo

ATTACK_MEMO = "attack_results"


def attack_tab(measured: ScenarioScores, threshold: float, pair: PairOnScreen | None) -> None:
    """The simulated frame beside its outcome, then the measured APCER; in the projector view
    only those (the explanations are folded: the teacher says them)."""
    folded("attack_intro").markdown(
        _(
            "A **presentation attack** (ISO/IEC 30107-3) shows the camera something other than "
            "a live face: a printed photo, a phone screen replaying one, a 3D mask. Here the ID "
            "photo is printed and held up to the camera, simulated with a tilt, paper margins, "
            "print texture, glare and webcam noise."
        )
    )
    if pair is None:
        st.info(_("Run a check above first: the attack uses its ID photo."))
        return
    frame, gap = memo(ATTACK_MEMO, (pair.id_photo.digest,), (), lambda: _attack(pair))
    picture, numbers = st.columns([2, 3])
    picture.image(frame, caption=_("the ID photo, printed and held up to the camera (simulated)"))
    if gap is None:
        numbers.warning(_("No face was found in the simulated frame."))
    else:
        numbers.markdown(_outcome(Comparison(gap, threshold)))
    with numbers:
        folded("attack_gap").markdown(
            _(
                "A plain comparator like this one has **no presentation attack detection**: a "
                "photo of the ID photo is, to it, the best possible match. Liveness checks try to "
                "close that gap by asking for something a photo cannot do: blink, turn the head, "
                "read numbers aloud. One field report (Bitter Winter, an advocacy outlet; an "
                "anecdote, not a study) describes staff asking customers to do just that, and "
                "older customers who do not speak Mandarin sometimes repeating it many times."
            )
        )
    apcer = accepted_share(reference().attack_scores().genuine, threshold)
    described = apcer.describe(_("volunteers"))
    folded("attack_rates").markdown(
        _(
            "Two rates measure how well a check tells live faces from attacks "
            "(ISO/IEC 30107-3):\n"
            "- **APCER** (attack presentation classification error rate): the share of attacks, "
            "such as a held-up photo, wrongly accepted as a live person.\n"
            "- **BPCER** (bona fide presentation classification error rate): the share of real, "
            "live people wrongly rejected as attacks."
        )
    )
    st.markdown(
        _(
            "Measured here: the simulated printed ID photo of each of the {trials} volunteers, "
            "held up to the camera, was accepted at {threshold:.2f}: **{description}**. That is "
            "this comparator's APCER for printed ID photos. Its BPCER is 0 by construction, "
            "because it never rejects anything as an attack.",
            trials=apcer.trials,
            threshold=threshold,
            description=described,
        )
    )
    st.info(
        _(
            "**Try it here, and only here**: with a webcam, print a demo ID photo (or show it on "
            "a phone), choose *Webcam* as the live photo in step 2 and photograph the print. "
            "Never try this, or any attack shown here, on a real system (ETHICS.md)."
        )
    )


def _outcome(comparison: Comparison) -> str:
    if comparison.is_match:
        return _(
            "Distance to the ID photo: **{distance:.3f}**. At threshold {threshold:.2f} the "
            "attack **passes**: the number is issued.",
            distance=comparison.distance,
            threshold=comparison.threshold,
        )
    return _(
        "Distance to the ID photo: **{distance:.3f}**. At threshold {threshold:.2f} the attack "
        "is rejected.",
        distance=comparison.distance,
        threshold=comparison.threshold,
    )


def _attack(pair: PairOnScreen) -> tuple[bytes, float | None]:
    """The simulated frame (JPEG bytes) and its distance to the ID photo (None: no face)."""
    frame = perturb.photo_of_photo(pair.id_photo.rgb, seed=0)
    try:
        gap = distance(find_face(frame).embedding, pair.id_embedding)
    except UnusableInput:
        gap = None
    return encode_jpeg(frame), gap
