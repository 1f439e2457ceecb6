"""Evaluate the comparator on any image set or score list, for ``verifydemo evaluate``."""

from __future__ import annotations

import csv
import itertools
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from verifydemo.core.compare import distance
from verifydemo.core.errors import UnusableInput
from verifydemo.core.faces import face_from_bytes, load_models
from verifydemo.core.i18n import _
from verifydemo.core.parallel import Progress, parallel_map
from verifydemo.metrics.bootstrap import LabelledScores, with_people
from verifydemo.metrics.error_rates import (
    EqualErrorRate,
    ErrorRates,
    Rate,
    ScoreSet,
    equal_error_rate,
    error_rates,
    threshold_for_fmr,
)
from verifydemo.metrics.presets import FMR_TARGETS

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".bmp"}
RATE_NAMES = ("fmr", "fnmr", "far", "frr")


@dataclass(frozen=True)
class Pair:
    """Two image files and whether they show the same person."""

    first: Path
    second: Path
    genuine: bool

    @property
    def people(self) -> tuple[str, str]:
        """Who is in each image: its folder's name (a person's folder, or an LFW name)."""
        return self.first.parent.name, self.second.parent.name


@dataclass(frozen=True)
class ScoredPairs:
    """Scores ready to evaluate: the distances, who was in each comparison when that is known
    (for intervals that resample people), and the images where no face was found."""

    scores: ScoreSet
    people: LabelledScores | None
    failed: tuple[Path, ...] = ()


def folder_pairs(root: Path) -> list[Pair]:
    """Every pair of images in a folder-per-person tree: same folder genuine, else impostor."""
    people = {
        folder.name: sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        for folder in sorted(Path(root).iterdir())
        if folder.is_dir()
    }
    people = {name: images for name, images in people.items() if images}
    if len(people) < 2:
        raise UnusableInput(
            _("{root}: need at least two person folders with images in them", root=root)
        )
    images = [(name, path) for name, paths in people.items() for path in paths]
    return [
        Pair(first, second, genuine=first_name == second_name)
        for (first_name, first), (second_name, second) in itertools.combinations(images, 2)
    ]


def lfw_pairs(pairs_file: Path, root: Path) -> list[Pair]:
    """Pairs in the LFW ``pairs.txt`` style: ``name n1 n2`` is genuine, ``name1 n1 name2 n2``
    an impostor pair; images live at ``root/name/name_NNNN.jpg``. Header lines of counts are
    skipped."""
    pairs = []
    for number, line in enumerate(Path(pairs_file).read_text().splitlines(), start=1):
        fields = line.split()
        if not fields or all(field.isdigit() for field in fields):
            continue
        if len(fields) == 3:
            name, first, second = fields
            pairs.append(Pair(_lfw_path(root, name, first), _lfw_path(root, name, second), True))
        elif len(fields) == 4:
            first_name, first, second_name, second = fields
            pairs.append(
                Pair(
                    _lfw_path(root, first_name, first), _lfw_path(root, second_name, second), False
                )
            )
        else:
            raise UnusableInput(
                _(
                    "{file}:{line}: expected 3 or 4 fields, got {count}",
                    file=pairs_file,
                    line=number,
                    count=len(fields),
                )
            )
    if not pairs:
        raise UnusableInput(_("{file}: no pairs found", file=pairs_file))
    return pairs


def _lfw_path(root: Path, name: str, number: str) -> Path:
    if not number.isdigit():
        raise UnusableInput(
            _("image number {number!r} for {name} is not a number", number=number, name=name)
        )
    return Path(root) / name / f"{name}_{int(number):04d}.jpg"


def _embed_file(path: Path) -> np.ndarray | None:
    try:
        return face_from_bytes(path.read_bytes())[1].embedding
    except (UnusableInput, OSError):
        return None


def score_pairs(
    pairs: list[Pair], workers: int | None = None, on_progress: Progress | None = None
) -> ScoredPairs:
    """Embed each distinct image once (on every core) and score the pairs; the people are the
    images' folders, and images with no usable face are failures to acquire."""
    paths = sorted({path for pair in pairs for path in (pair.first, pair.second)})
    embedded = parallel_map(_embed_file, paths, workers, on_progress, initializer=load_models)
    embeddings = dict(zip(paths, embedded, strict=True))
    distances = np.array(
        [
            math.nan
            if embeddings[pair.first] is None or embeddings[pair.second] is None
            else distance(embeddings[pair.first], embeddings[pair.second])
            for pair in pairs
        ]
    )
    genuine = np.array([pair.genuine for pair in pairs])
    first, second = zip(*(pair.people for pair in pairs), strict=True)
    return ScoredPairs(
        ScoreSet.from_distances(distances[genuine], distances[~genuine]),
        LabelledScores.from_labels(distances, first, second),
        tuple(path for path in paths if embeddings[path] is None),
    )


def read_scores_csv(path: Path) -> ScoredPairs:
    """A ``score,label`` CSV (label 1 genuine, 0 impostor; score a distance, lower = more alike),
    with optional ``id_a,id_b`` columns naming the two people, for intervals over people."""
    try:
        with open(path, newline="") as handle:
            rows = list(csv.DictReader(handle))
        scores = np.array([float(row["score"]) for row in rows])
        labels = np.array([int(row["label"]) for row in rows])
        score_set = ScoreSet.from_labels(scores, labels)
    except (KeyError, ValueError, TypeError) as error:
        raise UnusableInput(
            _("{path}: need columns score,label with numbers ({error})", path=path, error=error)
        ) from None
    if not rows or not {"id_a", "id_b"} <= set(rows[0]):
        return ScoredPairs(score_set, None)
    first, second = [row["id_a"] for row in rows], [row["id_b"] for row in rows]
    for number, (a, b, label) in enumerate(zip(first, second, labels, strict=True), start=2):
        if (a == b) != (label == 1):
            raise UnusableInput(
                _(
                    "{path}:{line}: label {label} does not fit id_a {a!r} and id_b {b!r} "
                    "(a genuine pair names one person twice)",
                    path=path,
                    line=number,
                    label=label,
                    a=a,
                    b=b,
                )
            )
    return ScoredPairs(score_set, LabelledScores.from_labels(scores, first, second))


@dataclass(frozen=True)
class Evaluation:
    """What ``verifydemo evaluate`` reports: rates at each threshold, the EER, and the thresholds
    that meet the usual FMR targets."""

    scores: ScoreSet
    failed_images: int
    people: int | None
    at_thresholds: tuple[ErrorRates, ...]
    eer: EqualErrorRate
    threshold_for_fmr: dict[float, float]

    def as_json(self) -> dict:
        """Plain numbers for ``--json``."""

        def rate(value: Rate) -> dict:
            people = value.people_interval
            return {
                "errors": value.errors,
                "trials": value.trials,
                "rate": value.value,
                "ci95": list(value.interval),
                "ci95_people": None if people is None else list(people),
            }

        eer = self.eer
        return {
            "people": self.people,
            "genuine_pairs": len(self.scores.genuine),
            "impostor_pairs": len(self.scores.impostor),
            "failures_to_acquire": {
                "images": self.failed_images,
                "genuine_pairs": self.scores.genuine_fta,
                "impostor_pairs": self.scores.impostor_fta,
            },
            "at_thresholds": [
                {
                    "threshold": rates.threshold,
                    **{name: rate(getattr(rates, name)) for name in RATE_NAMES},
                }
                for rates in self.at_thresholds
            ],
            "eer": {
                "rate": eer.rate,
                "threshold": eer.threshold,
                "fmr": eer.fmr,
                "fnmr": eer.fnmr,
                "separated": eer.separated,
            },
            "threshold_for_fmr": {
                str(target): threshold for target, threshold in self.threshold_for_fmr.items()
            },
        }


def evaluate(scored: ScoredPairs, thresholds: list[float]) -> Evaluation:
    """Everything ``evaluate`` reports, with intervals over people where the people are known.
    Raises :class:`UnusableInput` without both kinds of pair."""
    scores = scored.scores
    if len(scores.genuine) == 0 or len(scores.impostor) == 0:
        raise UnusableInput(
            _(
                "need genuine and impostor scores, got {genuine} and {impostor}",
                genuine=len(scores.genuine),
                impostor=len(scores.impostor),
            )
        )
    eer = equal_error_rate(scores)
    rates = [error_rates(scores, threshold) for threshold in thresholds]
    if scored.people is not None:
        rates = [with_people(at, scored.people) for at in rates]
    return Evaluation(
        scores=scores,
        failed_images=len(scored.failed),
        people=None if scored.people is None else scored.people.present,
        at_thresholds=tuple(rates),
        eer=eer,
        threshold_for_fmr={target: threshold_for_fmr(scores, target) for target in FMR_TARGETS},
    )
