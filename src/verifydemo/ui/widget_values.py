"""Widget values checked before Streamlit reads them: a crafted client cannot break its session
with a value of the wrong kind.

A browser sends every widget's value in each rerun request. Streamlit turns a value into the
widget's Python value before the page runs (for a callback), so a value of the wrong kind (a
list for a radio, one number for a slider, NaN for a whole number) raises inside Streamlit,
where the page cannot catch it. :class:`WidgetValueGuard` sits in front of Streamlit's websocket
(``st.App``'s documented ``middleware``) and drops each such value from the request: a slider,
number, switch or button keeps its last value, and a choice (a radio, a list, the tabs) gets an
empty one, which the page then resets with its one-line notice, as it resets any choice it
never offered (``ui/choices.py``). The run goes on.

Every widget of the page has a key, and :data:`VALUE_KINDS` says which kind of value each key
takes; a test runs every tab and fails on a widget this table does not know.
"""

from __future__ import annotations

import json
import math
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

from verifydemo.ui import keys

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

STREAM_PATH = "/_stcore/stream"

TRIGGER = "trigger_value"
TEXT = "string_value"
SWITCH = "bool_value"
ONE_NUMBER = "double_value"
SLIDER = "double_array_value"
FILES = "file_uploader_state_value"
COMPONENT = ("json_trigger_value",)
"""The page's components only send events (``setTriggerValue``), never a state."""
EVENTS_AT_ONCE = 8

VALUE_KINDS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(
        (
            keys.FORGET,
            keys.MORPH_REVEAL,
            keys.MORPH_QUIZ_START,
            keys.LIVENESS_ADD,
            keys.LAB_CURVE,
            keys.POOL_ADD,
            keys.POOL_REFRESH,
            keys.POOL_CLEAR,
            keys.POOL_REMOVE,
            keys.WORKSHEET,
            keys.PRESENT_BACK,
            keys.PRESENT_NEXT,
            keys.CLERK_START,
            keys.CLERK_SAME,
            keys.CLERK_DIFFERENT,
            keys.CLERK_NEW,
            keys.CLERK_ADVISED_START,
            keys.CLERK_ADD,
            keys.PACE_BACK,
            keys.PACE_NEXT,
            keys.PACE_NEW_PAIRS,
            keys.PACE_END,
        ),
        (TRIGGER,),
    ),
    **dict.fromkeys(
        (
            keys.ID_SOURCE,
            keys.LIVE_SOURCE,
            keys.OTHER_PERSON,
            keys.ID_SCENARIO,
            keys.LIVE_SCENARIO,
            keys.LANGUAGE,
            keys.LAB_SIDE,
            keys.LAB_DEGRADATION,
            keys.CLERK_CONFIDENCE,
            keys.CLERK_TIME_LIMIT,
            keys.PACE_LOOK,
            keys.MORPH_FIRST,
            keys.MORPH_SECOND,
            keys.POOL_KIND,
            keys.TEACHER_CODE,
            keys.TAB_BAR,
        ),
        (TEXT,),
    ),
    **dict.fromkeys(
        (
            keys.LIVENESS_ATTACKS,
            keys.PRESENT_VIEW,
            keys.POOL_BEAT,
            keys.SCALE_USE_MEASURED,
            keys.ONDEVICE_ON,
        ),
        (SWITCH,),
    ),
    **dict.fromkeys(
        (keys.THRESHOLD, keys.MORPH_ALPHA, keys.SCALE_TRIES),
        (SLIDER,),
    ),
    **dict.fromkeys(
        (
            keys.SCALE_REGISTRATIONS,
            keys.SCALE_IMPOSTOR_SHARE,
            keys.SCALE_FAR,
            keys.SCALE_FRR,
            keys.POOL_REMOVE_COUNT,
        ),
        (ONE_NUMBER,),
    ),
    keys.LIVENESS_RECORDER: COMPONENT,
    keys.PRESENT_KEYS: COMPONENT,
    keys.ONDEVICE_CAPTURE: COMPONENT,
}
"""The kind of value (a field of Streamlit's ``WidgetState``) each widget key takes."""

PREFIX_KINDS: dict[str, tuple[str, ...]] = {
    keys.pick(""): (TRIGGER,),
    keys.preset(""): (TRIGGER,),
    keys.morph_suggestion(-1).removesuffix("-1"): (TRIGGER,),
    keys.png_download(""): (TRIGGER,),
    keys.csv_download(""): (TRIGGER,),
    keys.morph_guess(-1).removesuffix("-1"): (TEXT,),
    keys.lab_strength(""): (SLIDER,),
    **{f"{name}_": (FILES,) for name in keys.GENERATED},
}
"""Keys made from a prefix and a name or number (``keys.pick``, ``session.widget_key``...)."""


COMPONENT_EVENTS = "__events"
"""A component's events arrive under ``$$STREAMLIT_INTERNAL_KEY_$$ID-<hash>-<key>__events``."""


def value_kinds(widget_id: str) -> tuple[str, ...]:
    """The kinds of value the widget with Streamlit's ``widget_id`` (``$$ID-<hash>-<key>``) may
    take; empty for a widget the page does not draw (or one without a key)."""
    key = widget_id.split("-", 2)[-1]
    if widget_id.startswith("$$STREAMLIT_INTERNAL_KEY_") and key.endswith(COMPONENT_EVENTS):
        kinds = VALUE_KINDS.get(key.removesuffix(COMPONENT_EVENTS), ())
        return kinds if kinds == COMPONENT else ()
    if key in VALUE_KINDS:
        return VALUE_KINDS[key]
    for prefix, kinds in PREFIX_KINDS.items():
        if key.startswith(prefix):
            return kinds
    return ()


def usable(state: WidgetState) -> bool:
    """Whether Streamlit can read ``state`` as its widget's value: the kind the widget takes,
    and a number (or a slider's one number) that is finite."""
    kind = state.WhichOneof("value")
    if kind is None or kind not in value_kinds(state.id):
        return False
    if kind == ONE_NUMBER:
        return math.isfinite(state.double_value)
    if kind == SLIDER:
        values = state.double_array_value.data
        return len(values) == 1 and math.isfinite(values[0])
    if kind == "json_trigger_value":
        return _events(state.json_trigger_value)
    return True


def _events(text: str) -> bool:
    """Whether ``text`` is what a component's trigger sends: a JSON list of a few
    ``{"event": name, "value": text or number}`` objects. Read here first, so that a crafted
    nesting never reaches Streamlit's own reading."""
    try:
        events = json.loads(text)
    except (ValueError, RecursionError):
        return False
    return (
        isinstance(events, list)
        and len(events) <= EVENTS_AT_ONCE
        and all(
            isinstance(event, dict)
            and set(event) <= {"event", "value"}
            and isinstance(event.get("event"), str)
            and isinstance(event.get("value"), str | int | float | None)
            for event in events
        )
    )


def checked(request: bytes) -> bytes:
    """``request`` (a serialized ``BackMsg``) without the widget values Streamlit could not
    read; anything but a rerun request, or one whose values are all usable, unchanged."""
    message = BackMsg()
    try:
        message.ParseFromString(request)
    except Exception:
        return request
    if message.WhichOneof("type") != "rerun_script":
        return request
    states = message.rerun_script.widget_states.widgets
    refused = [state for state in states if not usable(state)]
    if not refused:
        return request
    kept = [state for state in states if state not in refused]
    kept += [_unoffered(state.id) for state in refused if _is_choice(state)]
    del states[:]
    states.extend(kept)
    return message.SerializeToString()


def _is_choice(state: WidgetState) -> bool:
    """Whether ``state`` belongs to a widget whose value is one of the page's choices."""
    return value_kinds(state.id) == (TEXT,)


def _unoffered(widget_id: str) -> WidgetState:
    """An empty choice for the widget: one the page never offers, so the run resets it with its
    one-line notice (``choices.offered``) instead of keeping silent."""
    state = WidgetState(id=widget_id)
    state.string_value = ""
    return state


class WidgetValueGuard:
    """ASGI middleware: every rerun request on Streamlit's websocket passes :func:`checked`."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "websocket" or not scope["path"].endswith(STREAM_PATH):
            await self.app(scope, receive, send)
            return

        async def receive_checked() -> Message:
            message = await receive()
            if message["type"] == "websocket.receive" and message.get("bytes"):
                return {**message, "bytes": checked(message["bytes"])}
            return message

        await self.app(scope, receive_checked, send)
