"""What a distance means: how many of a reference set's impostor pairs were at least as close,
and how many of its genuine pairs at least as far apart.

People ask for a distance "as a percentage" (face_recognition issues #111, #245 and #707;
deepface #1295). A distance is not a probability of anything; these two shares are what this
reference set can honestly say about one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from verifydemo.metrics.bootstrap import LabelledScores, impostor_interval, zero_error_bound
from verifydemo.metrics.error_rates import Rate, ScoreSet


@dataclass(frozen=True)
class ScoreShares:
    """For one ``distance``: impostor pairs at or below it (their people interval resamples the
    volunteers) and genuine pairs at or above it (one per volunteer, so Wilson's interval)."""

    distance: float
    impostors_as_close: Rate
    genuine_as_far: Rate


def score_shares(
    scores: ScoreSet,
    labelled: LabelledScores,
    distance: float,
    draws: np.ndarray | None = None,
) -> ScoreShares:
    """The two shares of ``distance`` among ``scores`` (``labelled``: the same comparisons
    with their people). Raises ``ValueError`` for a distance that is not a finite number."""
    distance = float(distance)
    if not np.isfinite(distance):
        raise ValueError(f"not a distance: {distance!r}")
    as_close = int(np.searchsorted(scores.impostor, distance, side="right"))
    as_far = len(scores.genuine) - int(np.searchsorted(scores.genuine, distance, side="left"))
    interval = (
        impostor_interval(labelled, distance, draws)
        if as_close
        else (0.0, zero_error_bound(labelled, draws))
    )
    return ScoreShares(
        distance=distance,
        impostors_as_close=Rate(
            errors=as_close,
            trials=len(scores.impostor),
            people_interval=interval,
            people=labelled.present,
        ),
        genuine_as_far=Rate(errors=as_far, trials=len(scores.genuine), people=len(scores.genuine)),
    )
