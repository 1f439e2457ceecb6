"""The built-in attacks' outcomes on every demo volunteer, measured once and shipped.

Each of the 24 demo volunteers' ID photos is made into the three built-in attack clips
(``lessons/liveness_clips.py``), and each clip is put to every challenge. Measuring the 72 clips
takes a minute or two, too long for a page view, so ``verifydemo build-reference`` measures them
and writes only the verdicts (per volunteer, attack and challenge: accepted, action seen, flat
photo) to ``data/attack_outcomes.json``; no frame is kept. The page's APCER per attack type is
computed from this file (``lessons.liveness_clips.attack_rates``).
"""

from __future__ import annotations

import json
from pathlib import Path

from verifydemo.core import faces
from verifydemo.core.decode import decode_image
from verifydemo.core.parallel import Progress, parallel_map
from verifydemo.datasets.demo_faces import DemoFace, load_demo_faces
from verifydemo.datasets.provenance import running_versions
from verifydemo.lessons.liveness_clips import ATTACKS, attack_outcomes

ATTACKS_FILE = Path(__file__).resolve().parent / "data" / "attack_outcomes.json"

Verdicts = dict[str, dict[str, dict[str, dict[str, bool | None]]]]
"""person id -> attack -> challenge -> {"accepted", "action_seen", "flat_photo"}."""


def measure_attacks(photo: Path) -> dict[str, dict[str, dict[str, bool | None]]]:
    """One volunteer's verdicts: every built-in attack made from the ID photo at ``photo``, put
    to every challenge."""
    outcomes = attack_outcomes([decode_image(photo.read_bytes())])
    verdicts: dict[str, dict[str, dict[str, bool | None]]] = {}
    for outcome in outcomes:
        verdicts.setdefault(outcome.attack, {})[outcome.challenge] = {
            "accepted": outcome.accepted,
            "action_seen": outcome.result.action_seen,
            "flat_photo": outcome.result.flat_photo,
        }
    return verdicts


def build_attack_outcomes(
    volunteers: list[DemoFace] | None = None,
    out_path: Path = ATTACKS_FILE,
    workers: int | None = None,
    on_progress: Progress | None = None,
) -> Verdicts:
    """Measure every built-in attack on every demo volunteer and write the verdicts."""
    volunteers = volunteers if volunteers is not None else load_demo_faces()
    results = parallel_map(
        measure_attacks,
        [face.id_photo for face in volunteers],
        workers=workers,
        on_progress=on_progress,
        initializer=faces.load_models,
    )
    verdicts = {
        face.person.person_id: result for face, result in zip(volunteers, results, strict=True)
    }
    out_path.write_text(
        json.dumps(
            {
                "attacks": list(ATTACKS),
                "made_from": "the ID photos of the demo volunteers in demo_faces/",
                "versions": running_versions(),
                "verdicts": verdicts,
            },
            indent=1,
            sort_keys=True,
        )
        + "\n"
    )
    return verdicts


def load_attack_outcomes(path: Path = ATTACKS_FILE) -> Verdicts:
    """The shipped verdicts."""
    return json.loads(path.read_text())["verdicts"]


def attack_provenance(path: Path = ATTACKS_FILE) -> dict:
    """The shipped file's record of how it was made (with the library versions)."""
    recorded = json.loads(path.read_text())
    return {key: value for key, value in recorded.items() if key != "verdicts"}
