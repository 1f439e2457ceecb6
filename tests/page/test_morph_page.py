"""The morph lab tab through AppTest, with the real model and the shipped data."""

from __future__ import annotations

import numpy as np
import pytest

from support import new_app
from verifydemo.core.compare import distance
from verifydemo.core.decode import decode_image
from verifydemo.core.faces import find_face
from verifydemo.datasets.morphs import load_morphs
from verifydemo.lessons.morph import morph, prepare_morph, quiz_items
from verifydemo.metrics.morphs import morph_rates
from verifydemo.ui import keys

pytestmark = pytest.mark.slow
LAB = "Morph lab"
MORPH_TAB = {"tab": "morph"}
"""Opens the page on the morph lab, as a lesson-plan link does."""
OFFERS = ("file_uploader", "camera_input", "download_button")


def lab_of(page, label: str = LAB):
    (found,) = [candidate for candidate in page.tabs if candidate.label == label]
    return found


def element_types(node) -> set[str]:
    """The type of every element under ``node``, however deep."""
    found = {getattr(node, "type", "")}
    for child in getattr(node, "children", {}).values():
        found |= element_types(child)
    return found


def live_of(reference, person_id: str) -> np.ndarray:
    row = list(reference.person_ids).index(person_id)
    return reference.embeddings_for("live", "studio")[row]


@pytest.fixture
def page():
    """A new page on the morph lab for each test, which is free to change it."""
    return new_app(MORPH_TAB)


def test_lab_offers_no_upload_camera_or_download_even_when_the_page_does(page):
    page.radio(key=keys.ID_SOURCE).set_value("upload").run()
    assert "file_uploader" in element_types(page.main), "the walk must see an uploader"
    page.button(key=keys.MORPH_QUIZ_START).click().run()
    page.button(key=keys.MORPH_REVEAL).click().run()
    assert not element_types(lab_of(page)) & set(OFFERS)
    page.radio(key=keys.ID_SOURCE).set_value("gallery").run()
    assert not page.exception


def test_morph_distances_on_the_page_are_the_morphs_own(page, demo_by_id, reference):
    page.selectbox(key=keys.MORPH_FIRST).set_value("004")
    page.selectbox(key=keys.MORPH_SECOND).set_value("012")
    page.slider(key=keys.MORPH_ALPHA).set_value(0.5).run()
    assert not page.exception
    prepared = prepare_morph(
        decode_image(demo_by_id["004"].id_photo.read_bytes()),
        decode_image(demo_by_id["012"].id_photo.read_bytes()),
    )
    embedding = find_face(morph(prepared, 0.5)).embedding
    lab = lab_of(page)
    shown = {metric.label: metric.value for metric in lab.metric}
    assert (
        shown["Distance to A's live photo"]
        == f"{distance(embedding, live_of(reference, '004')):.3f}"
    )
    assert (
        shown["Distance to B's live photo"]
        == f"{distance(embedding, live_of(reference, '012')):.3f}"
    )
    to_a = distance(embedding, live_of(reference, "004"))
    to_b = distance(embedding, live_of(reference, "012"))
    (verdict,) = [m.value for m in lab.markdown if "At threshold 0.60" in m.value]
    if to_a <= 0.6 and to_b <= 0.6:
        assert "passes as **both** people" in verdict
    else:
        assert "both" not in verdict
    assert lab.get("vega_lite_chart"), "the distances chart is drawn"
    assert len(lab.get("image")) >= 3


def test_blend_moves_the_morph_towards_a_or_b(page):
    page.selectbox(key=keys.MORPH_FIRST).set_value("004")
    page.selectbox(key=keys.MORPH_SECOND).set_value("012")
    distances = {}
    for alpha in (0.0, 1.0):
        page.slider(key=keys.MORPH_ALPHA).set_value(alpha).run()
        shown = {metric.label: float(metric.value) for metric in lab_of(page).metric}
        distances[alpha] = (
            shown["Distance to A's live photo"],
            shown["Distance to B's live photo"],
        )
    assert distances[0.0][0] < distances[0.0][1]
    assert distances[1.0][1] < distances[1.0][0]


def test_the_same_volunteer_twice_gets_a_one_line_message(page):
    page.selectbox(key=keys.MORPH_FIRST).set_value("025")
    page.selectbox(key=keys.MORPH_SECOND).set_value("025").run()
    assert not page.exception
    lab = lab_of(page)
    (warning,) = lab.warning
    assert "two different volunteers" in warning.value and "\n" not in warning.value
    assert not lab.metric


def test_a_suggested_lookalike_pair_fills_both_choices(page):
    page.button(key=keys.morph_suggestion(0)).click().run()
    first = page.selectbox(key=keys.MORPH_FIRST).value
    second = page.selectbox(key=keys.MORPH_SECOND).value
    assert first != second
    assert first in page.button(key=keys.morph_suggestion(0)).label
    assert second in page.button(key=keys.morph_suggestion(0)).label


def test_search_lists_both_contributors_among_the_nearest(page):
    page.selectbox(key=keys.MORPH_FIRST).set_value("004")
    page.selectbox(key=keys.MORPH_SECOND).set_value("012").run()
    (table, _rates) = lab_of(page).table
    rows = table.value
    contributors = rows[rows["in the morph"] == "yes"]["volunteer"].tolist()
    assert sorted(contributors) == ["London Set #004", "London Set #012"]


def test_mmpmr_table_counts_the_shipped_morphs(page, reference):
    page.slider(key=keys.THRESHOLD).set_value(0.55).run()
    (_search, table) = lab_of(page).table
    rows = table.value
    last = rows.iloc[-1]
    assert last["threshold"].endswith("(0.55)")
    rates = morph_rates(load_morphs().scores(reference), 0.55)
    assert last["morphs passing as both (MMPMR)"].startswith(
        f"{rates.mmpmr.errors} of {rates.mmpmr.trials} "
    )
    assert last["impostor pairs accepted (FMR)"].startswith(
        f"{rates.impostor_fmr.errors} of {rates.impostor_fmr.trials} "
    )
    assert rows.iloc[0]["threshold"].endswith("(0.60)")


def test_quiz_scores_the_guesses_after_the_reveal(demo_faces):
    page = new_app(MORPH_TAB)
    page.button(key=keys.MORPH_QUIZ_START).click().run()
    items = quiz_items(
        np.array([face.person.person_id for face in demo_faces]),
        np.array([face.person.group for face in demo_faces]),
    )
    for index in range(len(items)):
        page.radio(key=keys.morph_guess(index)).set_value("a morph")
    page.run()
    assert not any("You got" in info.value for info in lab_of(page).info), "no answer before"
    page.button(key=keys.MORPH_REVEAL).click().run()
    morphs = sum(item.is_morph for item in items)
    (score,) = [info.value for info in lab_of(page).info if "You got" in info.value]
    assert score == f"You got {morphs} of {len(items)} right."


def test_chinese_page_has_the_lab_tab_translated():
    page = new_app({**MORPH_TAB, "lang": "zh"})
    lab = lab_of(page, "融合照片实验室")
    assert any("融合照片" in markdown.value for markdown in lab.markdown)
