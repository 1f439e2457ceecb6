"""AppTest runs through each "how it fails" tab with the real model and reference set."""

from __future__ import annotations

import hashlib
import io
import math

from PIL import Image
from streamlit.testing.v1 import AppTest

from verifydemo.demographics import same_versus_cross_group
from verifydemo.error_rates import error_rates
from verifydemo.lookalikes import count_passing
from verifydemo.scale import national_scale
from verifydemo.ui.tradeoff import TABS


def tab(page: AppTest, label: str):
    (found,) = [candidate for candidate in page.tabs if candidate.label == label]
    return found


def test_all_tabs_render(app):
    assert [candidate.label for candidate in app.tabs] == list(TABS)


def test_lab_shows_the_degraded_distance_and_draws_a_curve(app, embedded_demo_faces):
    lab = tab(app, "Perturbation lab")
    app.selectbox(key="lab_degradation").set_value("Head tilt").run()
    app.slider(key="lab_strength_Head tilt").set_value(90.0).run()
    lab = tab(app, "Perturbation lab")
    assert any("No face found" in error.value for error in lab.error)
    app.slider(key="lab_strength_Head tilt").set_value(0.0).run()
    lab = tab(app, "Perturbation lab")
    genuine = math.dist(*(face.embedding for face in embedded_demo_faces["001"]))
    assert any(f"After: distance **{genuine:.3f}**" in text.value for text in lab.markdown)
    app.button(key="lab_curve").click().run()
    assert not app.exception
    assert tab(app, "Perturbation lab").get("vega_lite_chart")


def test_printed_photo_attack_passes(app):
    attack = tab(app, "Photo held up to the camera")
    assert any("the attack **passes**" in text.value for text in attack.markdown)
    assert any("APCER" in text.value for text in attack.markdown)


def test_lookalikes_count_matches_the_module(app, reference, embedded_demo_faces):
    expected, strangers = count_passing(
        embedded_demo_faces["001"][0].embedding,
        reference.embeddings_for("live", "studio"),
        reference.person_ids,
        0.6,
        exclude="001",
    )
    (metric,) = tab(app, "Lookalikes").metric
    assert metric.value == f"{expected} of {strangers}"
    assert tab(app, "Lookalikes").get("image"), "demo lookalikes show their demo photos"


def test_visitor_photo_gets_numbers_but_no_faces_beside_it(app, demo_by_id):
    buffer = io.BytesIO()
    Image.open(demo_by_id["030"].id_photo).save(buffer, format="PNG")
    app.radio(key="id_source").set_value("Upload a photo").run()
    app.file_uploader(key="id_upload_0").set_value(("me.png", buffer.getvalue(), "image/png")).run()
    app.radio(key="live_source").set_value("Demo: a different person").run()
    lookalikes = tab(app, "Lookalikes")
    assert lookalikes.table and not lookalikes.get("image")
    assert "of 102" in lookalikes.metric[0].value


def test_group_differences_match_the_module(app, reference):
    distances = reference.pair_scores("studio", "studio").distances
    same, cross = same_versus_cross_group(distances, reference.groups, 0.6)
    metrics = {metric.label: metric.value for metric in tab(app, "Group differences").metric}
    assert metrics["FMR, impostor pairs from the same group"] == f"{same.value:.2%}"
    assert metrics["FMR, impostor pairs from different groups"] == f"{cross.value:.2%}"
    assert any(
        "fewer than 10 people" in warning.value for warning in tab(app, "Group differences").warning
    )


def test_national_scale_uses_the_measured_rates(app, reference):
    app.slider(key="threshold").set_value(0.55).run()
    rates = error_rates(reference.pair_scores("studio", "studio").score_set(), 0.55)
    expected = national_scale(46_000_000, 0.01, rates.fmr.value, rates.fnmr.value)
    metrics = {metric.label: metric.value for metric in tab(app, "National scale").metric}
    assert metrics["Impostors accepted per year"] == f"{expected.impostors_accepted_per_year:,.0f}"
    app.number_input(key="scale_registrations").set_value(1_000_000_000).run()
    metrics = {metric.label: metric.value for metric in tab(app, "National scale").metric}
    bigger = national_scale(1_000_000_000, 0.01, rates.fmr.value, rates.fnmr.value)
    assert metrics["Impostors accepted per year"] == f"{bigger.impostors_accepted_per_year:,.0f}"


def test_degraded_pictures_are_dropped_with_the_photo_they_came_from(app, demo_by_id):
    old_live = hashlib.sha256(demo_by_id["001"].live_photo.read_bytes()).hexdigest()
    lab_memo = app.session_state["memos"]["lab_results"]
    assert any(old_live in sources for sources, _ in lab_memo)
    app.radio(key="live_source").set_value("Demo: a different person").run()
    for memo in app.session_state["memos"].values():
        assert not any(old_live in sources for sources, _ in memo)
