"""Altair charts of a comparison. Vega-Lite renders in the browser with no remote assets."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from verifydemo.compare import Comparison

SCALE_MAX = 1.2
SCALE_HEIGHT = 90
STRIP_ROW_HEIGHT = 28


def distance_scale(comparison: Comparison) -> alt.LayerChart:
    """The distance and the threshold on one axis: left of the line is a match."""
    axis_max = max(SCALE_MAX, comparison.distance + 0.05)
    zones = pd.DataFrame(
        {
            "start": [0.0, comparison.threshold],
            "end": [comparison.threshold, axis_max],
            "zone": ["match: number issued", "no match: manual check"],
        }
    )
    x_scale = alt.Scale(domain=[0, axis_max])
    band = (
        alt.Chart(zones)
        .mark_rect(opacity=0.35)
        .encode(
            x=alt.X("start:Q", scale=x_scale, title="distance between the two faces"),
            x2="end:Q",
            y=alt.value(25),
            y2=alt.value(SCALE_HEIGHT),
            color=alt.Color(
                "zone:N",
                scale=alt.Scale(range=["#2e9e5b", "#d9822b"]),
                legend=alt.Legend(orient="bottom", title=None),
            ),
        )
    )
    marks = pd.DataFrame(
        {
            "value": [comparison.threshold, comparison.distance],
            "what": [
                f"threshold {comparison.threshold:.2f}",
                f"distance {comparison.distance:.3f}",
            ],
        }
    )
    threshold_rule = (
        alt.Chart(marks.iloc[[0]])
        .mark_rule(strokeWidth=2, strokeDash=[4, 3], color="black")
        .encode(x=alt.X("value:Q", scale=x_scale), tooltip=["what:N"])
    )
    distance_point = (
        alt.Chart(marks.iloc[[1]])
        .mark_point(shape="triangle-down", size=300, filled=True, color="#1f4e8c")
        .encode(x=alt.X("value:Q", scale=x_scale), tooltip=["what:N"])
    )
    labels = (
        alt.Chart(marks)
        .mark_text(dy=-14, fontSize=12)
        .encode(x=alt.X("value:Q", scale=x_scale), text="what:N")
    )
    return (band + threshold_rule + distance_point + labels).properties(height=SCALE_HEIGHT)


def embedding_strip(embeddings: dict[str, np.ndarray]) -> alt.Chart:
    """Each embedding's 128 numbers as a row of coloured cells, one row per photo."""
    rows = [
        {"photo": name, "index": index, "value": float(value)}
        for name, embedding in embeddings.items()
        for index, value in enumerate(embedding)
    ]
    return (
        alt.Chart(pd.DataFrame(rows))
        .mark_rect()
        .encode(
            x=alt.X(
                "index:O",
                title="the 128 numbers (dimension 0 to 127)",
                axis=alt.Axis(labels=False, ticks=False),
            ),
            y=alt.Y("photo:N", title=None, sort=list(embeddings)),
            color=alt.Color(
                "value:Q", scale=alt.Scale(scheme="redblue", domainMid=0), title="value"
            ),
            tooltip=["photo:N", "index:O", alt.Tooltip("value:Q", format=".3f")],
        )
        .properties(height=STRIP_ROW_HEIGHT * len(embeddings))
    )
