"""Demographic differentials: false matches within self-reported groups, with honest intervals."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from verifydemo.charts import group_fmr_chart
from verifydemo.demographics import group_rates, same_versus_cross_group
from verifydemo.error_rates import Rate
from verifydemo.ui.reference_data import ScenarioScores, reference

SMALL_GROUP = 10


def groups_tab(measured: ScenarioScores, threshold: float) -> None:
    st.markdown(
        "Impostor pairs are split by the volunteers' self-reported gender and ethnicity. The "
        "figures describe **the model's errors on these photos**, not the people in them."
    )
    groups = reference().groups
    distances = measured.pairs.distances
    same, cross = same_versus_cross_group(distances, groups, threshold)
    left, right = st.columns(2)
    left.metric("FMR, impostor pairs from the same group", f"{same.value:.2%}")
    left.markdown(_sentence(same))
    right.metric("FMR, impostor pairs from different groups", f"{cross.value:.2%}")
    right.markdown(_sentence(cross))

    rows = []
    for result in group_rates(distances, groups, threshold):
        rate = result.same_group_fmr
        low, high = rate.interval
        rows.append(
            {
                "group": result.group,
                "people": result.people,
                "pairs": rate.trials,
                "accepted": rate.errors,
                "fmr": rate.value,
                "low": low,
                "high": high,
                "no face found": result.failures_to_acquire,
            }
        )
    table = pd.DataFrame(rows)
    comparable = table[table["pairs"] > 0]
    st.vega_lite_chart(group_fmr_chart(comparable.to_dict("records")), width="stretch")
    st.dataframe(
        table.assign(
            fmr=table["fmr"].map(lambda value: f"{value:.1%}" if value == value else "n/a"),
            **{
                "95% CI": [
                    f"{low:.1%} to {high:.1%}"
                    for low, high in zip(table["low"], table["high"], strict=True)
                ]
            },
        ).drop(columns=["low", "high"]),
        hide_index=True,
        width="stretch",
    )
    small = table[table["people"] < SMALL_GROUP]
    st.warning(
        f"{len(small)} of the {len(table)} groups have fewer than {SMALL_GROUP} people "
        f"({small['people'].min()} to {small['people'].max()}), so at most "
        f"{small['pairs'].max()} impostor pairs each: their intervals are wide, and one person "
        "with an unusual photo can move a group's rate a lot. The same volunteers appear in "
        "many pairs. Read these as a prompt to ask questions, not as a measurement of any group."
    )
    st.markdown(
        "**What large studies found.** NIST tested 189 algorithms on 18.27 million images of "
        "8.49 million people (NISTIR 8280, December 2019). Most showed demographic "
        "differentials: in 1:1 matching, false positives for Asian and African American faces "
        "were 10 to 100 times those for white faces, depending on the algorithm; some "
        "algorithms developed in Asia showed no such Asian/white gap; false positives were 2 "
        "to 5 times higher for women; differentials were larger in false positives than in "
        "false negatives. The face_recognition project's own README warns that this model's "
        "accuracy may vary between ethnic groups, and its issue tracker has reports of it "
        "failing more often on Chinese faces (ageitgey/face_recognition #612)."
    )


def _sentence(rate: Rate) -> str:
    low, high = rate.interval
    return f"{rate.errors:,} of {rate.trials:,} pairs accepted (95% CI {low:.2%} to {high:.2%})"
