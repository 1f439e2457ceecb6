"""The projector in a classroom, as the teacher shows it (the browser on the room's computer,
``verifydemo classroom --host 127.0.0.1``): the join panel compact on the first step and gone
after it; the tabs of the last step that a lesson projects each fit one screen with their main
content, in both languages; every tab's label in view, projected or not."""

from __future__ import annotations

import pytest

from browser import IDLE, go_to_step, open_projector
from verifydemo.ui.threshold import TABS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCREENS = [("en", 1280, 720), ("zh", 1280, 720), ("en", 1024, 768), ("zh", 1024, 768)]
PROJECTED_TABS = ("costs", "lab", "attack", "groups", "scale", "morph", "class")
"""The tabs the lesson puts on the projector: the threshold's costs, the perturbation lab, the
photo held up to the camera, the group differences, the national scale, the morph lab and the
class board."""
BACK_ROW = {"body": 24, "figure": 32, "chart": 18}
"""The issue's smallest sizes in the projector view, in pixels: body text, a figure (a metric's
value, as the verdict), a chart's label."""
SEEN = """() => {
    const main = document.querySelector('[data-testid=stMain]');
    const panel = [...document.querySelectorAll('[role=tabpanel]')].find(p => !p.hidden);
    const shown = (selector) => [...(panel || document).querySelectorAll(selector)]
        .filter(e => e.offsetParent !== null && e.getBoundingClientRect().height > 0);
    const bottom = (elements) =>
        Math.max(0, ...elements.map(e => e.getBoundingClientRect().bottom));
    const size = (e) => parseFloat(getComputedStyle(e).fontSize);
    const text = shown('[data-testid=stMarkdown] p, li').map(size);
    const values = shown('[data-testid=stMetricValue]').map(size);
    const labels = shown('[data-testid=stVegaLiteChart] svg text')
        .filter(e => e.textContent.trim() && Number(getComputedStyle(e).opacity) > 0)
        .map(e => parseFloat(e.getAttribute('font-size') || getComputedStyle(e).fontSize));
    return {
        height: main.scrollHeight,
        pictures: shown('[data-testid=stImage] img').length,
        figures: shown('strong').length,
        charts: shown('[data-testid=stVegaLiteChart]').length,
        lowest: bottom(shown('img, strong, [data-testid=stVegaLiteChart], button')),
        smallest: text.length ? Math.min(...text) : null,
        metrics: values.length,
        smallestFigure: values.length ? Math.min(...values) : null,
        smallestChartLabel: labels.length ? Math.min(...labels) : null,
    };
}"""


@pytest.fixture(scope="module")
def room():
    """One classroom for the module; this machine's browser is the teacher's screen."""
    from verifydemo.entry.live_server import classroom_server

    with classroom_server() as running:
        yield running


def projector(chromium, room, language: str, width: int, height: int):
    """The teacher's projector view, on its first step, with the keyboard on the page."""
    window = chromium.plain.new_context(
        viewport={"width": width, "height": height}, ignore_https_errors=True
    )
    page = window.new_page()
    open_projector(page, f"{room.url}/?view=present&lang={language}")
    return page


def open_tab(page, name: str) -> None:
    index = [tab for tab, _label, _draw in TABS].index(name)
    page.locator("[role=tab]").nth(index).click()
    page.wait_for_function(
        f"document.querySelectorAll('[role=tab]')[{index}].getAttribute('aria-selected')"
        " === 'true'",
        timeout=30_000,
    )
    page.wait_for_selector(IDLE, timeout=60_000)
    page.wait_for_timeout(1500)
    page.wait_for_selector(IDLE, timeout=60_000)


def test_the_join_panel_is_compact_on_the_first_projector_step_and_gone_after(room, chromium):
    page = projector(chromium, room, "en", 1280, 720)
    panel = page.locator(".st-key-join_panel")
    box = panel.bounding_box()
    qr = panel.locator("img").bounding_box()
    assert box["height"] <= 0.3 * 720, f"the join panel takes {box['height']} px of 720"
    assert 150 <= qr["height"] <= box["height"], "the code still large enough to scan"
    assert panel.get_by_text(room.url).is_visible(), "the address beside the code"
    go_to_step(page, "id")
    assert not page.locator(".st-key-join_panel").is_visible()


@pytest.mark.parametrize(("language", "width", "height"), SCREENS)
def test_the_projected_tabs_fit_one_screen_with_their_main_content(
    room, chromium, language, width, height
):
    """On the last step each projected tab shows its main content (the lab's picture with its
    distances before and after and, once drawn, its curve; the held-up photo with its
    distance; the two group rates beside each group's FMR; the year's rejections and accepted
    impostors beside the 1:N chart; the morph with its two volunteers, its chart and its two
    distances; the class board's count and histogram) within the screen, no page scrolling, in
    the back row's sizes."""
    page = projector(chromium, room, language, width, height)
    go_to_step(page, "tabs")
    for name in PROJECTED_TABS:
        open_tab(page, name)
        seen = page.evaluate(SEEN)
        where = f"{language} {width}x{height} {name}: {seen}"
        assert seen["height"] <= height, where
        assert seen["lowest"] <= height, where
        assert seen["smallest"] is None or seen["smallest"] >= BACK_ROW["body"], where
        assert seen["smallestFigure"] is None or seen["smallestFigure"] >= BACK_ROW["figure"], where
        label = seen["smallestChartLabel"]
        assert label is None or label >= BACK_ROW["chart"], where
        if name in ("lab", "attack"):
            assert seen["pictures"] == 1 and seen["figures"] >= (2 if name == "lab" else 1), where
        if name in ("costs", "class"):
            assert seen["charts"] >= 1 and seen["figures"] >= (name == "class"), where
        if name in ("groups", "scale", "morph"):
            assert seen["charts"] == 1 and seen["metrics"] == 2, where
            assert seen["pictures"] == (3 if name == "morph" else 0), where
        if name == "lab":
            page.locator(".st-key-lab_curve button").click()
            page.wait_for_selector(
                "[role=tabpanel]:not([hidden]) [data-testid=stVegaLiteChart]", timeout=120_000
            )
            page.wait_for_selector(IDLE, timeout=60_000)
            page.wait_for_timeout(1000)
            seen = page.evaluate(SEEN)
            where = f"{language} {width}x{height} lab with its curve: {seen}"
            assert seen["charts"] == 1 and seen["pictures"] == 1, where
            assert seen["height"] <= height and seen["lowest"] <= height, where


TAB_LABELS = """() => {
    const list = document.querySelector('[role=tablist]').getBoundingClientRect();
    return [...document.querySelectorAll('[role=tab]')].map(tab => {
        const box = tab.getBoundingClientRect();
        const label = tab.querySelector('p');
        return {
            text: tab.innerText, left: box.left, right: box.right,
            inList: box.left >= list.left - 0.5 && box.right <= list.right + 0.5,
            whole: label.scrollWidth <= label.clientWidth + 1,
        };
    });
}"""


@pytest.mark.parametrize("view", ["normal", "present"])
@pytest.mark.parametrize(("language", "width", "height"), SCREENS[:3])
def test_every_tab_label_is_whole_and_on_the_screen(room, chromium, view, language, width, height):
    if view == "present":
        page = projector(chromium, room, language, width, height)
        go_to_step(page, "tabs")
    else:
        window = chromium.plain.new_context(
            viewport={"width": width, "height": height}, ignore_https_errors=True
        )
        page = window.new_page()
        page.goto(f"{room.url}/?lang={language}")
        page.wait_for_selector(IDLE, timeout=120_000)
        page.locator("[role=tab]").first.wait_for(timeout=60_000)
        page.wait_for_selector(IDLE, timeout=60_000)
        page.wait_for_timeout(1000)
    tabs = page.evaluate(TAB_LABELS)
    assert len(tabs) == len(TABS)
    for tab in tabs:
        where = f"{view} {language} {width}x{height}: {tab}"
        assert tab["left"] >= 0 and tab["right"] <= width, where
        assert tab["inList"] and tab["whole"], where


def test_the_morph_verdict_stays_on_the_projector_when_it_passes_as_neither(room, chromium):
    """The projector folds plain text, but not the morph lab's verdict: at 0.30 the default
    morph (0.333 and 0.344 from the two live photos) passes as neither person, said in words
    with no bold part."""
    window = chromium.plain.new_context(
        viewport={"width": 1280, "height": 720}, ignore_https_errors=True
    )
    page = window.new_page()
    open_projector(page, f"{room.url}/?view=present&threshold=0.30&lang=en")
    go_to_step(page, "tabs")
    open_tab(page, "morph")
    verdict = page.get_by_text("At threshold 0.30 it passes as neither person.")
    assert verdict.is_visible()
    assert verdict.bounding_box()["y"] + verdict.bounding_box()["height"] <= 720


BUTTON_LABELS = """() => [...document.querySelectorAll(
        '.st-key-present_nav button, .st-key-pace_panel button')]
    .filter(b => b.offsetParent !== null)
    .map(b => {
        const box = b.getBoundingClientRect();
        const p = b.querySelector('p');
        const text = p.getBoundingClientRect();
        return {
            label: p.innerText,
            whole: p.scrollWidth <= p.clientWidth + 1,
            inside: text.top >= box.top - 1 && text.bottom <= box.bottom + 1
                && text.left >= box.left - 1 && text.right <= box.right + 1,
        };
    })"""


@pytest.mark.parametrize(("language", "width", "height"), SCREENS)
def test_the_projectors_step_and_lesson_buttons_show_their_whole_labels(
    room, chromium, language, width, height
):
    """Back, Next and the paced lesson's four buttons, on the teacher's projector: each label
    whole (no "..."), inside its button."""
    page = projector(chromium, room, language, width, height)
    buttons = page.evaluate(BUTTON_LABELS)
    assert len(buttons) == 6, buttons
    for button in buttons:
        assert button["whole"] and button["inside"], (language, width, button)
