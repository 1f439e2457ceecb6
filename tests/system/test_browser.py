"""End to end: the real server, Debian's Chromium, a fake camera fed from a demo face."""

from __future__ import annotations

import itertools
import re
from urllib.parse import urlsplit

import pytest

from browser import IDLE, choose_live_source, webcam_check, write_y4m
from verifydemo.core.compare import compare
from verifydemo.core.decode import decode_image
from verifydemo.core.faces import find_face
from verifydemo.core.i18n import translations
from verifydemo.ui.threshold import TABS

pytestmark = pytest.mark.browser


@pytest.fixture
def server(page_server) -> str:
    return page_server.url


def test_webcam_check_in_a_real_browser(
    server, chromium, tmp_path, demo_by_id, embedded_demo_faces
):
    camera_frame = write_y4m(
        decode_image(demo_by_id["001"].live_photo.read_bytes()), tmp_path / "cam.y4m"
    )
    expected = compare(embedded_demo_faces["001"][0].embedding, find_face(camera_frame).embedding)
    text, requested = webcam_check(chromium.with_camera(tmp_path / "cam.y4m"), server)

    assert text.startswith("Match: the phone number is issued")
    shown = float(re.search(r"distance (\d\.\d+)", text).group(1))
    assert shown == pytest.approx(expected.distance, abs=0.05)
    assert shown <= 0.6
    origin = urlsplit(server)
    for url in requested:
        # the liveness recorder's script is a blob: URL the page makes in its own memory
        parts = urlsplit(url.removeprefix("blob:"))
        assert (parts.hostname, parts.port) == (origin.hostname, origin.port), url


def test_hostile_uploads_in_a_real_browser_get_one_line_and_others_keep_working(
    server, chromium, demo_by_id
):
    from hostile_inputs import hostile_files

    corpus = {item.name: item for item in hostile_files(demo_by_id["001"].id_photo)}
    chosen = [
        corpus[name]
        for name in (
            "truncated.jpg",
            "bomb.png",
            "document.jpg",
            "![x](http://127.0.0.2/t.png).jpg",
        )
    ]
    requested: list[str] = []
    context = chromium.plain.new_context(viewport={"width": 1400, "height": 1800})
    context.on("request", lambda request: requested.append(request.url))
    page = context.new_page()
    page.goto(server)
    page.wait_for_selector(IDLE, timeout=120_000)
    choose_live_source(page, "Upload a photo")
    expectations = [item.expect for item in chosen]
    assert all(a != b for a, b in itertools.pairwise(expectations)), (
        "each upload must change what the page shows, so the wait below sees the new state"
    )
    for item in chosen:
        page.locator("[data-testid='stFileUploader'] input[type=file]").first.set_input_files(
            files=[{"name": item.name, "mimeType": "image/jpeg", "buffer": item.data}]
        )
        if item.expect is None:
            page.locator(".st-key-step_verdict").get_by_text(
                re.compile(r"Match: the phone number is issued")
            ).wait_for(timeout=60_000)
        else:
            page.get_by_test_id("stAlertContentError").filter(has_text=item.expect).wait_for(
                timeout=60_000
            )
        page.wait_for_selector(IDLE, timeout=60_000)
        errors = page.get_by_test_id("stAlertContentError").all_inner_texts()
        if item.expect is None:
            assert errors == [], item.name
        else:
            assert len(errors) == 1 and item.expect in errors[0], (item.name, errors)
            assert "\n" not in errors[0].strip()
        assert page.get_by_test_id("stException").count() == 0

    other = chromium.plain.new_context().new_page()
    other.goto(server)
    other.locator(".st-key-step_verdict").get_by_text(
        re.compile(r"Match: the phone number is issued")
    ).wait_for(timeout=60_000)
    assert not [url for url in requested if "127.0.0.2" in url]


def test_eight_sessions_verifying_at_once_all_get_their_own_result(
    server, chromium, embedded_demo_faces
):
    import time

    people = ["002", "005", "025", "030", "038", "043", "045", "062"]
    browser = chromium.plain
    pages = []
    for _ in people:
        page = browser.new_context(viewport={"width": 1400, "height": 1600}).new_page()
        page.goto(server)
        pages.append(page)
    for page in pages:
        page.wait_for_selector(IDLE, timeout=120_000)
    started = time.monotonic()
    for page, person_id in zip(pages, people, strict=True):
        page.get_by_role("button", name=f"#{person_id}").click()
    texts = {}
    for page, person_id in zip(pages, people, strict=True):
        page.get_by_text(f"London Set #{person_id}, smiling photo").wait_for(timeout=120_000)
        page.wait_for_selector(IDLE, timeout=120_000)
        texts[person_id] = (
            page.locator(".st-key-step_verdict")
            .get_by_text(re.compile(r"Match: the phone number"))
            .inner_text()
        )
    elapsed = time.monotonic() - started
    print(f"\n8 concurrent sessions verified in {elapsed:.1f} s")
    for person_id, text in texts.items():
        expected = compare(*(face.embedding for face in embedded_demo_faces[person_id]))
        assert f"distance {expected.distance:.3f}" in text, (person_id, text)


GLYPHS_DIFFER = """
([first, second]) => {
  const font = getComputedStyle(document.querySelector("h1")).fontFamily;
  const draw = (text) => {
    const canvas = document.createElement("canvas");
    canvas.width = 120; canvas.height = 60;
    const context = canvas.getContext("2d");
    context.font = `40px ${font}`;
    context.fillText(text, 10, 45);
    return Array.from(context.getImageData(0, 0, 120, 60).data);
  };
  const a = draw(first), b = draw(second);
  const inked = a.some((value, index) => index % 4 === 3 && value > 0);
  const differ = a.some((value, index) => value !== b[index]);
  return inked && differ;
}
"""
"""Two different characters drawn in the page's font: missing glyphs would draw the same box."""


def test_chinese_page_in_a_real_browser_renders_chinese_glyphs(server, chromium, tmp_path):
    cjk = re.compile(r"[\u4e00-\u9fff]")
    browser = chromium.plain
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.goto(f"{server}/?lang=zh")
    page.wait_for_selector(IDLE, timeout=120_000)
    page.get_by_role("tab").first.wait_for(timeout=60_000)
    title = page.locator("h1").first.inner_text()
    steps = page.locator("h2").all_inner_texts()
    tabs = page.get_by_role("tab").all_inner_texts()
    assert cjk.search(title), title
    assert len(steps) >= 3 and all(cjk.search(step) for step in steps), steps
    assert len(tabs) == len(TABS) and all(cjk.search(tab) for tab in tabs), tabs
    assert page.evaluate(GLYPHS_DIFFER, ["人脸", "比对"]), "CJK glyphs render (no tofu)"
    page.screenshot(path=str(tmp_path / "chinese.png"))
    assert (tmp_path / "chinese.png").stat().st_size > 10_000


def test_a_clicked_tab_runs_alone_and_the_page_keeps_its_choices_in_the_other_language(
    server, chromium
):
    from playwright.sync_api import expect

    lab_intro = "Degrade one photo and watch the distance move."
    zh = translations("zh")
    browser = chromium.plain
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.goto(server)
    page.wait_for_selector(IDLE, timeout=120_000)
    page.get_by_role("tab").first.wait_for(timeout=60_000)
    assert page.get_by_text(lab_intro).count() == 0, "a closed tab does not run"
    page.get_by_role("tab", name="Perturbation lab").click()
    expect(page.get_by_text(lab_intro)).to_be_visible(timeout=60_000)
    page.get_by_text("中文").click()
    selected = page.locator('[role="tab"][aria-selected="true"]')
    expect(selected).to_have_text(zh["Perturbation lab"], timeout=60_000)
    page.wait_for_selector(IDLE, timeout=60_000)
    assert page.get_by_text(lab_intro).count() == 0
    expect(page.get_by_role("combobox", name=zh["Degradation"])).to_have_value(zh["Low light"])
    radios = page.locator('[data-testid="stRadio"]')
    assert radios.count() >= 4, "language, both photo sources and the lab's side"
    for index in range(radios.count()):
        group = radios.nth(index)
        assert group.locator("input:checked").count() == 1, group.inner_text()
