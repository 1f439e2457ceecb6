"""Take it away: every chart saved as PNG (vl-convert, on the server, no browser needed) and its
data as CSV, under the chart; made only when the visitor clicks (deferred download data), so a
page run pays nothing for them.
"""

from __future__ import annotations

import io
import secrets
from collections.abc import Callable
from typing import Any

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from verifydemo.core.i18n import _
from verifydemo.pictures.charts import Spec
from verifydemo.pictures.png import chart_png
from verifydemo.ui import keys
from verifydemo.ui.resources import ScenarioScores

PNG_WIDTH = 720
"""Width in pixels given to a chart that stretches to the page's width, for its PNG."""


def chart_downloads(
    chart: Spec | alt.Chart,
    name: str,
    where: Any = st,
    title: str | None = None,
    distances: tuple[np.ndarray, np.ndarray] | None = None,
) -> None:
    """Two small buttons under a chart: the chart as PNG (with ``title`` on it, so it stands
    alone) and its numbers as CSV: with ``distances`` (genuine, impostor), one row per
    comparison; else the chart's data. Both are made only when a button is pressed. ``name``
    says what the files are (and is part of the buttons' keys): one per chart on the page."""
    stem = f"verifydemo-{name.replace('_', '-')}"
    png_column, csv_column, _rest = where.columns([1, 1, 2])
    png_column.download_button(
        _("PNG"),
        data=_deferred(lambda: chart_png(png_ready(chart, title))),
        file_name=download_name(stem, "png"),
        mime="image/png",
        key=keys.png_download(name),
        on_click="ignore",
        help=_("Save this chart as a picture"),
    )
    csv_column.download_button(
        _("CSV"),
        data=_deferred(
            lambda: (
                chart_csv(chart) if distances is None else table_csv(distances_table(*distances))
            )
        ),
        file_name=download_name(stem, "csv"),
        mime="text/csv",
        key=keys.csv_download(name),
        on_click="ignore",
        help=_("Save this chart's numbers as a table"),
    )


def reference_title(measured: ScenarioScores, threshold: float) -> str:
    """A reference-set chart's title for its PNG: the scenario, the threshold and the counts."""
    return _(
        "Reference set, ID photo {id_scenario} and live photo {live_scenario}, at threshold "
        "{threshold:.2f}: {genuine:,} genuine and {impostor:,} impostor pairs",
        id_scenario=measured.pairs.id_scenario,
        live_scenario=measured.pairs.live_scenario,
        threshold=threshold,
        genuine=len(measured.scores.genuine),
        impostor=len(measured.scores.impostor),
    )


def distances_table(genuine: np.ndarray, impostor: np.ndarray) -> pd.DataFrame:
    """One row per comparison: its kind (``genuine`` or ``impostor``) and its distance."""
    return pd.DataFrame(
        {
            "kind": ["genuine"] * len(genuine) + ["impostor"] * len(impostor),
            "distance": np.concatenate([np.asarray(genuine), np.asarray(impostor)]),
        }
    )


def table_csv(table: pd.DataFrame) -> bytes:
    """``table`` as UTF-8 CSV with a byte-order mark, numbers to 10 significant digits."""
    buffer = io.StringIO()
    table.to_csv(buffer, index=False, float_format="%.10g")
    return buffer.getvalue().encode("utf-8-sig")


def download_name(stem: str, suffix: str) -> str:
    """A download's file name: ``stem`` and this session's random tag. Streamlit serves a download
    at an address hashed from its bytes and name, with no session check; the bytes can be
    guessed from the numbers on screen (a threshold, a distance), the tag's 64 random bits
    cannot."""
    tag = st.session_state.setdefault(keys.DOWNLOAD_TAG, secrets.token_hex(8))
    return f"{stem}-{tag}.{suffix}"


def png_ready(chart: Spec | alt.Chart, title: str | None = None) -> Spec:
    """The chart's spec with a fixed width where the page lets it stretch (vl-convert has no
    page to stretch to), and ``title`` above it if given."""
    spec = chart.to_dict() if isinstance(chart, alt.TopLevelMixin) else dict(chart)
    if title:
        spec["title"] = {"text": title, "anchor": "start"}
    composed = any(key in spec for key in ("vconcat", "hconcat", "concat", "facet", "repeat"))
    if not composed and not isinstance(spec.get("width"), int | float):
        spec["width"] = PNG_WIDTH
    return spec


def chart_csv(chart: Spec | alt.Chart) -> bytes:
    """Every table of the chart's data, one after another, each row marked with its table's
    name (``dataset``), as UTF-8 CSV with a byte-order mark (so spreadsheets read Chinese);
    numbers to 10 significant digits, so a bin edge reads 0.7, not 0.7000000000000001."""
    spec = chart.to_dict() if isinstance(chart, alt.TopLevelMixin) else chart
    tables = [
        pd.DataFrame(rows).assign(dataset=name)
        for name, rows in spec.get("datasets", {}).items()
        if rows
    ]
    inline = spec.get("data", {}).get("values") if isinstance(spec.get("data"), dict) else None
    if inline:
        tables.append(pd.DataFrame(inline).assign(dataset="values"))
    return table_csv(pd.concat(tables, ignore_index=True) if tables else pd.DataFrame())


def _deferred(make: Callable[[], bytes]) -> Callable[[], bytes]:
    """Streamlit calls this when the button is clicked, not on every page run."""
    return make
