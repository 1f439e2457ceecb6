"""Lesson-plan links (``?threshold=&scenario=&tab=&lang=&view=``) and the projector view."""

from __future__ import annotations

import pytest

from browser import IDLE, launch_chromium, open_projector, require_chromium, streamlit_server
from support import new_app
from verifydemo.ui import keys
from verifydemo.ui.present import STEPS

VERDICT_STEP = 1 + [name for name, _title in STEPS].index("verdict")
"""The projector step (counted from 1) that shows the verdict and the threshold."""

pytestmark = pytest.mark.slow


def decision(page) -> str:
    return page.success[0].value if page.success else page.warning[0].value


def test_address_presets_open_the_page_in_that_state():
    page = new_app({"threshold": "0.5", "scenario": "chip", "tab": "groups"})
    assert page.slider(key=keys.THRESHOLD).value == 0.5
    assert page.selectbox(key=keys.ID_SCENARIO).value == "chip"
    assert page.selectbox(key=keys.LIVE_SCENARIO).value == "studio"
    assert page.session_state[keys.OPEN_TAB] == "groups"
    assert "threshold 0.50" in decision(page)
    assert not [info for info in page.info if "Ignored in the address" in info.value]


def test_live_scenario_preset_and_chinese():
    page = new_app({"scenario": "blur", "lang": "zh"})
    assert page.selectbox(key=keys.LIVE_SCENARIO).value == "blur"
    assert page.selectbox(key=keys.ID_SCENARIO).value == "studio"
    assert any(header.value.startswith("第") for header in page.header)  # a Chinese step header


def test_invalid_presets_are_ignored_with_one_line_notice():
    page = new_app(
        {"threshold": "banana", "scenario": "moon", "tab": "nope", "view": "huge", "lang": "xx"}
    )
    assert not page.exception
    (notice,) = [info.value for info in page.info if "Ignored in the address" in info.value]
    assert "\n" not in notice
    for part in ("threshold=banana", "scenario=moon", "tab=nope", "view=huge", "lang=xx"):
        assert part in notice
    assert page.slider(key=keys.THRESHOLD).value == 0.6
    assert page.selectbox(key=keys.ID_SCENARIO).value == "studio"
    assert not page.toggle(key=keys.PRESENT_VIEW).value
    page.slider(key=keys.THRESHOLD).set_value(0.7).run()
    assert not [info for info in page.info if "Ignored in the address" in info.value]


@pytest.mark.parametrize("value", ["1.5", "0.1", "nan", "-inf", ""])
def test_out_of_range_thresholds_are_ignored(value):
    page = new_app({"threshold": value})
    assert page.slider(key=keys.THRESHOLD).value == 0.6
    assert any("threshold=" in info.value for info in page.info)


def test_presets_are_read_once_then_the_visitor_rules():
    page = new_app({"threshold": "0.5"})
    page.slider(key=keys.THRESHOLD).set_value(0.7).run()
    assert page.slider(key=keys.THRESHOLD).value == 0.7


def test_projector_view_steps_through_with_big_buttons():
    page = new_app({"view": "present"})
    assert page.toggle(key=keys.PRESENT_VIEW).value
    assert any(f"Step 1 of {len(STEPS)}" in markdown.value for markdown in page.markdown)
    assert page.button(key="present_back").disabled
    for _ in range(VERDICT_STEP - 1):
        page.button(key="present_next").click().run()
    assert any(
        f"Step {VERDICT_STEP} of {len(STEPS)}: The verdict" in markdown.value
        for markdown in page.markdown
    )
    assert decision(page).startswith("**Match**")
    page.toggle(key=keys.PRESENT_VIEW).set_value(False).run()
    assert not [markdown for markdown in page.markdown if f"of {len(STEPS)}:" in markdown.value]
    assert page.title, "the normal view has its title and introduction back"


@pytest.mark.browser
def test_projector_verdict_fits_1280_by_720_remote_keys_move_and_the_preset_tab_opens():
    require_chromium()
    from playwright.sync_api import sync_playwright

    with streamlit_server() as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.goto(f"{server.url}/?tab=groups&threshold=0.55")
        page.wait_for_selector(IDLE, timeout=120_000)
        selected = page.locator("[role=tab][aria-selected=true]")
        assert selected.inner_text() == "Group differences"

        page.goto(f"{server.url}/?view=present&threshold=0.5")
        page.wait_for_selector(IDLE, timeout=120_000)
        page.wait_for_selector("html[data-presenter-keys=ready]", state="attached", timeout=30_000)
        page.get_by_text(f"Step 1 of {len(STEPS)}").click()  # the page has the keyboard
        for key, step in (("PageDown", 2), ("ArrowRight", 3), ("PageUp", 2), ("ArrowLeft", 1)):
            page.keyboard.press(key)  # what a presenter remote sends
            page.get_by_text(f"Step {step} of {len(STEPS)}").wait_for(timeout=30_000)
            page.wait_for_selector(IDLE, timeout=60_000)
        for _ in range(VERDICT_STEP - 1):
            page.get_by_role("button", name="Next →").click()
            page.wait_for_selector(IDLE, timeout=60_000)
        page.get_by_text(f"Step {VERDICT_STEP} of {len(STEPS)}").wait_for(timeout=30_000)
        page.wait_for_timeout(500)
        page.screenshot(path=str(server_shot := _shot_path()))
        for text in ("Match: the phone number is issued", "Threshold: a distance"):
            box = page.locator(".st-key-step_verdict").get_by_text(text).bounding_box()
            assert box is not None and box["y"] + box["height"] <= 720, text
        scale = page.locator(
            ".st-key-step_verdict [data-testid='stVegaLiteChart']:visible"
        ).first.bounding_box()
        assert scale["y"] + scale["height"] <= 720
        heights = page.evaluate(
            "[...document.querySelectorAll('*')].filter(e => e.scrollHeight > e.clientHeight + 1"
            " && ['auto', 'scroll'].includes(getComputedStyle(e).overflowY)).length"
        )
        assert heights == 0, "a scrollbar is showing"
        assert page.evaluate("document.documentElement.scrollHeight") <= 720
        assert server_shot.stat().st_size > 10_000
        browser.close()


def _shot_path():
    import tempfile
    from pathlib import Path

    return Path(tempfile.mkdtemp()) / "projector.png"


@pytest.mark.browser
def test_every_projector_step_fits_one_screen_in_both_languages_with_back_row_type():
    """At 1280 x 720 in English and Chinese, and at 1024 x 768: each step's page is no taller
    than the screen, its title appears once, body text is at least 24 px and the decision at
    least 32 px; the "how it fails" step shows the open tab's main chart."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    measure = """() => {
        const main = document.querySelector('[data-testid=stMain]');
        const visible = (e) => e.offsetParent !== null;
        const alert = [...document.querySelectorAll('[data-testid=stAlert] p')].find(visible);
        const body = [...document.querySelectorAll('[data-testid=stMarkdown] p, li')]
            .filter(visible).map(e => parseFloat(getComputedStyle(e).fontSize));
        return {
            height: main.scrollHeight,
            titles: [...document.querySelectorAll('h1, h2, h3')].filter(visible)
                .map(e => e.innerText),
            charts: [...document.querySelectorAll('[data-testid=stVegaLiteChart]')]
                .filter(visible).length,
            alert: alert ? parseFloat(getComputedStyle(alert).fontSize) : null,
            smallest: body.length ? Math.min(...body) : null,
        };
    }"""
    with streamlit_server() as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for language, width, height in (("en", 1280, 720), ("zh", 1280, 720), ("en", 1024, 768)):
            page = browser.new_page(viewport={"width": width, "height": height})
            open_projector(page, f"{server.url}/?view=present&lang={language}")
            for step, (name, _title) in enumerate(STEPS, start=1):
                if step > 1:
                    page.keyboard.press("PageDown")
                    page.wait_for_function(
                        f"document.querySelector('.st-key-present_nav h3').innerText"
                        f".includes('{step}')",
                        timeout=30_000,
                    )
                    page.wait_for_selector(IDLE, timeout=60_000)
                page.wait_for_timeout(500)
                seen = page.evaluate(measure)
                where = f"{language} {width}x{height} step {step} ({name}): {seen}"
                assert seen["height"] <= height, where
                assert len(seen["titles"]) == len(set(seen["titles"])), where
                assert sum(str(step) in title for title in seen["titles"][:1]) == 1, where
                assert seen["smallest"] is None or seen["smallest"] >= 24, where
                if name in ("check", "verdict"):
                    assert seen["alert"] is not None and seen["alert"] >= 32, where
                if name in ("check", "verdict", "tabs"):
                    assert seen["charts"] >= 1, where
            page.close()
        browser.close()
