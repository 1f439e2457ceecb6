"""The threshold trade-off section: slider, presets and scenarios agree with the module."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from support import new_app
from verifydemo.metrics.bootstrap import LabelledScores, with_people
from verifydemo.metrics.error_rates import (
    equal_error_rate,
    error_rates,
    significant,
    threshold_for_fmr,
)
from verifydemo.ui import keys


def shown_rates(page: AppTest) -> dict[str, str]:
    """The FMR and FNMR metrics of the "What the threshold costs" tab."""
    names = ("FMR", "FNMR")
    return {
        metric.label.split(":")[0]: metric.value
        for metric in page.metric
        if metric.label.split(":")[0] in names
    }


def sentences(page: AppTest) -> list[str]:
    return [markdown.value for markdown in page.markdown]


def expected(
    reference, threshold: float, id_scenario: str = "studio", live_scenario: str = "studio"
):
    return error_rates(reference.pair_scores(id_scenario, live_scenario).score_set(), threshold)


def test_default_shows_rates_at_the_library_threshold(app, reference):
    rates = expected(reference, 0.6)
    assert shown_rates(app) == {"FMR": f"{rates.fmr.value:.2%}", "FNMR": f"{rates.fnmr.value:.2%}"}
    assert any(
        text.startswith(f"{rates.fmr.errors:,} of {rates.fmr.trials:,} impostor pairs accepted")
        for text in sentences(app)
    )


def test_costs_show_both_intervals_in_words_a_student_follows(app, reference):
    pairs = reference.pair_scores("studio", "studio")
    rates = with_people(expected(reference, 0.6), LabelledScores.from_matrix(pairs.distances))
    low, high = rates.fmr.people_interval
    (fmr_sentence,) = [text for text in sentences(app) if "impostor pairs accepted;" in text]
    assert (
        f"{significant(low)} to {significant(high)} if the volunteers were a different 102 people"
        in fmr_sentence
    )
    assert f"{rates.fmr.interval_text()} if the pairs were independent" in fmr_sentence
    assert high - low > 2 * (rates.fmr.interval[1] - rates.fmr.interval[0])
    assert any("0 of 102 genuine pairs rejected: none observed" in text for text in sentences(app))
    captions = " ".join(caption.value for caption in app.caption)
    assert "No error in this sample" in captions, "studio pairs do not overlap: no EER"
    assert "EER 0.00%" not in captions


def test_eer_preset_sits_in_the_gap_when_the_sets_do_not_overlap(app, reference):
    scores = reference.pair_scores("studio", "studio").score_set()
    app.button(key=keys.preset("eer")).click().run()
    threshold = app.slider(key=keys.THRESHOLD).value
    rates = error_rates(scores, threshold)
    assert (rates.fmr.errors, rates.fnmr.errors) == (0, 0)
    assert scores.genuine.max() < threshold < scores.impostor.min()


def test_slider_changes_the_rates_shown(app, reference):
    app.slider(key=keys.THRESHOLD).set_value(0.75).run()
    rates = expected(reference, 0.75)
    assert rates.fmr.errors > expected(reference, 0.6).fmr.errors
    assert shown_rates(app)["FMR"] == f"{rates.fmr.value:.2%}"


def test_fmr_presets_set_a_threshold_that_meets_the_target(app, reference):
    scores = reference.pair_scores("studio", "studio").score_set()
    for target, key in ((0.01, keys.preset("fmr_1.0%")), (0.001, keys.preset("fmr_0.1%"))):
        app.button(key=key).click().run()
        threshold = app.slider(key=keys.THRESHOLD).value
        assert threshold <= threshold_for_fmr(scores, target)
        rates = error_rates(scores, threshold)
        assert rates.fmr.value <= target
        assert shown_rates(app)["FMR"] == f"{rates.fmr.value:.2%}"


def test_eer_preset_moves_the_slider_to_the_eer_threshold(app, reference):
    app.radio(key=keys.LIVE_SOURCE).set_value("same_person").run()
    app.selectbox(key=keys.ID_SCENARIO).set_value("chip").run()
    app.button(key=keys.preset("eer")).click().run()
    scores = reference.pair_scores("chip", "studio").score_set()
    assert app.slider(key=keys.THRESHOLD).value == pytest.approx(
        equal_error_rate(scores).threshold, abs=0.01
    )


def test_scenario_selection_changes_the_measured_rates(app, reference):
    app.selectbox(key=keys.ID_SCENARIO).set_value("chip").run()
    rates = expected(reference, 0.6, "chip", "studio")
    assert shown_rates(app)["FNMR"] == f"{rates.fnmr.value:.2%}"
    assert rates.fnmr.errors > expected(reference, 0.6).fnmr.errors
    assert any("No face found" in text for text in sentences(app))


def test_section_works_without_a_pair_on_screen(app):
    app.radio(key=keys.ID_SOURCE).set_value("upload").run()
    assert not app.exception
    assert "FMR" in shown_rates(app)
    assert not [alert for alert in app.success if "**Match**" in alert.value]


def test_moving_the_slider_computes_no_embedding(app, monkeypatch, demo_by_id):
    from verifydemo.core import faces
    from verifydemo.ui import resources

    other_session = new_app()
    calls = []
    real_embed_face = faces.embed_face
    monkeypatch.setattr(
        faces, "embed_face", lambda *a, **k: calls.append(1) or real_embed_face(*a, **k)
    )
    app.slider(key=keys.THRESHOLD).set_value(0.45).run()
    app.slider(key=keys.THRESHOLD).set_value(0.65).run()
    assert calls == []
    resources.demo_face.clear()
    app.button(key=keys.pick("025")).click().run()
    assert len(calls) == 2, "the two photos; the lab and attack tabs, which embed more, are closed"
    other_session.button(key=keys.pick("025")).click().run()
    assert len(calls) == 2, "a demo photo's face is found once per server"
    upload = demo_by_id["025"].live_photo.read_bytes()
    for page in (app, other_session):
        page.radio(key=keys.LIVE_SOURCE).set_value("upload").run()
        page.file_uploader(key=f"{keys.LIVE_UPLOAD}_0").set_value(
            ("me.jpg", upload, "image/jpeg")
        ).run()
    assert len(calls) == 4, "an upload is analysed in its own session, even a demo photo's copy"
