"""A crafted client sends widget values the page never offered: the run resets them with a
one-line notice and finishes, and the server keeps serving."""

from __future__ import annotations

import asyncio

import pytest
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from browser import streamlit_server
from verifydemo.ui import keys

pytestmark = pytest.mark.slow


async def page_runs(url: str, query: str, crafted: dict[str, str]) -> tuple[str, str]:
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


async def _run(socket, query: str, values: dict[str, str]) -> str:
    request = BackMsg()
    request.rerun_script.query_string = query
    request.rerun_script.page_script_hash = ""
    for widget_id, value in values.items():
        state = request.rerun_script.widget_states.widgets.add()
        state.id = widget_id
        state.string_value = value
    await socket.send(request.SerializeToString())
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


@pytest.mark.parametrize(
    ("query", "crafted"),
    [
        ("tab=class", {keys.POOL_KIND: "made-up"}),
        ("tab=class", {keys.TAB_BAR: "made-up"}),
        ("", {keys.LIVE_SOURCE: "nonsense", keys.ID_SCENARIO: "moon"}),
    ],
)
def test_a_made_up_choice_is_reset_with_a_notice(query, crafted):
    with streamlit_server() as running:
        first, second = asyncio.run(asyncio.wait_for(page_runs(running.url, query, crafted), 120))
        assert "exception {" not in first
        assert "exception {" not in second and "Traceback" not in second
        assert "A choice this page does not offer was reset." in second
        assert "the phone number is issued" in second, "the check still runs"
