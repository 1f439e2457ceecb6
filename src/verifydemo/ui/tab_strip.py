"""The teaching tabs' names and labels, and which one is open: what the strip of tabs
(``threshold.py``, which draws them) and a section that opens one (the class board after an
add) both need, so neither imports the other."""

from __future__ import annotations

import streamlit as st

from verifydemo.core.i18n import N_, _
from verifydemo.ui import keys
from verifydemo.ui.language import page_language

TAB_LABELS = (
    ("costs", N_("What the threshold costs")),
    ("lab", N_("Perturbation lab")),
    ("attack", N_("Photo held up to the camera")),
    ("lookalikes", N_("Lookalikes")),
    ("groups", N_("Group differences")),
    ("scale", N_("National scale")),
    ("morph", N_("Morph lab")),
    ("class", N_("Class experiment")),
)
"""Each tab's name in a lesson-plan link (``?tab=``) and its label, in the strip's order."""
TAB_NAMES = tuple(name for name, _label in TAB_LABELS)


def open_tab_index() -> int:
    """Where the open tab sits in the strip: the first until a link or a click chose another.
    It is remembered by name, not label, so it stays open when the visitor changes language."""
    return TAB_NAMES.index(st.session_state.get(keys.OPEN_TAB, TAB_NAMES[0]))


def show_tab(name: str) -> None:
    """Open the teaching tab ``name`` (in a widget's callback, before the strip is drawn)."""
    page_language()
    st.session_state[keys.OPEN_TAB] = name
    st.session_state[keys.TAB_BAR] = _(TAB_LABELS[TAB_NAMES.index(name)][1])


def remember_open_tab(labels: list[str]) -> None:
    """The tab bar's action: remember the clicked tab by name (a label the page did not draw is
    left for ``offered`` to reset)."""
    if (label := st.session_state.get(keys.TAB_BAR)) in labels:
        st.session_state[keys.OPEN_TAB] = TAB_NAMES[labels.index(label)]
