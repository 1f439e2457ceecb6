"""Vega-Lite charts, built with Altair. They render in the browser with no remote assets.

Charts the threshold slider redraws are split in two: a template, built and validated by
Altair once (per scenario where it holds the scenario's data), and a few rows of named data
(``alt.NamedData``) that ``filled`` drops in on every rerun. Building an Altair chart costs
tens of milliseconds; filling a template costs microseconds.

Templates hold titles and labels in the language they were built in, so the cached ones are
kept once per language (:func:`~verifydemo.core.i18n.per_language`).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from statistics import NormalDist

import altair as alt
import numpy as np
import pandas as pd

from verifydemo.core.compare import Comparison
from verifydemo.core.i18n import N_, _, per_language
from verifydemo.metrics.error_rates import (
    DetCurve,
    EqualErrorRate,
    ErrorRates,
    ScoreSet,
    det_curve,
)

Spec = dict
Rows = list[dict]

SCALE_MAX = 1.2
SCALE_HEIGHT = 110
STRIP_ROW_HEIGHT = 28
HISTOGRAM_BIN = 0.02
DET_TICKS = (0.0001, 0.001, 0.01, 0.05, 0.2, 0.5, 0.8, 0.95)
DET_FLOOR = 1e-5
KIND_COLOURS = {N_("genuine"): "#2e9e5b", N_("impostor"): "#c0392b"}
"""The colour of each kind of pair; the charts show the kind in the current language."""


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


BACK_ROW_FONT = 18
"""Pixels of every label of a chart on a projector, readable from the back of a room."""
PROJECTOR_CONFIG = "projector_config"
"""A key of a spec's ``usermeta``: Vega-Lite ``config`` settings that :func:`for_projector`
lays over the chart's own, for a chart that needs another layout when it is short and its
labels large."""
TITLE_ABOVE_AXIS = {
    "axisY": {
        "titleAngle": 0,
        "titleAlign": "left",
        "titleAnchor": "end",
        "titleBaseline": "bottom",
        "titleY": -10,
    },
    "axisX": {"labelPadding": 2, "titlePadding": 6},
    "padding": {"left": 5, "top": 12, "right": 5, "bottom": 5},
}
"""A short chart's layout on a projector: the y-axis title written level above the axis,
where a short plot cannot cut it off (turned along the axis it needs the plot at least as tall
as itself), with room above it (``padding``: the spec's own, not a config part); the x axis's
labels and title closer, so the plot keeps its height."""


def for_projector(chart: Spec | alt.Chart, size: int = BACK_ROW_FONT) -> Spec | alt.Chart:
    """``chart`` with every axis, legend and text label at least ``size`` pixels (a copy of
    the same kind: an Altair chart stays one, so Streamlit still sends its data as Arrow)."""
    if isinstance(chart, alt.Chart):
        return chart.configure_axis(labelFontSize=size, titleFontSize=size).configure_legend(
            labelFontSize=size, titleFontSize=size
        )
    spec = copy.deepcopy(chart)
    config = spec.setdefault("config", {})
    for part, keys in (
        ("axis", ("labelFontSize", "titleFontSize")),
        ("legend", ("labelFontSize", "titleFontSize")),
        ("header", ("labelFontSize", "titleFontSize")),
        ("title", ("fontSize",)),
    ):
        settings = config.setdefault(part, {})
        for key in keys:
            settings[key] = max(settings.get(key, 0), size)
    for part, settings in spec.get("usermeta", {}).get(PROJECTOR_CONFIG, {}).items():
        if part == "padding":  # the chart's own, which the page's theme would override
            spec["padding"] = settings
        else:
            config[part] = {**config.get(part, {}), **settings}
    _enlarge_text_marks(spec, size)
    return spec


def _enlarge_text_marks(spec: Spec, size: int) -> None:
    """Raise the font of every text mark, axis and legend in ``spec`` and its layers to
    ``size`` pixels (on the encodings too, which Streamlit's theme does not override)."""
    for channel, guide in (("x", "axis"), ("y", "axis"), ("color", "legend"), ("fill", "legend")):
        encoding = spec.get("encoding", {}).get(channel)
        if (
            isinstance(encoding, dict)
            and "field" in encoding
            and encoding.get(guide, {}) is not None
        ):
            settings = encoding.setdefault(guide, {})
            for key in ("labelFontSize", "titleFontSize"):
                settings[key] = max(settings.get(key, 0), size)
    mark = spec.get("mark")
    if mark == "text" or (isinstance(mark, dict) and mark.get("type") == "text"):
        mark = {"type": "text"} if mark == "text" else mark
        mark["fontSize"] = max(mark.get("fontSize", 0), size)
        spec["mark"] = mark
    for part in ("layer", "hconcat", "vconcat", "concat"):
        for child in spec.get(part, []):
            _enlarge_text_marks(child, size)
    if isinstance(spec.get("spec"), dict):
        _enlarge_text_marks(spec["spec"], size)


def _what() -> alt.Tooltip:
    """A tooltip that shows a mark's ``what`` text alone (its values come translated); used
    as a single tooltip, not in a list, so no field name is shown beside it."""
    return alt.Tooltip("what:N")


SCALE_LABEL_ROW, SCALE_POINT_ROW, SCALE_BAND_TOP = 10, 36, 48
"""The distance scale's rows, in pixels from its top: the threshold's label; the distance's
triangle with its label beside it; the match and no-match band, which the threshold's line
crosses, down to the axis. Two rows of labels far enough apart for a projector's 18 px labels,
so neither label can cover the other, and no line runs through a label or a tick."""
LABEL_BESIDE = 12
"""Pixels between the distance's triangle and its label."""
LABEL_RIGHT_UP_TO = 0.6
"""Up to this share of the scale the distance's label goes right of its triangle, beyond it
left: on a 360 px phone either fits."""


@per_language
def _distance_scale_template() -> Spec:
    x_scale = alt.Scale(domain=[0, SCALE_MAX], clamp=True)
    x = alt.X("value:Q", scale=x_scale)
    band = (
        alt.Chart(alt.NamedData("zones"))
        .mark_rect(opacity=0.35)
        .encode(
            x=alt.X(
                "start:Q",
                scale=x_scale,
                title=None,
                axis=alt.Axis(labelFlush=True, labelOverlap="greedy", labelSeparation=6),
            ),
            x2="end:Q",
            y=alt.value(SCALE_BAND_TOP),
            y2=alt.value("height"),
            color=alt.Color(
                "zone:N",
                scale=alt.Scale(domain=[_("match"), _("no match")], range=["#2e9e5b", "#d9822b"]),
                legend=None,
            ),
            tooltip=alt.Tooltip("zone:N"),
        )
    )
    marks = alt.Chart(alt.NamedData("marks"))
    threshold = marks.transform_filter("datum.kind == 'threshold'")
    distance = marks.transform_filter("datum.kind == 'distance'")
    threshold_rule = threshold.mark_rule(strokeWidth=2, strokeDash=[4, 3], color="black").encode(
        x=x, y=alt.value(SCALE_BAND_TOP), y2=alt.value("height"), tooltip=_what()
    )
    threshold_label = threshold.mark_text(fontSize=12).encode(
        x=x, y=alt.value(SCALE_LABEL_ROW), text="what:N"
    )
    distance_point = distance.mark_point(
        shape="triangle-down", size=250, filled=True, color="#1f4e8c"
    ).encode(x=x, y=alt.value(SCALE_POINT_ROW), tooltip=_what())
    distance_labels = [
        distance.transform_filter(f"datum.side == '{side}'")
        .mark_text(fontSize=12, align=align, dx=offset)
        .encode(x=x, y=alt.value(SCALE_POINT_ROW), text="what:N")
        for side, align, offset in (
            ("right", "left", LABEL_BESIDE),
            ("left", "right", -LABEL_BESIDE),
        )
    ]
    return (
        alt.layer(band, threshold_rule, distance_point, threshold_label, *distance_labels)
        .properties(height=SCALE_HEIGHT, padding={"left": 5, "top": 5, "right": 8, "bottom": 5})
        .configure_axis(grid=False)
        .to_dict()
    )


def distance_scale(comparison: Comparison) -> Spec:
    """The distance and the threshold on one axis: left of the line is a match. The distance's
    label sits beside its triangle, on the side with room (right of it up to 0.72)."""
    side = "right" if comparison.distance <= LABEL_RIGHT_UP_TO * SCALE_MAX else "left"
    return filled(
        _distance_scale_template(),
        zones=[
            {"start": 0.0, "end": comparison.threshold, "zone": _("match")},
            {"start": comparison.threshold, "end": SCALE_MAX, "zone": _("no match")},
        ],
        marks=[
            {
                "kind": "threshold",
                "value": comparison.threshold,
                "what": _("threshold {threshold:.2f}", threshold=comparison.threshold),
            },
            {
                "kind": "distance",
                "value": comparison.distance,
                "what": _("distance {distance:.3f}", distance=comparison.distance),
                "side": side,
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
                title=_("the 128 numbers (dimension 0 to 127)"),
                axis=alt.Axis(labels=False, ticks=False),
            ),
            y=alt.Y("photo:N", title=None, sort=list(embeddings)),
            color=alt.Color(
                "value:Q", scale=alt.Scale(scheme="redblue", domainMid=0), title=_("value")
            ),
            tooltip=[
                alt.Tooltip("photo:N", title=_("photo")),
                alt.Tooltip("index:O", title=_("index")),
                alt.Tooltip("value:Q", title=_("value"), format=".3f"),
            ],
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
    genuine, impostor = KIND_COLOURS
    for kind, values in ((genuine, scores.genuine), (impostor, scores.impostor)):
        counts = np.histogram(values, bins=edges)[0]
        frames.append(
            pd.DataFrame(
                {
                    "start": edges[:-1],
                    "end": edges[1:],
                    "pairs": counts,
                    "share": counts / max(1, len(values)),
                    "kind": _(kind),
                }
            )
        )
    bars = (
        alt.Chart(pd.concat(frames))
        .mark_rect(opacity=0.6)
        .encode(
            x=alt.X("start:Q", title=_("distance"), scale=alt.Scale(domain=[0, upper])),
            x2="end:Q",
            y=alt.Y("share:Q", title=_("share of pairs"), axis=alt.Axis(format="%"), stack=None),
            color=alt.Color(
                "kind:N",
                scale=alt.Scale(
                    domain=[_(kind) for kind in KIND_COLOURS], range=list(KIND_COLOURS.values())
                ),
                title=None,
            ),
            tooltip=[
                alt.Tooltip("kind:N", title=_("kind")),
                alt.Tooltip("start:Q", title=_("start"), format=".2f"),
                alt.Tooltip("pairs:Q", title=_("pairs")),
                alt.Tooltip("share:Q", title=_("share"), format=".1%"),
            ],
        )
    )
    rules = (
        alt.Chart(alt.NamedData("marks"))
        .mark_rule(strokeWidth=2)
        .encode(x="value:Q", strokeDash=alt.StrokeDash("what:N", title=None), tooltip=_what())
    )
    return {
        **(bars + rules).properties(height=220).to_dict(),
        "usermeta": {PROJECTOR_CONFIG: TITLE_ABOVE_AXIS},
    }


def distance_marks(threshold: float, pair_distance: float | None) -> Rows:
    marks = [{"value": threshold, "what": _("threshold {threshold:.2f}", threshold=threshold)}]
    if pair_distance is not None:
        marks.append(
            {"value": pair_distance, "what": _("this pair {distance:.3f}", distance=pair_distance)}
        )
    return marks


def det_template(curve: DetCurve) -> Spec:
    """The DET curve: FNMR against FMR on normal-deviate (probit) axes, lower-left is better.
    Fill ``points`` with ``det_points``.

    A rate of 0 has no place on a probit axis, so zero errors are drawn at a floor of half an
    error (1 / 2n), on a dashed line labelled "0 observed"; a rate of 1 is left out, and so are
    points that would land on the same pixel.
    """
    fmr_floor, fnmr_floor = _floors(curve.impostor_trials, curve.genuine_trials)
    drawable = (curve.fmr < 1) & (curve.fnmr < 1)
    fmr, fnmr = curve.fmr[drawable], curve.fnmr[drawable]
    line = pd.DataFrame(
        {
            "x": _probit(np.maximum(fmr, fmr_floor)),
            "y": _probit(np.maximum(fnmr, fnmr_floor)),
            "threshold": curve.thresholds[drawable],
            "fmr": fmr,
            "fnmr": fnmr,
        }
    )
    line = line.loc[~line[["x", "y"]].round(2).duplicated()]
    lowest = min(DET_FLOOR, fmr_floor / 2, fnmr_floor / 2)
    ticks = [float(value) for value in _probit(np.array(DET_TICKS))]
    labels = " : ".join(
        f"round(datum.value * 1000) == {round(tick * 1000)} ? '{share:.2%}'".replace(".00%", "%")
        for tick, share in zip(ticks, DET_TICKS, strict=True)
    )
    axis = {"values": ticks, "labelExpr": f"{labels} : ''", "grid": True}
    domain = [float(_probit(np.array([lowest]))[0]), float(_probit(np.array([0.95]))[0])]
    x = alt.X(
        "x:Q",
        title=_("FMR: impostors accepted (probit scale)"),
        axis=alt.Axis(**axis),
        scale=alt.Scale(domain=domain),
    )
    y = alt.Y(
        "y:Q",
        title=_("FNMR: genuine rejected (probit scale)"),
        axis=alt.Axis(**axis),
        scale=alt.Scale(domain=domain),
    )
    curve_line = (
        alt.Chart(line)
        .mark_line(color="#1f4e8c", point=len(line) < 30, clip=True)
        .encode(
            x=x,
            y=y,
            tooltip=[
                alt.Tooltip("threshold:Q", title=_("threshold"), format=".3f"),
                alt.Tooltip("fmr:Q", title=_("fmr"), format=".2%"),
                alt.Tooltip("fnmr:Q", title=_("fnmr"), format=".2%"),
            ],
        )
    )
    floor_x, floor_y = (float(value) for value in _probit(np.array([fmr_floor, fnmr_floor])))
    floors = pd.DataFrame(
        {"x": [floor_x, domain[1]], "y": [domain[0], floor_y], "what": [_("0 observed")] * 2}
    )
    floor_rules = alt.Chart(floors.iloc[[0]]).mark_rule(strokeDash=[2, 3], color="grey").encode(
        x=x, tooltip=_what()
    ) + alt.Chart(floors.iloc[[1]]).mark_rule(strokeDash=[2, 3], color="grey").encode(
        y=y, tooltip=_what()
    )
    # The FMR floor's label at the foot of its rule; the FNMR floor's at the right end, under
    # its rule, where the curve (which runs along that floor) and the markers are not.
    floor_labels = alt.Chart(floors.iloc[[0]]).mark_text(
        align="left", dx=3, dy=-4, fontSize=10, color="grey"
    ).encode(x=x, y=y, text="what:N", tooltip=_what()) + alt.Chart(floors.iloc[[1]]).mark_text(
        align="right", dx=-3, dy=12, fontSize=10, color="grey"
    ).encode(x=x, y=y, text="what:N", tooltip=_what())
    points = (
        alt.Chart(alt.NamedData("points"))
        .mark_point(size=120, filled=True)
        .encode(
            x=x,
            y=y,
            shape=alt.Shape("what:N", title=None),
            color=alt.Color("what:N", title=None),
            tooltip=_what(),
        )
    )
    return (floor_rules + floor_labels + curve_line + points).properties(height=320).to_dict()


def det_points(operating: ErrorRates, eer: EqualErrorRate) -> Rows:
    """The operating point at the slider's threshold and the EER point, on probit axes; a rate
    of 0 sits on its floor."""
    fmr_floor, fnmr_floor = _floors(operating.fmr.trials, operating.fnmr.trials)
    x = _probit(np.maximum([operating.fmr.value, eer.fmr], fmr_floor))
    y = _probit(np.maximum([operating.fnmr.value, eer.fnmr], fnmr_floor))
    eer_name = (
        _("no error (gap)")
        if eer.separated
        else _("EER {rate:.{decimals}%}", rate=eer.rate, decimals=eer.percent_decimals)
    )
    names = [_("threshold {threshold:.2f}", threshold=operating.threshold), eer_name]
    return [
        {"x": float(a), "y": float(b), "what": name} for a, b, name in zip(x, y, names, strict=True)
    ]


def _floors(impostor_trials: int, genuine_trials: int) -> tuple[float, float]:
    """Where a rate of 0 is drawn: half an error, 1 / 2n."""
    return 1 / (2 * max(1, impostor_trials)), 1 / (2 * max(1, genuine_trials))


@dataclass(frozen=True)
class ErrorRateCharts:
    """The score histogram and DET curve of one score set: templates built once, filled with
    the threshold's marks on every slider move. Their words are in the language they were built
    in: keep one per language."""

    histogram: Spec
    det: Spec

    @classmethod
    def of(cls, scores: ScoreSet) -> ErrorRateCharts:
        return cls(score_distributions_template(scores), det_template(det_curve(scores)))

    def at(
        self, rates: ErrorRates, eer: EqualErrorRate, pair_distance: float | None = None
    ) -> tuple[Spec, Spec]:
        """The histogram with the threshold (and the pair on screen) marked, and the DET curve
        with the operating point and the EER point."""
        return (
            filled(self.histogram, marks=distance_marks(rates.threshold, pair_distance)),
            filled(self.det, points=det_points(rates, eer)),
        )


def _probit(shares: np.ndarray) -> np.ndarray:
    normal = NormalDist()
    clipped = np.clip(shares, DET_FLOOR, 1 - DET_FLOOR)
    return np.array([normal.inv_cdf(float(share)) for share in clipped])


@per_language
def distance_curve_template(strength_label: str, compact: bool = False) -> Spec:
    """Distance against degradation strength, the threshold as a line; X marks no face found.
    Fill ``curve``, ``failures`` and ``threshold``. ``strength_label`` comes translated.
    ``compact`` (a projector's narrow column, the strength named above it) leaves out the
    strength's title and shortens the distance's, so the plot keeps its room."""
    y_scale = alt.Scale(domain=[0, SCALE_MAX], clamp=True)
    x = alt.X("strength:Q", title=None if compact else strength_label)
    line = (
        alt.Chart(alt.NamedData("curve"))
        .mark_line(point=True, color="#1f4e8c")
        .encode(
            x=x,
            y=alt.Y(
                "distance:Q",
                scale=y_scale,
                title=_("distance") if compact else _("distance, threshold"),
            ),
            tooltip=[
                alt.Tooltip("strength:Q", title=_("strength"), format=".2f"),
                alt.Tooltip("distance:Q", title=_("distance"), format=".3f"),
            ],
        )
    )
    rule = (
        alt.Chart(alt.NamedData("threshold"))
        .mark_rule(strokeDash=[4, 3], color="black")
        .encode(
            y=alt.Y("threshold:Q", scale=y_scale),
            tooltip=[alt.Tooltip("threshold:Q", title=_("threshold"))],
        )
    )
    failures = (
        alt.Chart(alt.NamedData("failures"))
        .mark_point(shape="cross", size=150, color="#c0392b", filled=True)
        .encode(
            x=x, y=alt.value(10), tooltip=[_what(), alt.Tooltip("strength:Q", title=_("strength"))]
        )
    )
    return (line + rule + failures).properties(height=260).to_dict()


def distance_curve_chart(
    curve: list[tuple[float, float | None]],
    threshold: float,
    strength_label: str,
    compact: bool = False,
) -> Spec:
    return filled(
        distance_curve_template(strength_label, compact),
        curve=[{"strength": s, "distance": d} for s, d in curve if d is not None],
        failures=[{"strength": s, "what": _("no face found")} for s, d in curve if d is None],
        threshold=[{"threshold": threshold}],
    )


@per_language
def _search_template() -> Spec:
    x = alt.X(
        "gallery size:Q", scale=alt.Scale(type="log"), title=_("people searched (N, log scale)")
    )
    y = alt.Y(
        "chance:Q",
        axis=alt.Axis(format="%"),
        title=_("chance of at least one false match"),
        scale=alt.Scale(domain=[0, 1]),
    )
    line = (
        alt.Chart(alt.NamedData("curve"))
        .mark_line(color="#c0392b")
        .encode(
            x=x,
            y=y,
            tooltip=[
                alt.Tooltip("gallery size:Q", title=_("gallery size"), format=",.0f"),
                alt.Tooltip("chance:Q", title=_("chance"), format=".2%"),
            ],
        )
    )
    marks = alt.Chart(alt.NamedData("marks"))
    rules = marks.mark_rule(strokeDash=[3, 3], color="grey").encode(
        x=x, tooltip=[alt.Tooltip("label:N", title=_("label"))]
    )
    # Each label upright beside its line, hanging from the top of the plot: on a projector's
    # short chart, in large type, it still ends above the axis.
    labels = marks.mark_text(
        angle=270, align="right", baseline="bottom", dy=-3, fontSize=11
    ).encode(x=x, y=alt.value(6), text="label:N")
    return {
        **(line + rules + labels).properties(height=280).to_dict(),
        "usermeta": {PROJECTOR_CONFIG: TITLE_ABOVE_AXIS},
    }


def search_chart(sizes: np.ndarray, chances: np.ndarray, marks: dict[str, float]) -> Spec:
    """The chance of at least one false match in a 1:N search, N on a log axis; ``marks``' labels
    come translated."""
    return filled(
        _search_template(),
        curve=[
            {"gallery size": float(n), "chance": float(c)}
            for n, c in zip(sizes, chances, strict=True)
        ],
        marks=[{"gallery size": size, "label": label} for label, size in marks.items()],
    )


@per_language
def _group_template() -> Spec:
    groups = alt.Chart(alt.NamedData("groups"))
    # Every group's name whole, each on its row.
    y = alt.Y(
        "group:N",
        sort=None,
        title=None,
        axis=alt.Axis(labelOverlap=False, labelLimit=0, labelFlush=False),
    )
    bars = groups.mark_rule(strokeWidth=3, color="#999").encode(
        x=alt.X(
            "low:Q",
            axis=alt.Axis(format="%"),
            title=_("FMR within the group (95% interval, the group's people resampled)"),
        ),
        x2="high:Q",
        y=y,
    )
    points = groups.mark_point(filled=True, size=80, color="#c0392b").encode(
        x="fmr:Q",
        y=y,
        tooltip=[
            alt.Tooltip("group:N", title=_("group")),
            alt.Tooltip("people:Q", title=_("people")),
            alt.Tooltip("accepted:Q", title=_("accepted")),
            alt.Tooltip("pairs:Q", title=_("pairs")),
            alt.Tooltip("fmr:Q", title=_("fmr"), format=".2%"),
        ],
    )
    return (bars + points).to_dict()


GROUP_ROW, GROUP_AXIS = 28, 110
"""Pixels per group in the group FMR chart, and of its axis with its labels and title."""


def group_fmr_chart(rows: Rows) -> Spec:
    """FMR per group with its 95% interval; wide bars are small groups. Its ``height`` is the
    whole chart's, axis included: pass it to the page, which otherwise draws the chart at its
    own default height and the groups' names over each other."""
    return {
        **filled(_group_template(), groups=rows),
        "height": GROUP_ROW * len(rows) + GROUP_AXIS,
    }


@per_language
def _group_pairs_template() -> Spec:
    cells = alt.Chart(alt.NamedData("cells"))
    # Every group's name whole: no label dropped for overlapping, none cut short.
    x = alt.X(
        "live_group:N",
        sort=None,
        title=_("live photo's group"),
        axis=alt.Axis(labelAngle=-45, labelOverlap=False, labelLimit=0),
    )
    y = alt.Y(
        "id_group:N",
        sort=None,
        title=_("ID photo's group"),
        axis=alt.Axis(labelOverlap=False, labelLimit=0),
    )
    squares = cells.mark_rect().encode(
        x=x,
        y=y,
        color=alt.Color(
            "shown:Q",
            title=_("FMR (log scale)"),
            scale=alt.Scale(type="log", scheme="orangered", domain=[HEAT_FLOOR, 1]),
            legend=alt.Legend(format="%"),
        ),
        tooltip=[
            alt.Tooltip("id_group:N", title=_("ID photo")),
            alt.Tooltip("live_group:N", title=_("live photo")),
            alt.Tooltip("accepted:Q", title=_("pairs accepted")),
            alt.Tooltip("pairs:Q", title=_("impostor pairs")),
            alt.Tooltip("fmr:Q", title=_("FMR"), format=".2%"),
        ],
    )
    counts = cells.mark_text(fontSize=10).encode(x=x, y=y, text="label:N")
    return (squares + counts).to_dict()


HEAT_FLOOR = 1e-3
"""Cells with no false match are drawn at this FMR (a log scale has no 0) and labelled 0."""


def group_pairs_chart(rows: Rows) -> Spec:
    """Group-by-group FMR on a log colour scale, counts in each cell, as in NIST's report
    cards. ``rows`` hold id_group, live_group, accepted, pairs and fmr."""
    cells = [
        {
            **row,
            "shown": max(row["fmr"], HEAT_FLOOR) if row["pairs"] else None,
            "label": f"{row['accepted']}/{row['pairs']}",
        }
        for row in rows
    ]
    side = int(np.sqrt(len(rows)))
    return {
        **filled(_group_pairs_template(), cells=cells),
        "height": 34 * side + 60,
    }
