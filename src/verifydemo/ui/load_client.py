"""A classroom of sessions without browsers, for ``verifydemo bench``'s load test.

``python -m verifydemo.ui.load_client URL CA_FILE SESSIONS SPREAD TIMEOUT`` opens ``SESSIONS``
Streamlit sessions on ``URL`` evenly over ``SPREAD`` seconds. Each speaks the browser's own
protocol on the server's websocket (``/_stcore/stream``): it asks for a page run, as a browser
does when it opens the page, and waits for the decision of the page's check. Meanwhile the
server's health check is asked every half second. Prints one JSON line: each session's seconds
to its verdict (null if none came) and each health check's seconds.
"""

from __future__ import annotations

import asyncio
import json
import ssl
import sys
import time
import urllib.request
from collections.abc import AsyncIterator

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg


def load(url: str, trusted: ssl.SSLContext, sessions: int, spread: float, timeout: float) -> dict:
    """Each session's seconds to its verdict (None without one) and each health check's."""
    health: list[float] = []

    async def probe_health(stop: asyncio.Event) -> None:
        while not stop.is_set():
            started = time.perf_counter()
            await asyncio.to_thread(
                lambda: urllib.request.urlopen(
                    f"{url}/_stcore/health", context=trusted, timeout=30
                ).read()
            )
            health.append(time.perf_counter() - started)
            await asyncio.sleep(0.5)

    async def one(index: int) -> float | None:
        await asyncio.sleep(index * spread / sessions)
        return await session_verdict(url, trusted, timeout)

    async def everything() -> list[float | None]:
        stop = asyncio.Event()
        prober = asyncio.create_task(probe_health(stop))
        results = await asyncio.gather(*(one(index) for index in range(sessions)))
        stop.set()
        await prober
        return results

    return {"verdicts": asyncio.run(everything()), "health": health}


async def page_run(url: str, trusted: ssl.SSLContext) -> AsyncIterator[str]:
    """One page run as a browser opening ``url`` asks for it: the text of each element the
    server draws, in order, until the run finishes."""
    request = BackMsg()
    request.rerun_script.query_string = ""
    request.rerun_script.page_script_hash = ""
    async with websockets.connect(
        url.replace("https://", "wss://") + "/_stcore/stream",
        subprotocols=["streamlit"],
        ssl=trusted,
        max_size=None,
    ) as socket:
        await socket.send(request.SerializeToString())
        async for frame in socket:
            message = ForwardMsg()
            message.ParseFromString(frame)
            kind = message.WhichOneof("type")
            if kind == "delta":
                yield str(message.delta)
            if kind == "script_finished":
                return


async def session_verdict(url: str, trusted: ssl.SSLContext, timeout: float) -> float | None:
    """One session: connect, ask for a page run, and return the seconds until the page's
    decision arrives (None if the run ends without one, or after ``timeout``)."""
    started = time.perf_counter()

    async def run() -> float | None:
        async for element in page_run(url, trusted):
            if "the phone number is issued" in element:
                return time.perf_counter() - started
        return None

    try:
        return await asyncio.wait_for(run(), timeout)
    except TimeoutError:
        return None


if __name__ == "__main__":
    url, ca_file, sessions, spread, timeout = sys.argv[1:6]
    trusted = ssl.create_default_context(cafile=ca_file)
    print(json.dumps(load(url, trusted, int(sessions), float(spread), float(timeout))))
