"""The distance between faces and the match rule: the one home of both.

Every module that measures or decides calls these, so changing the rule is a one-line change
here (``MATCH_INCLUDES_THRESHOLD``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

DEFAULT_THRESHOLD = 0.6
"""face_recognition's own default tolerance for ``compare_faces``."""

MATCH_INCLUDES_THRESHOLD = True
"""The match rule: a distance *at or below* the threshold is a match, as in face_recognition."""


@dataclass(frozen=True)
class Comparison:
    """The outcome of one 1:1 check."""

    distance: float
    threshold: float

    @property
    def is_match(self) -> bool:
        """Same person, as far as the comparator can tell."""
        return bool(accepted(self.distance, self.threshold))


def distances(probe: np.ndarray, gallery: np.ndarray) -> np.ndarray:
    """Euclidean distances from each probe embedding to each gallery embedding.

    ``probe`` is one embedding ``(128,)`` or several ``(n, 128)``; ``gallery`` likewise
    ``(m, 128)``. Returns shape ``(m,)`` for one probe, ``(n, m)`` for several; NaN rows
    (no face) give NaN distances.
    """
    probe = np.asarray(probe, dtype=np.float64)
    gallery = np.atleast_2d(np.asarray(gallery, dtype=np.float64))
    if probe.ndim not in (1, 2) or gallery.ndim != 2 or probe.shape[-1] != gallery.shape[-1]:
        raise ValueError(
            f"embeddings must share their length, got {probe.shape} and {gallery.shape}"
        )
    return np.linalg.norm(probe[..., None, :] - gallery, axis=-1)


def distance(first: np.ndarray, second: np.ndarray) -> float:
    """Euclidean distance between two embeddings of equal length."""
    first, second = np.asarray(first, dtype=np.float64), np.asarray(second, dtype=np.float64)
    if first.shape != second.shape or first.ndim != 1:
        raise ValueError(
            f"embeddings must be two equal 1-d vectors, got {first.shape} and {second.shape}"
        )
    return float(distances(first, second[None, :])[0])


def accepted(distance_or_distances: np.ndarray | float, threshold: float) -> np.ndarray:
    """True where a distance is declared a match at ``threshold`` (NaN: never)."""
    values = np.asarray(distance_or_distances, dtype=np.float64)
    return values <= threshold if MATCH_INCLUDES_THRESHOLD else values < threshold


def count_accepted(sorted_distances: np.ndarray, thresholds: np.ndarray | float) -> np.ndarray:
    """How many of the ascending ``sorted_distances`` are matches at each threshold.

    Same rule as :func:`accepted`, in two binary searches instead of a pass over the data.
    """
    side = "right" if MATCH_INCLUDES_THRESHOLD else "left"
    return np.searchsorted(sorted_distances, np.asarray(thresholds, dtype=np.float64), side=side)


def compare(
    id_embedding: np.ndarray, live_embedding: np.ndarray, threshold: float = DEFAULT_THRESHOLD
) -> Comparison:
    """Compare an ID-photo embedding with a live-photo embedding at ``threshold``."""
    return Comparison(distance=distance(id_embedding, live_embedding), threshold=threshold)
