"""The threshold section: scenario, presets and slider, the decision for the pair on screen, and
the teaching tabs, each in its own module.

One fragment: moving the slider reruns only this section, using embeddings already computed, and
only the open tab runs (Streamlit's lazy tabs): one tab's work per first visit, slider move or
click, not eight.
"""

from __future__ import annotations

import streamlit as st

from verifydemo.core.compare import DEFAULT_THRESHOLD, Comparison, compare
from verifydemo.core.i18n import _
from verifydemo.lessons.scenarios import ID_SCENARIOS, LIVE_SCENARIOS, Scenario
from verifydemo.metrics.presets import SLIDER_MAX, SLIDER_MIN, SLIDER_STEP, Preset, by_threshold
from verifydemo.metrics.score_shares import score_shares
from verifydemo.pictures.charts import distance_scale
from verifydemo.ui import keys
from verifydemo.ui.attack import attack_tab
from verifydemo.ui.choices import offered
from verifydemo.ui.class_experiment import class_tab
from verifydemo.ui.costs import costs_tab
from verifydemo.ui.groups import groups_tab
from verifydemo.ui.lab import lab_tab
from verifydemo.ui.language import page_language
from verifydemo.ui.lookalikes import lookalikes_tab
from verifydemo.ui.morph import morph_tab
from verifydemo.ui.present import on_screen, scale_height
from verifydemo.ui.resources import ScenarioScores, scenario_scores
from verifydemo.ui.scale import scale_tab
from verifydemo.ui.session import PairOnScreen
from verifydemo.ui.tab_strip import TAB_LABELS, open_tab_index, remember_open_tab
from verifydemo.ui.takeaway import chart_downloads

TABS = tuple(
    (name, label, draw)
    for (name, label), draw in zip(
        TAB_LABELS,
        (
            costs_tab,
            lab_tab,
            attack_tab,
            lookalikes_tab,
            groups_tab,
            scale_tab,
            morph_tab,
            class_tab,
        ),
        strict=True,
    )
)
"""Each tab's name in a lesson-plan link (``?tab=``), its label (``tab_strip.TAB_LABELS``), and
the function that draws it from ``(measured, threshold, pair)``."""
PRESET_ROW = "threshold_presets"
"""The row of threshold buttons: one per distinct threshold, each as wide as its label."""
TAB_STRIP_CSS = f"""
.st-key-{keys.TAB_BAR} [role="tablist"] {{
  flex-wrap: wrap; overflow-x: visible; column-gap: 1rem;
}}
"""
"""The tab strip wraps onto a second row rather than scrolling, so every tab's label is in view
on a 1280 px projector and on a phone."""


@st.fragment
def threshold_section(pair: PairOnScreen | None) -> None:
    """Slider and presets, the decision for ``pair`` if there is one, and the teaching tabs."""
    page_language()
    st.header(_("The threshold, and how the check fails"))
    id_side, live_side = st.columns(2)
    offered(keys.ID_SCENARIO, [s.name for s in ID_SCENARIOS])
    offered(keys.LIVE_SCENARIO, [s.name for s in LIVE_SCENARIOS])
    id_scenario = id_side.selectbox(
        _("Reference set: ID photo captured as"),
        [s.name for s in ID_SCENARIOS],
        key=keys.ID_SCENARIO,
        format_func=_described(ID_SCENARIOS),
    )
    live_scenario = live_side.selectbox(
        _("Reference set: live photo captured as"),
        [s.name for s in LIVE_SCENARIOS],
        key=keys.LIVE_SCENARIO,
        format_func=_described(LIVE_SCENARIOS),
    )
    st.caption(
        _(
            "These choose which measurements on the 102 volunteers the rates below come from; "
            "they do not change your photos or the decision for them (the Perturbation lab "
            "degrades your photos)."
        )
    )
    measured = scenario_scores(id_scenario, live_scenario)
    threshold = threshold_controls(measured)
    if pair is not None:
        comparison = compare(pair.id_embedding, pair.live_embedding, threshold)
        show_decision(comparison)
        score_meaning(measured, comparison.distance)
        scale = distance_scale(comparison)
        st.vega_lite_chart(on_screen(scale), width="stretch", height=scale_height())
        chart_downloads(scale, "distance_scale")
    labels = [_(label) for _name, label, _draw in TABS]
    offered(keys.TAB_BAR, labels)
    st.html(f"<style>{TAB_STRIP_CSS}</style>")
    tabs = st.tabs(
        labels,
        default=labels[open_tab_index()],
        key=keys.TAB_BAR,
        on_change=remember_open_tab,
        args=(labels,),
    )
    for tab, (_name, _label, draw) in zip(tabs, TABS, strict=True):
        if tab.open:
            with tab:
                draw(measured, threshold, pair)


def current_threshold() -> float:
    """The threshold the slider holds (before the slider is drawn in this run)."""
    return float(st.session_state.setdefault(keys.THRESHOLD, DEFAULT_THRESHOLD))


def threshold_controls(measured: ScenarioScores) -> float:
    """Preset buttons, one per distinct threshold, and the slider; returns the threshold. A
    button that stands for several presets is keyed by the last (the FMR targets come last), so
    the key of each FMR preset always names a button."""
    current_threshold()
    with st.container(horizontal=True, key=PRESET_ROW):  # buttons as wide as their labels
        for group in by_threshold(measured.presets):
            st.button(
                presets_label(group),
                key=keys.preset(group[-1].name),
                on_click=_set_threshold,
                args=(group[0].threshold,),
            )
    return st.slider(
        _(
            "Threshold: a distance at or below it is a match ({default:.2f} is "
            "face_recognition's default)",
            default=DEFAULT_THRESHOLD,
        ),
        min_value=SLIDER_MIN,
        max_value=SLIDER_MAX,
        step=SLIDER_STEP,
        key=keys.THRESHOLD,
    )


def preset_label(preset: Preset) -> str:
    """A preset button's label, in the visitor's language."""
    if preset.fmr_target is not None:
        return _(
            "FMR ≤ {target:.1%} ({threshold:.2f})",
            target=preset.fmr_target,
            threshold=preset.threshold,
        )
    if preset.name == "eer":
        return _("EER ({threshold:.2f})", threshold=preset.threshold)
    return _("library default ({threshold:.2f})", threshold=preset.threshold)


def presets_label(group: tuple[Preset, ...]) -> str:
    """The label of a button for presets that share a threshold: what each is, then the
    threshold once ("library default = FMR ≤ 1.0% (0.60)")."""
    if len(group) == 1:
        return preset_label(group[0])
    return _(
        "{names} ({threshold:.2f})",
        names=" = ".join(_preset_name(preset) for preset in group),
        threshold=group[0].threshold,
    )


def _preset_name(preset: Preset) -> str:
    if preset.fmr_target is not None:
        return _("FMR ≤ {target:.1%}", target=preset.fmr_target)
    if preset.name == "eer":
        return "EER"
    return _("library default")


def show_decision(comparison: Comparison) -> None:
    values = {"distance": comparison.distance, "threshold": comparison.threshold}
    if comparison.is_match:
        st.success(
            _(
                "**Match**: the phone number is issued (distance {distance:.3f}, threshold "
                "{threshold:.2f}).",
                **values,
            )
        )
    else:
        st.warning(
            _(
                "**No match**: the phone number is not issued (distance {distance:.3f}, "
                "threshold {threshold:.2f}).",
                **values,
            )
        )


def score_meaning(measured: ScenarioScores, distance: float) -> None:
    """What the distance means in the reference set in view: a share of its impostor pairs at
    least this close and of its genuine pairs at least this far apart, never a "percentage
    match"."""
    shares = score_shares(measured.scores, measured.labelled, distance)
    impostors = shares.impostors_as_close.describe(_("impostor pairs were at least this close"))
    genuine = shares.genuine_as_far.describe(_("genuine pairs were at least this far apart"))
    st.caption(
        _(
            "What does {distance:.3f} mean? In the reference set above ({id_scenario} ID "
            "photos, {live_scenario} live photos): {impostors}. {genuine}. A distance is not a "
            "probability that two photos show the same person.",
            distance=distance,
            id_scenario=_(measured.pairs.id_scenario),
            live_scenario=_(measured.pairs.live_scenario),
            impostors=impostors,
            genuine=genuine,
        )
    )


def _set_threshold(value: float) -> None:
    st.session_state[keys.THRESHOLD] = value


def _described(scenarios: tuple[Scenario, ...]):
    """A scenario's ``name: description`` in the visitor's language, for its selectbox."""
    by_name = {s.name: s for s in scenarios}

    def describe(name: str) -> str:
        chosen = by_name[name]
        return _("{name}: {description}", name=_(chosen.name), description=_(chosen.description))

    return describe
