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
  // One listener per page, kept across reruns (a remount would leave a gap in which a key
  // press is lost); it sends to the newest mount, and to none once the view is left.
  window.verifydemoPresenterMove = component.setTriggerValue;
  document.documentElement.dataset.presenterKeys = "ready";  // for a test to wait on
  if (!window.verifydemoPresenterKeys) {
    window.verifydemoPresenterKeys = true;
    window.addEventListener("keydown", (event) => {
      const by = MOVES[event.key];
      const move = window.verifydemoPresenterMove;
      if (!by || !move || event.altKey || event.ctrlKey || event.metaKey) return;
      if (event.target instanceof Element && event.target.closest(OWN_KEYS)) return;
      event.preventDefault();
      move("move", by);
    }, true);
  }
  return () => {
    if (window.verifydemoPresenterMove === component.setTriggerValue) {
      window.verifydemoPresenterMove = null;
    }
  };
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
