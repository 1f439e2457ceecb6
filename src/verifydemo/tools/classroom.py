"""The room of ``verifydemo classroom``: what both the launcher and the page need, with no
Streamlit: the certificate, the QR code, the teacher code and the room the server runs.

Browsers open the camera only on ``https://`` or on localhost, so the launcher
(``entry/classroom.py``) makes a self-signed certificate at start, in a private temporary folder
that is removed on exit (it holds a key and a certificate, never face data), and starts the same
app as ``streamlit run app.py`` with it. The page's QR panel (``ui/classroom.py``) reads the
room with :func:`current`.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import secrets
import shutil
import socket
import tempfile
import tomllib
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

DEFAULT_PORT = 8501
CERTIFICATE_DAYS = 7
"""A classroom certificate is made afresh at every start; a week covers any lesson."""
TEACHER_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
"""No 0/O or 1/I, so a code read off the teacher's terminal is typed right."""
TEACHER_CODE_LENGTH = 6


@dataclass(frozen=True)
class Classroom:
    """The running room: the address students open and the code that unlocks the teacher's
    controls (never shown on the page)."""

    url: str
    teacher_code: str

    def is_teacher_code(self, typed: str) -> bool:
        """Whether ``typed`` is the teacher code, in any case, with spaces around it, or in the
        full-width letters a Chinese input method may type; any other text is simply wrong."""
        normal = unicodedata.normalize("NFKC", typed).strip().upper()
        return secrets.compare_digest(normal.encode(), self.teacher_code.encode())


URL_VARIABLE = "VERIFYDEMO_CLASSROOM_URL"
CODE_VARIABLE = "VERIFYDEMO_TEACHER_CODE"
"""``verifydemo classroom`` hands the room to the server it starts in these two environment
variables (readable only by the teacher's own account, like the process itself)."""

STREAMLIT_CONFIG = Path(__file__).with_name("streamlit_config.toml")
"""The page's Streamlit settings, inside the package so an installed wheel has them; a test
keeps the checkout's ``.streamlit/config.toml`` (what ``streamlit run app.py`` reads) the same."""

_current: Classroom | None = None
"""Set by the tests that draw the page in classroom mode without a server."""


def current() -> Classroom | None:
    """The room this process serves (from :data:`URL_VARIABLE` and :data:`CODE_VARIABLE`), or
    None under plain ``streamlit run app.py`` (no classroom mode)."""
    if _current is not None:
        return _current
    url, code = os.environ.get(URL_VARIABLE), os.environ.get(CODE_VARIABLE)
    return Classroom(url, code) if url and code else None


TRUSTED_PROXIES_VARIABLE = "FORWARDED_ALLOW_IPS"
"""uvicorn's setting of the addresses whose ``X-Forwarded-For`` it believes (by default the
computer's own). No proxy stands in front of a classroom, so it believes none: otherwise a
program on the teacher's computer could claim any student's address, and with it their own
allowance in the class pool (``ui/class_experiment.student_key``)."""


def environment_of(classroom: Classroom) -> dict[str, str]:
    """The environment variables that put a server started with them in ``classroom``."""
    return {
        URL_VARIABLE: classroom.url,
        CODE_VARIABLE: classroom.teacher_code,
        TRUSTED_PROXIES_VARIABLE: "",
    }


def set_current(classroom: Classroom | None) -> None:
    """Put the page in (or out of) classroom mode for this process."""
    global _current
    _current = classroom


def lan_address() -> str:
    """This computer's address on the local network: the source address the system would use
    to reach a private address. Connecting a UDP socket sends no packet. 127.0.0.1 if there is
    no network."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))
            return probe.getsockname()[0]
        except OSError:
            return "127.0.0.1"


def new_teacher_code() -> str:
    """A short random code (about 30 bits) for the teacher's controls."""
    return "".join(secrets.choice(TEACHER_CODE_ALPHABET) for _ in range(TEACHER_CODE_LENGTH))


def url_of(address: str, port: int) -> str:
    host = f"[{address}]" if ipaddress.ip_address(address).version == 6 else address
    return f"https://{host}:{port}"


def write_certificate(folder: Path, address: str) -> tuple[Path, Path]:
    """A self-signed certificate for ``address`` (and localhost), with its private key, written
    to ``folder`` readable by the owner only. Returns (certificate, key) paths."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    names = {ipaddress.ip_address(address), ipaddress.ip_address("127.0.0.1")}
    alternative_names = [x509.DNSName("localhost")] + [
        x509.IPAddress(name) for name in sorted(names, key=str)
    ]
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"verifydemo {address}")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=CERTIFICATE_DAYS))
        .add_extension(x509.SubjectAlternativeName(alternative_names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    _write_private(
        key_path,
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )
    _write_private(cert_path, certificate.public_bytes(serialization.Encoding.PEM))
    return cert_path, key_path


def _write_private(path: Path, data: bytes) -> None:
    """Write a new file readable by the owner only (0600); fail if it exists."""
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as handle:
        handle.write(data)


@contextmanager
def certificate_folder() -> Iterator[Path]:
    """A private temporary folder (mode 0700, from ``tempfile.mkdtemp``), removed on exit,
    including after Ctrl-C or an error."""
    folder = Path(tempfile.mkdtemp(prefix="verifydemo-classroom-", dir=_temporary_root()))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _temporary_root() -> str | None:
    """The system's temporary folder, found without ``tempfile.gettempdir``'s probe (which
    writes and deletes a test file there): TMPDIR, TEMP or TMP if set, else /tmp."""
    for name in ("TMPDIR", "TEMP", "TMP"):
        if os.path.isdir(os.environ.get(name, "")):
            return os.environ[name]
    return "/tmp" if os.path.isdir("/tmp") else None


def qr_text(url: str) -> str:
    """The address as a QR code drawn with block characters, for the terminal."""
    import io

    import segno

    buffer = io.StringIO()
    segno.make(url, error="m").terminal(out=buffer, compact=True)
    return buffer.getvalue()


def qr_png(url: str, scale: int = 12) -> bytes:
    """The address as a QR code in a PNG, large enough to scan from the back of a room."""
    import io

    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def page_options() -> dict[str, object]:
    """The page's Streamlit settings (:data:`STREAMLIT_CONFIG`) as ``section.name`` options."""
    with open(STREAMLIT_CONFIG, "rb") as handle:
        config = tomllib.load(handle)
    return {
        f"{section}.{name}": value
        for section, values in config.items()
        for name, value in values.items()
    }


def server_options(address: str, port: int, cert: Path, key: Path) -> dict[str, object]:
    """The page's Streamlit settings (:data:`STREAMLIT_CONFIG`, the same as the checkout's
    ``.streamlit/config.toml``) with the room's address, port and certificate. Usage statistics
    stay off; ``browser.serverAddress`` is set, so Streamlit looks up no public address;
    ``allowedHosts`` admits the LAN address."""
    options = page_options()
    options.update(
        {
            "server.address": address,
            "server.port": port,
            "server.sslCertFile": str(cert),
            "server.sslKeyFile": str(key),
            "server.allowedHosts": sorted({"localhost", "127.0.0.1", address}),
            "browser.serverAddress": address,
            "browser.gatherUsageStats": False,
            "server.headless": True,
        }
    )
    return options


def command_line_flags(options: dict[str, object]) -> list[str]:
    """``options`` as ``streamlit run``'s flags: ``--section.name value``, a list's option once
    per item."""
    flags = []
    for name, value in options.items():
        for item in value if isinstance(value, list) else [value]:
            text = str(item).lower() if isinstance(item, bool) else str(item)
            flags += [f"--{name}", text]
    return flags
