"""False matches within and across self-reported groups, with intervals that resample people.

The figures describe the model's errors on these photos, not the people in them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from verifydemo.core.compare import accepted
from verifydemo.metrics.bootstrap import LabelledScores, impostor_interval
from verifydemo.metrics.error_rates import Rate
from verifydemo.metrics.pairs import impostor_mask

SMALLEST_GROUP = 2
"""A group needs two people to have an impostor pair at all."""


@dataclass(frozen=True)
class GroupRates:
    """One self-reported group: its size and the FMR among impostor pairs inside it (None for a
    group too small to have any)."""

    group: str
    people: int
    same_group_fmr: Rate | None
    failures_to_acquire: int


@dataclass(frozen=True)
class GroupPair:
    """The FMR over impostor pairs whose ID photo is from ``id_group`` and live photo from
    ``live_group``: one cell of the group-by-group map."""

    id_group: str
    live_group: str
    fmr: Rate


def group_rates(distances: np.ndarray, groups: np.ndarray, threshold: float) -> list[GroupRates]:
    """Per group, largest first, the FMR over impostor pairs whose two people both belong to it,
    with an interval from resampling the group's own people.

    ``distances[i, j]`` compares person i's ID photo with person j's live photo (NaN where no
    face was found).
    """
    scores = LabelledScores.from_matrix(distances)
    results = []
    for group in _largest_first(groups):
        members = groups == group
        inside = scores.subset(members).compact()
        fmr = None
        if members.sum() >= SMALLEST_GROUP:
            fmr = _fmr(inside, threshold, people_interval=impostor_interval(inside, threshold))
        results.append(
            GroupRates(
                group=str(group),
                people=int(members.sum()),
                same_group_fmr=fmr,
                failures_to_acquire=int(np.isnan(np.diagonal(distances)[members]).sum()),
            )
        )
    return results


def same_versus_cross_group(
    distances: np.ndarray, groups: np.ndarray, threshold: float
) -> tuple[Rate, Rate]:
    """FMR over impostor pairs of the same group, and over pairs from two different groups,
    each with an interval from resampling all the people."""
    scores = LabelledScores.from_matrix(distances)
    same_group = groups[scores.person_a] == groups[scores.person_b]
    rates = []
    for keep in (same_group, ~same_group):
        chosen = scores.where(keep)
        rates.append(_fmr(chosen, threshold, impostor_interval(chosen, threshold)))
    return rates[0], rates[1]


def group_pairs(distances: np.ndarray, groups: np.ndarray, threshold: float) -> list[GroupPair]:
    """The FMR of every (ID photo's group, live photo's group) combination: NIST's question of
    how each group's false matches differ at one threshold."""
    order = _largest_first(groups)
    membership = (groups[:, None] == np.array(order)[None, :]).astype(np.int64)
    impostor = impostor_mask(len(groups)) & ~np.isnan(distances)
    matched = impostor & accepted(distances, threshold)
    errors = membership.T @ matched.astype(np.int64) @ membership
    trials = membership.T @ impostor.astype(np.int64) @ membership
    return [
        GroupPair(id_group, live_group, Rate(int(errors[a, b]), int(trials[a, b])))
        for a, id_group in enumerate(order)
        for b, live_group in enumerate(order)
    ]


def _largest_first(groups: np.ndarray) -> list[str]:
    return sorted(set(groups.tolist()), key=lambda g: (-int((groups == g).sum()), g))


def _fmr(
    scores: LabelledScores,
    threshold: float,
    people_interval: tuple[float, float] | None = None,
) -> Rate:
    impostor = (scores.person_a != scores.person_b) & ~np.isnan(scores.distances)
    return Rate(
        errors=int(accepted(scores.distances[impostor], threshold).sum()),
        trials=int(impostor.sum()),
        people_interval=people_interval,
        people=scores.present if people_interval is not None else 0,
    )
