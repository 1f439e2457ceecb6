"""A crafted client sends widget values the page never offered, or values of the wrong kind: the
run resets the first with a one-line notice, drops the second before Streamlit reads them, and
finishes; the server keeps serving."""

from __future__ import annotations

import asyncio
import math

import pytest
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

from support import new_app, open_tab
from verifydemo.tools import classroom
from verifydemo.ui import keys, widget_values
from verifydemo.ui.threshold import TABS


async def page_runs(url: str, query: str, crafted: dict[str, object]) -> tuple[str, str]:
    """Two runs over one websocket, as a browser's page: the first as opened at ``?query``,
    the second with the widgets whose keys are in ``crafted`` set to those strings. Returns the
    text of every element each run drew."""
    async with websockets.connect(
        url.replace("http://", "ws://") + "/_stcore/stream", subprotocols=["streamlit"]
    ) as socket:
        first = await _run(socket, query, {})
        widget_ids = {
            key: widget_id
            for key in crafted
            for widget_id in _widget_ids(first)
            if widget_id.endswith(f"-{key}")
        }
        assert widget_ids.keys() == crafted.keys(), widget_ids
        second = await _run(socket, query, {widget_ids[k]: v for k, v in crafted.items()})
        return first, second


def _widget_ids(text: str) -> list[str]:
    return ["$$ID-" + part.split('"')[0] for part in text.split('id: "$$ID-')[1:]]


def rerun_request(query: str, values: dict[str, object]) -> BackMsg:
    """A browser's rerun request with these widget values (a string, a bool, a number, or a
    list of numbers or strings, each sent as the matching kind of ``WidgetState``)."""
    request = BackMsg()
    request.rerun_script.query_string = query
    request.rerun_script.page_script_hash = ""
    for widget_id, value in values.items():
        state = request.rerun_script.widget_states.widgets.add()
        state.id = widget_id
        if isinstance(value, str):
            state.string_value = value
        elif isinstance(value, bool):
            state.bool_value = value
        elif isinstance(value, float):
            state.double_value = value
        elif value and isinstance(value[0], str):
            state.string_array_value.data.extend(value)
        else:
            state.double_array_value.data.extend(value)
    return request


async def _run(socket, query: str, values: dict[str, object]) -> str:
    await socket.send(rerun_request(query, values).SerializeToString())
    drawn = []
    async for frame in socket:
        message = ForwardMsg()
        message.ParseFromString(frame)
        kind = message.WhichOneof("type")
        if kind == "delta":
            drawn.append(str(message.delta))
        if kind == "script_finished":
            return "\n".join(drawn)
    return "\n".join(drawn)


WIDGET_ID = "$$ID-0123456789abcdef0123456789abcdef-{key}"


@pytest.mark.parametrize(
    ("key", "value", "usable"),
    [
        (keys.THRESHOLD, [0.55], True),
        (keys.THRESHOLD, 0.55, False),
        (keys.THRESHOLD, [0.5, 0.6], False),
        (keys.THRESHOLD, [math.nan], False),
        (keys.SCALE_REGISTRATIONS, 1e9, True),
        (keys.SCALE_REGISTRATIONS, math.nan, False),
        (keys.SCALE_FAR, math.inf, False),
        (keys.LIVE_SOURCE, "made-up", True),
        (keys.LIVE_SOURCE, ["a", "b"], False),
        (keys.TAB_BAR, 1.5, False),
        (keys.PRESENT_VIEW, True, True),
        (keys.PRESENT_VIEW, "yes", False),
        (keys.pick("001"), True, False),
        (keys.lab_strength("blur"), [2.0], True),
        ("id_upload_3", "x", False),
        ("not_a_widget_of_this_page", "x", False),
        ("None", "x", False),
        (keys.LIVENESS_RECORDER, "{}", False),
    ],
)
def test_only_values_of_the_kind_a_widget_takes_reach_streamlit(key, value, usable):
    request = rerun_request("", {WIDGET_ID.format(key=key): value, "$$ID-1-language": "en"})
    passed = BackMsg()
    passed.ParseFromString(widget_values.checked(request.SerializeToString()))
    states = {
        state.id.split("-", 2)[-1]: state for state in passed.rerun_script.widget_states.widgets
    }
    a_choice = widget_values.value_kinds(WIDGET_ID.format(key=key)) == ("string_value",)
    if usable:
        assert list(states) == [key, "language"]
    elif a_choice:
        assert list(states) == ["language", key], "a choice left empty, for the page to reset"
        assert states[key].string_value == ""
    else:
        assert list(states) == ["language"]
    assert passed.rerun_script.query_string == ""


def test_a_components_events_reach_it_only_as_json():
    events = "$$STREAMLIT_INTERNAL_KEY_$$ID-0123456789abcdef-{key}__events"
    assert widget_values.value_kinds(events.format(key=keys.LIVENESS_RECORDER)) == (
        "json_trigger_value",
    )
    assert widget_values.value_kinds(events.format(key=keys.PRESENT_KEYS))
    assert widget_values.value_kinds(events.format(key=keys.THRESHOLD)) == ()
    assert widget_values.value_kinds(WIDGET_ID.format(key=keys.THRESHOLD + "__events")) == ()


def test_other_messages_pass_unchanged():
    heartbeat = BackMsg()
    heartbeat.app_heartbeat = True
    for message in (heartbeat.SerializeToString(), b"not a protobuf"):
        assert widget_values.checked(message) == message


@pytest.mark.slow
def test_every_widget_of_the_page_has_a_known_kind():
    """Every widget the page draws (every tab, the projector view, classroom mode with the
    teacher's controls, the morph quiz, the camera) has a key whose kinds include the one its
    Streamlit element takes: else the guard would drop that widget's values."""
    takes = {
        "button": "trigger_value",
        "download_button": "trigger_value",
        "checkbox": "bool_value",
        "toggle": "bool_value",
        "radio": "string_value",
        "selectbox": "string_value",
        "text_input": "string_value",
        "slider": "double_array_value",
        "number_input": "double_value",
        "file_uploader": "file_uploader_state_value",
        "camera_input": "file_uploader_state_value",
        "bidi_component": "json_trigger_value",
    }
    drawn: dict[str, str] = {}

    def collect(page) -> None:
        assert not page.exception, page.exception
        for node in _nodes(page._tree):
            widget_id = getattr(node, "id", None)
            if isinstance(widget_id, str) and widget_id.startswith("$$ID-"):
                drawn[widget_id] = node.type

    classroom.set_current(classroom.Classroom("https://127.0.0.1:8501", "ABCDEF"))
    try:
        page = new_app()
        page.run()
        for name, _label, _draw in TABS:
            open_tab(page, name)
            collect(page)
        page.session_state[keys.TEACHER_CODE] = "ABCDEF"
        page.run()
        collect(page)
        page.session_state[keys.MORPH_QUIZ_ON] = True
        open_tab(page, "morph")
        collect(page)
        page.session_state[keys.CLERK_ON] = True
        page.run()
        collect(page)
        page.radio(key=keys.LIVE_SOURCE).set_value(page.radio(key=keys.LIVE_SOURCE).options[-1])
        page.radio(key=keys.ID_SOURCE).set_value(page.radio(key=keys.ID_SOURCE).options[-1])
        page.toggle(key=keys.PRESENT_VIEW).set_value(True)
        page.run()
        collect(page)
    finally:
        classroom.set_current(None)
    unknown = {
        widget_id: kind
        for widget_id, kind in drawn.items()
        if takes.get(kind) not in widget_values.value_kinds(widget_id)
    }
    assert unknown == {}
    for needed in (
        "teacher_code",
        "pool_remove_count",
        "morph_guess_0",
        "present_next",
        "clerk_same",
        "clerk_confidence",
    ):
        assert any(widget_id.endswith(needed) for widget_id in drawn), needed


def _nodes(node):
    yield node
    children = getattr(node, "children", None) or {}
    for child in children.values() if isinstance(children, dict) else children:
        yield from _nodes(child)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("query", "crafted"),
    [
        ("tab=class", {keys.TAB_BAR: 1.5}),
        ("", {keys.THRESHOLD: 0.5}),
        ("tab=scale", {keys.SCALE_REGISTRATIONS: math.nan}),
        ("", {keys.LIVE_SOURCE: ["a", "b"]}),
    ],
)
def test_a_value_of_the_wrong_kind_is_dropped_and_the_run_goes_on(page_server, query, crafted):
    first, second = asyncio.run(asyncio.wait_for(page_runs(page_server.url, query, crafted), 120))
    assert "exception {" not in first
    assert "exception {" not in second and "Traceback" not in second
    assert "the phone number is issued" in second, "the check still runs"
    a_choice = keys.THRESHOLD not in crafted and keys.SCALE_REGISTRATIONS not in crafted
    notice = "A choice this page does not offer was reset."
    assert (notice in second) is a_choice, "a choice is reset with the page's notice"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("query", "crafted"),
    [
        ("tab=lab", {keys.LAB_DEGRADATION: "made-up"}),
        ("tab=class", {keys.TAB_BAR: "made-up"}),
        ("", {keys.LIVE_SOURCE: "nonsense", keys.ID_SCENARIO: "moon"}),
    ],
)
def test_a_made_up_choice_is_reset_with_a_notice(page_server, query, crafted):
    first, second = asyncio.run(asyncio.wait_for(page_runs(page_server.url, query, crafted), 120))
    assert "exception {" not in first
    assert "exception {" not in second and "Traceback" not in second
    assert "A choice this page does not offer was reset." in second
    assert "the phone number is issued" in second, "the check still runs"


@pytest.mark.parametrize(
    "trigger",
    [
        "[" * 200_000,
        "not json",
        '{"event": "check", "value": "x"}',
        '[{"event": "check", "value": {"image": "data:image/jpeg;base64,AAAA"}}]',
        '[{"event": "check", "value": "x", "image": "AAAA"}]',
        "[" + ",".join(['{"event": "move", "value": 1}'] * 9) + "]",
    ],
)
def test_a_crafted_component_event_is_dropped_before_streamlit_reads_it(trigger):
    """A component's trigger value is read by the guard first: deep nesting, anything but a few
    {"event", "value"} objects with a text or number value, never reaches the page; a state
    value (the page's components set none) neither."""
    events = f"$$STREAMLIT_INTERNAL_KEY_$$ID-0123456789abcdef-{keys.ONDEVICE_CAPTURE}__events"
    assert not widget_values.usable(WidgetState(id=events, json_trigger_value=trigger))
    assert not widget_values.usable(WidgetState(id=events, json_value="[]"))
    good = '[{"event": "check", "value": "{}"}, {"event": "move", "value": -1}]'
    assert widget_values.usable(WidgetState(id=events, json_trigger_value=good))
