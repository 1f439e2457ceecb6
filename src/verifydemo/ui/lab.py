"""The perturbation lab tab: degrade one photo and watch the distance move."""

from __future__ import annotations

import numpy as np
import streamlit as st

from verifydemo.core.compare import Comparison, compare
from verifydemo.core.decode import encode_jpeg
from verifydemo.core.i18n import N_, _
from verifydemo.lessons.lab import (
    DEGRADATIONS,
    Degradation,
    degradation,
    degrade_and_compare,
    distance_curve,
)
from verifydemo.pictures.charts import distance_curve_chart
from verifydemo.pictures.drawing import thumbnail
from verifydemo.ui import keys
from verifydemo.ui.choices import offered
from verifydemo.ui.ondevice_capture import DeviceFace
from verifydemo.ui.present import chart_height, in_present_view, on_screen
from verifydemo.ui.resources import ScenarioScores
from verifydemo.ui.session import FaceFound, PairOnScreen, memo, remembered
from verifydemo.ui.takeaway import chart_downloads

DISPLAY_SIDE = 360
LAB_MEMO, CURVE_MEMO = "lab_results", "lab_curves"
SIDES = {"live": N_("Live photo"), "id": N_("ID photo")}


def lab_tab(measured: ScenarioScores, threshold: float, pair: PairOnScreen | None) -> None:
    st.markdown(
        _(
            "Degrade one photo and watch the distance move. Notice which changes barely matter "
            "(a mirror image) and which push a genuine pair over the threshold or make the face "
            "disappear altogether (a failure to acquire)."
        )
    )
    if pair is None:
        st.info(_("Run a check above first: the lab degrades its photos."))
        return
    sides = SIDES if not isinstance(pair.live_photo, DeviceFace) else {"id": SIDES["id"]}
    offered(keys.LAB_SIDE, sides)
    offered(keys.LAB_DEGRADATION, [d.name for d in DEGRADATIONS])
    side_column, kind_column, strength_column = st.columns(3)
    side = side_column.radio(
        _("Degrade which photo?"),
        list(sides),
        format_func=lambda choice: _(SIDES[choice]),
        horizontal=True,
        key=keys.LAB_SIDE,
    )
    if len(sides) == 1:
        side_column.caption(_("Your live photo stayed on your phone: only the ID photo is here."))
    name = kind_column.selectbox(
        _("Degradation"),
        [d.name for d in DEGRADATIONS],
        format_func=lambda name: _(name),
        key=keys.LAB_DEGRADATION,
    )
    chosen = degradation(name)
    strength = strength_column.slider(
        _(chosen.strength_label),
        chosen.minimum,
        chosen.maximum,
        chosen.default,
        chosen.step,
        key=keys.lab_strength(name),
    )
    degraded, kept = (
        (pair.live_photo, pair.id_photo) if side == "live" else (pair.id_photo, pair.live_photo)
    )
    other = kept.face.embedding
    sources = (degraded.digest, kept.digest)
    result, picture_bytes = memo(
        LAB_MEMO,
        sources,
        (name, strength),
        lambda: _degrade(degraded, chosen, strength, other),
    )
    if in_present_view():  # the curve beside the picture: one screen
        picture, numbers, curve_spot = st.columns([2, 2, 3])
    else:
        picture, numbers = st.columns([2, 3])
        curve_spot = st.container()
    picture.image(
        picture_bytes,
        caption=_(
            "{side}, {degradation} {strength:g}",
            side=_(SIDES[side]),
            degradation=_(name).lower(),
            strength=strength,
        ),
    )
    original = compare(pair.id_embedding, pair.live_embedding, threshold)
    numbers.markdown(_before(original))
    if result.distance is None:
        numbers.error(
            _(
                "After: {problem} A real check would ask the customer to try again.",
                problem=result.reason,
            )
        )
    else:
        numbers.markdown(_after(Comparison(result.distance, threshold)))
    numbers.caption(_(chosen.lesson))

    if numbers.button(_("Draw distance against strength"), key=keys.LAB_CURVE):
        progress = numbers.progress(0.0, text=_("Degrading and re-embedding..."))
        memo(
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
    curve = remembered(CURVE_MEMO, sources, (name,))
    if curve is not None:
        label = _(chosen.strength_label)
        curve_chart = distance_curve_chart(curve, threshold, label)
        shown = distance_curve_chart(curve, threshold, label, compact=in_present_view())
        curve_spot.vega_lite_chart(on_screen(shown), width="stretch", height=chart_height())
        chart_downloads(curve_chart, "lab_curve", curve_spot)


def _degrade(degraded: FaceFound, chosen: Degradation, strength: float, other: np.ndarray):
    """The lab result and its picture as JPEG bytes, encoded once rather than on every rerun."""
    result = degrade_and_compare(degraded.rgb, degraded.face.box, chosen, strength, other)
    return result, encode_jpeg(thumbnail(result.image, DISPLAY_SIDE))


def _before(comparison: Comparison) -> str:
    if comparison.is_match:
        return _("Before: distance **{distance:.3f}** (match).", distance=comparison.distance)
    return _("Before: distance **{distance:.3f}** (no match).", distance=comparison.distance)


def _after(comparison: Comparison) -> str:
    if comparison.is_match:
        return _("After: distance **{distance:.3f}** (match).", distance=comparison.distance)
    return _("After: distance **{distance:.3f}** (no match).", distance=comparison.distance)
