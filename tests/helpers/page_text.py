"""The words a page shows, gathered from an AppTest page, and the English among them: what the
translation tests look for on the Chinese page."""

from __future__ import annotations

import json
import re

ALLOWED_ENGLISH = frozenset(
    # proper names, standard abbreviations, units, file formats, authors and source titles
    (
        "dlib",
        "NIST",
        "FRVT",
        "NISTIR",
        "MIIT",
        "ISO",
        "IEC",
        "LFW",
        "ResNet",
        "HOG",
        "JPEG",
        "PNG",
        "CSV",
        "HTML",
        "WebP",
        "WebAssembly",
        "BMP",
        "CC",
        "BY",
        "Face",
        "Research",
        "Lab",
        "London",
        "Set",
        "FMR",
        "FNMR",
        "FAR",
        "FRR",
        "EER",
        "DET",
        "APCER",
        "BPCER",
        "FTA",
        "FTE",
        "CI",
        "px",
        "MB",
        "ms",
        "fps",
        "GitHub",
        "davisking",
        "ageitgey",
        "face_recognition",
        "face_recognition_models",
        "DKCloudID_NFC_Android",
        "lochyhuang",
        "chenhaifeng2016",
        "FaceRecognitionTest",
        "Bitter",
        "Winter",
        "Daugman",
        "Cambridge",
        "martinsbruveris",
        "API",
        "nist-frvt-analysis",
        "Bolle",
        "Ratha",
        "Pankanti",
        "Gebru",
        "Buolamwini",
        "Streamlit",
        "https",
        "localhost",
        "verifydemo",
        "Altair",
        "Vega-Lite",
        "OpenCV",
        "Soukupová",
        "Čech",
        "CVWW",
        "Robertson",
        "Kramer",
        "Burton",
        "PLoS",
        "ONE",
        "Ferrara",
        "Franco",
        "Maltoni",
        "IJCB",
        "Scherhag",
        "BIOSIG",
        "MMPMR",
        "FATE",
        "MORPH",
        "Peng",
        "Federica",
        "Mogherini",
        "heise",
        "online",
        "Mandarin",
        "CN105956578B",
        "DeBruine",
        "Jones",
        "figshare",
        "doi",
        "English",
        "probit",
        "README",
        "dlib-models",
    )
)


def english_words(text: str) -> set[str]:
    words = set(re.findall(r"[A-Za-zÀ-ž][A-Za-zÀ-ž0-9_'\u2019.-]*[A-Za-zÀ-ž0-9]|[A-Za-z]", text))
    return {
        word
        for word in words
        if word not in ALLOWED_ENGLISH
        and not re.fullmatch(r"[A-Z]|#?\d+|[a-z]|https?|www\..*|.*\.(jpg|png|md|py)", word)
    }


def shown_text(page) -> str:
    parts = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "info",
        "warning",
        "success",
        "error",
        "text",
        "exception",
    ):
        parts += [element.value for element in getattr(page, kind)]
    for widget in (
        *page.radio,
        *page.selectbox,
        *page.slider,
        *page.button,
        *page.toggle,
        *page.number_input,
        *page.metric,
        *page.tabs,
        *page.expander,
    ):
        parts.append(getattr(widget, "label", ""))
    for widget in (*page.radio, *page.selectbox):
        parts += [str(option) for option in widget.options]
    for table in (*page.dataframe, *page.table):
        parts += [str(column) for column in table.value.columns]
    for chart in page.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        parts += [
            value
            for key, value in _walk(spec)
            if key in ("title", "text", "what", "zone", "label") and isinstance(value, str)
        ]
    return COLOUR_DIRECTIVE.sub("", " ".join(parts))


COLOUR_DIRECTIVE = re.compile(
    r":(?:red|orange|yellow|green|blue|violet|gray|grey|rainbow|primary)(?:-background)?\["
)
"""Streamlit's markdown colour markup (``:red-background[...]``): formatting, not shown text."""


def _walk(node, key=None):
    if isinstance(node, dict):
        for child_key, child in node.items():
            yield from _walk(child, child_key)
    elif isinstance(node, list):
        for child in node:
            yield from _walk(child, key)
    else:
        yield key, node
