"""Charts saved as PNG files, with a font that has Chinese glyphs when one can be found."""

from __future__ import annotations

import functools
from pathlib import Path

from verifydemo.pictures.charts import Spec

CJK_FONT_FOLDERS = (
    "/usr/share/fonts/opentype/noto",
    "/usr/share/fonts/truetype/noto",
    "/usr/share/fonts/opentype/wqy",
    "/System/Library/Fonts",
    "C:/Windows/Fonts",
)
"""Where Debian's fonts-noto-cjk, WenQuanYi, macOS and Windows keep fonts with CJK glyphs."""


@functools.cache
def cjk_font_folders() -> tuple[str, ...]:
    """The font folders found and registered with vl-convert (once per process)."""
    import vl_convert

    found = tuple(folder for folder in CJK_FONT_FOLDERS if Path(folder).is_dir())
    for folder in found:
        vl_convert.register_font_directory(folder)
    return found


def chart_png(spec: Spec, scale: float = 1.5) -> bytes:
    """``spec`` (a Vega-Lite chart) drawn as PNG bytes, in memory."""
    import vl_convert

    cjk_font_folders()
    return vl_convert.vegalite_to_png(spec, scale=scale)
