"""The page on a phone (any screen narrower than 640 px): from the QR code to the verdict in
about three screen heights, the teaching text and tabs below.

Streamlit stacks columns on narrow screens, so the gallery of 24 volunteers became a column of
24 full-width photos. Here, for narrow screens only: the gallery keeps its rows of small
thumbnails with 12 px labels, the check's photos are small, the check shows its decision beside
the faces (the faces' 128 numbers move below the decision and the "add" button), headings are
smaller, and the introduction moves below the steps.
"""

from __future__ import annotations

import streamlit as st

from verifydemo.ui import keys
from verifydemo.ui.classroom import JOIN_PANEL
from verifydemo.ui.intro import INTRO_TEXT

GALLERY = "gallery"
CHECK_DECISION = "check_decision"
"""The decision drawn inside the check step; shown on phones and in the projector view."""

COMPACT_HIDDEN = f"""
[data-testid="stLayoutWrapper"]:has(> [data-testid="stHorizontalBlock"] [class*="st-key-png_"]):not(
  :has([data-testid="stVegaLiteChart"])),
[class*="st-key-{keys.FACE_CROP}_"]"""
"""What a small screen (a phone, a projector step) leaves out: rows of PNG/CSV buttons that
hold no chart, and the check's face crops."""

CSS = f"""
.st-key-{CHECK_DECISION} {{ display: none; }}
@media (max-width: 640px) {{
  .st-key-{GALLERY} button {{ min-height: 1.5rem; padding: 0; }}
  .st-key-{GALLERY} button p {{ font-size: 0.75rem; }}
  [data-testid="stLayoutWrapper"]:has(> .st-key-{INTRO_TEXT}) {{ order: 100; }}
  .st-key-{GALLERY} [data-testid="stHorizontalBlock"],
  .st-key-step_check [data-testid="stHorizontalBlock"] {{
    flex-direction: row; flex-wrap: nowrap; gap: 0.2rem;
  }}
  .st-key-{GALLERY} [data-testid="stColumn"],
  .st-key-step_check [data-testid="stColumn"] {{
    min-width: 0 !important; width: auto !important; flex: 1 1 0 !important;
  }}
  .st-key-step_check [data-testid="stImage"] img {{ max-height: 22vh; width: auto !important; }}
  [class*="st-key-step_"] [data-testid="stCaptionContainer"],{COMPACT_HIDDEN} {{ display: none; }}
  /* the clerk's pair: which photo is the ID photo and which the live one */
  .st-key-step_clerk [data-testid="stImageCaption"] [data-testid="stCaptionContainer"]
    {{ display: block; }}
  .st-key-{CHECK_DECISION} {{ display: block; }}
  .st-key-{JOIN_PANEL} {{ display: none; }}
  .stApp h1 {{ font-size: 1.9rem; }}
  .stApp h2 {{ font-size: 1.5rem; }}
  .st-key-step_check > [data-testid="stElementContainer"]:is(:has(h3), :has(
    [data-testid="stVegaLiteChart"])) {{ order: 1; }}
}}
"""


def phone_layout() -> None:
    """The narrow-screen rules, in every view (they apply only below 640 px)."""
    st.html(f"<style>{CSS}</style>")
