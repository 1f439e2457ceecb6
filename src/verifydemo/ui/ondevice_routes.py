"""The HTTP routes that serve the on-device check's files (``ondevice/assets.py``) from the
laptop's own server, under ``/ondevice/``, through ``st.App(routes=...)``.

A file whose name carries its checksum is sent with ``Cache-Control: immutable`` for a year, so
a second visit downloads nothing; ``pipeline.mjs`` and ``config.json`` are revalidated on each
visit with their ETag (304, no body, when unchanged). Files are held gzipped, compressed once;
a client that takes no gzip gets the file unpacked as it is sent, a piece at a time, so many of
them at once never hold many unpacked models. A HEAD request gets the headers alone.
``Cross-Origin-Resource-Policy: same-origin`` keeps other sites from loading them.
"""

from __future__ import annotations

import asyncio
import zlib
from collections.abc import Iterator

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from verifydemo.ondevice.assets import Asset, assets

PREFIX = "/ondevice"
YEAR = 365 * 24 * 3600
PIECE = 256 * 1024
"""Bytes of gzip unpacked at a time for a client that takes no gzip."""


def _headers(asset: Asset, etag: str) -> dict[str, str]:
    return {
        "ETag": etag,
        "Cache-Control": f"public, max-age={YEAR}, immutable" if asset.immutable else "no-cache",
        "Vary": "Accept-Encoding",
        "X-Content-Type-Options": "nosniff",
        "Cross-Origin-Resource-Policy": "same-origin",
    }


def _matches(if_none_match: str, etag: str) -> bool:
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in tags or etag in tags


def _unpacked(stored: bytes) -> Iterator[bytes]:
    """The gzipped ``stored`` unpacked a piece at a time."""
    unpacker = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)
    for start in range(0, len(stored), PIECE):
        yield unpacker.decompress(stored[start : start + PIECE])
    yield unpacker.flush()


async def serve(request: Request) -> Response:
    """One asset by name: gzipped when the browser takes it, 304 when its ETag matches."""
    found = await asyncio.to_thread(assets)
    asset = found.get(request.path_params["name"])
    if asset is None:
        return Response(status_code=404)
    gzipped = asset.gzipped and "gzip" in request.headers.get("accept-encoding", "")
    etag = asset.etag[:-1] + '-gz"' if gzipped else asset.etag
    headers = _headers(asset, etag)
    if _matches(request.headers.get("if-none-match", ""), etag):
        return Response(status_code=304, headers=headers)
    if gzipped:
        headers["Content-Encoding"] = "gzip"
    if request.method == "HEAD":
        return Response(headers=headers, media_type=asset.content_type)
    if asset.gzipped and not gzipped:
        return StreamingResponse(
            _unpacked(asset.stored), headers=headers, media_type=asset.content_type
        )
    return Response(asset.stored, headers=headers, media_type=asset.content_type)


ROUTES = [Route(PREFIX + "/{name}", serve, methods=["GET", "HEAD"])]
"""What ``st.App`` is given as ``routes`` (``startup.APP_OPTIONS``)."""
