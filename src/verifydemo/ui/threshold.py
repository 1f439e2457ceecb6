"""The threshold section: scenario, presets and slider, the decision for the pair on screen, and
the teaching tabs, each in its own module.

One fragment: moving the slider reruns only this section, using embeddings already computed.
"""

from __future__ import annotations

import streamlit as st

from verifydemo.core.compare import DEFAULT_THRESHOLD, Comparison, compare
from verifydemo.lessons.scenarios import ID_SCENARIOS, LIVE_SCENARIOS, Scenario
from verifydemo.pictures.charts import SCALE_HEIGHT, distance_scale
from verifydemo.ui import keys
from verifydemo.ui.attack import attack_tab
from verifydemo.ui.costs import costs_tab
from verifydemo.ui.groups import groups_tab
from verifydemo.ui.lab import lab_tab
from verifydemo.ui.lookalikes import lookalikes_tab
from verifydemo.ui.resources import SLIDER_MAX, SLIDER_MIN, ScenarioScores, scenario_scores
from verifydemo.ui.scale import scale_tab
from verifydemo.ui.session import PairOnScreen

TABS = (
    ("What the threshold costs", costs_tab),
    ("Perturbation lab", lab_tab),
    ("Photo held up to the camera", attack_tab),
    ("Lookalikes", lookalikes_tab),
    ("Group differences", groups_tab),
    ("National scale", scale_tab),
)
"""Each tab's label and the function that draws it from ``(measured, threshold, pair)``."""


@st.fragment
def threshold_section(pair: PairOnScreen | None) -> None:
    """Slider and presets, the decision for ``pair`` if there is one, and the teaching tabs."""
    st.header("The threshold, and how the check fails")
    id_side, live_side = st.columns(2)
    id_scenario = id_side.selectbox(
        "Reference set: ID photo captured as",
        [s.name for s in ID_SCENARIOS],
        key=keys.ID_SCENARIO,
        format_func=_described(ID_SCENARIOS),
    )
    live_scenario = live_side.selectbox(
        "Reference set: live photo captured as",
        [s.name for s in LIVE_SCENARIOS],
        key=keys.LIVE_SCENARIO,
        format_func=_described(LIVE_SCENARIOS),
    )
    measured = scenario_scores(id_scenario, live_scenario)
    threshold = threshold_controls(measured)
    if pair is not None:
        comparison = compare(pair.id_embedding, pair.live_embedding, threshold)
        show_decision(comparison)
        st.vega_lite_chart(distance_scale(comparison), width="stretch", height=SCALE_HEIGHT)
    for tab, (_, draw) in zip(st.tabs([label for label, _ in TABS]), TABS, strict=True):
        with tab:
            draw(measured, threshold, pair)


def threshold_controls(measured: ScenarioScores) -> float:
    """Preset buttons and the slider; returns the threshold."""
    st.session_state.setdefault(keys.THRESHOLD, DEFAULT_THRESHOLD)
    for column, preset in zip(st.columns(len(measured.presets)), measured.presets, strict=True):
        column.button(
            preset.label,
            key=keys.preset(preset.name),
            on_click=_set_threshold,
            args=(preset.threshold,),
            width="stretch",
        )
    return st.slider(
        f"Threshold: a distance at or below it is a match ({DEFAULT_THRESHOLD:.2f} is "
        "face_recognition's default)",
        min_value=SLIDER_MIN,
        max_value=SLIDER_MAX,
        step=0.01,
        key=keys.THRESHOLD,
    )


def show_decision(comparison: Comparison) -> None:
    summary = f"distance {comparison.distance:.3f}, threshold {comparison.threshold:.2f}"
    if comparison.is_match:
        st.success(f"**Match**: the phone number is issued ({summary}).")
    else:
        st.warning(f"**No match**: the phone number is not issued ({summary}).")


def _set_threshold(value: float) -> None:
    st.session_state[keys.THRESHOLD] = value


def _described(scenarios: tuple[Scenario, ...]):
    descriptions = {s.name: f"{s.name}: {s.description}" for s in scenarios}
    return descriptions.__getitem__
