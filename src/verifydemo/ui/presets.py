"""Lesson-plan links: ``?threshold=0.5&scenario=chip&tab=groups&view=present`` (and ``lang=``,
read by ``language.py``) open the page in that state.

The address is read once, when a session starts; after that the visitor's own choices rule.
A value the page cannot use is ignored with a one-line notice, never an error.
"""

from __future__ import annotations

import streamlit as st

from verifydemo.core.i18n import _
from verifydemo.lessons.scenarios import ID_SCENARIOS, LIVE_SCENARIOS
from verifydemo.metrics.presets import SLIDER_MAX, SLIDER_MIN
from verifydemo.ui import keys
from verifydemo.ui.threshold import TABS

VIEWS = ("normal", "present")


def apply_url_presets() -> None:
    """Put the address's presets into this session's state, once; say which were ignored."""
    if keys.URL_PRESETS_READ in st.session_state:
        return
    st.session_state[keys.URL_PRESETS_READ] = True
    asked = st.query_params
    ignored: list[str] = []
    if "threshold" in asked:
        threshold = _threshold(asked["threshold"])
        if threshold is None:
            ignored.append(
                _(
                    "threshold={value} (a number from {low:.2f} to {high:.2f})",
                    value=asked["threshold"],
                    low=SLIDER_MIN,
                    high=SLIDER_MAX,
                )
            )
        else:
            st.session_state[keys.THRESHOLD] = threshold
    if "scenario" in asked:
        scenario = asked["scenario"]
        id_names = [s.name for s in ID_SCENARIOS]
        live_names = [s.name for s in LIVE_SCENARIOS]
        if scenario in id_names[1:]:
            st.session_state[keys.ID_SCENARIO] = scenario
        elif scenario in live_names[1:]:
            st.session_state[keys.LIVE_SCENARIO] = scenario
        elif scenario != "studio":
            ignored.append(
                _(
                    "scenario={value} (one of {names})",
                    value=scenario,
                    names=", ".join(dict.fromkeys(id_names + live_names)),
                )
            )
    if "tab" in asked:
        tab_names = [name for name, _label, _draw in TABS]
        if asked["tab"] in tab_names:
            st.session_state[keys.OPEN_TAB] = asked["tab"]
        else:
            ignored.append(
                _("tab={value} (one of {names})", value=asked["tab"], names=", ".join(tab_names))
            )
    if "view" in asked:
        if asked["view"] in VIEWS:
            st.session_state[keys.PRESENT_VIEW] = asked["view"] == "present"
        else:
            ignored.append(
                _("view={value} (one of {names})", value=asked["view"], names=", ".join(VIEWS))
            )
    if "lang" in asked and asked["lang"] not in ("en", "zh"):
        ignored.append(_("lang={value} (en or zh)", value=asked["lang"]))
    st.session_state[keys.URL_PRESET_NOTICES] = ignored


def url_preset_notice() -> None:
    """One line naming the address's values that were ignored, on the session's first run."""
    ignored = st.session_state.get(keys.URL_PRESET_NOTICES)
    if ignored:
        st.info(_("Ignored in the address: {values}.", values="; ".join(ignored)))
        st.session_state[keys.URL_PRESET_NOTICES] = []


def _threshold(text: str) -> float | None:
    try:
        value = round(float(text), 2)
    except ValueError:
        return None
    return value if SLIDER_MIN <= value <= SLIDER_MAX else None
