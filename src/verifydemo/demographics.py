"""False matches within and across self-reported groups.

The figures describe the model's errors on these photos, not the people in them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from verifydemo.error_rates import Rate


@dataclass(frozen=True)
class GroupRates:
    """One self-reported group: its size and the FMR among impostor pairs inside it."""

    group: str
    people: int
    same_group_fmr: Rate
    failures_to_acquire: int


def group_rates(distances: np.ndarray, groups: np.ndarray, threshold: float) -> list[GroupRates]:
    """Per group, the FMR over impostor pairs whose two people both belong to it.

    ``distances[i, j]`` compares person i's ID photo with person j's live photo (NaN where no
    face was found). Groups are listed largest first.
    """
    impostor = ~np.eye(len(groups), dtype=bool)
    results = []
    for group in sorted(set(groups.tolist()), key=lambda g: (-int((groups == g).sum()), g)):
        members = groups == group
        pair_mask = impostor & members[:, None] & members[None, :]
        results.append(
            GroupRates(
                group=str(group),
                people=int(members.sum()),
                same_group_fmr=_accepted(distances[pair_mask], threshold),
                failures_to_acquire=int(np.isnan(np.diagonal(distances)[members]).sum()),
            )
        )
    return results


def same_versus_cross_group(
    distances: np.ndarray, groups: np.ndarray, threshold: float
) -> tuple[Rate, Rate]:
    """FMR over impostor pairs of the same group, and over pairs from two different groups."""
    impostor = ~np.eye(len(groups), dtype=bool)
    same = groups[:, None] == groups[None, :]
    return (
        _accepted(distances[impostor & same], threshold),
        _accepted(distances[impostor & ~same], threshold),
    )


def _accepted(distances: np.ndarray, threshold: float) -> Rate:
    compared = distances[~np.isnan(distances)]
    return Rate(errors=int((compared <= threshold).sum()), trials=int(compared.size))
