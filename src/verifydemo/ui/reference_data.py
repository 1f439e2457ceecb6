"""The shipped reference set and the per-scenario figures that do not depend on the threshold.

Public, consented data, shared read-only by every session through ``st.cache_resource``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import streamlit as st

from verifydemo.charts import Spec, det_template, score_distributions_template
from verifydemo.compare import DEFAULT_THRESHOLD
from verifydemo.error_rates import (
    EqualErrorRate,
    ScoreSet,
    det_curve,
    equal_error_rate,
    threshold_for_fmr,
)
from verifydemo.reference import PairScores, ReferenceSet, load_reference

SLIDER_MIN, SLIDER_MAX = 0.2, 1.0


@dataclass(frozen=True)
class ScenarioScores:
    """Everything about one scenario pair that does not depend on the threshold."""

    pairs: PairScores
    scores: ScoreSet
    eer: EqualErrorRate
    presets: dict[str, float]
    histogram: Spec
    det: Spec


@st.cache_resource
def reference() -> ReferenceSet:
    """The shipped reference set: public, consented data, shared by all sessions read-only."""
    return load_reference()


@st.cache_resource
def scenario_scores(id_scenario: str, live_scenario: str) -> ScenarioScores:
    pairs = reference().pair_scores(id_scenario, live_scenario)
    scores = pairs.score_set()
    eer = equal_error_rate(scores)
    presets = {
        f"library default ({DEFAULT_THRESHOLD:.2f})": DEFAULT_THRESHOLD,
        f"EER ({eer.threshold:.2f})": _on_slider(eer.threshold),
    }
    for target in (0.01, 0.001):
        threshold = _on_slider(threshold_for_fmr(scores, target))
        presets[f"FMR {target:.1%} ({threshold:.2f})"] = threshold
    return ScenarioScores(
        pairs,
        scores,
        eer,
        presets,
        score_distributions_template(scores),
        det_template(det_curve(scores)),
    )


def _on_slider(threshold: float) -> float:
    """A threshold the slider can show: two decimals, rounded down (so an FMR target is still
    met), inside the slider's range."""
    return float(np.clip(math.floor(threshold * 100 + 1e-9) / 100, SLIDER_MIN, SLIDER_MAX))
