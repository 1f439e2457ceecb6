"""Vega-Lite charts, built with Altair. They render in the browser with no remote assets.

Charts the threshold slider redraws are split in two: a template, built and validated by
Altair once (per scenario where it holds the scenario's data), and a few rows of named data
(``alt.NamedData``) that ``filled`` drops in on every rerun. Building an Altair chart costs
tens of milliseconds; filling a template costs microseconds.
"""

from __future__ import annotations

import functools
from statistics import NormalDist

import altair as alt
import numpy as np
import pandas as pd

from verifydemo.compare import Comparison
from verifydemo.error_rates import DetCurve, EqualErrorRate, ErrorRates, ScoreSet

Spec = dict
Rows = list[dict]

SCALE_MAX = 1.2
SCALE_HEIGHT = 90
STRIP_ROW_HEIGHT = 28
HISTOGRAM_BIN = 0.02
DET_TICKS = (0.0001, 0.001, 0.01, 0.05, 0.2, 0.5, 0.8, 0.95)
DET_FLOOR = 1e-5
KIND_COLOURS = alt.Scale(domain=["genuine", "impostor"], range=["#2e9e5b", "#c0392b"])


def filled(template: Spec, **rows: Rows) -> Spec:
    """A copy of ``template`` with its named datasets set to ``rows``; the template is unchanged."""
    return {**template, "datasets": {**template.get("datasets", {}), **rows}}


def stacked(*specs: Spec) -> Spec:
    """Full specs one above the other in one spec, their named datasets merged."""
    datasets: dict = {}
    for spec in specs:
        datasets.update(spec.get("datasets", {}))
    inner = [
        {k: v for k, v in spec.items() if k not in ("$schema", "config", "datasets")}
        for spec in specs
    ]
    return {
        **{k: v for k, v in specs[0].items() if k in ("$schema", "config")},
        "vconcat": inner,
        "datasets": datasets,
    }


@functools.cache
def _distance_scale_template() -> Spec:
    x_scale = alt.Scale(domain=[0, SCALE_MAX], clamp=True)
    x = alt.X("value:Q", scale=x_scale)
    band = (
        alt.Chart(alt.NamedData("zones"))
        .mark_rect(opacity=0.35)
        .encode(
            x=alt.X("start:Q", scale=x_scale, title=None),
            x2="end:Q",
            y=alt.value(34),
            y2=alt.value(SCALE_HEIGHT),
            color=alt.Color(
                "zone:N",
                scale=alt.Scale(domain=["match", "no match"], range=["#2e9e5b", "#d9822b"]),
                legend=None,
            ),
        )
    )
    marks = alt.Chart(alt.NamedData("marks"))
    threshold_rule = (
        marks.transform_filter("datum.kind == 'threshold'")
        .mark_rule(strokeWidth=2, strokeDash=[4, 3], color="black")
        .encode(x=x, y=alt.value(18), y2=alt.value(SCALE_HEIGHT), tooltip=["what:N"])
    )
    distance_point = (
        marks.transform_filter("datum.kind == 'distance'")
        .mark_point(shape="triangle-down", size=250, filled=True, color="#1f4e8c")
        .encode(x=x, y=alt.value(26), tooltip=["what:N"])
    )
    labels = marks.mark_text(fontSize=12).encode(x=x, y=alt.value(8), text="what:N")
    return (
        (band + threshold_rule + distance_point + labels)
        .properties(height=SCALE_HEIGHT)
        .configure_axis(grid=False)
        .to_dict()
    )


def distance_scale(comparison: Comparison) -> Spec:
    """The distance and the threshold on one axis: left of the line is a match."""
    return filled(
        _distance_scale_template(),
        zones=[
            {"start": 0.0, "end": comparison.threshold, "zone": "match"},
            {"start": comparison.threshold, "end": SCALE_MAX, "zone": "no match"},
        ],
        marks=[
            {
                "kind": "threshold",
                "value": comparison.threshold,
                "what": f"threshold {comparison.threshold:.2f}",
            },
            {
                "kind": "distance",
                "value": comparison.distance,
                "what": f"distance {comparison.distance:.3f}",
            },
        ],
    )


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


def score_distributions_template(scores: ScoreSet) -> Spec:
    """Genuine and impostor distances as shares of their own totals; fill ``marks`` with
    ``distance_marks``. Shares, not counts: there are about a hundred times more impostor pairs."""
    upper = max(
        SCALE_MAX, float(scores.impostor.max(initial=0)), float(scores.genuine.max(initial=0))
    )
    edges = np.arange(0.0, upper + HISTOGRAM_BIN, HISTOGRAM_BIN)
    frames = []
    for kind, values in (("genuine", scores.genuine), ("impostor", scores.impostor)):
        counts, _ = np.histogram(values, bins=edges)
        frames.append(
            pd.DataFrame(
                {
                    "start": edges[:-1],
                    "end": edges[1:],
                    "pairs": counts,
                    "share": counts / max(1, len(values)),
                    "kind": kind,
                }
            )
        )
    bars = (
        alt.Chart(pd.concat(frames))
        .mark_rect(opacity=0.6)
        .encode(
            x=alt.X("start:Q", title="distance", scale=alt.Scale(domain=[0, upper])),
            x2="end:Q",
            y=alt.Y("share:Q", title="share of pairs", axis=alt.Axis(format="%"), stack=None),
            color=alt.Color("kind:N", scale=KIND_COLOURS, title=None),
            tooltip=[
                "kind:N",
                alt.Tooltip("start:Q", format=".2f"),
                "pairs:Q",
                alt.Tooltip("share:Q", format=".1%"),
            ],
        )
    )
    rules = (
        alt.Chart(alt.NamedData("marks"))
        .mark_rule(strokeWidth=2)
        .encode(x="value:Q", strokeDash=alt.StrokeDash("what:N", title=None), tooltip=["what:N"])
    )
    return (bars + rules).properties(height=220).to_dict()


def distance_marks(threshold: float, pair_distance: float | None) -> Rows:
    marks = [{"value": threshold, "what": f"threshold {threshold:.2f}"}]
    if pair_distance is not None:
        marks.append({"value": pair_distance, "what": f"this pair {pair_distance:.3f}"})
    return marks


def det_template(curve: DetCurve) -> Spec:
    """The DET curve: FNMR against FMR on normal-deviate (probit) axes, lower-left is better.
    Fill ``points`` with ``det_points``.

    Points where either rate is 0 or 1 cannot be drawn on probit axes and are left out, and so
    are points that would land on the same pixel.
    """
    drawable = (curve.fmr > 0) & (curve.fnmr > 0) & (curve.fmr < 1) & (curve.fnmr < 1)
    line = pd.DataFrame(
        {
            "x": _probit(curve.fmr[drawable]),
            "y": _probit(curve.fnmr[drawable]),
            "threshold": curve.thresholds[drawable],
            "fmr": curve.fmr[drawable],
            "fnmr": curve.fnmr[drawable],
        }
    )
    line = line.loc[~line[["x", "y"]].round(2).duplicated()]
    ticks = [float(value) for value in _probit(np.array(DET_TICKS))]
    labels = " : ".join(
        f"round(datum.value * 1000) == {round(tick * 1000)} ? '{share:.2%}'".replace(".00%", "%")
        for tick, share in zip(ticks, DET_TICKS, strict=True)
    )
    axis = {"values": ticks, "labelExpr": f"{labels} : ''", "grid": True}
    domain = [float(_probit(np.array([DET_FLOOR]))[0]), float(_probit(np.array([0.95]))[0])]
    x = alt.X(
        "x:Q",
        title="FMR: impostors accepted (probit scale)",
        axis=alt.Axis(**axis),
        scale=alt.Scale(domain=domain),
    )
    y = alt.Y(
        "y:Q",
        title="FNMR: genuine rejected (probit scale)",
        axis=alt.Axis(**axis),
        scale=alt.Scale(domain=domain),
    )
    curve_line = (
        alt.Chart(line)
        .mark_line(color="#1f4e8c")
        .encode(
            x=x,
            y=y,
            tooltip=[
                alt.Tooltip("threshold:Q", format=".3f"),
                alt.Tooltip("fmr:Q", format=".2%"),
                alt.Tooltip("fnmr:Q", format=".2%"),
            ],
        )
    )
    points = (
        alt.Chart(alt.NamedData("points"))
        .mark_point(size=120, filled=True)
        .encode(
            x=x,
            y=y,
            shape=alt.Shape("what:N", title=None),
            color=alt.Color("what:N", title=None),
            tooltip=["what:N"],
        )
    )
    return (curve_line + points).properties(height=320).to_dict()


def det_points(operating: ErrorRates, eer: EqualErrorRate) -> Rows:
    """The operating point at the slider's threshold and the EER point, on probit axes."""
    x = _probit(np.array([operating.fmr.value, eer.fmr]))
    y = _probit(np.array([operating.fnmr.value, eer.fnmr]))
    names = [f"threshold {operating.threshold:.2f}", f"EER {eer.rate:.1%}"]
    return [
        {"x": float(a), "y": float(b), "what": name} for a, b, name in zip(x, y, names, strict=True)
    ]


def _probit(shares: np.ndarray) -> np.ndarray:
    normal = NormalDist()
    clipped = np.clip(shares, DET_FLOOR, 1 - DET_FLOOR)
    return np.array([normal.inv_cdf(float(share)) for share in clipped])


@functools.cache
def distance_curve_template(strength_label: str) -> Spec:
    """Distance against degradation strength, the threshold as a line; X marks no face found.
    Fill ``curve``, ``failures`` and ``threshold``."""
    y_scale = alt.Scale(domain=[0, SCALE_MAX], clamp=True)
    x = alt.X("strength:Q", title=strength_label)
    line = (
        alt.Chart(alt.NamedData("curve"))
        .mark_line(point=True, color="#1f4e8c")
        .encode(
            x=x,
            y=alt.Y("distance:Q", scale=y_scale),
            tooltip=[
                alt.Tooltip("strength:Q", format=".2f"),
                alt.Tooltip("distance:Q", format=".3f"),
            ],
        )
    )
    rule = (
        alt.Chart(alt.NamedData("threshold"))
        .mark_rule(strokeDash=[4, 3], color="black")
        .encode(y=alt.Y("threshold:Q", scale=y_scale), tooltip=["threshold:Q"])
    )
    failures = (
        alt.Chart(alt.NamedData("failures"))
        .mark_point(shape="cross", size=150, color="#c0392b", filled=True)
        .encode(x=x, y=alt.value(10), tooltip=["what:N", "strength:Q"])
    )
    return (line + rule + failures).properties(height=260).to_dict()


def distance_curve_chart(
    curve: list[tuple[float, float | None]], threshold: float, strength_label: str
) -> Spec:
    return filled(
        distance_curve_template(strength_label),
        curve=[{"strength": s, "distance": d} for s, d in curve if d is not None],
        failures=[{"strength": s, "what": "no face found"} for s, d in curve if d is None],
        threshold=[{"threshold": threshold}],
    )


@functools.cache
def _search_template() -> Spec:
    x = alt.X("gallery size:Q", scale=alt.Scale(type="log"), title="people searched (N, log scale)")
    y = alt.Y(
        "chance:Q",
        axis=alt.Axis(format="%"),
        title="chance of at least one false match",
        scale=alt.Scale(domain=[0, 1]),
    )
    line = (
        alt.Chart(alt.NamedData("curve"))
        .mark_line(color="#c0392b")
        .encode(
            x=x,
            y=y,
            tooltip=[
                alt.Tooltip("gallery size:Q", format=",.0f"),
                alt.Tooltip("chance:Q", format=".2%"),
            ],
        )
    )
    marks = alt.Chart(alt.NamedData("marks"))
    rules = marks.mark_rule(strokeDash=[3, 3], color="grey").encode(x=x, tooltip=["label:N"])
    labels = marks.mark_text(angle=270, dx=-50, dy=-6, fontSize=11).encode(
        x=x, y=alt.value(60), text="label:N"
    )
    return (line + rules + labels).properties(height=280).to_dict()


def search_chart(sizes: np.ndarray, chances: np.ndarray, marks: dict[str, float]) -> Spec:
    """The chance of at least one false match in a 1:N search, N on a log axis."""
    return filled(
        _search_template(),
        curve=[
            {"gallery size": float(n), "chance": float(c)}
            for n, c in zip(sizes, chances, strict=True)
        ],
        marks=[{"gallery size": size, "label": label} for label, size in marks.items()],
    )


@functools.cache
def _group_template() -> Spec:
    groups = alt.Chart(alt.NamedData("groups"))
    y = alt.Y("group:N", sort=None, title=None)
    bars = groups.mark_rule(strokeWidth=3, color="#999").encode(
        x=alt.X("low:Q", axis=alt.Axis(format="%"), title="FMR within the group (95% CI)"),
        x2="high:Q",
        y=y,
    )
    points = groups.mark_point(filled=True, size=80, color="#c0392b").encode(
        x="fmr:Q",
        y=y,
        tooltip=[
            "group:N",
            "people:Q",
            "accepted:Q",
            "pairs:Q",
            alt.Tooltip("fmr:Q", format=".2%"),
        ],
    )
    return (bars + points).to_dict()


def group_fmr_chart(rows: Rows) -> Spec:
    """FMR per group with its 95% interval; wide bars are small groups."""
    return {**filled(_group_template(), groups=rows), "height": 28 * len(rows) + 40}
