"""Error rates of a comparator from its genuine and impostor distances.

Vocabulary from ISO/IEC 2382-37 and 19795-1. A comparison is a *match* when its distance is at
or below the threshold. FMR is the share of impostor (non-mated) comparisons wrongly declared a
match; FNMR the share of genuine (mated) comparisons wrongly declared a non-match. FAR and FRR
are the system-level rates: they also count attempts where no face was found (failure to
acquire, FTA), which can never be accepted, so an FTA is a false reject for a genuine attempt
and a (correct) reject for an impostor attempt.

Scores are kept sorted so that any threshold costs two binary searches.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

from verifydemo.core.compare import accepted, count_accepted
from verifydemo.core.i18n import _

CONFIDENCE = 0.95


@dataclass(frozen=True)
class ScoreSet:
    """Sorted genuine and impostor distances, and how many attempts of each failed to acquire."""

    genuine: np.ndarray
    impostor: np.ndarray
    genuine_fta: int = 0
    impostor_fta: int = 0

    @classmethod
    def from_distances(cls, genuine: np.ndarray, impostor: np.ndarray) -> ScoreSet:
        """Build from raw distances, where NaN marks a failure to acquire.

        Raises ``ValueError`` for arrays that are not 1-d or that hold infinities.
        """
        genuine, impostor = _validated(genuine, "genuine"), _validated(impostor, "impostor")
        genuine_ok, impostor_ok = ~np.isnan(genuine), ~np.isnan(impostor)
        return cls(
            genuine=np.sort(genuine[genuine_ok]),
            impostor=np.sort(impostor[impostor_ok]),
            genuine_fta=int((~genuine_ok).sum()),
            impostor_fta=int((~impostor_ok).sum()),
        )

    @classmethod
    def from_labels(cls, scores: np.ndarray, labels: np.ndarray) -> ScoreSet:
        """Build from scores and labels (1 genuine, 0 impostor), as in a ``score,label`` CSV."""
        scores, labels = np.asarray(scores, dtype=np.float64), np.asarray(labels)
        if scores.shape != labels.shape:
            raise ValueError(f"scores and labels differ in shape: {scores.shape} vs {labels.shape}")
        if not np.isin(labels, (0, 1)).all():
            raise ValueError("labels must be 1 (genuine) or 0 (impostor)")
        return cls.from_distances(scores[labels == 1], scores[labels == 0])


@dataclass(frozen=True)
class Rate:
    """``errors`` out of ``trials``, with a Wilson score interval, and the interval from
    resampling the ``people`` in the comparisons when it was computed (``metrics.bootstrap``)."""

    errors: int
    trials: int
    people_interval: tuple[float, float] | None = None
    people: int = 0
    one_per_person: bool = False
    """Each person took part in at most one of these comparisons (genuine pairs of a matrix,
    attacks): then they are independent and Wilson's interval is the right one. Set where the
    people are known (``bootstrap.with_people``)."""

    @property
    def value(self) -> float:
        return self.errors / self.trials if self.trials else float("nan")

    @property
    def interval(self) -> tuple[float, float]:
        """The Wilson interval: right if every comparison were independent of the others."""
        return wilson_interval(self.errors, self.trials)

    @property
    def leading_interval(self) -> tuple[float, float]:
        """The interval :meth:`describe` leads with: resampling people where people recur in
        the comparisons (from 0 when no error was seen, up to 1 when every one was), else
        Wilson's; Wilson's too where resampling gives a single point (no bound to quote)."""
        if self.people_interval is None or self.one_per_person:
            return self.interval
        low, high = self.people_interval
        if self.errors == 0:
            return (0.0, high) if high > 0 else self.interval
        if self.errors == self.trials:
            return (low, 1.0) if low < 1 else self.interval
        return self.people_interval

    def interval_text(self, decimals: int = 2) -> str:
        """``"1.03% to 8.45%"``: the Wilson interval as people read it."""
        low, high = self.interval
        return _("{low:.{decimals}%} to {high:.{decimals}%}", low=low, high=high, decimals=decimals)

    def describe(self, what: str = "", students: bool = False) -> str:
        """The one way a rate is written out, in the page, the CLI and the reports:
        ``"90 of 10,302 impostor pairs accepted; 95% interval 0.36% to 1.63% if the volunteers
        were a different 102 people, 0.71% to 1.07% if the pairs were independent"``.
        ``students``: the people resampled are a class's students, each with several trials
        (a round of "be the clerk"), not the reference set's volunteers."""
        counted = (
            _("{errors:,} of {trials:,} {what}", errors=self.errors, trials=self.trials, what=what)
            if what
            else _("{errors:,} of {trials:,}", errors=self.errors, trials=self.trials)
        )
        recurring = self.people_interval is not None and not self.one_per_person
        if self.errors == 0 and self.trials:
            if recurring and self.leading_interval != self.interval:
                return _(
                    "{counted}: none observed, so the rate is probably below {bound} (95%, "
                    "allowing for volunteers who appear in many pairs)",
                    counted=counted,
                    bound=significant(self.people_interval[1]),
                )
            return _(
                "{counted}: none observed, so the rate is probably below {bound:.2%} (95%)",
                counted=counted,
                bound=self.interval[1],
            )
        if self.errors == self.trials and self.trials:
            return _(
                "{counted}: every one, so the rate is probably above {bound:.2%} (95%)",
                counted=counted,
                bound=self.leading_interval[0],
            )
        if self.people_interval is None:
            return _(
                "{counted} (95% CI {interval})", counted=counted, interval=self.interval_text()
            )
        if self.one_per_person:
            return _(
                "{counted} (95% CI {interval}; each volunteer is in one of these pairs, so they "
                "are independent)",
                counted=counted,
                interval=self.interval_text(),
            )
        low, high = self.people_interval
        if students and self.people == 1:
            return _(
                "{counted}; one student so far, so no interval across students yet",
                counted=counted,
            )
        if students:
            return _(
                "{counted}; 95% interval {low} to {high} if the class were a different "
                "{people:,} students",
                counted=counted,
                low=significant(low),
                high=significant(high),
                people=self.people,
            )
        return _(
            "{counted}; 95% interval {low} to {high} if the volunteers were a different "
            "{people:,} people, {interval} if the pairs were independent",
            counted=counted,
            low=significant(low),
            high=significant(high),
            people=self.people,
            interval=self.interval_text(),
        )


@dataclass(frozen=True)
class ErrorRates:
    """All four rates at one threshold."""

    threshold: float
    fmr: Rate
    fnmr: Rate
    far: Rate
    frr: Rate


@dataclass(frozen=True)
class DetCurve:
    """FMR and FNMR at every distinct observed distance, thresholds ascending, and how many
    impostor and genuine comparisons they were counted over."""

    thresholds: np.ndarray
    fmr: np.ndarray
    fnmr: np.ndarray
    impostor_trials: int
    genuine_trials: int


@dataclass(frozen=True)
class EqualErrorRate:
    """Where FMR and FNMR meet, and how finely this sample can place it.

    ``rate`` is the mean of ``fmr`` and ``fnmr`` at the observed threshold where they are
    closest. When the genuine and impostor distances do not overlap (``separated``) there is no
    error to balance: both rates are 0 and ``threshold`` is the middle of the gap.
    """

    rate: float
    threshold: float
    fmr: float
    fnmr: float
    genuine_trials: int
    impostor_trials: int
    separated: bool = False
    people_fmr_bound: float | None = None
    """For a separated sample whose impostor pairs share people: the upper end of FMR with no
    error seen, allowing for people who recur (``bootstrap.zero_error_bound``), the same bound
    the FMR sentence gives; None where the pairs' people are not known."""

    @property
    def step(self) -> float:
        """The coarser of the two rates' steps (one error more or less): no finer is meaningful."""
        return 1 / min(self.genuine_trials, self.impostor_trials)

    @property
    def percent_decimals(self) -> int:
        """Decimals of a percentage that are no finer than ``step``."""
        return percent_decimals(min(self.genuine_trials, self.impostor_trials))

    @property
    def upper_bounds(self) -> tuple[float, float]:
        """For a separated sample: the highest FMR and FNMR still consistent (95%) with no
        error observed: the people bound for FMR when known, else Wilson's over the pairs; Wilson's
        for FNMR (one genuine pair per person)."""
        return (
            self.people_fmr_bound
            if self.people_fmr_bound is not None
            else wilson_interval(0, self.impostor_trials)[1],
            wilson_interval(0, self.genuine_trials)[1],
        )

    def describe(self) -> str:
        """The EER in words, never finer than the sample allows."""
        if self.separated:
            fmr_bound, fnmr_bound = self.upper_bounds
            return _(
                "No error in this sample: every genuine pair is closer than every impostor pair, "
                "so there is no equal error rate to read. Between them (around {threshold:.3f}) "
                "both rates are 0 here, which with {impostor:,} impostor and {genuine:,} genuine "
                "pairs only shows FMR is probably below {fmr_bound:.2%} and FNMR below "
                "{fnmr_bound:.1%} (95%).",
                threshold=self.threshold,
                impostor=self.impostor_trials,
                genuine=self.genuine_trials,
                fmr_bound=fmr_bound,
                fnmr_bound=fnmr_bound,
            )
        values = {
            "rate": self.rate,
            "places": self.percent_decimals,
            "threshold": self.threshold,
            "fmr": self.fmr,
            "fmr_places": percent_decimals(self.impostor_trials),
            "fnmr": self.fnmr,
            "fnmr_places": percent_decimals(self.genuine_trials),
            "genuine": self.genuine_trials,
            "step": self.step,
        }
        if round(self.rate, self.percent_decimals + 2) > 0:
            return _(
                "Equal error rate (EER): about {rate:.{places}%} at threshold {threshold:.3f}, "
                "where FMR ({fmr:.{fmr_places}%}) and FNMR ({fnmr:.{fnmr_places}%}) are closest. "
                "With {genuine:,} genuine pairs the rates move in steps of {step:.1%}, so no "
                "finer figure is meaningful.",
                **values,
            )
        return _(
            "Equal error rate (EER): under {step:.{places}%} at threshold {threshold:.3f}, "
            "where FMR ({fmr:.{fmr_places}%}) and FNMR ({fnmr:.{fnmr_places}%}) are closest. "
            "With {genuine:,} genuine pairs the rates move in steps of {step:.1%}, so no "
            "finer figure is meaningful.",
            **values,
        )


def accepted_counts(
    scores: ScoreSet, thresholds: np.ndarray | float
) -> tuple[np.ndarray, np.ndarray]:
    """How many genuine and impostor distances are at or below each threshold."""
    return count_accepted(scores.genuine, thresholds), count_accepted(scores.impostor, thresholds)


def error_rates(scores: ScoreSet, threshold: float) -> ErrorRates:
    """FMR, FNMR, FAR and FRR at ``threshold``, each with its counts."""
    _require_both(scores)
    genuine_accepted, impostor_accepted = (
        int(count) for count in accepted_counts(scores, threshold)
    )
    genuine_rejected = len(scores.genuine) - genuine_accepted
    return ErrorRates(
        threshold=float(threshold),
        fmr=Rate(impostor_accepted, len(scores.impostor)),
        fnmr=Rate(genuine_rejected, len(scores.genuine)),
        far=Rate(impostor_accepted, len(scores.impostor) + scores.impostor_fta),
        frr=Rate(genuine_rejected + scores.genuine_fta, len(scores.genuine) + scores.genuine_fta),
    )


def det_curve(scores: ScoreSet) -> DetCurve:
    """FMR and FNMR at each distinct distance; plot FNMR against FMR on probit axes."""
    _require_both(scores)
    thresholds = np.unique(np.concatenate([scores.genuine, scores.impostor]))
    genuine_accepted, impostor_accepted = accepted_counts(scores, thresholds)
    return DetCurve(
        thresholds=thresholds,
        fmr=impostor_accepted / len(scores.impostor),
        fnmr=1.0 - genuine_accepted / len(scores.genuine),
        impostor_trials=len(scores.impostor),
        genuine_trials=len(scores.genuine),
    )


def equal_error_rate(scores: ScoreSet) -> EqualErrorRate:
    """The equal error rate, read off the DET points (no interpolation); for genuine and
    impostor distances that do not overlap, the middle of the gap between them."""
    curve = det_curve(scores)
    trials = {"genuine_trials": len(scores.genuine), "impostor_trials": len(scores.impostor)}
    largest_genuine, smallest_impostor = float(scores.genuine[-1]), float(scores.impostor[0])
    if not accepted(smallest_impostor, largest_genuine):
        middle = (largest_genuine + smallest_impostor) / 2
        return EqualErrorRate(0.0, middle, 0.0, 0.0, **trials, separated=True)
    closest = int(np.argmin(np.abs(curve.fmr - curve.fnmr)))
    fmr, fnmr = float(curve.fmr[closest]), float(curve.fnmr[closest])
    return EqualErrorRate((fmr + fnmr) / 2, float(curve.thresholds[closest]), fmr, fnmr, **trials)


def threshold_for_fmr(scores: ScoreSet, target: float) -> float:
    """The largest threshold whose FMR is at most ``target``.

    Below one in ``len(scores.impostor)`` the answer is the threshold with no impostor
    accepted, which does not show the target is met: zero errors in n trials only bounds the
    rate below about 3/n (95%).
    """
    _require_both(scores)
    if not 0.0 <= target <= 1.0:
        raise ValueError(f"target FMR must lie in [0, 1], got {target}")
    allowed = int(np.floor(target * len(scores.impostor) + 1e-9))
    if allowed >= len(scores.impostor):
        return float("inf")
    return float(np.nextafter(scores.impostor[allowed], -np.inf))


def significant(share: float, digits: int = 2) -> str:
    """``share`` as a percentage to ``digits`` significant figures (0.36%, 1.7%, 25%): the ends
    of a bootstrap interval move in the third figure from one set of resamples to another."""
    if share <= 0:
        return _("{percent:.{decimals}f}%", percent=0, decimals=0)
    percent = share * 100
    decimals = max(0, digits - 1 - math.floor(math.log10(percent)))
    return _("{percent:.{decimals}f}%", percent=percent, decimals=decimals)


def percent_decimals(trials: int) -> int:
    """Decimals of a percentage no finer than one error in ``trials``: 102 pairs give 0
    (steps of about 1%), 10,302 pairs give 2."""
    return max(0, -math.ceil(math.log10(100 / max(1, trials))))


def wilson_interval(
    errors: int, trials: int, confidence: float = CONFIDENCE
) -> tuple[float, float]:
    """Wilson score interval for a proportion; ``(0, 1)`` when there were no trials."""
    if trials == 0:
        return (0.0, 1.0)
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    share = errors / trials
    centre = (share + z * z / (2 * trials)) / (1 + z * z / trials)
    spread = math.sqrt(share * (1 - share) / trials + z * z / (4 * trials * trials))
    half = z * spread / (1 + z * z / trials)
    low = 0.0 if errors == 0 else max(0.0, centre - half)
    high = 1.0 if errors == trials else min(1.0, centre + half)
    return (low, high)


def _validated(values: np.ndarray, name: str) -> np.ndarray:
    values = np.asarray(values, dtype=np.float64)
    if values.ndim != 1:
        raise ValueError(f"{name} scores must be 1-d, got shape {values.shape}")
    if np.isinf(values).any():
        raise ValueError(f"{name} scores hold infinite values")
    return values


def _require_both(scores: ScoreSet) -> None:
    if len(scores.genuine) == 0 or len(scores.impostor) == 0:
        raise ValueError(
            f"need genuine and impostor scores, "
            f"got {len(scores.genuine)} and {len(scores.impostor)}"
        )
