"""The morph lab's chart: a photo's distances to two people's live photos, one per axis.

The square below the threshold on both axes is where a photo passes a 1:1 check as either
person: "passes as both". Built like the other charts (``pictures.charts``): an Altair template
per language, filled with a few rows on each rerun.
"""

from __future__ import annotations

import altair as alt

from verifydemo.core.i18n import _, per_language
from verifydemo.pictures.charts import (
    PROJECTOR_CONFIG,
    SCALE_MAX,
    TITLE_ABOVE_AXIS,
    Spec,
    filled,
)

MORPH_CHART_SIZE = 320
POINT_COLOURS = {"morph": "#1f4e8c", "first": "#7f8c8d", "second": "#7f8c8d"}


@per_language
def _morph_template() -> Spec:
    scale = alt.Scale(domain=[0, SCALE_MAX], clamp=True)
    x_title, y_title = _("distance to A's live photo"), _("distance to B's live photo")
    region = (
        alt.Chart(alt.NamedData("region"))
        .mark_rect(opacity=0.3, color="#c0392b")
        .encode(
            x=alt.X("x:Q", scale=scale, title=x_title),
            x2="x2:Q",
            y=alt.Y("y:Q", scale=scale, title=y_title),
            y2="y2:Q",
            tooltip=alt.Tooltip("what:N"),
        )
    )
    # In the square's lower left corner, where no photo of two different people falls (the
    # morph sits near its middle, each own photo near an axis), clear of the photos' labels.
    region_label = (
        alt.Chart(alt.NamedData("region"))
        .mark_text(align="left", baseline="bottom", dx=4, dy=-4, fontSize=12, color="#8e2c21")
        .encode(x=alt.X("x:Q", scale=scale), y=alt.Y("y:Q", scale=scale), text="what:N")
    )
    rules = alt.Chart(alt.NamedData("threshold"))
    vertical = rules.mark_rule(strokeDash=[4, 3], color="black").encode(
        x=alt.X("threshold:Q", scale=scale)
    )
    horizontal = rules.mark_rule(strokeDash=[4, 3], color="black").encode(
        y=alt.Y("threshold:Q", scale=scale)
    )
    photos = alt.Chart(alt.NamedData("photos"))
    points = photos.mark_point(filled=True, size=160).encode(
        x=alt.X("to_first:Q", scale=scale),
        y=alt.Y("to_second:Q", scale=scale),
        shape=alt.Shape("kind:N", legend=None),
        color=alt.Color(
            "kind:N",
            scale=alt.Scale(domain=list(POINT_COLOURS), range=list(POINT_COLOURS.values())),
            legend=None,
        ),
        tooltip=[
            alt.Tooltip("what:N", title=_("photo")),
            alt.Tooltip("to_first:Q", title=x_title, format=".3f"),
            alt.Tooltip("to_second:Q", title=y_title, format=".3f"),
        ],
    )
    # A's own photo lies high (far from B's live photo): its label above it; the morph's and
    # B's own photo's beside them, to the right, so the three never stack.
    labels = [
        photos.transform_filter(f"datum.kind == '{kind}'")
        .mark_text(align="left", baseline=baseline, dx=dx, dy=dy, fontSize=12)
        .encode(
            x=alt.X("to_first:Q", scale=scale), y=alt.Y("to_second:Q", scale=scale), text="what:N"
        )
        for kind, baseline, dx, dy in (
            ("first", "bottom", -6, -10),
            ("morph", "middle", 12, 0),
            ("second", "middle", 12, 0),
        )
    ]
    return {
        **alt.layer(region, region_label, vertical, horizontal, points, *labels)
        .properties(width=MORPH_CHART_SIZE, height=MORPH_CHART_SIZE)
        .to_dict(),
        "usermeta": {PROJECTOR_CONFIG: TITLE_ABOVE_AXIS},
    }


def morph_chart(photos: list[dict], threshold: float) -> Spec:
    """Each photo's distances to A's and B's live photos against ``threshold``, with the
    "passes as both" square shaded. ``photos`` rows: ``kind`` (``morph``, ``first`` or
    ``second``), ``what`` (its label, translated), ``to_first`` and ``to_second``."""
    return filled(
        _morph_template(),
        region=[
            {"x": 0.0, "x2": threshold, "y": 0.0, "y2": threshold, "what": _("passes as both")}
        ],
        threshold=[{"threshold": threshold}],
        photos=photos,
    )
