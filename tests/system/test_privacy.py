"""Privacy promises, each tested against the real server: nothing stored, sent or shared."""

from __future__ import annotations

import ast
import re
import shutil
import time
import tomllib
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pytest
from PIL import Image

from browser import (
    IDLE,
    LIVENESS_VERDICT,
    ROOT,
    choose_live_source,
    liveness_recording,
    record_liveness,
    streamlit_server,
    write_liveness_camera,
)
from support import image_bytes, require
from verifydemo.entry.live_server import classroom_server
from verifydemo.ui import closed_tabs

pytestmark = pytest.mark.browser
WRITE_FLAGS = ("O_WRONLY", "O_RDWR", "O_CREAT", "O_TMPFILE")
SYSTEM_PATHS = ("/dev/", "/proc/", "/sys/")


def require_strace() -> str:
    path = shutil.which("strace")
    require(path is not None, "strace", "apt-get install strace")
    return path


def big_photo(path: Path) -> bytes:
    """A real demo face as a 3000 x 3000 JPEG of over 4 MB, like a phone photo."""
    face = Image.open(path).resize((3000, 3000), Image.Resampling.LANCZOS)
    noisy = np.asarray(face).astype(np.int16)
    noisy += np.random.default_rng(0).integers(-10, 11, noisy.shape, dtype=np.int16)
    data = image_bytes(np.clip(noisy, 0, 255).astype(np.uint8), quality=96)
    assert len(data) > 4_000_000
    return data


def writes_in(trace: str) -> list[str]:
    """Every open that could create or change a file outside /dev, /proc and /sys."""
    writes = []
    for line in trace.splitlines():
        match = re.search(
            r'(?:open|openat|creat)\((?:AT_FDCWD, |\d+, )?"([^"]*)", ([A-Z_|]+)', line
        )
        if match is None:
            continue
        path, flags = match.groups()
        writing = "creat(" in line or any(flag in flags for flag in WRITE_FLAGS)
        if writing and not path.startswith(SYSTEM_PATHS):
            writes.append(line.strip())
    return writes


@pytest.fixture(scope="module")
def liveness_camera(tmp_path_factory, demo_by_id) -> Path:
    """A fake-camera clip that blinks and opens its mouth (``write_liveness_camera``)."""
    camera = tmp_path_factory.mktemp("camera") / "liveness.y4m"
    write_liveness_camera(demo_by_id["001"].id_photo, camera)
    return camera


def upload_live_photo(page, data: bytes, name: str = "phone-photo.jpg") -> None:
    """Step 2 from an upload, while step 1 keeps the demo ID photo #001."""
    choose_live_source(page, "Upload a photo")
    page.locator("[data-testid='stFileUploader'] input[type=file]").first.set_input_files(
        files=[{"name": name, "mimeType": "image/jpeg", "buffer": data}]
    )


@contextmanager
def traced_server(launcher: str, env: dict[str, str], wrapper: list[str]):
    """The server as ``streamlit run app.py`` or as ``verifydemo classroom`` (HTTPS on
    127.0.0.1), traced; yields its URL and the one folder it may write to (the classroom's
    certificate folder), or None."""
    if launcher == "streamlit run":
        with streamlit_server(extra_env=env, wrapper=wrapper) as running:
            yield running.url, None
    else:
        with classroom_server(extra_env=env, wrapper=wrapper) as room:
            yield room.url, room.certificate_folder


@pytest.mark.parametrize("launcher", ["streamlit run", "verifydemo classroom"])
def test_a_4_mb_upload_and_a_liveness_recording_write_nothing_to_disk(
    tmp_path, chromium, liveness_camera, demo_by_id, launcher
):
    """Nothing but the classroom's certificate folder is written, from start to exit, and that
    folder is gone after Ctrl-C."""
    strace = require_strace()
    home, temp, trace_file = tmp_path / "home", tmp_path / "tmp", tmp_path / "server.trace"
    home.mkdir()
    temp.mkdir()
    env = {"HOME": str(home), "TMPDIR": str(temp), "PYTHONDONTWRITEBYTECODE": "1"}
    wrapper = [strace, "-f", "-qq", "-e", "trace=open,openat,creat", "-o", str(trace_file)]
    with traced_server(launcher, env, wrapper) as (url, certificate_folder):
        context = chromium.plain.new_context(
            viewport={"width": 1400, "height": 2000}, ignore_https_errors=True
        )
        page = context.new_page()
        page.goto(url)
        page.wait_for_selector(IDLE, timeout=120_000)
        upload_live_photo(page, big_photo(demo_by_id["001"].live_photo))
        page.get_by_text("your uploaded live photo").wait_for(timeout=120_000)
        page.wait_for_selector(IDLE, timeout=60_000)
        verdict = page.locator(".st-key-step_verdict")
        assert verdict.get_by_text(re.compile(r"Match: the phone number is issued")).count() == 1
        context.close()
        if certificate_folder is None:
            asked, verdicts, _requested = liveness_recording(
                chromium.with_camera(liveness_camera), url
            )
            assert len(verdicts) == len(asked) >= 2, (
                "the recording reached the server and was judged"
            )
    trace = trace_file.read_text()
    assert "openat(" in trace, "strace recorded the server's file opens"
    writes = writes_in(trace)
    if certificate_folder is None:
        assert writes == []
    else:
        names = {Path(write.split('"')[1]).name for write in writes}
        assert names == {"cert.pem", "key.pem"}, writes
        assert all(f'"{certificate_folder}/' in write for write in writes)
        assert not certificate_folder.exists()
    assert list(home.rglob("*")) == []
    assert list(temp.rglob("*")) == []


def test_trace_parser_flags_a_temporary_file():
    line = '123 openat(AT_FDCWD, "/tmp", O_RDWR|O_EXCL|O_CLOEXEC|O_TMPFILE, 0600) = 7'
    assert writes_in(line) == [line]
    assert writes_in('1 openat(AT_FDCWD, "/dev/null", O_WRONLY) = 3') == []
    assert writes_in('1 openat(AT_FDCWD, "/etc/hosts", O_RDONLY|O_CLOEXEC) = 3') == []


def test_config_keeps_the_server_local_and_quiet():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["address"] == "127.0.0.1"
    assert config["browser"]["gatherUsageStats"] is False
    assert config["browser"]["serverAddress"] == "localhost"
    assert config["client"]["showErrorDetails"] == "none"
    assert (
        config["server"]["disconnectedSessionTTL"]
        > closed_tabs.GRACE_SECONDS + closed_tabs.CHECK_EVERY_SECONDS
    ), "the watcher must find a closed tab's session still stored"
    assert (
        closed_tabs.GRACE_SECONDS + 4 * closed_tabs.CHECK_EVERY_SECONDS
        <= closed_tabs.PROMISED_SECONDS
    )
    assert "shut down within a minute" in (ROOT / "ETHICS.md").read_text()


def test_no_visitor_data_can_reach_a_shared_cache():
    """The data cache is shared by all sessions; st.cache_resource only takes names and single
    numbers (a threshold), which cannot carry a photo or an embedding."""
    for path in [ROOT / "app.py", *(ROOT / "src").rglob("*.py")]:
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute):
                assert node.attr != "cache_data", f"{path}: uses the shared data cache"
            if isinstance(node, ast.FunctionDef) and any(
                "cache_resource" in ast.unparse(decorator) for decorator in node.decorator_list
            ):
                for argument in node.args.args:
                    annotation = ast.unparse(argument.annotation) if argument.annotation else ""
                    assert annotation in ("str", "float"), (
                        f"{path}:{node.name}({argument.arg}: {annotation})"
                    )


def test_two_sessions_see_only_their_own_photos(page_server, chromium, demo_by_id):
    url = page_server.url
    browser = chromium.plain
    uploader = browser.new_context(viewport={"width": 1400, "height": 2000}).new_page()
    watcher = browser.new_context(viewport={"width": 1400, "height": 2000}).new_page()
    for page in (uploader, watcher):
        page.goto(url)
    for page in (uploader, watcher):
        page.wait_for_selector(IDLE, timeout=120_000)
    upload_live_photo(uploader, demo_by_id["030"].id_photo.read_bytes(), "secret-face.jpg")
    watcher.get_by_role("button", name="#025").click()
    uploader.get_by_text("your uploaded live photo").wait_for(timeout=60_000)
    watcher.get_by_text("London Set #025, neutral photo").wait_for(timeout=60_000)
    for page in (uploader, watcher):
        page.wait_for_selector(IDLE, timeout=60_000)
    assert watcher.get_by_text("your uploaded live photo").count() == 0
    assert watcher.get_by_text("London Set #025, smiling photo").count() == 1
    assert uploader.get_by_text("London Set #025, neutral photo").count() == 0
    uploader_only = media_urls(uploader) - media_urls(watcher)
    assert uploader_only, "the uploaded photo is served to its own session"
    assert not (uploader_only & media_urls(watcher))


def media_urls(page) -> set[str]:
    return {
        urlsplit(source).path
        for source in page.eval_on_selector_all("img", "images => images.map(i => i.src)")
        if "/media/" in source
    }


def test_forget_my_photos_removes_the_served_media(
    page_server, chromium, liveness_camera, demo_by_id
):
    url = page_server.url
    browser = chromium.with_camera(liveness_camera)
    context = browser.new_context(permissions=["camera"], viewport={"width": 1400, "height": 2000})
    page, before, uploaded = page_with_an_upload(context, url, demo_by_id)
    asked, verdicts = record_liveness(page)
    assert len(verdicts) == len(asked)
    recorded = media_urls(page) - before - uploaded
    assert uploaded and recorded, "the upload and the recording's frames are both served"
    visitor_media = uploaded | recorded
    for path in visitor_media:
        assert context.request.get(url + path).status == 200
    page.get_by_role("button", name="Forget my photos").click()
    page.get_by_text("your uploaded live photo").wait_for(state="detached", timeout=60_000)
    page.wait_for_selector(IDLE, timeout=60_000)
    assert page.get_by_text(LIVENESS_VERDICT).count() == 0
    still_served = served(context.request, url, visitor_media)
    deadline = time.monotonic() + 20
    while still_served and time.monotonic() < deadline:
        page.wait_for_timeout(200)  # the server drops orphaned media just after the run
        still_served = served(context.request, url, visitor_media)
    assert still_served == set()


def page_with_an_upload(context, url: str, demo_by_id) -> tuple[object, set[str], set[str]]:
    """A new page of ``context`` whose live photo is an upload of a demo ID photo: the page,
    the media paths it showed before the upload, and those the upload added."""
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector(IDLE, timeout=120_000)
    wait_for_gallery(page, len(demo_by_id))
    before = media_urls(page)
    upload_live_photo(page, demo_by_id["030"].id_photo.read_bytes())
    page.get_by_text("your uploaded live photo").wait_for(timeout=60_000)
    page.wait_for_selector(IDLE, timeout=60_000)
    return page, before, media_urls(page) - before


def wait_for_gallery(page, faces: int) -> None:
    """The browser can draw a run's images after the run has finished."""
    page.wait_for_function(
        f"() => document.querySelectorAll(\"img[src*='/media/']\").length >= {faces}",
        timeout=60_000,
    )


def served(requests, url: str, paths: set[str]) -> set[str]:
    """The media paths the server still answers with 200 (``requests``: a context's
    ``.request``, or a fresh request context with no cookie)."""
    return {path for path in paths if requests.get(url + path).status == 200}


def test_a_closed_tabs_pictures_and_downloads_are_gone_within_a_minute(chromium, demo_by_id):
    """No other visitor comes: the server alone must shut the closed tab's session down (so
    this test has a server of its own, not the shared one)."""
    with streamlit_server() as running:
        url = running.url
        browser = chromium.plain
        context = browser.new_context(
            viewport={"width": 1400, "height": 2000}, accept_downloads=True
        )
        page, _before, visitor_media = page_with_an_upload(context, url, demo_by_id)
        for key in ("png_distance_scale", "csv_distance_scale", "png_embeddings"):
            with page.expect_download(timeout=60_000) as download:
                page.locator(f".st-key-{key} button").first.click()
            visitor_media.add(urlsplit(download.value.url).path)
        assert len(visitor_media) >= 5, visitor_media
        assert served(context.request, url, visitor_media) == visitor_media
        page.close()
        context.close()
        closed = time.monotonic()
        stranger = chromium.playwright.request.new_context()
        still_served = served(stranger, url, visitor_media)
        while still_served and time.monotonic() - closed < closed_tabs.PROMISED_SECONDS:
            time.sleep(2)
            still_served = served(stranger, url, visitor_media)
        assert still_served == set(), f"served {time.monotonic() - closed:.0f} s after closing"
        stranger.dispose()
