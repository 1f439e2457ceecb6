"""AppTest runs through each "how it fails" tab with the real model and reference set."""

from __future__ import annotations

import hashlib
import math

from support import image_bytes, open_tab, remembered_photos, speaking
from verifydemo.lessons.lookalikes import count_passing
from verifydemo.lessons.scale import national_scale
from verifydemo.metrics.error_rates import error_rates
from verifydemo.metrics.groups import same_versus_cross_group
from verifydemo.ui import keys
from verifydemo.ui.threshold import TABS

TEXT_KINDS = ("markdown", "caption", "info", "warning", "success", "error")


def test_every_tab_renders_with_text(app):
    assert [candidate.label for candidate in app.tabs] == [
        "What the threshold costs",
        "Perturbation lab",
        "Photo held up to the camera",
        "Lookalikes",
        "Group differences",
        "National scale",
        "Morph lab",
        "Class experiment",
    ]
    for name, label, _draw in TABS:
        assert open_tab(app, name).markdown, label


def test_only_the_open_tab_runs(app):
    assert [bool(candidate.children) for candidate in app.tabs] == [True] + [False] * 7
    open_tab(app, "groups")
    assert [bool(candidate.children) for candidate in app.tabs] == [False] * 4 + [True] + [
        False
    ] * 3


def test_the_open_tab_stays_open_when_the_language_changes(app):
    open_tab(app, "scale")
    app.radio(key=keys.LANGUAGE).set_value("zh").run()
    (open_label,) = [candidate.label for candidate in app.tabs if candidate.children]
    assert open_label == "全国规模"
    with speaking("zh"):
        app.radio(key=keys.LANGUAGE).set_value("en").run()
    (open_label,) = [candidate.label for candidate in app.tabs if candidate.children]
    assert open_label == "National scale"


def test_lab_shows_the_degraded_distance_and_draws_a_curve(app, embedded_demo_faces):
    lab = open_tab(app, "lab")
    app.selectbox(key=keys.LAB_DEGRADATION).set_value("Head tilt").run()
    app.slider(key=keys.lab_strength("Head tilt")).set_value(90.0).run()
    lab = open_tab(app, "lab")
    assert any("No face found" in error.value for error in lab.error)
    app.slider(key=keys.lab_strength("Head tilt")).set_value(0.0).run()
    lab = open_tab(app, "lab")
    genuine = math.dist(*(face.embedding for face in embedded_demo_faces["001"]))
    assert any(f"After: distance **{genuine:.3f}**" in text.value for text in lab.markdown)
    app.button(key=keys.LAB_CURVE).click().run()
    assert not app.exception
    assert open_tab(app, "lab").get("vega_lite_chart")


def test_printed_photo_attack_passes(app):
    attack = open_tab(app, "attack")
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
    (metric,) = open_tab(app, "lookalikes").metric
    assert metric.value == f"{expected} of {strangers}"
    assert open_tab(app, "lookalikes").get("image"), "demo lookalikes show their demo photos"


def test_visitor_photo_gets_numbers_but_no_faces_beside_it(app, demo_by_id):
    app.radio(key=keys.ID_SOURCE).set_value("upload").run()
    app.file_uploader(key=f"{keys.ID_UPLOAD}_0").set_value(
        ("me.png", image_bytes(demo_by_id["030"].id_photo, "PNG"), "image/png")
    ).run()
    app.radio(key=keys.LIVE_SOURCE).set_value("other_person").run()
    lookalikes = open_tab(app, "lookalikes")
    assert lookalikes.table and not lookalikes.get("image")
    assert "of 102" in lookalikes.metric[0].value


def test_group_differences_match_the_module(app, reference):
    distances = reference.pair_scores("studio", "studio").distances
    same, cross = same_versus_cross_group(distances, reference.groups, 0.6)
    metrics = {metric.label: metric.value for metric in open_tab(app, "groups").metric}
    assert metrics["FMR, impostor pairs from the same group"] == f"{same.value:.2%}"
    assert metrics["FMR, impostor pairs from different groups"] == f"{cross.value:.2%}"
    groups = open_tab(app, "groups")
    assert any("fewer than 10 people" in warning.value for warning in groups.warning)
    (table,) = groups.dataframe
    rows = table.value.set_index("group")
    assert rows.loc["Black men", "people"] == 8 and rows.loc["Black men", "pairs"] == 56
    assert "male / black" not in rows.index
    assert any("East Asian/White men (1)" in caption.value for caption in groups.caption)
    assert rows.loc["Black men", "95% interval"] == "too few people to estimate"
    assert rows.loc["White women", "95% interval"].endswith("%")
    assert len(groups.get("vega_lite_chart")) == 2, "the per-group bars and the group map"


def test_national_scale_uses_the_decision_level_rates_with_ranges(app, reference):
    app.slider(key=keys.THRESHOLD).set_value(0.55).run()
    app.selectbox(key=keys.ID_SCENARIO).set_value("chip").run()
    rates = error_rates(reference.pair_scores("chip", "studio").score_set(), 0.55)
    assert rates.frr.value > rates.fnmr.value, "chip photos without a face count as rejections"
    expected = national_scale(37_250_000, 0.01, rates.far.value, rates.frr.value)
    scale = open_tab(app, "scale")
    metrics = {metric.label: metric.value for metric in scale.metric}
    assert metrics["Impostors accepted per year"] == f"{expected.impostors_accepted_per_year:,.0f}"
    assert metrics["Genuine customers wrongly rejected per year"] == (
        f"{expected.genuine_rejected_per_year:,.0f}"
    )
    assert sum("a day** (between " in text.value for text in scale.markdown) == 2
    assert any("Your guess" in number.label for number in scale.number_input)
    app.number_input(key=keys.SCALE_REGISTRATIONS).set_value(1_000_000_000).run()
    metrics = {metric.label: metric.value for metric in open_tab(app, "scale").metric}
    bigger = national_scale(1_000_000_000, 0.01, rates.far.value, rates.frr.value)
    assert metrics["Impostors accepted per year"] == f"{bigger.impostors_accepted_per_year:,.0f}"


def test_retries_raise_a_lookalike_impostors_chance(app, reference):
    distances = reference.pair_scores("studio", "studio").distances
    same, _ = same_versus_cross_group(distances, reference.groups, 0.6)
    open_tab(app, "scale")
    app.slider(key=keys.SCALE_TRIES).set_value(5).run()
    (table,) = open_tab(app, "scale").table
    shown = table.value.to_dict("list")
    expected = 1 - (1 - same.value) ** 5
    assert any(cell.startswith(f"{expected:.1%} (between") for cell in shown["after 5 tries"])


def test_printed_photo_apcer_is_counted_over_every_volunteer(app, reference):
    attack = open_tab(app, "attack")
    distances = reference.attack_scores().genuine
    accepted = int((distances <= 0.6).sum())
    (text,) = [text.value for text in attack.markdown if "APCER for printed" in text.value]
    assert f"**{accepted} of {len(distances)} volunteers" in text
    assert text.count(f"{accepted} of {len(distances)}") == 1, "the count said once"


def test_degraded_pictures_are_dropped_with_the_photo_they_came_from(app, demo_by_id):
    open_tab(app, "lab")
    old_live = hashlib.sha256(demo_by_id["001"].live_photo.read_bytes()).hexdigest()
    assert old_live in remembered_photos(app, "lab_results")
    assert old_live in remembered_photos(app, "analysis")
    app.radio(key=keys.LIVE_SOURCE).set_value("other_person").run()
    assert old_live not in remembered_photos(app)


def test_page_states_only_what_its_sources_support(app):
    shown = " ".join(
        element.value
        for name, _label, _draw in TABS
        for kind in TEXT_KINDS
        for element in getattr(open_tab(app, name).root, kind)
    )
    assert "manual check" not in shown, "what happens after a failed check is not public"
    assert "not the operators' system" in shown
    assert "《关于进一步做好电话用户实名登记管理有关工作的通知》" in shown
    assert "shop or service point" in shown
    assert "dlib's author reports" not in shown, "the 30-million search was a user's report"
    assert "A user of dlib reported" in shown
    assert "0.25% to 0.64%" in shown and "NIST" in shown
    assert "often 10 to 100 times" in shown
    assert "simulated ID card chip photo" in " ".join(
        option for box in app.selectbox for option in box.options
    )
    assert "12 or more years" in shown, "the ageing caveat"
    assert "probit scale, which stretches the rates near 0% and 100%" in shown
    assert "equally far apart" not in shown.replace("not equally far apart", ""), (
        "probit is not even"
    )
    sidebar = " ".join(element.value for element in app.sidebar.markdown)
    assert "sent over the network" not in sidebar
    assert "go only from this browser to the computer running the app" in sidebar
    assert "**Never** try the printed-photo attack" in sidebar, "ETHICS' summary on the page"
