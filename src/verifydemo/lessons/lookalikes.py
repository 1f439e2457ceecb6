"""Which volunteers in the reference set the model finds closest to a given face."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from verifydemo.core.compare import accepted, distances


@dataclass(frozen=True)
class Lookalike:
    """A reference volunteer and their distance to the face being checked."""

    person_id: str
    distance: float


def closest_people(
    embedding: np.ndarray,
    reference_embeddings: np.ndarray,
    person_ids: np.ndarray,
    exclude: str | None = None,
    count: int = 5,
) -> list[Lookalike]:
    """The ``count`` nearest reference people, nearest first; ties broken by id.

    ``exclude`` leaves out the person themself when the face is one of the volunteers. Rows of
    NaN (no face found) are skipped.
    """
    gaps = distances(embedding, reference_embeddings)
    keep = ~np.isnan(gaps) & (person_ids != exclude)
    order = np.lexsort((person_ids[keep], gaps[keep]))[:count]
    return [
        Lookalike(str(person_id), float(distance))
        for person_id, distance in zip(person_ids[keep][order], gaps[keep][order], strict=True)
    ]


def count_passing(
    embedding: np.ndarray,
    reference_embeddings: np.ndarray,
    person_ids: np.ndarray,
    threshold: float,
    exclude: str | None = None,
) -> tuple[int, int]:
    """How many of the other reference people would be accepted as this face, out of how many."""
    gaps = distances(embedding, reference_embeddings)
    strangers = ~np.isnan(gaps) & (person_ids != exclude)
    return int(accepted(gaps[strangers], threshold).sum()), int(strangers.sum())
