"""Evaluate the comparator on any image set or score list, for ``verifydemo evaluate``."""

from __future__ import annotations

import csv
import io
import itertools
import math
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from verifydemo.core.compare import distance
from verifydemo.core.errors import UnusableInput
from verifydemo.core.faces import face_from_bytes, load_models
from verifydemo.core.parallel import Progress, parallel_map
from verifydemo.metrics.bootstrap import LabelledScores, eer_of, with_people
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

# --- Bounds: what one run of ``evaluate`` takes, each checked before the work it limits ---------

MAX_PAIRS = 2_000_000
"""The most comparisons one run takes, from a folder tree, a pair list or a score file. On a
2-core machine, with made-up embeddings, 2,000,000 pairs peaked at 1.0 GB (a folder tree) to
1.5 GB (a pair list, or a score file naming people) and took 10 to 30 s besides embedding the
images; a tree of 10,000 images (50 million pairs) ran out of memory at 5.4 GB before this
bound. LFW's pair list has 6,000 pairs. A tree of n images makes n(n-1)/2 pairs, so one of up
to 2,000 images fits; for a larger tree, list the pairs to compare (``--pairs``)."""

MAX_IMAGES = 15_000
"""The most images one run decodes and embeds, the slow step: at 26.7 photos a second (the
port, 2 processes; CONTRIBUTING.md) this many take about 9 minutes, at 5.6 a second (dlib's own
code, 1 process) 45. Every LFW image (13,233) fits, so any LFW pair list does."""

MAX_PEOPLE = 6_000
"""The most people the intervals over people resample: the bootstrap holds a few people x
people matrices, so 6,000 people peaked at 2.7 GB and took 8 s (2,000: 0.5 GB, 1 s), which with
:data:`MAX_PAIRS` pairs makes about 3 GB at most. LFW has 5,749. A folder tree under
:data:`MAX_PAIRS` has at most 2,000 people, so only pair lists and score files are checked."""

MAX_LIST_BYTES = 128 * 2**20
"""The largest pair list or score file read, checked by its size before reading it: 64 bytes
a line on average over :data:`MAX_PAIRS` lines (an LFW line is 15 to 40 bytes)."""


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


def pair_counts(images_per_person: Sequence[int]) -> tuple[int, int]:
    """How many genuine and impostor pairs a folder tree with these numbers of images per
    person makes (every image with every other; genuine within one person), counted rather
    than built, so that a tree too large to evaluate is refused at once.

    Raises ``ValueError`` for a negative count.
    """
    if any(count < 0 for count in images_per_person):
        raise ValueError(f"image counts cannot be negative, got {list(images_per_person)}")
    images = sum(images_per_person)
    genuine = sum(count * (count - 1) // 2 for count in images_per_person)
    return genuine, images * (images - 1) // 2 - genuine


def person_images(root: Path) -> dict[str, list[Path]]:
    """Each person's images in a folder-per-person tree, by folder name (folders without
    images left out), from the listing alone: no image is opened.

    Raises :class:`UnusableInput` as soon as the listing passes :data:`MAX_IMAGES`, so a vast
    tree costs no more than that much listing.
    """
    people: dict[str, list[Path]] = {}
    listed = 0
    for folder in sorted(Path(root).iterdir()):
        if not folder.is_dir():
            continue
        found = (p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        images = sorted(itertools.islice(found, MAX_IMAGES + 1 - listed))
        listed += len(images)
        if listed > MAX_IMAGES:
            raise UnusableInput(
                "{root}: more than {limit:,} images; evaluate embeds at most {limit:,} in one run",
                root=root,
                limit=MAX_IMAGES,
            )
        if images:
            people[folder.name] = images
    return people


def folder_pairs(root: Path) -> list[Pair]:
    """Every pair of images in a folder-per-person tree: same folder genuine, else impostor.

    The tree is listed and its pairs counted first: a tree of more than :data:`MAX_IMAGES`
    images or :data:`MAX_PAIRS` pairs raises :class:`UnusableInput` before any pair is built.
    """
    people = person_images(root)
    if len(people) < 2:
        raise UnusableInput(
            "{root}: need at least two person folders with images in them", root=root
        )
    genuine, impostor = pair_counts([len(paths) for paths in people.values()])
    if genuine + impostor > MAX_PAIRS:
        raise UnusableInput(
            "{root}: {images:,} images of {people:,} people make {genuine:,} genuine and "
            "{impostor:,} impostor pairs, more than the {limit:,} evaluate compares in one "
            "run; list the pairs to compare with --pairs",
            root=root,
            images=sum(len(paths) for paths in people.values()),
            people=len(people),
            genuine=genuine,
            impostor=impostor,
            limit=MAX_PAIRS,
        )
    images = [(name, path) for name, paths in people.items() for path in paths]
    return [
        Pair(first, second, genuine=first_name == second_name)
        for (first_name, first), (second_name, second) in itertools.combinations(images, 2)
    ]


def lfw_pairs(pairs_file: Path, root: Path) -> list[Pair]:
    """Pairs in the LFW ``pairs.txt`` style: ``name n1 n2`` is genuine, ``name1 n1 name2 n2``
    an impostor pair; images live at ``root/name/name_NNNN.jpg``. Header lines of counts are
    skipped.

    The list is read within :data:`MAX_LIST_BYTES` and its lines checked and counted before
    any pair is built; more than :data:`MAX_PAIRS` pairs, or pairs naming more than
    :data:`MAX_IMAGES` images or :data:`MAX_PEOPLE` people, raise :class:`UnusableInput`
    before any image is decoded.
    """
    text = _bounded_text(pairs_file)
    listed = sum(1 for _fields in itertools.islice(_lfw_lines(text, pairs_file), MAX_PAIRS + 1))
    if listed > MAX_PAIRS:
        raise UnusableInput(
            "{file}: more than {limit:,} pairs; evaluate compares at most {limit:,} in one run",
            file=pairs_file,
            limit=MAX_PAIRS,
        )
    images: dict[tuple[str, str], Path] = {}  # one Path per image, however many pairs name it

    def image(name: str, number: str) -> Path:
        if (name, number) not in images:
            images[name, number] = _lfw_path(root, name, number)
        return images[name, number]

    pairs = []
    for fields in _lfw_lines(text, pairs_file):
        genuine = len(fields) == 3
        second_name = fields[0] if genuine else fields[2]
        pairs.append(Pair(image(fields[0], fields[1]), image(second_name, fields[-1]), genuine))
    if not pairs:
        raise UnusableInput("{file}: no pairs found", file=pairs_file)
    distinct = set(images.values())
    if len(distinct) > MAX_IMAGES:
        raise UnusableInput(
            "{file}: the pairs name {images:,} images; evaluate embeds at most {limit:,} "
            "in one run",
            file=pairs_file,
            images=len(distinct),
            limit=MAX_IMAGES,
        )
    _check_people(pairs_file, len({name for name, _number in images}))
    return pairs


def _lfw_lines(text: str, pairs_file: Path) -> Iterator[list[str]]:
    """The fields of each pair line (3 or 4), lazily; raises on any other line but blank
    lines and header lines of counts."""
    for number, line in enumerate(io.StringIO(text, newline=None), start=1):
        fields = line.split()
        if not fields or all(field.isdigit() for field in fields):
            continue
        if len(fields) not in (3, 4):
            raise UnusableInput(
                "{file}:{line}: expected 3 or 4 fields, got {count}",
                file=pairs_file,
                line=number,
                count=len(fields),
            )
        yield fields


def _check_people(source: Path, people: int) -> None:
    """Raise :class:`UnusableInput` for more than :data:`MAX_PEOPLE` people."""
    if people > MAX_PEOPLE:
        raise UnusableInput(
            "{source}: {people:,} people; the intervals over people resample at most {limit:,}",
            source=source,
            people=people,
            limit=MAX_PEOPLE,
        )


def _bounded_text(path: Path) -> str:
    """The text of a pair list or score file, refused when over :data:`MAX_LIST_BYTES` by its
    size before it is read (and by what was read, for a pipe, whose size is not known), or when
    it is not UTF-8."""
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        data = handle.read(MAX_LIST_BYTES + 1) if size <= MAX_LIST_BYTES else b""
        size = max(size, len(data))
    if size > MAX_LIST_BYTES:
        raise UnusableInput(
            "{file}: {size:,} bytes; evaluate reads at most {limit:,} bytes",
            file=path,
            size=size,
            limit=MAX_LIST_BYTES,
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnusableInput(
            "{file}: not UTF-8 text ({error})", file=path, error=error.reason
        ) from None


def _lfw_path(root: Path, name: str, number: str) -> Path:
    if not number.isdigit():
        raise UnusableInput(
            "image number {number!r} for {name} is not a number", number=number, name=name
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
    person = {path: path.parent.name for path in paths}  # Pair.people, once per image
    first, second = [person[pair.first] for pair in pairs], [person[pair.second] for pair in pairs]
    return ScoredPairs(
        ScoreSet.from_distances(distances[genuine], distances[~genuine]),
        LabelledScores.from_labels(distances, first, second),
        tuple(path for path in paths if embeddings[path] is None),
    )


def read_scores_csv(path: Path) -> ScoredPairs:
    """A ``score,label`` CSV (label 1 genuine, 0 impostor; score a distance, lower = more alike),
    with optional ``id_a,id_b`` columns naming the two people, for intervals over people.

    The file is read within :data:`MAX_LIST_BYTES` and parsed no further than
    :data:`MAX_PAIRS` rows; more rows, or more than :data:`MAX_PEOPLE` people, raise
    :class:`UnusableInput`, as does a row that is not two numbers.
    """
    reader = csv.DictReader(io.StringIO(_bounded_text(path), newline=""))
    try:
        rows = [
            (float(row["score"]), int(row["label"]), row.get("id_a"), row.get("id_b"))
            for row in itertools.islice(reader, MAX_PAIRS + 1)
        ]
    except (KeyError, ValueError, TypeError, csv.Error) as error:
        raise _not_scores(path, error) from None
    if len(rows) > MAX_PAIRS:
        raise UnusableInput(
            "{path}: more than {limit:,} scores; evaluate reads at most {limit:,} in one run",
            path=path,
            limit=MAX_PAIRS,
        )
    scores = np.array([row[0] for row in rows], dtype=np.float64)
    labels = np.array([row[1] for row in rows])
    try:
        score_set = ScoreSet.from_labels(scores, labels)
    except ValueError as error:
        raise _not_scores(path, error) from None
    if not rows or not {"id_a", "id_b"} <= set(reader.fieldnames or ()):
        return ScoredPairs(score_set, None)
    first, second = [row[2] for row in rows], [row[3] for row in rows]
    for number, (a, b, label) in enumerate(zip(first, second, labels, strict=True), start=2):
        if (a == b) != (label == 1):
            raise UnusableInput(
                "{path}:{line}: label {label} does not fit id_a {a!r} and id_b {b!r} "
                "(a genuine pair names one person twice)",
                path=path,
                line=number,
                label=label,
                a=a,
                b=b,
            )
    _check_people(path, len({*first, *second}))
    return ScoredPairs(score_set, LabelledScores.from_labels(scores, first, second))


def _not_scores(path: Path, error: Exception) -> UnusableInput:
    return UnusableInput(
        "{path}: need columns score,label with numbers ({error})", path=path, error=error
    )


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
            """``ci95_people`` only where people recur in the comparisons (with one pair per
            person, Wilson's ``ci95`` is the interval); ``ci95_lead`` is the one the text
            quotes."""
            recurring = value.people_interval is not None and not value.one_per_person
            return {
                "errors": value.errors,
                "trials": value.trials,
                "rate": value.value,
                "ci95": list(value.interval),
                "ci95_people": list(value.leading_interval) if recurring else None,
                "ci95_lead": list(value.leading_interval),
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
            "need genuine and impostor scores, got {genuine} and {impostor}",
            genuine=len(scores.genuine),
            impostor=len(scores.impostor),
        )
    rates = [error_rates(scores, threshold) for threshold in thresholds]
    if scored.people is None:
        eer = equal_error_rate(scores)
    else:
        eer = eer_of(scores, scored.people)
        rates = [with_people(at, scored.people) for at in rates]
    return Evaluation(
        scores=scores,
        failed_images=len(scored.failed),
        people=None if scored.people is None else scored.people.present,
        at_thresholds=tuple(rates),
        eer=eer,
        threshold_for_fmr={target: threshold_for_fmr(scores, target) for target in FMR_TARGETS},
    )
