"""The shipped reference set: embeddings of every London Set photo under each capture scenario.

Built once from the published photos by ``verifydemo build-reference``; read at run time from
``data/reference.npz`` inside the package. Rows whose face was not found hold NaN: those are
failures to acquire, kept so error rates can count them.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from verifydemo.core import faces
from verifydemo.core.decode import decode_image
from verifydemo.core.errors import UnusableInput
from verifydemo.core.parallel import Progress, parallel_map
from verifydemo.datasets.demo_faces import MAX_SIDE, downscaled_jpeg
from verifydemo.datasets.london_set import (
    ATTRIBUTION,
    LICENCE,
    Person,
    neutral_photo,
    read_people,
    smiling_photo,
)
from verifydemo.datasets.provenance import running_versions
from verifydemo.lessons.scenarios import SCENARIOS, seed_for, source_side
from verifydemo.metrics.pairs import PairScores

REFERENCE_FILE = Path(__file__).resolve().parent / "data" / "reference.npz"


@dataclass(frozen=True)
class ReferenceSet:
    """Embeddings per scenario, with each person's self-reported labels and the provenance."""

    person_ids: np.ndarray
    genders: np.ndarray
    ethnicities: np.ndarray
    scenario_keys: tuple[str, ...]
    embeddings: np.ndarray
    provenance: dict

    def embeddings_for(self, side: str, name: str) -> np.ndarray:
        """``(people, 128)`` embeddings for one scenario; NaN rows where no face was found."""
        return self.embeddings[self.scenario_keys.index(f"{side}/{name}")]

    def failures_to_acquire(self, side: str, name: str) -> list[str]:
        """Ids of the people whose photo gave no usable face in this scenario."""
        missing = np.isnan(self.embeddings_for(side, name)).any(axis=1)
        return [str(person_id) for person_id in self.person_ids[missing]]

    def pair_scores(self, id_scenario: str = "studio", live_scenario: str = "studio") -> PairScores:
        """Every ID photo of ``id_scenario`` against every live photo of ``live_scenario``."""
        return PairScores.from_embeddings(
            self.embeddings_for("id", id_scenario),
            self.embeddings_for("live", live_scenario),
            id_scenario,
            live_scenario,
        )

    def attack_scores(self, attack: str = "printed") -> PairScores:
        """Each person's simulated attack frame (rows: the studio ID photos, columns: the attack
        frames): the diagonal compares an attack with the ID photo it was made from."""
        return PairScores.from_embeddings(
            self.embeddings_for("id", "studio"),
            self.embeddings_for("attack", attack),
            "studio",
            attack,
        )

    @property
    def groups(self) -> np.ndarray:
        """Each person's self-reported "gender / ethnicity"."""
        return np.char.add(
            np.char.add(self.genders.astype(str), " / "), self.ethnicities.astype(str)
        )


def load_reference(path: Path = REFERENCE_FILE) -> ReferenceSet:
    """The reference set stored at ``path`` (by default the one shipped in the package)."""
    with np.load(path, allow_pickle=False) as data:
        return ReferenceSet(
            person_ids=data["person_ids"],
            genders=data["genders"],
            ethnicities=data["ethnicities"],
            scenario_keys=tuple(str(key) for key in data["scenario_keys"]),
            embeddings=data["embeddings"],
            provenance=json.loads(str(data["provenance"])),
        )


def embed_scenarios(jpeg: bytes, person_id: str, side: str) -> dict[str, np.ndarray | None]:
    """Embeddings of one published photo (at demo size) under every scenario of its side."""
    chosen = [s for s in SCENARIOS if source_side(s) == side]
    rgb = decode_image(jpeg)
    try:
        studio = faces.find_face(rgb)
    except UnusableInput:
        return {scenario.name: None for scenario in chosen}
    results: dict[str, np.ndarray | None] = {}
    for scenario in chosen:
        results[scenario.name] = _embed_or_none(
            scenario.apply(rgb, studio.box, seed_for(person_id, scenario))
        )
    return results


def _embed_or_none(rgb: np.ndarray) -> np.ndarray | None:
    try:
        return faces.find_face(rgb).embedding
    except UnusableInput:
        return None


def _embed_task(task: tuple[str, str, str]) -> dict[str, np.ndarray | None]:
    path, person_id, side = task
    return embed_scenarios(downscaled_jpeg(Path(path)), person_id, side)


def build_reference(
    london_dir: Path,
    out_path: Path = REFERENCE_FILE,
    workers: int | None = None,
    on_progress: Progress | None = None,
) -> ReferenceSet:
    """Embed every London Set photo under every scenario and write the reference file."""
    people = read_people(london_dir)
    tasks = [
        (str(photo(london_dir, person)), person.person_id, side)
        for person in people
        for side, photo in (("id", neutral_photo), ("live", smiling_photo))
    ]
    results = parallel_map(
        _embed_task, tasks, workers=workers, on_progress=on_progress, initializer=faces.load_models
    )
    by_task = {
        (person_id, side): result
        for (_, person_id, side), result in zip(tasks, results, strict=True)
    }
    keys = tuple(f"{s.side}/{s.name}" for s in SCENARIOS)
    embeddings = np.full(
        (len(SCENARIOS), len(people), faces.EMBEDDING_SIZE), np.nan, dtype=np.float32
    )
    for row, scenario in enumerate(SCENARIOS):
        for column, person in enumerate(people):
            embedding = by_task[(person.person_id, source_side(scenario))][scenario.name]
            if embedding is not None:
                embeddings[row, column] = embedding
    reference = ReferenceSet(
        person_ids=np.array([person.person_id for person in people]),
        genders=np.array([person.gender for person in people]),
        ethnicities=np.array([person.ethnicity for person in people]),
        scenario_keys=keys,
        embeddings=embeddings,
        provenance=_provenance(people),
    )
    _write(reference, out_path)
    return reference


EMBEDDER_RECORDS = {
    "port": "the network run by OpenCV's DNN module (verifydemo core/resnet_port.py: dlib's "
    "weights read from the model file; embeddings within 1e-4 of dlib's own)",
    "dlib": "dlib's own code (face_recognition.face_encodings)",
}


def _provenance(people: list[Person]) -> dict:
    return {
        "source": "Face Research Lab London Set: neutral_front as ID, smiling_front as live",
        "attribution": ATTRIBUTION,
        "licence": LICENCE,
        "people": len(people),
        "model": "dlib_face_recognition_resnet_model_v1 (face_recognition_models)",
        "embedder": EMBEDDER_RECORDS[faces.embedder_in_use()],
        "detector": f"dlib HOG frontal face detector on a {faces.DETECT_SIDE} px copy",
        "image_size": f"published photos downscaled to {MAX_SIDE} px, JPEG quality 88",
        "num_jitters": faces.NUM_JITTERS,
        "scenarios": {f"{s.side}/{s.name}": s.description for s in SCENARIOS},
        "versions": running_versions(),
        "built": dt.date.today().isoformat(),
    }


def _write(reference: ReferenceSet, out_path: Path) -> None:
    out_path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out_path,
        person_ids=reference.person_ids,
        genders=reference.genders,
        ethnicities=reference.ethnicities,
        scenario_keys=np.array(reference.scenario_keys),
        embeddings=reference.embeddings,
        provenance=np.array(json.dumps(reference.provenance)),
    )
