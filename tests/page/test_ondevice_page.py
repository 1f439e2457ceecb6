"""The live photo checked on the student's device (classroom mode, issue 27): the page through
AppTest with the real model, the device's numbers sent exactly as the component sends them (one
trigger value of JSON text). The verdict is the server's own rule on those numbers; anything but
128 ordinary numbers gets one line and no verdict; outside a classroom nothing changes."""

from __future__ import annotations

import json
import math

import pytest
from streamlit.components.v2.bidi_component.main import _make_trigger_id
from streamlit.proto.WidgetStates_pb2 import WidgetState

from device_messages import device_message as message
from support import new_app
from verifydemo.core.compare import DEFAULT_THRESHOLD, compare
from verifydemo.tools import classroom
from verifydemo.ui import keys
from verifydemo.ui.ondevice_capture import DeviceFace

pytestmark = pytest.mark.slow


@pytest.fixture
def room():
    classroom.set_current(classroom.Classroom("https://127.0.0.1:8501", "ABCDEF"))
    try:
        yield
    finally:
        classroom.set_current(None)


def webcam_page(person: str = "001"):
    """A classroom page with demo ID photo ``person`` and the live photo from the webcam."""
    page = new_app()
    page.button(key=keys.pick(person)).click().run()
    page.radio(key=keys.LIVE_SOURCE).set_value("webcam").run()
    assert not page.exception, page.exception
    return page


def send(page, event: str, payload: str) -> None:
    """Send ``payload`` as the component's ``event`` trigger value, and run the page."""
    captures = [
        node for node in page.get("bidi_component") if node.proto.id.endswith(keys.ONDEVICE_CAPTURE)
    ]
    assert len(captures) == 1
    states = page._tree.get_widget_states()
    states.widgets.append(
        WidgetState(
            id=_make_trigger_id(captures[0].proto.id, "events"),
            json_trigger_value=json.dumps([{"event": event, "value": payload}]),
        )
    )
    page._run(states)
    assert not page.exception, page.exception


def rounded(embedding) -> list[float]:
    """An embedding as the component sends it: each number rounded to 6 decimals."""
    return [round(float(value), 6) for value in embedding]


def decisions(page) -> list[str]:
    return [
        element.value
        for element in [*page.success, *page.warning]
        if "the phone number" in element.value
    ]


def test_the_device_is_the_default_in_a_classroom_and_the_toggle_sends_the_photo(room):
    page = webcam_page()
    assert page.toggle(key=keys.ONDEVICE_ON).value is True
    assert not page.camera_input, "no photo widget while the check runs on the device"
    assert any(node.proto.id.endswith(keys.ONDEVICE_CAPTURE) for node in page.get("bidi_component"))
    page.toggle(key=keys.ONDEVICE_ON).set_value(False).run()
    assert len(page.camera_input) == 1
    assert not page.get("bidi_component") or not any(
        node.proto.id.endswith(keys.ONDEVICE_CAPTURE) for node in page.get("bidi_component")
    )


def test_outside_a_classroom_nothing_changes():
    page = webcam_page()
    assert not [toggle for toggle in page.toggle if toggle.key == keys.ONDEVICE_ON]
    assert len(page.camera_input) == 1


@pytest.mark.parametrize(("live", "expected"), [("001", "Match"), ("002", "No match")])
def test_the_devices_numbers_get_the_servers_verdict(room, embedded_demo_faces, live, expected):
    id_face = embedded_demo_faces["001"][0]
    live_face = embedded_demo_faces[live][1]
    page = webcam_page()
    send(page, "check", message(rounded(live_face.embedding)))
    comparison = compare(id_face.embedding, rounded(live_face.embedding), DEFAULT_THRESHOLD)
    shown = decisions(page)
    assert shown, [e.value for e in page.error]
    assert all(f"distance {comparison.distance:.3f}" in text for text in shown), shown
    assert all(text.startswith(f"**{expected}**") for text in shown), shown
    assert any("stayed on your phone" in info.value for info in page.info)
    assert any(
        container.key == keys.CLASS_ADD for container in page.get("flex_container")
    ) or page.button(key=keys.POOL_ADD)
    memo = page.session_state[keys.MEMO]["analysis"]
    assert any(isinstance(value, DeviceFace) for value in memo.values())


def test_adding_to_the_class_pool_takes_the_servers_distance(room, embedded_demo_faces):
    from verifydemo.lessons.class_pool import GENUINE, POOL, distances_of

    POOL.clear()
    try:
        page = webcam_page()
        live = embedded_demo_faces["001"][1].embedding
        send(page, "check", message(rounded(live)))
        page.button(key=keys.POOL_ADD).click().run()
        assert not page.exception, page.exception
        added = distances_of(POOL.entries(), GENUINE)
        expected = compare(embedded_demo_faces["001"][0].embedding, rounded(live)).distance
        assert len(added) == 1 and math.isclose(added[0], round(expected, 3))
    finally:
        POOL.clear()


def test_a_forged_distance_no_two_faces_give_is_refused_in_one_line(room, embedded_demo_faces):
    """The ID photo's own numbers turned around pass every check on their own (128 ordinary
    numbers of a face's length) but lie 2.7 from the ID photo, farther than two faces: the page
    shows the verdict, and adding it says one line and adds nothing."""
    from verifydemo.lessons.class_pool import POOL

    POOL.clear()
    try:
        page = webcam_page()
        turned = [-value for value in rounded(embedded_demo_faces["001"][0].embedding)]
        send(page, "check", message(turned))
        page.button(key=keys.POOL_ADD).click().run()
        assert not page.exception, page.exception
        assert any("not one two faces give" in s.value for s in page.success)
        assert POOL.entries() == ()
    finally:
        POOL.clear()


def test_no_face_on_the_device_is_said_in_one_line(room):
    page = webcam_page()
    send(page, "check", message(None, status="no_face", box=None, faces=0))
    errors = [error.value for error in page.error]
    assert len(errors) == 1 and "No face found on your device" in errors[0], errors
    assert decisions(page) == []


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (message([0.1] * 127), "exactly 128 numbers"),
        (message([0.1] * 129), "exactly 128 numbers"),
        (message([0.1] * 127 + [math.nan]), "other than ordinary numbers"),
        (message([0.1] * 127).replace("[0.1", "[NaN, 0.1", 1), "other than ordinary numbers"),
        (message([0.1] * 127 + [math.inf]), "other than ordinary numbers"),
        (message([0.1] * 127 + [1e308]), "outside the range"),
        (message([0.1] * 127 + [5.0]), "outside the range"),
        (message([0.1] * 127 + ["0.1"]), "other than ordinary numbers"),
        (message([0.1] * 127 + [True]), "other than ordinary numbers"),
        (message([0.1] * 127 + [None]), "other than ordinary numbers"),
        (message([0.1] * 128, image="data:image/jpeg;base64,/9j/"), "could not be read"),
        ("x" * 10_000, "more than the on-device check sends"),
        ("not json", "could not be read"),
        (message([0.1] * 128, status="great"), "could not be read"),
    ],
)
def test_anything_but_128_ordinary_numbers_gets_one_line_and_no_verdict(room, payload, reason):
    page = webcam_page()
    send(page, "check", payload)
    errors = [error.value for error in page.error]
    assert len(errors) == 1 and reason in errors[0] and "\n" not in errors[0], errors
    assert errors[0].startswith("Live photo: ")
    assert decisions(page) == []


def test_a_device_that_cannot_run_it_is_told_to_send_the_photo(room):
    page = webcam_page()
    send(page, "problem", "no_wasm")
    warnings = [warning.value for warning in page.warning]
    assert any("WebAssembly" in text and "send the photo instead" in text for text in warnings)
    send(page, "problem", "<script>")
    assert not page.exception


def test_every_tab_runs_with_the_devices_numbers(room, embedded_demo_faces):
    """The tabs take the check's pair as they take a photo's: none needs the live picture the
    device kept; the lab offers only the ID photo to degrade, and says why."""
    from support import open_tab
    from verifydemo.ui.threshold import TABS

    page = webcam_page()
    send(page, "check", message(rounded(embedded_demo_faces["001"][1].embedding)))
    for name, _label, _draw in TABS:
        open_tab(page, name)
        assert not page.exception, (name, page.exception)
    page.session_state[keys.LAB_SIDE] = "live"
    open_tab(page, "lab")
    page.run()
    assert not page.exception, page.exception
    assert page.radio(key=keys.LAB_SIDE).options == ["ID photo"]
    assert page.radio(key=keys.LAB_SIDE).value == "id"
    assert any("stayed on your phone" in caption.value for caption in page.caption)
