"""The threshold, the decision for the pair on screen, and everything the threshold changes.

One fragment: moving the slider reruns only this section, using embeddings already computed.
"""

from __future__ import annotations

import streamlit as st

from verifydemo.charts import SCALE_HEIGHT, det_points, distance_marks, distance_scale, filled
from verifydemo.compare import DEFAULT_THRESHOLD, Comparison, compare
from verifydemo.error_rates import Rate, ScoreSet, error_rates
from verifydemo.scenarios import ID_SCENARIOS, LIVE_SCENARIOS
from verifydemo.ui.groups import groups_tab
from verifydemo.ui.lab import attack_tab, lab_tab
from verifydemo.ui.lookalikes import lookalikes_tab
from verifydemo.ui.reference_data import (
    SLIDER_MAX,
    SLIDER_MIN,
    ScenarioScores,
    reference,
    scenario_scores,
)
from verifydemo.ui.scale import scale_tab
from verifydemo.ui.session import PairOnScreen

THRESHOLD = "threshold"
ID_SCENARIO = "id_scenario"
LIVE_SCENARIO = "live_scenario"
TABS = (
    "What the threshold costs",
    "Perturbation lab",
    "Photo held up to the camera",
    "Lookalikes",
    "Group differences",
    "National scale",
)


@st.fragment
def threshold_section(pair: PairOnScreen | None) -> None:
    """Slider and presets, the decision for ``pair`` if there is one, and the teaching tabs."""
    st.header("The threshold, and how the check fails")
    id_side, live_side = st.columns(2)
    id_scenario = id_side.selectbox(
        "Reference set: ID photo captured as",
        [s.name for s in ID_SCENARIOS],
        key=ID_SCENARIO,
        format_func=_describe(ID_SCENARIOS),
    )
    live_scenario = live_side.selectbox(
        "Reference set: live photo captured as",
        [s.name for s in LIVE_SCENARIOS],
        key=LIVE_SCENARIO,
        format_func=_describe(LIVE_SCENARIOS),
    )
    measured = scenario_scores(id_scenario, live_scenario)
    threshold = threshold_controls(measured)

    comparison = compare(pair.id_embedding, pair.live_embedding, threshold) if pair else None
    if comparison is not None:
        show_decision(comparison)
        st.vega_lite_chart(distance_scale(comparison), width="stretch", height=SCALE_HEIGHT)

    costs_tab, lab, attack, lookalikes, groups, scale = st.tabs(TABS)
    with costs_tab:
        costs(measured, threshold, comparison)
    with lab:
        lab_tab(pair, threshold)
    with attack:
        attack_tab(pair, threshold)
    with lookalikes:
        lookalikes_tab(pair, threshold)
    with groups:
        groups_tab(measured, threshold)
    with scale:
        scale_tab(measured, threshold)


def threshold_controls(measured: ScenarioScores) -> float:
    """Preset buttons and the slider; returns the threshold."""
    st.session_state.setdefault(THRESHOLD, DEFAULT_THRESHOLD)
    preset_columns = st.columns(len(measured.presets))
    for column, (label, value) in zip(preset_columns, measured.presets.items(), strict=True):
        column.button(
            label,
            key=f"preset {label.split(' (')[0]}",
            on_click=_set_threshold,
            args=(value,),
            width="stretch",
        )
    return st.slider(
        f"Threshold: a distance at or below it is a match ({DEFAULT_THRESHOLD:.2f} is "
        "face_recognition's default)",
        min_value=SLIDER_MIN,
        max_value=SLIDER_MAX,
        step=0.01,
        key=THRESHOLD,
    )


def _set_threshold(value: float) -> None:
    st.session_state[THRESHOLD] = value


def _describe(scenarios):
    descriptions = {s.name: f"{s.name}: {s.description}" for s in scenarios}
    return descriptions.__getitem__


def show_decision(comparison: Comparison) -> None:
    summary = f"distance {comparison.distance:.3f}, threshold {comparison.threshold:.2f}"
    if comparison.is_match:
        st.success(f"**Match**: the phone number is issued ({summary}).")
    else:
        st.warning(f"**No match**: sent to staff for a manual check ({summary}).")


def costs(measured: ScenarioScores, threshold: float, comparison: Comparison | None) -> None:
    scores = measured.scores
    rates = error_rates(scores, threshold)
    people = len(reference().person_ids)
    st.subheader(f"At {threshold:.2f}, measured on {people} consented volunteers")
    st.caption(
        "Each volunteer's neutral photo plays the ID photo and their smiling photo the live "
        f"photo: {len(scores.genuine):,} genuine pairs (same person) and "
        f"{len(scores.impostor):,} impostor pairs (two different people). Computed by this app "
        "from the Face Research Lab London Set (CC BY 4.0)."
    )
    fmr_column, fnmr_column = st.columns(2)
    fmr_column.metric("FMR: strangers let through", _percent(rates.fmr))
    fmr_column.markdown(_sentence(rates.fmr, "impostor pairs accepted"))
    fnmr_column.metric("FNMR: genuine customers turned away", _percent(rates.fnmr))
    fnmr_column.markdown(_sentence(rates.fnmr, "genuine pairs rejected"))
    if scores.genuine_fta or scores.impostor_fta:
        st.markdown(
            f"**No face found** in some photos of this scenario (failure to acquire): "
            f"{scores.genuine_fta} genuine and {scores.impostor_fta:,} impostor attempts could not "
            f"be compared. Counting them as rejections, the system-level rates are "
            f"FRR {_percent(rates.frr)} ({_sentence(rates.frr, 'genuine attempts turned away')}) "
            f"and FAR {_percent(rates.far)} ({_sentence(rates.far, 'impostor attempts accepted')})."
        )
    resolution_notes(scores, rates.fmr, rates.fnmr)

    histogram, det = st.columns(2)
    histogram.markdown("**Distances of all pairs**")
    pair_distance = comparison.distance if comparison else None
    histogram.vega_lite_chart(
        filled(measured.histogram, marks=distance_marks(threshold, pair_distance)), width="stretch"
    )
    det.markdown("**DET curve** (every threshold at once)")
    det.vega_lite_chart(
        filled(measured.det, points=det_points(rates, measured.eer)), width="stretch"
    )
    if measured.eer.rate == 0:
        st.caption(
            "Here the genuine and impostor distances do not overlap, so there is a threshold "
            "with no error at all on this set and the DET curve has almost nothing to draw. "
            "Try the chip or dim scenarios."
        )
    st.caption(
        f"Equal error rate (EER): {measured.eer.rate:.2%} at {measured.eer.threshold:.3f}, read at "
        f"the observed threshold where FMR ({measured.eer.fmr:.2%}) and FNMR "
        f"({measured.eer.fnmr:.2%}) are closest."
    )
    definitions()


def resolution_notes(scores: ScoreSet, fmr: Rate, fnmr: Rate) -> None:
    notes = [
        f"With {len(scores.genuine)} genuine pairs, FNMR moves in steps of "
        f"{1 / len(scores.genuine):.1%}; an FMR below 1 in {len(scores.impostor):,} cannot be "
        "estimated from this set at all."
    ]
    for rate, noun in ((fmr, "impostor"), (fnmr, "genuine")):
        if rate.errors == 0:
            notes.append(
                f"No {noun} pair erred here. That does not make the rate zero: with "
                f"{rate.trials:,} pairs it is only likely (95%) to be below "
                f"{3 / rate.trials:.2%} (the rule of three)."
            )
    notes.append(
        "Intervals treat pairs as independent; each volunteer appears in many impostor pairs, "
        "so the true uncertainty is somewhat larger."
    )
    st.info(" ".join(notes))


def definitions() -> None:
    with st.expander("What the terms mean (ISO/IEC 2382-37, 19795-1)"):
        st.markdown(
            "- **Threshold**: the largest distance still declared a match.\n"
            "- **FMR, false match rate**: the share of impostor (non-mated) comparisons wrongly "
            "declared a match: a stranger gets a number in someone else's name.\n"
            "- **FNMR, false non-match rate**: the share of genuine (mated) comparisons wrongly "
            "declared a non-match: the rightful owner is sent to a manual check.\n"
            "- **FAR and FRR**: the same at the level of the whole system; they also count "
            "attempts where no usable face was captured (failure to acquire, FTA) or enrolled "
            "(FTE). Here an FTA counts as a rejection.\n"
            "- **EER, equal error rate**: the operating point where FMR and FNMR are equal.\n"
            "- **DET curve**: FNMR against FMR at every threshold, both on normal-deviate "
            "(probit) axes; a curve nearer the lower left is a better comparator.\n"
            "- **95% CI**: Wilson score interval: the range of rates consistent with the counts."
        )


def _percent(rate: Rate) -> str:
    return f"{rate.value:.2%}"


def _sentence(rate: Rate, what: str) -> str:
    low, high = rate.interval
    return f"{rate.errors:,} of {rate.trials:,} {what} (95% CI {low:.2%} to {high:.2%})"
