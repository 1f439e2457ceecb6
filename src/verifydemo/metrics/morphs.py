"""How often morphs pass as both of their contributors: the MMPMR, beside plain impostor FMR.

MMPMR, the mated morph presentation match rate (Scherhag et al., BIOSIG 2017), is the share of
morphs whose distance to every contributor's live photo is at or below the threshold: one photo
that both people could pass a 1:1 check with. The plain impostor FMR for the same pairs compares
each contributor's own ID photo with the other's live photo (both ways), so the two rates show
what blending adds. Intervals resample the people, as for the other rates (``bootstrap``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from verifydemo.core.compare import accepted, distances
from verifydemo.metrics.bootstrap import LabelledScores, people_intervals
from verifydemo.metrics.error_rates import Rate


@dataclass(frozen=True)
class MorphScores:
    """Distances that do not depend on the threshold, for ``m`` morphs of pairs of people.

    ``to_first`` and ``to_second``: each morph against its contributors' live photos (NaN where
    no face was found in the morph); ``first_to_second`` and ``second_to_first``: the first
    contributor's ID photo against the second's live photo, and the other way round.
    ``first`` and ``second`` number the people in ``[0, people)``.
    """

    to_first: np.ndarray
    to_second: np.ndarray
    first_to_second: np.ndarray
    second_to_first: np.ndarray
    first: np.ndarray
    second: np.ndarray
    people: int

    @classmethod
    def of(
        cls,
        morph_embeddings: np.ndarray,
        first: np.ndarray,
        second: np.ndarray,
        id_embeddings: np.ndarray,
        live_embeddings: np.ndarray,
    ) -> MorphScores:
        """From ``(m, 128)`` morph embeddings, the row numbers of their two contributors, and
        ``(people, 128)`` ID and live embeddings of everyone."""
        first, second = np.asarray(first, dtype=np.int64), np.asarray(second, dtype=np.int64)

        def paired(probes: np.ndarray, gallery: np.ndarray) -> np.ndarray:
            return np.array(
                [distances(p, g[None, :])[0] for p, g in zip(probes, gallery, strict=True)]
            )

        return cls(
            to_first=paired(morph_embeddings, live_embeddings[first]),
            to_second=paired(morph_embeddings, live_embeddings[second]),
            first_to_second=paired(id_embeddings[first], live_embeddings[second]),
            second_to_first=paired(id_embeddings[second], live_embeddings[first]),
            first=first,
            second=second,
            people=len(id_embeddings),
        )

    def worst(self) -> np.ndarray:
        """Each morph's larger distance: it passes as both exactly when this one is accepted
        (NaN, no face, passes as nobody)."""
        return np.maximum(self.to_first, self.to_second)


@dataclass(frozen=True)
class MorphRates:
    """MMPMR and the plain impostor FMR of the same pairs at one threshold."""

    threshold: float
    mmpmr: Rate
    impostor_fmr: Rate
    no_face: int
    """Morphs in which no face was found: counted as morphs that did not pass."""


def morph_rates(
    scores: MorphScores, threshold: float, draws: np.ndarray | None = None
) -> MorphRates:
    """Both rates at ``threshold``, with Wilson intervals and people intervals (the people are
    resampled; a morph counts in a resample as often as both its contributors were drawn)."""
    worst = scores.worst()
    morphs = LabelledScores(worst, scores.first, scores.second, scores.people)
    impostors = LabelledScores(
        np.concatenate([scores.first_to_second, scores.second_to_first]),
        np.concatenate([scores.first, scores.second]),
        np.concatenate([scores.second, scores.first]),
        scores.people,
    )
    present = morphs.present
    mmpmr = Rate(
        errors=int(accepted(worst, threshold).sum()),
        trials=len(worst),
        people_interval=people_intervals(morphs, threshold, draws).far,
        people=present,
    )
    compared = ~np.isnan(impostors.distances)
    impostor_fmr = Rate(
        errors=int(accepted(impostors.distances, threshold).sum()),
        trials=int(compared.sum()),
        people_interval=people_intervals(impostors, threshold, draws).fmr,
        people=present,
    )
    return MorphRates(threshold, mmpmr, impostor_fmr, int(np.isnan(worst).sum()))
