"""The projector view (``?view=present`` or the sidebar's toggle): large type, one step at a
time, moved on with big buttons or a presenter remote's keys; the verdict step shows the
decision, the distance scale and the threshold slider on one 1280 x 720 screen.

Every step still runs on every page run, so no photo or setting is lost between steps; the
steps not on screen are hidden with CSS (each sits in a keyed container, ``step_box``).
"""

from __future__ import annotations

from contextlib import AbstractContextManager

import altair as alt
import streamlit as st

from verifydemo.core.i18n import N_, _
from verifydemo.pictures.charts import SCALE_HEIGHT, Spec, for_projector
from verifydemo.ui import keys
from verifydemo.ui.classroom import JOIN_PANEL
from verifydemo.ui.phone import CHECK_DECISION, COMPACT_HIDDEN
from verifydemo.ui.presenter_keys import presenter_keys

STEPS = (
    ("clerk", N_("Be the clerk")),
    ("id", N_("The ID photo")),
    ("live", N_("The live photo")),
    ("check", N_("The check")),
    ("liveness", N_("The liveness check")),
    ("verdict", N_("The verdict and the threshold")),
    ("tabs", N_("How the check fails")),
)
"""The projector's steps: a name (its container's key) and its title."""
SHARED_BOX = {"tabs": "verdict"}
"""Steps drawn by another step's container: the tabs sit under the verdict."""

BASE_CSS = """
html { font-size: 24px; }
.stApp [data-testid="stSidebar"], .stApp [data-testid="stExpandSidebarButton"],
.stApp header[data-testid="stHeader"] { display: none; }
.stMainBlockContainer { padding: 0.3rem 2rem 0.5rem 2rem; max-width: 100%; }
.stApp h1 { font-size: 1.9rem; padding: 0; }
.stApp h2 { font-size: 1.6rem; padding: 0.2rem 0; }
.st-key-present_nav button { min-height: 2.5rem; padding: 0 0.3rem; }
@media (max-width: 1100px) { .st-key-present_nav button p { font-size: 1.1rem !important; } }
.st-key-present_nav button p { font-size: 1.3rem; font-weight: 600; }
.st-key-present_nav h3 { font-size: 1.15rem; }
.st-key-present_nav [data-testid="stWidgetLabel"] p { font-size: 0.75rem; }
[data-testid="stCaptionContainer"],
[data-testid="stElementContainer"]:has(
  > [data-testid="stMarkdown"] [data-testid="stCaptionContainer"]),
.st-key-id_scenario, .st-key-live_scenario,
[data-testid="stLayoutWrapper"]:has(> [data-testid="stHorizontalBlock"] .st-key-id_scenario)
  { display: none; }
[class*="st-key-step_"] { padding-top: 0; }
.st-key-step_verdict .st-key-threshold { margin-top: -0.5rem; }
[class*="st-key-step_"] [data-testid="stElementContainer"]:has(h2) { display: none; }
.stMainBlockContainer [data-testid="stVerticalBlock"] { gap: 0.5rem; }
.st-key-step_check [data-testid="stImage"] img { max-height: 28vh; width: auto !important; }
.st-key-step_check [data-testid="stText"] { display: none; }
.st-key-step_id [data-testid="stImage"] img { max-height: 10vh; width: auto !important; }
.st-key-step_id button { min-height: 1.6rem; padding: 0 0.4rem; }
.st-key-step_liveness [data-testid="stMarkdown"]:not(:has(ol)) { display: none; }
.st-key-step_check h3 { font-size: 1.1rem; padding: 0; }
[data-testid="stAlert"] p { font-size: 1.4rem; line-height: 1.3; }
[class*="st-key-fold_"], [data-testid="stLayoutWrapper"]:has(> [class*="st-key-fold_"])
  { display: none; }
[class*="st-key-keep_"] :is([data-testid="stElementContainer"], [data-testid="stCaptionContainer"])
  { display: block !important; }
[class*="st-key-keep_"] [data-testid="stCaptionContainer"] p { font-size: 1rem; }
/* a kept line under a tab's figure (ui/groups.py, ui/scale.py): close under it, tight */
:is(.st-key-keep_groups_counts, .st-key-keep_genuine_rejected_per_year,
  .st-key-keep_impostors_accepted_per_year) { margin-top: -0.6rem; }
:is(.st-key-keep_groups_counts, .st-key-keep_genuine_rejected_per_year,
  .st-key-keep_impostors_accepted_per_year) p { line-height: 1.2; margin: 0; }
/* the teacher's paced-lesson controls (ui/pace.py, keys.PACE_PANEL) in one short row */
.st-key-pace_panel { flex-direction: row; align-items: center; gap: 0.5rem;
  padding: 0.1rem 0.5rem; }
.st-key-pace_panel > [data-testid="stElementContainer"]
  { width: auto; max-width: 42%; flex: 0 1 auto; }
.st-key-pace_panel > [data-testid="stLayoutWrapper"] { flex: 1 1 0; min-width: 0; }
.st-key-pace_panel p { font-size: 0.6rem; }
/* the stage line, the room's only sight of the stage: body size (18 px on a narrow screen);
   before the lesson starts (End disabled) the panel's one-line note stays small */
.st-key-pace_panel > [data-testid="stElementContainer"] p { font-size: 1rem; line-height: 1.3; }
@media (max-width: 1100px) {
  .st-key-pace_panel > [data-testid="stElementContainer"] p { font-size: 0.75rem; } }
.st-key-pace_panel:has(.st-key-pace_end button:disabled) > [data-testid="stElementContainer"] p
  { font-size: 0.6rem; line-height: 1.6; }
.st-key-pace_panel button { min-height: 1.2rem; padding: 0.1rem 0.4rem; }
.st-key-pace_panel button :is(div, span, p) { font-size: 0.6rem; line-height: 1.2; }
.st-key-pace_panel button p { white-space: normal; overflow: visible; text-overflow: clip; }
"""
COMPACT_CSS = f"""
.st-key-{keys.CLASS_ADD},{COMPACT_HIDDEN} {{ display: none; }}
.st-key-{CHECK_DECISION} {{ display: block; }}
"""
"""What the projector shares with a phone's layout (``phone.py``), and the check's decision."""
VERDICT_ONLY_CSS = """
.st-key-step_verdict [data-testid="stTabs"] { display: none; }
"""
TABS_ONLY_CSS = """
.st-key-step_verdict [data-testid="stLayoutWrapper"]:has(> [data-testid="stHorizontalBlock"]
  [class*="st-key-preset_"]),
.st-key-step_verdict [data-testid="stElementContainer"]:not([data-testid="stTabs"] *):has(
  :is([data-testid="stAlert"], [data-testid="stVegaLiteChart"])),
.st-key-step_verdict [data-testid="stTabs"] [data-testid="stElementContainer"]:has(
  > [data-testid="stMarkdown"]):not(:has(strong)),
.st-key-step_verdict [data-testid="stTabs"] [data-testid="stElementContainer"]:has(
  > [data-testid="stAlert"]),
.st-key-step_verdict [data-testid="stTabs"] [data-testid="stLayoutWrapper"]:has(
  > [data-testid="stExpander"]) { display: none; }
.st-key-step_verdict [data-testid="stTabs"] h3 { font-size: 1.1rem; }
.st-key-step_verdict [data-testid="stMetricValue"] { font-size: 1.4rem; }
/* a metric's label wraps rather than ending in "..." in a narrow column */
.st-key-step_verdict [data-testid="stElementContainer"]:has([data-testid="stMetricValue"]) label,
.st-key-step_verdict [data-testid="stElementContainer"]:has([data-testid="stMetricValue"])
  label * { white-space: normal !important; overflow: visible !important;
  text-overflow: clip !important; }
.st-key-step_verdict [data-testid="stColumn"]:has(.st-key-png_det_curve),
.st-key-step_verdict [data-testid="stColumn"]:has(.st-key-png_distances)
  [data-testid="stElementContainer"]:has(> [data-testid="stMarkdown"]) { display: none; }
.st-key-step_verdict [data-testid="stTabs"] [role="tablist"] { row-gap: 0; }
.st-key-step_verdict [data-testid="stTabs"] [role="tab"] { height: 1.5rem; }
.st-key-step_verdict [data-testid="stTabs"] [role="tabpanel"] { padding-top: 0; }
.st-key-step_verdict [data-testid="stTabs"] [data-testid="stImage"] img
  { max-height: 28vh; width: auto !important; }
"""
"""The "how the check fails" step: the slider, the tab strip and the open tab's figures."""


PRESENT_CHART_HEIGHT = 180
"""Pixels of a tab's main chart in the projector view, so the step fits one screen."""
PRESENT_SCALE_HEIGHT = 140
"""Pixels of the distance scale in the projector view: its 18 px labels and axis leave the
match band a readable height."""


def in_present_view() -> bool:
    return bool(st.session_state.get(keys.PRESENT_VIEW, False))


def on_screen(chart: Spec | alt.Chart) -> Spec | alt.Chart:
    """``chart`` with back-row labels in the projector view; as it is elsewhere."""
    return for_projector(chart) if in_present_view() else chart


def chart_height() -> int | str:
    """A tab's main chart's height: short in the projector view, its own elsewhere."""
    return PRESENT_CHART_HEIGHT if in_present_view() else "content"


def scale_height() -> int:
    """The distance scale's height: taller in the projector view, for its larger labels."""
    return PRESENT_SCALE_HEIGHT if in_present_view() else SCALE_HEIGHT


def present_toggle() -> None:
    """The switch between the normal page and the projector view."""
    st.toggle(_("Projector view"), key=keys.PRESENT_VIEW)


def present_header() -> None:
    """In the projector view: the styles, the step's title and the big step buttons. Nothing in
    the normal view."""
    if not in_present_view():
        return
    step = st.session_state.setdefault(keys.PRESENT_STEP, 0)
    step = min(max(int(step), 0), len(STEPS) - 1)
    shown = SHARED_BOX.get(STEPS[step][0], STEPS[step][0])
    hidden = [name for name, _title in STEPS if name not in (shown, *SHARED_BOX)]
    css = (
        BASE_CSS
        + COMPACT_CSS
        + "".join(f"{_box(f'step_{name}')} {{ display: none; }}\n" for name in hidden)
    )
    if STEPS[step][0] == "verdict":
        css += VERDICT_ONLY_CSS
    if STEPS[step][0] == "tabs":
        css += TABS_ONLY_CSS
    if step > 0:
        css += f"{_box(JOIN_PANEL)} {{ display: none; }}\n"  # the QR code: first step only
    st.html(f"<style>{css}</style>")
    with st.container(key="present_nav"):
        back, title, toggle, forward = st.columns([2, 6, 2, 2], vertical_alignment="center")
        back.button(
            _("← Back"),
            key=keys.PRESENT_BACK,
            on_click=_move,
            args=(-1,),
            disabled=step == 0,
            width="stretch",
        )
        title.markdown(
            "### "
            + _(
                "Step {number} of {total}: {title}",
                number=step + 1,
                total=len(STEPS),
                title=_(STEPS[step][1]),
            )
        )
        with toggle:
            present_toggle()
            presenter_keys(_move)
        forward.button(
            _("Next →"),
            key=keys.PRESENT_NEXT,
            on_click=_move,
            args=(1,),
            disabled=step == len(STEPS) - 1,
            width="stretch",
        )


def folded(name: str) -> AbstractContextManager:
    """A container the projector view leaves out: what the teacher says aloud, or controls
    the normal view keeps. ``name`` keys it (once per page run)."""
    return st.container(key=f"fold_{name}")


def kept(name: str) -> AbstractContextManager:
    """A container whose text the projector view shows although it would fold it (a caption
    that says why a chart is empty). ``name`` keys it (once per page run)."""
    return st.container(key=f"keep_{name}")


def step_box(name: str) -> AbstractContextManager:
    """The container of one step, so the projector view can show it alone."""
    return st.container(key=f"step_{name}")


def _box(key: str) -> str:
    """A CSS selector for the container keyed ``key`` and the wrapper Streamlit puts around it,
    so that hiding it leaves no empty gap in the column."""
    return f'.st-key-{key}, [data-testid="stLayoutWrapper"]:has(> .st-key-{key})'


def _move(by: int) -> None:
    step = st.session_state.get(keys.PRESENT_STEP, 0) + by
    st.session_state[keys.PRESENT_STEP] = min(max(step, 0), len(STEPS) - 1)
