"""Every ID photo against every live photo of the same people: the pair matrix.

``distances[i, j]`` compares person i's ID photo with person j's live photo. The diagonal holds
the genuine pairs, the rest the impostor pairs; NaN marks a failure to acquire.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from verifydemo.core.compare import distances as pairwise_distances
from verifydemo.metrics.error_rates import ScoreSet


def impostor_mask(people: int) -> np.ndarray:
    """``(people, people)`` booleans, True off the diagonal: pairs of two different people."""
    return ~np.eye(people, dtype=bool)


@dataclass(frozen=True)
class PairScores:
    """All ID-versus-live distances for one pair of capture scenarios."""

    id_scenario: str
    live_scenario: str
    distances: np.ndarray

    @classmethod
    def from_embeddings(
        cls,
        id_embeddings: np.ndarray,
        live_embeddings: np.ndarray,
        id_scenario: str = "",
        live_scenario: str = "",
    ) -> PairScores:
        """Pair every row of ``id_embeddings`` with every row of ``live_embeddings``."""
        return cls(id_scenario, live_scenario, pairwise_distances(id_embeddings, live_embeddings))

    @property
    def people(self) -> int:
        return len(self.distances)

    @property
    def genuine(self) -> np.ndarray:
        """The diagonal: each person's ID photo against their own live photo."""
        return np.diagonal(self.distances)

    @property
    def impostor_mask(self) -> np.ndarray:
        return impostor_mask(self.people)

    def score_set(self) -> ScoreSet:
        """The genuine (diagonal) and impostor (off-diagonal) distances."""
        return ScoreSet.from_distances(
            genuine=self.genuine, impostor=self.distances[self.impostor_mask]
        )
