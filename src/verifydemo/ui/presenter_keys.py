"""The keys a presenter remote sends (PageDown and PageUp, or the arrow keys), which move the
projector view a step on or back: a small ``st.components.v2`` component that listens on the
page, drawn only in the projector view.

Keys typed into a field, a slider or a radio group keep their usual meaning there.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from verifydemo.ui import keys

JS = """
const MOVES = {PageDown: 1, ArrowRight: 1, ArrowDown: 1, PageUp: -1, ArrowLeft: -1, ArrowUp: -1};
const OWN_KEYS = "input, textarea, select, [role=slider], [role=radiogroup], [role=tablist], " +
  "[contenteditable=true]";

export default function (component) {
  const { setTriggerValue } = component;
  const listener = (event) => {
    const by = MOVES[event.key];
    if (!by || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.target instanceof Element && event.target.closest(OWN_KEYS)) return;
    event.preventDefault();
    setTriggerValue("move", by);
  };
  window.addEventListener("keydown", listener, true);
  return () => window.removeEventListener("keydown", listener, true);
}
"""

LISTENER = st.components.v2.component(
    "verifydemo_presenter_keys", html="<span></span>", js=JS, isolate_styles=True
)


def presenter_keys(move: Callable[[int], None]) -> None:
    """Listen for the presenter's keys; ``move(1)`` or ``move(-1)`` runs before the next run."""

    def moved() -> None:
        by = st.session_state[keys.PRESENT_KEYS].get("move")
        if by in (1, -1):
            move(by)

    LISTENER(key=keys.PRESENT_KEYS, on_move_change=moved)
