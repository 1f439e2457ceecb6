"""Person-level (cluster) bootstrap intervals for the error rates.

Comparisons that share a person are not independent: one person whose live photo resembles
everyone's ID photo makes many false matches at once, so an interval over pairs (Wilson) is too
narrow. So the people are resampled, not the pairs (the "subsets bootstrap" of Bolle, Ratha and
Pankanti, CVIU 2004), and each rate is recomputed from the comparisons among the drawn people: a
person drawn twice brings its comparisons twice, and copies of one person are never an impostor
pair. With ``W`` the draw counts and ``M`` a count matrix over pairs of people, a resample's
impostor total is ``sum_{i != j} W[i] W[j] M[i, j]`` and its genuine total ``W @ diag(M)``.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np

from verifydemo.core.compare import accepted
from verifydemo.metrics.error_rates import (
    CONFIDENCE,
    EqualErrorRate,
    ErrorRates,
    Rate,
    ScoreSet,
    equal_error_rate,
    wilson_interval,
)

RESAMPLES = 1000
SEED = 2019


@functools.lru_cache(maxsize=64)
def resample_people(people: int, resamples: int = RESAMPLES, seed: int = SEED) -> np.ndarray:
    """``(resamples, people)`` ints: how many times each person is drawn in each resample
    (``people`` draws with replacement per row, from ``np.random.default_rng(seed)``). The
    same draws for the same arguments, kept (read-only) for the next call."""
    drawn = np.random.default_rng(seed).integers(0, max(people, 1), size=(resamples, people))
    cells = (np.arange(resamples)[:, None] * people + drawn).ravel()
    counts = np.bincount(cells, minlength=resamples * people).reshape(resamples, people)
    counts.flags.writeable = False
    return counts


@dataclass(frozen=True)
class LabelledScores:
    """Comparisons labelled with the two people in them.

    ``distances`` is ``(m,)`` floats, NaN for a failure to acquire; ``person_a`` and
    ``person_b`` are ``(m,)`` ints in ``[0, people)``. A comparison is genuine when
    ``person_a == person_b`` and impostor otherwise.
    """

    distances: np.ndarray
    person_a: np.ndarray
    person_b: np.ndarray
    people: int

    def __post_init__(self) -> None:
        shapes = {np.shape(self.distances), np.shape(self.person_a), np.shape(self.person_b)}
        if len(shapes) != 1 or np.ndim(self.distances) != 1:
            raise ValueError(f"need three 1-d arrays of one length, got shapes {shapes}")
        people = np.concatenate([self.person_a, self.person_b])
        if people.size and (people.min() < 0 or people.max() >= self.people):
            raise ValueError(f"person numbers must lie in [0, {self.people})")

    @classmethod
    def from_matrix(cls, distances: np.ndarray) -> LabelledScores:
        """From a square matrix: ``distances[i, j]`` is person i's ID photo vs j's live photo."""
        distances = np.asarray(distances, dtype=np.float64)
        if distances.ndim != 2 or distances.shape[0] != distances.shape[1]:
            raise ValueError(f"need a square matrix, got shape {distances.shape}")
        person_a, person_b = np.divmod(np.arange(distances.size), len(distances))
        return cls(distances.ravel(), person_a, person_b, len(distances))

    @classmethod
    def from_labels(
        cls, distances: np.ndarray, labels_a: Sequence[str], labels_b: Sequence[str]
    ) -> LabelledScores:
        """From the names of the two people in each comparison, numbered in sorted order."""
        names = np.concatenate([np.asarray(labels_a, dtype=str), np.asarray(labels_b, dtype=str)])
        unique, numbers = np.unique(names, return_inverse=True)
        person_a, person_b = np.split(numbers.ravel(), [len(labels_a)])
        return cls(np.asarray(distances, dtype=np.float64), person_a, person_b, len(unique))

    def subset(self, people_mask: np.ndarray) -> LabelledScores:
        """The comparisons whose two people are both in ``people_mask``; numbering unchanged."""
        mask = np.asarray(people_mask, dtype=bool)
        if mask.shape != (self.people,):
            raise ValueError(f"need a mask of {self.people} people, got shape {mask.shape}")
        return self.where(mask[self.person_a] & mask[self.person_b])

    def compact(self) -> LabelledScores:
        """The same comparisons with only the people in them, renumbered in order: a group's
        bootstrap then multiplies matrices of its own size (same intervals, same draws)."""
        present, numbers = np.unique(
            np.concatenate([self.person_a, self.person_b]), return_inverse=True
        )
        person_a, person_b = np.split(numbers.ravel(), [len(self.person_a)])
        return LabelledScores(self.distances, person_a, person_b, len(present))

    def where(self, keep: np.ndarray) -> LabelledScores:
        """The comparisons where ``keep`` (a boolean per comparison) holds; numbering unchanged."""
        keep = np.asarray(keep, dtype=bool)
        return LabelledScores(
            self.distances[keep], self.person_a[keep], self.person_b[keep], self.people
        )

    def counts(self, where: np.ndarray) -> np.ndarray:
        """``(people, people)`` ints: how many comparisons of each pair of people are ``where``."""
        cells = (self.person_a * self.people + self.person_b)[where]
        return np.bincount(cells, minlength=self.people**2).reshape(self.people, self.people)

    def each_person_once(self, genuine: bool) -> bool:
        """Whether every person is in at most one comparison of that kind (genuine or impostor):
        then those comparisons are independent."""
        kind = (self.person_a == self.person_b) == genuine
        people = self.person_a[kind] if genuine else np.r_[self.person_a[kind], self.person_b[kind]]
        return bool(np.bincount(people, minlength=1).max(initial=0) <= 1)

    @cached_property
    def present(self) -> int:
        """How many people take part in at least one comparison."""
        return len(np.unique(np.concatenate([self.person_a, self.person_b])))

    @cached_property
    def trials(self) -> tuple[np.ndarray, np.ndarray]:
        """The counts that do not depend on the threshold: comparisons with a distance, and
        failures to acquire (NaN), each ``(people, people)``."""
        missing = np.isnan(self.distances)
        return self.counts(~missing), self.counts(missing)


@dataclass(frozen=True)
class PeopleIntervals:
    """95% percentile intervals of the four rates when the people are resampled."""

    fmr: tuple[float, float]
    fnmr: tuple[float, float]
    far: tuple[float, float]
    frr: tuple[float, float]


def impostor_interval(
    scores: LabelledScores,
    threshold: float,
    draws: np.ndarray | None = None,
    confidence: float = CONFIDENCE,
) -> tuple[float, float]:
    """The people interval of FMR alone: cheaper, for many groups. Same ``draws`` default."""
    (errors, trials), _ = _totals(
        _weights(scores, draws),
        scores.counts(accepted(scores.distances, threshold)),
        scores.trials[0],
    )
    return _interval(errors, trials, confidence)


def people_intervals(
    scores: LabelledScores,
    threshold: float,
    draws: np.ndarray | None = None,
    confidence: float = CONFIDENCE,
) -> PeopleIntervals:
    """Percentile intervals of FMR, FNMR, FAR and FRR at ``threshold`` over resampled people.

    ``draws`` (``(resamples, people)`` counts) defaults to :func:`resample_people` over the
    people who appear in ``scores`` (all of them, unless ``scores`` is a subset: then only its
    own people are resampled, so a group keeps its size). Resamples with no trials for a rate
    are left out of its percentiles; with none left the interval is (0, 1).
    """
    impostor, genuine = _totals(
        _weights(scores, draws),
        scores.counts(accepted(scores.distances, threshold)),
        *scores.trials,
    )
    impostor_accepted, impostor_compared, impostor_missing = impostor
    genuine_accepted, genuine_compared, genuine_missing = genuine
    genuine_rejected = genuine_compared - genuine_accepted
    fmr = _interval(impostor_accepted, impostor_compared, confidence)
    far = _interval(impostor_accepted, impostor_compared + impostor_missing, confidence)
    if fmr[1] == 0.0:
        bound = zero_error_bound(scores, draws, confidence)
        fmr, far = (0.0, bound), (0.0, bound)
    return PeopleIntervals(
        fmr=fmr,
        fnmr=_interval(genuine_rejected, genuine_compared, confidence),
        far=far,
        frr=_interval(
            genuine_rejected + genuine_missing, genuine_compared + genuine_missing, confidence
        ),
    )


def zero_error_bound(
    scores: LabelledScores,
    draws: np.ndarray | None = None,
    confidence: float = CONFIDENCE,
    errors_for_estimate: int = 10,
) -> float:
    """The upper end of an impostor rate with no error seen, allowing for people who recur in
    many pairs: resampling people gives a single point (0) there, and Wilson's bound over the
    pairs treats them as independent, which is far too optimistic. So Wilson's bound is taken
    over the effective number of pairs, n / deff, where the design effect deff (how much larger
    the people bootstrap's variance is than the binomial one) is measured at the lowest
    threshold where ``errors_for_estimate`` impostor pairs are accepted."""
    impostor = np.sort(
        scores.distances[(scores.person_a != scores.person_b) & ~np.isnan(scores.distances)]
    )
    if impostor.size == 0:
        return 1.0
    share = min(errors_for_estimate, impostor.size) / impostor.size
    (errors, trials), _ = _totals(
        _weights(scores, draws),
        scores.counts(
            accepted(scores.distances, impostor[min(errors_for_estimate, impostor.size) - 1])
        ),
        scores.trials[0],
    )
    usable = trials > 0
    binomial = share * (1 - share) / impostor.size
    deff = max(1.0, float(np.var(errors[usable] / trials[usable])) / binomial) if binomial else 1.0
    return wilson_interval(0, max(1, round(impostor.size / deff)), confidence)[1]


def eer_of(scores: ScoreSet, labelled: LabelledScores) -> EqualErrorRate:
    """The EER of ``scores`` (``labelled``: the same comparisons with their people); where no
    threshold errs, its FMR bound allows for people who recur, like the FMR sentence's."""
    eer = equal_error_rate(scores)
    return replace(eer, people_fmr_bound=zero_error_bound(labelled)) if eer.separated else eer


@dataclass(frozen=True)
class Apcer:
    """The APCER of one attack type made from ``people`` people's photos (one presentation
    each): ``value`` is the mean chance of acceptance, ``interval`` its percentile interval
    resampling the people, and ``always`` and ``never`` count the presentations accepted with
    certainty and not at all."""

    value: float
    interval: tuple[float, float]
    people: int
    always: int
    never: int


def apcer(
    chances: np.ndarray, draws: np.ndarray | None = None, confidence: float = CONFIDENCE
) -> Apcer:
    """The APCER (ISO/IEC 30107-3: the share of attack presentations accepted as genuine) of
    one presentation per person, each accepted with the chance in ``chances`` (0 or 1 for a
    single decision, between for the page's random draws of challenges).

    ``draws`` defaults to :func:`resample_people`. With no presentation or every one accepted,
    every resample gives the same share, so the interval's open end is Wilson's bound instead
    of a point. Raises ``ValueError`` for no presentations or a chance outside [0, 1]."""
    values = np.asarray(chances, dtype=np.float64)
    if values.ndim != 1 or not len(values) or not ((values >= 0) & (values <= 1)).all():
        raise ValueError(f"need one chance in [0, 1] per person, got {values!r}")
    people = len(values)
    value = float(values.mean())
    if value == 0.0:
        interval = (0.0, wilson_interval(0, people, confidence)[1])
    elif value == 1.0:
        interval = (wilson_interval(people, people, confidence)[0], 1.0)
    else:
        weights = resample_people(people) if draws is None else np.asarray(draws)
        if weights.ndim != 2 or weights.shape[1] != people:
            raise ValueError(f"need draws of shape (resamples, {people}), got {weights.shape}")
        drawn = weights.sum(axis=1)
        usable = drawn > 0
        shares = (weights[usable] @ values) / drawn[usable]
        tail = 50.0 * (1.0 - confidence)
        low, high = np.percentile(shares, [tail, 100.0 - tail]) if usable.any() else (0.0, 1.0)
        interval = (float(low), float(high))
    return Apcer(
        value=value,
        interval=interval,
        people=people,
        always=int((values == 1.0).sum()),
        never=int((values == 0.0).sum()),
    )


def accepted_share(
    distances: np.ndarray, threshold: float, draws: np.ndarray | None = None
) -> Rate:
    """The share of one-per-person comparisons accepted at ``threshold`` (for attack frames
    against their own ID photo: the APCER), with its :func:`apcer` interval resampling the
    people; NaN (no face) is a rejection."""
    share = apcer(accepted(distances, threshold).astype(np.float64), draws)
    return Rate(
        errors=share.always,
        trials=share.people,
        people_interval=share.interval,
        people=share.people,
        one_per_person=True,
    )


def pooled_rate(errors: np.ndarray, trials: np.ndarray, draws: np.ndarray | None = None) -> Rate:
    """Many people's errors, each out of their own trials (a class's rounds of "be the clerk"),
    as one rate, with the percentile interval from resampling the people (``draws`` defaults
    to :func:`resample_people`). Raises ``ValueError`` unless each person has
    ``0 <= errors <= trials``."""
    errors, trials = np.asarray(errors, np.int64), np.asarray(trials, np.int64)
    if errors.ndim != 1 or errors.shape != trials.shape or ((errors < 0) | (errors > trials)).any():
        raise ValueError("need one count of errors, at most its trials, per person")
    people = len(errors)
    if not people:
        return Rate(0, 0)
    weights = (resample_people(people) if draws is None else np.asarray(draws)).astype(float)
    interval = _interval(weights @ errors, weights @ trials, CONFIDENCE)
    return Rate(int(errors.sum()), int(trials.sum()), people_interval=interval, people=people)


def with_people(
    rates: ErrorRates, scores: LabelledScores, draws: np.ndarray | None = None
) -> ErrorRates:
    """``rates`` (computed from the same comparisons as ``scores``) with each rate's people
    interval filled in."""
    intervals = people_intervals(scores, rates.threshold, draws)

    def filled(rate: Rate, interval: tuple[float, float], genuine: bool) -> Rate:
        return replace(
            rate,
            people_interval=interval,
            people=scores.present,
            one_per_person=scores.each_person_once(genuine),
        )

    return replace(
        rates,
        fmr=filled(rates.fmr, intervals.fmr, genuine=False),
        fnmr=filled(rates.fnmr, intervals.fnmr, genuine=True),
        far=filled(rates.far, intervals.far, genuine=False),
        frr=filled(rates.frr, intervals.frr, genuine=True),
    )


def _weights(scores: LabelledScores, draws: np.ndarray | None) -> np.ndarray:
    if draws is None:  # resample only the people in the comparisons: a group keeps its size
        present = np.unique(np.concatenate([scores.person_a, scores.person_b]))
        draws = np.zeros((RESAMPLES, scores.people), dtype=np.int64)
        draws[:, present] = resample_people(len(present))
    draws = np.asarray(draws)
    if draws.ndim != 2 or draws.shape[1] != scores.people:
        raise ValueError(f"need draws of shape (resamples, {scores.people}), got {draws.shape}")
    return draws.astype(np.float64)


def _totals(weights: np.ndarray, *counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Impostor (off-diagonal) and genuine (diagonal) totals of each ``(people, people)`` count
    matrix in each resample: two ``(len(counts), resamples)`` arrays, from one matrix product."""
    stacked = np.stack(counts).astype(np.float64)
    genuine = np.diagonal(stacked, axis1=1, axis2=2) @ weights.T
    resamples, people = weights.shape
    stacked[:, np.arange(people), np.arange(people)] = 0.0
    side_by_side = stacked.transpose(1, 0, 2).reshape(people, -1)  # [M_1 | M_2 | ...]
    products = (weights @ side_by_side).reshape(resamples, len(counts), people)
    return (products * weights[:, None, :]).sum(axis=2).T, genuine


def _interval(errors: np.ndarray, trials: np.ndarray, confidence: float) -> tuple[float, float]:
    usable = trials > 0
    if not usable.any():
        return (0.0, 1.0)
    tail = 50.0 * (1.0 - confidence)
    low, high = np.percentile(errors[usable] / trials[usable], [tail, 100.0 - tail])
    return (float(low), float(high))
