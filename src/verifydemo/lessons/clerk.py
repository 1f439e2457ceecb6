"""Be the clerk: a round of ID-photo / live-photo pairs of demo volunteers that a person judges
by eye, scored the way the machine is scored, and the machine's decisions on the very same
pairs.

Half the pairs are genuine (one volunteer's ID photo and their own live photo); half are
impostors. Among the impostors, half are lookalikes (for an ID photo, the live photo of the
volunteer of the same self-reported group whom the machine finds closest: the stranger a
fraudster would pick) and the rest ordinary strangers. A round comes from a seed, so a class
given one seed judges the same pairs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from verifydemo.core.compare import accepted
from verifydemo.lessons.class_pool import ClerkEntry
from verifydemo.metrics.bootstrap import pooled_rate
from verifydemo.metrics.error_rates import Rate

ROUND_PAIRS = 8
"""Pairs in a round: enough to make an error likely, few enough for a lesson's minutes."""
KINDS = ("genuine", "lookalike", "ordinary")


@dataclass(frozen=True)
class ClerkPair:
    """The ID photo of ``id_person`` beside the live photo of ``live_person``."""

    id_person: str
    live_person: str
    kind: str

    @property
    def genuine(self) -> bool:
        return self.id_person == self.live_person


def clerk_round(
    seed: int,
    people: Sequence[str],
    groups: Sequence[str],
    distances: np.ndarray,
    size: int = ROUND_PAIRS,
    exclude: frozenset[str] = frozenset(),
) -> tuple[ClerkPair, ...]:
    """``size`` pairs drawn from ``seed``, in a shuffled order, each ID photo used once and
    none of the ``exclude`` people's (so a second round shows new ID photos).

    ``distances[i, j]`` is the machine's distance from person ``i``'s ID photo to person
    ``j``'s live photo; ``groups[i]`` is person ``i``'s self-reported group. The first half
    (rounded down) are genuine; of the impostors, half (rounded up) are lookalikes, the nearest
    other member of the ID person's group, and the rest any other volunteer. The same seed and
    people give the same pairs."""
    count = len(people)
    if len(groups) != count or distances.shape != (count, count):
        raise ValueError("people, groups and distances must describe the same volunteers")
    rng = np.random.default_rng(seed)
    order = [i for i in rng.permutation(count) if people[i] not in exclude]
    if not 2 <= size <= len(order):
        raise ValueError(f"a round needs 2 to {len(order)} pairs, not {size}")
    genuine = size // 2
    lookalikes = (size - genuine + 1) // 2
    pairs = [ClerkPair(people[i], people[i], "genuine") for i in order[:genuine]]
    for position, i in enumerate(order[genuine:size]):
        others = np.array([j for j in range(count) if j != i])
        same_group = others[[groups[j] == groups[i] for j in others]]
        if position < lookalikes and same_group.size:
            j = same_group[np.argmin(distances[i, same_group])]
            pairs.append(ClerkPair(people[i], people[j], "lookalike"))
        else:
            pairs.append(ClerkPair(people[i], people[int(rng.choice(others))], "ordinary"))
    return tuple(pairs[k] for k in rng.permutation(size))


@dataclass(frozen=True)
class ClerkScore:
    """A set of decisions on a round, scored as a verification system is: strangers let
    through (FMR) and genuine customers turned away (FNMR), as counts."""

    strangers_accepted: int
    strangers: int
    genuine_rejected: int
    genuine: int

    @property
    def fmr(self) -> Rate:
        return Rate(self.strangers_accepted, self.strangers, one_per_person=True)

    @property
    def fnmr(self) -> Rate:
        return Rate(self.genuine_rejected, self.genuine, one_per_person=True)


def score(pairs: Sequence[ClerkPair], same_person: Sequence[bool]) -> ClerkScore:
    """How decisions (``True``: "same person", let through) fared on ``pairs``."""
    if len(pairs) != len(same_person):
        raise ValueError(f"{len(same_person)} decisions for {len(pairs)} pairs")
    genuine = np.array([pair.genuine for pair in pairs], bool)
    said_same = np.array(same_person, bool)
    return ClerkScore(
        strangers_accepted=int((said_same & ~genuine).sum()),
        strangers=int((~genuine).sum()),
        genuine_rejected=int((~said_same & genuine).sum()),
        genuine=int(genuine.sum()),
    )


@dataclass(frozen=True)
class Following:
    """How often a person's answer was the machine's label, counted apart where the label was
    right and where it was wrong."""

    followed_right: int
    right: int
    followed_wrong: int
    wrong: int


def following(
    pairs: Sequence[ClerkPair], same_person: Sequence[bool], labels: Sequence[bool]
) -> Following:
    """How often ``same_person`` agreed with the machine's ``labels`` shown beside ``pairs``."""
    if not len(pairs) == len(same_person) == len(labels):
        raise ValueError("one answer and one label for each pair")
    truth = np.array([pair.genuine for pair in pairs], bool)
    label = np.array(labels, bool)
    followed = np.array(same_person, bool) == label
    label_right = label == truth
    return Following(
        followed_right=int((followed & label_right).sum()),
        right=int(label_right.sum()),
        followed_wrong=int((followed & ~label_right).sum()),
        wrong=int((~label_right).sum()),
    )


def machine_decisions(pair_distances: Sequence[float], threshold: float) -> tuple[bool, ...]:
    """The machine's "same person" on each pair at ``threshold``: the one match rule."""
    return tuple(bool(value) for value in accepted(np.asarray(pair_distances, float), threshold))


@dataclass(frozen=True)
class ClassEyes:
    """A class's rounds of one seed: the strangers it let through and the genuine customers it
    turned away (intervals resampling students), each student's pairs right, sorted, the
    machine's score on the same pairs, and how often advised students followed a wrong label
    (None: no advised round added)."""

    fmr: Rate
    fnmr: Rate
    right: tuple[int, ...]
    machine: ClerkScore
    followed_wrong: Rate | None


def class_eyes(entries: Sequence[ClerkEntry], machine: ClerkScore) -> ClassEyes | None:
    """The class's eyes from the pool's ``entries`` of one round (None: no round one added)."""
    first = [entry for entry in entries if not entry.advised]
    advised = [entry for entry in entries if entry.advised]
    if not first:
        return None

    def counts(*fields: str) -> list[np.ndarray]:
        return [np.array([getattr(entry, field) for entry in first]) for field in fields]

    return ClassEyes(
        fmr=pooled_rate(*counts("strangers_accepted", "strangers")),
        fnmr=pooled_rate(*counts("genuine_rejected", "genuine")),
        right=tuple(
            sorted(
                e.strangers + e.genuine - e.strangers_accepted - e.genuine_rejected for e in first
            )
        ),
        machine=machine,
        followed_wrong=pooled_rate(
            np.array([entry.followed_wrong for entry in advised]),
            np.array([entry.wrong for entry in advised]),
        )
        if advised
        else None,
    )
