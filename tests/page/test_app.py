"""The Streamlit page, driven through AppTest with the real model and real demo photos."""

from __future__ import annotations

import hashlib

from PIL import Image
from streamlit.testing.v1 import AppTest

from support import image_bytes, remembered_photos, speaking
from verifydemo.core.compare import compare
from verifydemo.core.i18n import translations
from verifydemo.ui import keys


def decision_text(page: AppTest) -> str:
    """The decision for the pair on screen: one, said the same in the check step (for phones
    and projectors) and under the threshold."""
    shown = [element.value for element in [*page.success, *page.warning] if "**" in element.value]
    assert len(shown) == 2 and len(set(shown)) == 1, shown
    return shown[0]


def test_first_load_shows_a_genuine_demo_pair_as_a_match(app, embedded_demo_faces):
    id_face, live_face = embedded_demo_faces["001"]
    expected = compare(id_face.embedding, live_face.embedding)
    text = decision_text(app)
    assert text.startswith("**Match**") and "number is issued" in text
    assert f"distance {expected.distance:.3f}" in text
    found = [c.value for c in app.caption if "found; compared face" in c.value]
    assert len(found) == 2 and all(c.startswith("1 face found;") for c in found), found


def test_a_different_person_gets_no_number(app, demo_by_id, embedded_demo_faces):
    app.radio(key=keys.LIVE_SOURCE).set_value("other_person").run()
    app.selectbox(key=keys.OTHER_PERSON).set_value("061").run()
    expected = compare(
        embedded_demo_faces["001"][0].embedding, embedded_demo_faces["061"][1].embedding
    )
    text = decision_text(app)
    assert text.startswith("**No match**") and "not issued" in text
    assert "manual" not in text
    assert f"distance {expected.distance:.3f}" in text


def test_gallery_click_changes_the_id_photo(app, embedded_demo_faces):
    app.button(key=keys.pick("025")).click().run()
    assert any("London Set #025, neutral photo" in text.value for text in app.text)
    expected = compare(*(face.embedding for face in embedded_demo_faces["025"]))
    assert f"distance {expected.distance:.3f}" in decision_text(app)


def test_slider_below_the_distance_turns_a_match_into_no_match(app, embedded_demo_faces):
    distance = compare(*(face.embedding for face in embedded_demo_faces["001"])).distance
    app.slider(key=keys.THRESHOLD).set_value(round(distance - 0.02, 2)).run()
    assert decision_text(app).startswith("**No match**")
    app.slider(key=keys.THRESHOLD).set_value(round(distance + 0.02, 2)).run()
    assert decision_text(app).startswith("**Match**")


def test_uploaded_photos_are_compared(app, demo_by_id):
    person = demo_by_id["030"]
    app.radio(key=keys.ID_SOURCE).set_value("upload").run()
    app.file_uploader(key=f"{keys.ID_UPLOAD}_0").set_value(
        ("id.png", image_bytes(person.id_photo, "PNG"), "image/png")
    ).run()
    assert any("needs a demo ID photo" in info.value for info in app.info)
    app.radio(key=keys.LIVE_SOURCE).set_value("upload").run()
    app.file_uploader(key=f"{keys.LIVE_UPLOAD}_0").set_value(
        ("live.jpg", person.live_photo.read_bytes(), "image/jpeg")
    ).run()
    assert decision_text(app).startswith("**Match**")


def test_webcam_photo_is_compared_with_the_id_photo(app, demo_by_id):
    app.radio(key=keys.LIVE_SOURCE).set_value("webcam").run()
    assert not app.success
    app.camera_input(key=f"{keys.LIVE_CAMERA}_0").set_value(
        ("shot.jpg", image_bytes(demo_by_id["001"].live_photo), "image/jpeg")
    ).run()
    assert decision_text(app).startswith("**Match**")
    app.camera_input(key=f"{keys.LIVE_CAMERA}_0").set_value(
        ("shot.jpg", image_bytes(demo_by_id["044"].live_photo), "image/jpeg")
    ).run()
    assert decision_text(app).startswith("**No match**")


def test_photo_without_a_face_gets_a_message_and_the_page_keeps_working(app):
    blank = image_bytes(Image.new("RGB", (640, 480), (90, 90, 90)))
    app.radio(key=keys.LIVE_SOURCE).set_value("webcam").run()
    app.camera_input(key=f"{keys.LIVE_CAMERA}_0").set_value(("shot.jpg", blank, "image/jpeg")).run()
    assert not app.exception
    assert [error.value for error in app.error] == [
        "Live photo: No face found: face the camera, with your whole face in good, even light."
    ]
    app.radio(key=keys.LIVE_SOURCE).set_value("same_person").run()
    assert decision_text(app).startswith("**Match**")


def test_switching_language_computes_no_embedding_and_retranslates_the_reason(app, demo_by_id):
    """A photo is analysed once per session: the reason a photo is unusable is translated when
    it is shown, so a change of language finds no face and computes no embedding again."""
    no_face = "No face found: face the camera, with your whole face in good, even light."
    app.radio(key=keys.ID_SOURCE).set_value("upload").run()
    app.file_uploader(key=f"{keys.ID_UPLOAD}_0").set_value(
        ("id.jpg", image_bytes(demo_by_id["001"].id_photo), "image/jpeg")
    ).run()
    app.radio(key=keys.LIVE_SOURCE).set_value("webcam").run()
    blank = image_bytes(Image.new("RGB", (640, 480), (90, 90, 90)))
    app.camera_input(key=f"{keys.LIVE_CAMERA}_0").set_value(("shot.jpg", blank, "image/jpeg")).run()
    analysed = dict(app.session_state[keys.MEMO]["analysis"])
    assert len(analysed) == 2
    assert [error.value for error in app.error] == [f"Live photo: {no_face}"]

    app.radio(key=keys.LANGUAGE).set_value("zh").run()
    assert not app.exception
    now = app.session_state[keys.MEMO]["analysis"]
    assert now.keys() == analysed.keys()
    assert all(now[key] is analysed[key] for key in analysed)
    (shown,) = [error.value for error in app.error]
    assert translations("zh")[no_face] in shown and no_face not in shown

    with speaking("zh"):
        app.radio(key=keys.LANGUAGE).set_value("en").run()
    assert [error.value for error in app.error] == [f"Live photo: {no_face}"]
    assert all(app.session_state[keys.MEMO]["analysis"][key] is analysed[key] for key in analysed)


def test_forget_my_photos_clears_uploads_and_embeddings(app, demo_by_id):
    upload = image_bytes(demo_by_id["001"].live_photo)
    app.radio(key=keys.LIVE_SOURCE).set_value("upload").run()
    app.file_uploader(key=f"{keys.LIVE_UPLOAD}_0").set_value(
        ("live.jpg", upload, "image/jpeg")
    ).run()
    assert hashlib.sha256(upload).hexdigest() in remembered_photos(app, "analysis")
    app.button(key=keys.FORGET).click().run()
    assert hashlib.sha256(upload).hexdigest() not in remembered_photos(app, "analysis")
    assert not [
        uploader for uploader in app.file_uploader if uploader.key == f"{keys.LIVE_UPLOAD}_0"
    ]
    assert decision_text(app).startswith("**Match**")


def test_a_projector_chart_has_back_row_labels():
    import numpy as np

    from verifydemo.core.compare import compare
    from verifydemo.pictures.charts import BACK_ROW_FONT, distance_scale, for_projector

    scale = distance_scale(compare(np.zeros(128), np.full(128, 0.025), 0.6))
    shown = for_projector(scale)
    assert shown["config"]["axis"]["labelFontSize"] == BACK_ROW_FONT >= 18
    texts = [layer["mark"] for layer in shown["layer"] if layer["mark"]["type"] == "text"]
    assert texts and all(mark["fontSize"] >= BACK_ROW_FONT for mark in texts)
    assert all(
        layer["encoding"]["x"]["axis"]["labelFontSize"] >= BACK_ROW_FONT
        for layer in shown["layer"]
        if "field" in layer["encoding"].get("x", {})
    )
    assert "labelFontSize" not in scale.get("config", {}).get("axis", {}), "a copy"
