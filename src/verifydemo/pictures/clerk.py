"""The class's eyes as a picture: each student's errors on a round of "be the clerk", one dot per
student and kind of error, in a column where students made the same number, with the machine's
errors on the same pairs on the row's line.

Built like the other charts (``pictures.charts``): an Altair template per language, filled with
the round's rows on each rerun.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import altair as alt

from verifydemo.core.i18n import _, n_, per_language
from verifydemo.lessons.class_pool import ClerkEntry
from verifydemo.lessons.clerk import ClerkScore
from verifydemo.pictures.charts import Rows, Spec, filled

STACK_TOP = "stack_top"
"""The chart's parameter: the highest stack of dots, so a few dots do not spread over a row."""
FEWEST_STACK_ROOM = 3
"""Dots a row has room for before its dots begin to close up."""
STUDENT_COLOUR, MACHINE_COLOUR, TRACK_COLOUR = "#1f4e8c", "#c0392b", "#bbbbbb"
ROW_HEIGHT, DOT_STEP, MOST_ROW_HEIGHT = 44, 8, 100
"""Pixels of a kind's row: at least ``ROW_HEIGHT``, ``DOT_STEP`` per dot in its highest stack,
at most ``MOST_ROW_HEIGHT`` (a class of 40 who all made no error: the dots overlap)."""
TITLE_AND_AXIS = 140
"""Pixels of the chart's two title lines and its axis with its labels and title."""


@per_language
def _spread_template() -> Spec:
    y = alt.Y("kind:N", sort=None, title=None, axis=alt.Axis(labelLimit=400))
    stacked = alt.YOffset(
        "stack:Q",
        scale=alt.Scale(domainMin=-1, domainMax=alt.ExprRef(STACK_TOP), nice=False),
    )
    x = alt.X(
        "errors:Q",
        title=_("errors in the round"),
        axis=alt.Axis(tickMinStep=1, format="d"),
        scale=alt.Scale(domainMin=0, nice=False),
    )
    placed = {"x": x, "y": y, "yOffset": stacked}
    kind = alt.Tooltip("kind:N", title=_("kind of error"))
    tracks = (
        alt.Chart(alt.NamedData("tracks"))
        .mark_rule(color=TRACK_COLOUR, strokeWidth=2)
        .encode(**placed, x2="trials:Q")
    )
    students = (
        alt.Chart(alt.NamedData("students"))
        .mark_circle(size=70, color=STUDENT_COLOUR, opacity=0.85)
        .encode(
            **placed,
            tooltip=[
                kind,
                alt.Tooltip("errors:Q", title=_("errors")),
                alt.Tooltip("trials:Q", title=_("pairs of this kind")),
            ],
        )
    )
    machine = (
        alt.Chart(alt.NamedData("machine"))
        .mark_point(shape="diamond", size=170, filled=True, color=MACHINE_COLOUR, opacity=1)
        .encode(**placed, tooltip=[kind, alt.Tooltip("errors:Q", title=_("the machine's errors"))])
    )
    return (
        alt.layer(tracks, students, machine)
        .add_params(alt.param(name=STACK_TOP, value=FEWEST_STACK_ROOM))
        .configure_axisY(grid=False)
        .to_dict()
    )


def spread_rows(entries: Sequence[ClerkEntry]) -> Rows:
    """One row per student and kind of error, from the pool's round-one ``entries``: the kind
    in words, the errors, the pairs of that kind and the dot's place in its stack."""
    rows: Rows = []
    for kind, errors_field, trials_field in _kinds():
        taken: Counter[int] = Counter()
        for entry in entries:
            errors = int(getattr(entry, errors_field))
            rows.append(
                {
                    "kind": kind,
                    "errors": errors,
                    "trials": int(getattr(entry, trials_field)),
                    "stack": taken[errors],
                }
            )
            taken[errors] += 1
    return rows


def spread_chart(entries: Sequence[ClerkEntry], machine: ClerkScore, threshold: float) -> Spec:
    """The spread of a class's round: each student's strangers let through and genuine
    customers turned away (``entries``: the pool's round-one entries of one round), beside the
    machine's errors on the same pairs at ``threshold`` (``machine``, whose counts of strangers
    and genuine pairs are the round's); the count of students in the title. Its ``height`` is
    the whole chart's, title and axis included: pass it to the page, which otherwise draws the
    chart at its own default height with both rows on one line."""
    rows = spread_rows(entries)
    top = max([FEWEST_STACK_ROOM, *(row["stack"] for row in rows)])
    spec = filled(
        _spread_template(),
        students=rows,
        tracks=[
            {"kind": kind, "errors": 0, "trials": getattr(machine, trials), "stack": -1}
            for kind, _errors, trials in _kinds()
        ],
        machine=[
            {"kind": kind, "errors": getattr(machine, errors), "stack": -1}
            for kind, errors, _trials in _kinds()
        ],
    )
    return {
        **spec,
        "params": [{"name": STACK_TOP, "value": top}],
        "height": 2 * min(max(ROW_HEIGHT, DOT_STEP * (top + 2)), MOST_ROW_HEIGHT) + TITLE_AND_AXIS,
        "title": {
            "text": [
                n_("{count} student, one dot each", "{count} students, one dot each", len(entries)),
                _("red diamond: the machine at {threshold:.2f}", threshold=threshold),
            ],
            "anchor": "start",
            "fontWeight": "normal",
        },
    }


def _kinds() -> tuple[tuple[str, str, str], ...]:
    """Each kind of error in words, with the entry's fields of its errors and its trials."""
    return (
        (_("strangers let through"), "strangers_accepted", "strangers"),
        (_("genuine customers turned away"), "genuine_rejected", "genuine"),
    )
