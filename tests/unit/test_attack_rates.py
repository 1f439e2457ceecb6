"""APCER per attack type, of the decision the page makes, over the 24 demo volunteers; and the
docs' figures are the app's own."""

from __future__ import annotations

import itertools

import pytest

from support import ROOT
from verifydemo.core.decode import decode_image
from verifydemo.datasets.attacks import (
    attack_provenance,
    load_attack_outcomes,
    measure_attacks,
)
from verifydemo.datasets.provenance import version_drift
from verifydemo.lessons.liveness import CHALLENGES
from verifydemo.lessons.liveness_clips import (
    ATTACKS,
    acceptance_chance,
    attack_rates,
    worst_attack,
)
from verifydemo.metrics.error_rates import wilson_interval
from verifydemo.tools import report


def test_the_page_accepts_only_when_every_drawn_challenge_passes():
    none = dict.fromkeys(CHALLENGES, False)
    assert acceptance_chance(none) == 0.0
    assert acceptance_chance(dict.fromkeys(CHALLENGES, True)) == 1.0
    assert acceptance_chance({**none, "blink": True}) == 0.0, "one challenge is never enough"
    two = {**none, "blink": True, "mouth": True}
    by_hand = (1 / 6 + 0 / 4) / 2  # the pair (blink, mouth) among 6 pairs; no triple
    assert acceptance_chance(two) == pytest.approx(by_hand)
    three = {**none, "blink": True, "mouth": True, "turn": True}
    assert acceptance_chance(three) == pytest.approx((3 / 6 + 1 / 4) / 2)


def test_apcer_per_attack_type_matches_a_hand_count_over_the_volunteers():
    verdicts = load_attack_outcomes()
    assert len(verdicts) == 24
    rates = attack_rates(verdicts)
    assert [rate.attack for rate in rates] == list(ATTACKS)
    for rate in rates:
        chances = []
        for by_attack in verdicts.values():
            passed = {c for c, v in by_attack[rate.attack].items() if v["accepted"]}
            draws = [
                [all(c in passed for c in draw) for draw in itertools.combinations(CHALLENGES, n)]
                for n in (2, 3)
            ]
            chances.append(sum(sum(d) / len(d) for d in draws) / 2)
        assert rate.volunteers == 24
        assert rate.apcer == pytest.approx(sum(chances) / 24)
        low, high = rate.interval
        assert low <= rate.apcer <= high
        if rate.apcer == 0:
            assert rate.interval == (0.0, wilson_interval(0, 24)[1]), "a bound, not a point"
    assert worst_attack(rates).apcer == max(rate.apcer for rate in rates)


def test_attack_outcomes_were_built_with_the_running_libraries():
    assert version_drift(attack_provenance()) == []


@pytest.mark.slow
def test_shipped_attack_verdicts_match_fresh_measurements(demo_faces):
    verdicts = load_attack_outcomes()
    for face in demo_faces[:2]:
        assert measure_attacks(face.id_photo) == verdicts[face.person.person_id], face.label
    assert decode_image(demo_faces[0].id_photo.read_bytes()).ndim == 3


def test_the_methods_quote_the_report_blocks():
    shown = report.in_document((ROOT / report.DOCUMENT).read_text())
    assert set(shown) == {"reference", "liveness"}
    assert shown == report.blocks(), f"run: uv run verifydemo report --write {report.DOCUMENT}"


def test_the_report_command_prints_every_block(capsys):
    from verifydemo.entry.cli import main

    assert main(["report"]) == 0
    printed = capsys.readouterr().out
    assert report.in_document(printed) == report.blocks()
