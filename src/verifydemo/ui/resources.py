"""What every session shares read-only: the face models, the demo faces, the reference set and
the per-scenario figures that do not depend on the threshold.

All of it is public, consented data or code, held once per server by ``st.cache_resource``; a
visitor's photos never pass through here (they live in ``session.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

from verifydemo.core.decode import decode_image, encode_jpeg
from verifydemo.core.faces import FaceResult, face_from_bytes, load_models, ported_network
from verifydemo.datasets.attacks import load_attack_outcomes
from verifydemo.datasets.demo_faces import DemoFace, load_demo_faces
from verifydemo.datasets.reference import ReferenceSet, load_reference
from verifydemo.lessons.liveness_clips import AttackRate, attack_rates
from verifydemo.metrics.bootstrap import LabelledScores, eer_of, with_people
from verifydemo.metrics.error_rates import (
    EqualErrorRate,
    ErrorRates,
    Rate,
    ScoreSet,
    error_rates,
)
from verifydemo.metrics.groups import (
    GroupPair,
    GroupRates,
    group_pairs,
    group_rates,
    same_versus_cross_group,
)
from verifydemo.metrics.pairs import PairScores
from verifydemo.metrics.presets import Preset, presets
from verifydemo.pictures.charts import ErrorRateCharts
from verifydemo.pictures.drawing import thumbnail

THUMBNAIL_SIDE = 200
"""Pixels on the longest side of a gallery photo: a gallery column is narrower than that."""


@dataclass(frozen=True)
class ScenarioScores:
    """Everything about one scenario pair that does not depend on the threshold."""

    pairs: PairScores
    scores: ScoreSet
    eer: EqualErrorRate
    presets: tuple[Preset, ...]
    labelled: LabelledScores

    def at(self, threshold: float) -> ThresholdFigures:
        """The figures at ``threshold``, computed once per server."""
        return figures_at(self.pairs.id_scenario, self.pairs.live_scenario, threshold)


@st.cache_resource(show_spinner=False)
def warm_models() -> None:
    """Load the dlib models and the network's port before the first photo needs them
    (``page.py`` shows the spinner, in the visitor's language)."""
    load_models()
    ported_network()


@st.cache_resource
def demo_faces() -> list[DemoFace]:
    """The shipped demo volunteers."""
    return load_demo_faces()


@st.cache_resource
def demo_photo_bytes(path: str) -> bytes:
    """A demo photo's file, read once per server."""
    with open(path, "rb") as handle:
        return handle.read()


@st.cache_resource
def demo_thumbnail(path: str) -> bytes:
    """A demo photo as a small JPEG for the gallery, made once per server: 24 of them at full
    size would be over a megabyte for every visitor."""
    return encode_jpeg(thumbnail(decode_image(demo_photo_bytes(path)), THUMBNAIL_SIDE))


@st.cache_resource(show_spinner=False)
def demo_face(path: str) -> tuple[np.ndarray, FaceResult]:
    """A demo photo decoded and its face found, once per server, read-only: shipped, consented
    photos, so every visitor shares the work (``session.analyse`` shows the spinner)."""
    rgb, face = face_from_bytes(demo_photo_bytes(path))
    rgb.flags.writeable = False
    face.embedding.flags.writeable = False
    return rgb, face


def demo_by_id(person_id: str | None) -> DemoFace | None:
    return next((face for face in demo_faces() if face.person.person_id == person_id), None)


@st.cache_resource
def shipped_attack_rates() -> tuple[AttackRate, ...]:
    """APCER per built-in attack type, from the shipped verdicts on every demo volunteer."""
    return attack_rates(load_attack_outcomes())


@st.cache_resource
def reference() -> ReferenceSet:
    """The shipped reference set: public, consented data, shared by all sessions read-only."""
    return load_reference()


@st.cache_resource
def scenario_scores(id_scenario: str, live_scenario: str) -> ScenarioScores:
    pairs = reference().pair_scores(id_scenario, live_scenario)
    scores = pairs.score_set()
    labelled = LabelledScores.from_matrix(pairs.distances)
    return ScenarioScores(pairs, scores, eer_of(scores, labelled), presets(scores), labelled)


@st.cache_resource
def scenario_charts(id_scenario: str, live_scenario: str, language: str) -> ErrorRateCharts:
    """The histogram and DET templates of a scenario pair, titled in ``language`` (the current
    one: ``ErrorRateCharts.of`` writes in it; the argument keys the cache)."""
    return ErrorRateCharts.of(scenario_scores(id_scenario, live_scenario).scores)


@dataclass(frozen=True)
class ThresholdFigures:
    """Everything the tabs show that depends on the threshold, for one scenario pair."""

    rates: ErrorRates
    groups: list[GroupRates]
    same_group: Rate
    cross_group: Rate
    group_pairs: list[GroupPair]


@st.cache_resource(max_entries=1000)
def figures_at(id_scenario: str, live_scenario: str, threshold: float) -> ThresholdFigures:
    """The rates with their people intervals and the group figures, once per threshold: the
    slider's 81 positions each cost one bootstrap, then nothing."""
    measured = scenario_scores(id_scenario, live_scenario)
    distances, groups = measured.pairs.distances, reference().groups
    same_group, cross_group = same_versus_cross_group(distances, groups, threshold)
    return ThresholdFigures(
        rates=with_people(error_rates(measured.scores, threshold), measured.labelled),
        groups=group_rates(distances, groups, threshold),
        same_group=same_group,
        cross_group=cross_group,
        group_pairs=group_pairs(distances, groups, threshold),
    )
