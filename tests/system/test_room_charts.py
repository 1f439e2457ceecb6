"""The distance scale as Chromium draws it, on a phone, a laptop and a projector: no label over
another label, a tick or the threshold's line, and none cut off at the chart's edges."""

from __future__ import annotations

import pytest

from browser import IDLE, go_to_step, open_projector
from verifydemo.ui.present import STEPS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCALE = ".st-key-step_verdict [data-testid=stVegaLiteChart]"
DRAWN = """(chart) => {
    // Every label drawn (Vega hides a tick label it leaves out with opacity 0) and every line.
    const box = (e) => {
        const r = e.getBoundingClientRect();
        return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, text: e.textContent};
    };
    const svg = chart.querySelector('svg');
    return {
        chart: box(chart),
        texts: [...svg.querySelectorAll('text')]
            .filter(t => t.textContent.trim() && Number(getComputedStyle(t).opacity) > 0)
            .map(box),
        rules: [...svg.querySelectorAll('.mark-rule line, .mark-rule path')].map(box),
    };
}"""
VIEWS = [
    ("phone", "en", 390, 844, "normal"),
    ("laptop", "en", 1280, 720, "normal"),
    ("projector", "en", 1280, 720, "present"),
    ("projector", "zh", 1280, 720, "present"),
    ("projector", "en", 1024, 768, "present"),
]


def overlap(a: dict, b: dict, slack: float = 0.5) -> bool:
    return (
        a["left"] < b["right"] - slack
        and b["left"] < a["right"] - slack
        and a["top"] < b["bottom"] - slack
        and b["top"] < a["bottom"] - slack
    )


def crosses(text: dict, rule: dict) -> bool:
    """Whether a (vertical) line runs through a text's box."""
    return (
        text["left"] < rule["left"] < text["right"]
        and text["top"] < rule["bottom"]
        and rule["top"] < text["bottom"]
    )


def open_scale(chromium, url: str, language: str, width: int, height: int, view: str):
    page = chromium.plain.new_page(viewport={"width": width, "height": height})
    if view == "present":
        open_projector(page, f"{url}&lang={language}&view=present")
        go_to_step(page, "verdict")
    else:
        page.goto(f"{url}&lang={language}")
        page.wait_for_selector(IDLE, timeout=120_000)
    chart = page.locator(SCALE).first
    chart.scroll_into_view_if_needed()
    page.wait_for_function(
        f"document.querySelector({SCALE!r}).querySelectorAll('svg text').length > 4",
        timeout=30_000,
    )
    page.wait_for_timeout(500)
    return chart


@pytest.mark.parametrize("threshold", ["0.60", "0.30"])
@pytest.mark.parametrize(("device", "language", "width", "height", "view"), VIEWS)
def test_the_distance_scale_labels_overlap_nothing_and_stay_inside_the_chart(
    page_server, chromium, threshold, device, language, width, height, view
):
    """At 0.30 the threshold sits right beside this pair's distance (0.286)."""
    chart = open_scale(
        chromium, f"{page_server.url}/?threshold={threshold}", language, width, height, view
    )
    drawn = chart.evaluate(DRAWN)
    where = f"{device} {language} {width}x{height} at {threshold}"
    texts, rules, frame = drawn["texts"], drawn["rules"], drawn["chart"]
    assert any(text["text"].endswith(threshold) for text in texts), where
    assert rules, where
    for index, text in enumerate(texts):
        assert frame["left"] - 0.5 <= text["left"] and text["right"] <= frame["right"] + 0.5, (
            f"{where}: {text['text']!r} cut off at the chart's edge"
        )
        for other in texts[index + 1 :]:
            assert not overlap(text, other), f"{where}: {text['text']!r} over {other['text']!r}"
        for rule in rules:
            assert not crosses(text, rule), f"{where}: a line through {text['text']!r}"


HISTOGRAM = "[role=tabpanel]:not([hidden]) [data-testid=stVegaLiteChart]"


@pytest.mark.parametrize(
    ("language", "width", "height"), [("en", 1280, 720), ("zh", 1280, 720), ("en", 1024, 768)]
)
def test_the_histogram_axis_titles_are_whole_and_inside_the_chart_on_the_projector(
    page_server, chromium, language, width, height
):
    """The threshold's costs tab on the projector: the histogram is short there, so its y-axis
    title ("share of pairs") is written level above the axis rather than cut to the plot's
    height; every label is whole, inside the chart and over no other."""
    from verifydemo.core.i18n import translations

    page = chromium.plain.new_page(viewport={"width": width, "height": height})
    open_projector(page, f"{page_server.url}/?view=present&lang={language}")
    go_to_step(page, STEPS[-1][0])
    page.wait_for_function(
        f"document.querySelector({HISTOGRAM!r})?.querySelectorAll('svg text').length > 4",
        timeout=60_000,
    )
    page.wait_for_timeout(500)
    drawn = page.locator(HISTOGRAM).first.evaluate(DRAWN)
    titles = {"share of pairs", "distance"}
    if language != "en":
        titles = {translations(language).get(title, title) for title in titles}
    texts, frame = drawn["texts"], drawn["chart"]
    where = f"{language} {width}x{height}"
    assert titles <= {text["text"] for text in texts}, f"{where}: {[t['text'] for t in texts]}"
    for index, text in enumerate(texts):
        assert frame["left"] - 0.5 <= text["left"] and text["right"] <= frame["right"] + 0.5, (
            f"{where}: {text['text']!r} cut off at the chart's edge"
        )
        assert frame["top"] - 0.5 <= text["top"] and text["bottom"] <= frame["bottom"] + 0.5, (
            f"{where}: {text['text']!r} cut off at the chart's top or foot"
        )
        for other in texts[index + 1 :]:
            assert not overlap(text, other), f"{where}: {text['text']!r} over {other['text']!r}"
