"""``verifydemo classroom``: HTTPS with a certificate made at start, a QR code of the printed
address, a private certificate folder that is gone after Ctrl-C, and the page loaded before the
server answers."""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import re
import socket
import ssl
import stat
import tomllib

import cv2
import numpy as np
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from browser import IDLE, ROOT, require_chromium
from commands import run_cli
from support import new_app
from verifydemo.entry.live_server import CHROMIUM, CHROMIUM_FLAGS, classroom_server
from verifydemo.tools import classroom


def decode_qr(image: np.ndarray) -> str:
    """The text of the one QR code in ``image`` (OpenCV's detector), or '' if none is read."""
    text, _, _ = cv2.QRCodeDetector().detectAndDecode(image)
    return text


def terminal_qr_image(printed: str, scale: int = 8) -> np.ndarray:
    """The QR code the terminal shows, back as pixels: each character is two modules, a full
    block light on both, an upper or lower half block light on that half, a space dark."""
    rows = []
    for line in printed.splitlines():
        rows.append([255 if char in "█▀" else 0 for char in line])
        rows.append([255 if char in "█▄" else 0 for char in line])
    width = max(len(row) for row in rows)
    modules = np.array([row + [255] * (width - len(row)) for row in rows], dtype=np.uint8)
    return cv2.resize(modules, None, fx=scale, fy=scale, interpolation=cv2.INTER_NEAREST)


def spki_hash(certificate: x509.Certificate) -> str:
    """What Chromium's --ignore-certificate-errors-spki-list takes: base64 SHA-256 of the key."""
    der = certificate.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.b64encode(hashlib.sha256(der).digest()).decode()


def test_certificate_covers_the_address_and_only_the_owner_can_read_it(tmp_path):
    cert_path, key_path = classroom.write_certificate(tmp_path, "192.168.1.20")
    certificate = x509.load_pem_x509_certificate(cert_path.read_bytes())
    names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert ipaddress.ip_address("192.168.1.20") in names.get_values_for_type(x509.IPAddress)
    assert ipaddress.ip_address("127.0.0.1") in names.get_values_for_type(x509.IPAddress)
    validity = certificate.not_valid_after_utc - certificate.not_valid_before_utc
    assert validity.days <= classroom.CERTIFICATE_DAYS
    for path in (cert_path, key_path):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert b"PRIVATE KEY" in key_path.read_bytes()


def test_certificate_folder_is_private_and_gone_even_after_an_interrupt():
    with pytest.raises(KeyboardInterrupt), classroom.certificate_folder() as folder:
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        classroom.write_certificate(folder, "127.0.0.1")
        raise KeyboardInterrupt
    assert not folder.exists()


def test_qr_codes_decode_to_the_address():
    url = "https://192.168.1.20:8501"
    png = cv2.imdecode(np.frombuffer(classroom.qr_png(url), np.uint8), cv2.IMREAD_GRAYSCALE)
    assert decode_qr(png) == url
    assert decode_qr(terminal_qr_image(classroom.qr_text(url))) == url
    assert decode_qr(terminal_qr_image(classroom.qr_text(url + "0"))) != url


def test_teacher_codes_are_short_random_and_unambiguous():
    codes = {classroom.new_teacher_code() for _ in range(50)}
    assert len(codes) == 50
    for code in codes:
        assert len(code) == classroom.TEACHER_CODE_LENGTH
        assert set(code) <= set(classroom.TEACHER_CODE_ALPHABET)
        assert not set(code) & set("0O1I")


def test_the_packaged_settings_are_the_checkouts():
    """``streamlit run app.py`` reads ``.streamlit/config.toml``; the classroom and an installed
    wheel pass the packaged copy as flags: the two must not drift apart."""
    packaged = classroom.STREAMLIT_CONFIG.read_text()
    assert packaged == (ROOT / ".streamlit" / "config.toml").read_text()
    flags = classroom.command_line_flags({"a.b": ["x", "y"], "c.d": False, "e.f": 20})
    assert flags == ["--a.b", "x", "--a.b", "y", "--c.d", "false", "--e.f", "20"]


def test_server_options_keep_the_project_settings_and_admit_the_lan_address(tmp_path):
    options = classroom.server_options("192.168.1.20", 8501, tmp_path / "c", tmp_path / "k")
    project = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert options["server.maxUploadSize"] == project["server"]["maxUploadSize"]
    assert options["client.showErrorDetails"] == "none"
    assert options["browser.gatherUsageStats"] is False
    assert options["browser.serverAddress"] == "192.168.1.20"
    assert options["server.address"] == "192.168.1.20"
    assert "192.168.1.20" in options["server.allowedHosts"]
    assert options["server.sslCertFile"] == str(tmp_path / "c")
    assert project["server"]["address"] == "127.0.0.1", "streamlit run stays local"


@pytest.mark.parametrize(
    ("arguments", "reason"),
    [
        (["--host", "127.0.0.1", "--port", "{busy}"], "port {busy}: Address already in use"),
        (["--host", "127.0.0.1", "--port", "70000"], "port 70000"),
        (["--host", "not-an-ip"], "not an IP address: not-an-ip"),
    ],
)
def test_bad_address_or_port_gives_one_line_and_writes_nothing(arguments, reason, tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        arguments = [argument.replace("{busy}", port) for argument in arguments]
        result = run_cli("classroom", *arguments, fresh=True, environment={"TMPDIR": str(tmp_path)})
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert reason.replace("{busy}", port) in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_lan_address_is_an_ip_address():
    assert ipaddress.ip_address(classroom.lan_address())


@pytest.mark.slow
def test_page_shows_the_qr_code_only_in_classroom_mode():
    assert not [e for e in new_app().expander if "QR code" in e.label]
    classroom.set_current(classroom.Classroom("https://192.168.1.20:8501", "ABCDEF"))
    try:
        page = new_app()
    finally:
        classroom.set_current(None)
    panel = next(e for e in page.expander if "QR code" in e.label)
    assert "https://192.168.1.20:8501" in [text.value for text in panel.text]
    assert panel.proto.expanded, "open on the teacher's screen (this computer)"
    assert "ABCDEF" not in str(page._tree), "the teacher code never reaches the page"


@pytest.mark.parametrize(
    ("address", "typed", "teachers"),
    [
        (None, "", True),
        ("192.168.1.20", "", True),
        ("192.168.1.57", "", False),
        ("192.168.1.57", "abcdef ", True),
        ("192.168.1.57", "ABCDEG", False),
    ],
)
def test_the_qr_panel_is_the_teachers_alone(address, typed, teachers):
    from verifydemo.ui.classroom import is_teachers

    room = classroom.Classroom("https://192.168.1.20:8501", "ABCDEF")
    assert is_teachers(room, address, typed) is teachers


@pytest.mark.browser
@pytest.mark.slow
def test_classroom_serves_https_with_its_certificate_and_cleans_up(tmp_path):
    require_chromium()
    from playwright.sync_api import sync_playwright

    with classroom_server() as room:
        assert re.fullmatch(r"https://127\.0\.0\.1:\d+", room.url)
        folder = room.certificate_folder
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        generated = x509.load_pem_x509_certificate((folder / "cert.pem").read_bytes())
        port = int(room.url.rsplit(":", 1)[1])
        served = ssl.get_server_certificate(("127.0.0.1", port))
        assert x509.load_pem_x509_certificate(served.encode()) == generated
        assert decode_qr(terminal_qr_image(room.qr)) == room.url
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                args=[
                    *CHROMIUM_FLAGS,
                    f"--ignore-certificate-errors-spki-list={spki_hash(generated)}",
                ],
            )
            page = browser.new_page()
            page.goto(room.url)
            page.locator(".st-key-step_verdict").get_by_text(
                "Match: the phone number is issued"
            ).wait_for(timeout=60_000)
            page.wait_for_selector(IDLE, timeout=60_000)
            assert page.evaluate("window.isSecureContext") is True
            assert room.teacher_code not in page.content()
            browser.close()
    assert not folder.exists()


@pytest.mark.slow
def test_load_test_sessions_each_get_their_own_verdict():
    """The benchmark's load test speaks Streamlit's own protocol: each session's page run
    reaches the decision (no timing is asserted; ``verifydemo bench`` reports it)."""
    from verifydemo.entry.bench import classroom_load

    load = classroom_load(sessions=3, spread=1.0, limit=120.0)
    assert load.missing == 0
    assert len(load.verdicts.seconds) == 3
    assert load.slowest_health > 0
