"""The Streamlit page, driven through AppTest with the real model and real demo photos."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from PIL import Image
from streamlit.testing.v1 import AppTest

from verifydemo.compare import compare


def decision_text(page: AppTest) -> str:
    shown = [element.value for element in [*page.success, *page.warning] if "**" in element.value]
    assert len(shown) == 1, shown
    return shown[0]


def as_jpeg(path: Path) -> bytes:
    buffer = io.BytesIO()
    Image.open(path).convert("RGB").save(buffer, format="JPEG", quality=92)
    return buffer.getvalue()


def test_first_load_shows_a_genuine_demo_pair_as_a_match(app, embedded_demo_faces):
    id_face, live_face = embedded_demo_faces["001"]
    expected = compare(id_face.embedding, live_face.embedding)
    text = decision_text(app)
    assert text.startswith("**Match**") and "number is issued" in text
    assert f"distance {expected.distance:.3f}" in text


def test_a_different_person_is_sent_to_manual_check(app, demo_by_id, embedded_demo_faces):
    app.radio(key="live_source").set_value("Demo: a different person").run()
    app.selectbox(key="live_other_person").set_value(demo_by_id["061"]).run()
    expected = compare(
        embedded_demo_faces["001"][0].embedding, embedded_demo_faces["061"][1].embedding
    )
    text = decision_text(app)
    assert text.startswith("**No match**") and "manual check" in text
    assert f"distance {expected.distance:.3f}" in text


def test_gallery_click_changes_the_id_photo(app, embedded_demo_faces):
    app.button(key="pick_025").click().run()
    assert any("London Set #025, neutral photo" in text.value for text in app.text)
    expected = compare(*(face.embedding for face in embedded_demo_faces["025"]))
    assert f"distance {expected.distance:.3f}" in decision_text(app)


def test_slider_below_the_distance_turns_a_match_into_no_match(app, embedded_demo_faces):
    distance = compare(*(face.embedding for face in embedded_demo_faces["001"])).distance
    app.slider(key="threshold").set_value(round(distance - 0.02, 2)).run()
    assert decision_text(app).startswith("**No match**")
    app.slider(key="threshold").set_value(round(distance + 0.02, 2)).run()
    assert decision_text(app).startswith("**Match**")


def test_uploaded_photos_are_compared(app, demo_by_id):
    person = demo_by_id["030"]
    app.radio(key="id_source").set_value("Upload a photo").run()
    app.file_uploader(key="id_upload_0").set_value(
        ("id.png", _png(person.id_photo), "image/png")
    ).run()
    assert any("needs a demo ID photo" in info.value for info in app.info)
    app.radio(key="live_source").set_value("Upload a photo").run()
    app.file_uploader(key="live_upload_0").set_value(
        ("live.jpg", person.live_photo.read_bytes(), "image/jpeg")
    ).run()
    assert decision_text(app).startswith("**Match**")


def test_webcam_photo_is_compared_with_the_id_photo(app, demo_by_id):
    app.radio(key="live_source").set_value("Webcam").run()
    assert not app.success
    app.camera_input(key="live_camera_0").set_value(
        ("shot.jpg", as_jpeg(demo_by_id["001"].live_photo), "image/jpeg")
    ).run()
    assert decision_text(app).startswith("**Match**")
    app.camera_input(key="live_camera_0").set_value(
        ("shot.jpg", as_jpeg(demo_by_id["044"].live_photo), "image/jpeg")
    ).run()
    assert decision_text(app).startswith("**No match**")


def test_photo_without_a_face_gets_a_message_and_the_page_keeps_working(app):
    blank = io.BytesIO()
    Image.new("RGB", (640, 480), (90, 90, 90)).save(blank, format="JPEG")
    app.radio(key="live_source").set_value("Webcam").run()
    app.camera_input(key="live_camera_0").set_value(
        ("shot.jpg", blank.getvalue(), "image/jpeg")
    ).run()
    assert not app.exception
    assert [error.value for error in app.error] == [
        "Live photo: No face found: face the camera, with your whole face in good, even light."
    ]
    app.radio(key="live_source").set_value("Demo: same person, smiling").run()
    assert decision_text(app).startswith("**Match**")


def test_forget_my_photos_clears_uploads_and_embeddings(app, demo_by_id):
    upload = as_jpeg(demo_by_id["001"].live_photo)
    app.radio(key="live_source").set_value("Upload a photo").run()
    app.file_uploader(key="live_upload_0").set_value(("live.jpg", upload, "image/jpeg")).run()
    assert hashlib.sha256(upload).hexdigest() in app.session_state["analyses"]
    app.button(key="forget").click().run()
    assert hashlib.sha256(upload).hexdigest() not in app.session_state["analyses"]
    assert not [uploader for uploader in app.file_uploader if uploader.key == "live_upload_0"]
    assert decision_text(app).startswith("**Match**")


def _png(path: Path) -> bytes:
    buffer = io.BytesIO()
    Image.open(path).save(buffer, format="PNG")
    return buffer.getvalue()
