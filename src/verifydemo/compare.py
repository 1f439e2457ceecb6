"""Compare two embeddings: one distance, one threshold, one decision."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

DEFAULT_THRESHOLD = 0.6
"""face_recognition's own default tolerance for ``compare_faces``."""


@dataclass(frozen=True)
class Comparison:
    """The outcome of one 1:1 check."""

    distance: float
    threshold: float

    @property
    def is_match(self) -> bool:
        """Same person, as far as the comparator can tell: distance at or under the threshold."""
        return self.distance <= self.threshold


def face_distance(first: np.ndarray, second: np.ndarray) -> float:
    """Euclidean distance between two 128-number embeddings."""
    first, second = np.asarray(first, dtype=np.float64), np.asarray(second, dtype=np.float64)
    if first.shape != second.shape or first.ndim != 1:
        raise ValueError(
            f"embeddings must be two equal 1-d vectors, got {first.shape} and {second.shape}"
        )
    return float(np.linalg.norm(first - second))


def compare(
    id_embedding: np.ndarray, live_embedding: np.ndarray, threshold: float = DEFAULT_THRESHOLD
) -> Comparison:
    """Compare an ID-photo embedding with a live-photo embedding at ``threshold``."""
    return Comparison(distance=face_distance(id_embedding, live_embedding), threshold=threshold)
