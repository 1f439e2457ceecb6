"""Evaluate the comparator on any image set or score list, for ``verifydemo evaluate``."""

from __future__ import annotations

import csv
import itertools
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from verifydemo.batch import Progress, parallel_map
from verifydemo.compare import face_distance
from verifydemo.error_rates import (
    ScoreSet,
    equal_error_rate,
    error_rates,
    threshold_for_fmr,
)
from verifydemo.errors import UnusableInput
from verifydemo.faces import face_from_bytes, load_models

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".bmp"}
FMR_TARGETS = (0.01, 0.001)


@dataclass(frozen=True)
class Pair:
    """Two image files and whether they show the same person."""

    first: Path
    second: Path
    genuine: bool


def folder_pairs(root: Path) -> list[Pair]:
    """Every pair of images in a folder-per-person tree: same folder genuine, else impostor."""
    people = {
        folder.name: sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        for folder in sorted(Path(root).iterdir())
        if folder.is_dir()
    }
    people = {name: images for name, images in people.items() if images}
    if len(people) < 2:
        raise UnusableInput(f"{root}: need at least two person folders with images in them")
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
            raise UnusableInput(f"{pairs_file}:{number}: expected 3 or 4 fields, got {len(fields)}")
    if not pairs:
        raise UnusableInput(f"{pairs_file}: no pairs found")
    return pairs


def _lfw_path(root: Path, name: str, number: str) -> Path:
    if not number.isdigit():
        raise UnusableInput(f"image number {number!r} for {name} is not a number")
    return Path(root) / name / f"{name}_{int(number):04d}.jpg"


def _embed_file(path: Path) -> np.ndarray | None:
    try:
        return face_from_bytes(path.read_bytes())[1].embedding
    except (UnusableInput, OSError):
        return None


def score_pairs(
    pairs: list[Pair], workers: int | None = None, on_progress: Progress | None = None
) -> tuple[ScoreSet, list[Path]]:
    """Embed each distinct image once (on every core) and score the pairs.

    Returns the scores and the images that gave no usable face (failures to acquire).
    """
    paths = sorted({path for pair in pairs for path in (pair.first, pair.second)})
    embedded = parallel_map(_embed_file, paths, workers, on_progress, initializer=load_models)
    embeddings = dict(zip(paths, embedded, strict=True))
    distances = np.array(
        [
            math.nan
            if embeddings[pair.first] is None or embeddings[pair.second] is None
            else face_distance(embeddings[pair.first], embeddings[pair.second])
            for pair in pairs
        ]
    )
    genuine = np.array([pair.genuine for pair in pairs])
    failed = [path for path in paths if embeddings[path] is None]
    return ScoreSet.from_distances(distances[genuine], distances[~genuine]), failed


def read_scores_csv(path: Path) -> ScoreSet:
    """A ``score,label`` CSV (label 1 genuine, 0 impostor; score a distance, lower = more alike)."""
    try:
        with open(path, newline="") as handle:
            rows = list(csv.DictReader(handle))
        scores = np.array([float(row["score"]) for row in rows])
        labels = np.array([int(row["label"]) for row in rows])
        return ScoreSet.from_labels(scores, labels)
    except (KeyError, ValueError, TypeError) as error:
        raise UnusableInput(f"{path}: need columns score,label with numbers ({error})") from None


def summary(scores: ScoreSet, thresholds: list[float], failed: int = 0) -> dict:
    """Everything ``evaluate`` reports, as plain numbers."""
    try:
        eer = equal_error_rate(scores)
    except ValueError as error:
        raise UnusableInput(str(error)) from None

    def rate(value) -> dict:
        low, high = value.interval
        return {
            "errors": value.errors,
            "trials": value.trials,
            "rate": value.value,
            "ci95": [low, high],
        }

    return {
        "genuine_pairs": len(scores.genuine),
        "impostor_pairs": len(scores.impostor),
        "failures_to_acquire": {
            "images": failed,
            "genuine_pairs": scores.genuine_fta,
            "impostor_pairs": scores.impostor_fta,
        },
        "at_thresholds": [
            {
                "threshold": t,
                **{name: rate(getattr(rates, name)) for name in ("fmr", "fnmr", "far", "frr")},
            }
            for t in thresholds
            for rates in [error_rates(scores, t)]
        ],
        "eer": {"rate": eer.rate, "threshold": eer.threshold, "fmr": eer.fmr, "fnmr": eer.fnmr},
        "threshold_for_fmr": {
            str(target): threshold_for_fmr(scores, target) for target in FMR_TARGETS
        },
    }
