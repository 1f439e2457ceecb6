"""``verifydemo classroom``: the page for a room, on the computer's local-network address over
HTTPS, so that students' own phones and laptops may use their cameras.

Browsers open the camera only on ``https://`` or on localhost, so the launcher makes a
self-signed certificate at start, in a private temporary folder that is removed on exit (it
holds a key and a certificate, never face data). Before the server answers its health check it
runs the page once in its own process, so the models, the reference set and the charts are
loaded when the first student arrives. That part imports Streamlit and the page, so it lives
above this layer, in ``ui/classroom_server.py``; ``verifydemo classroom`` hands over to it with
``exec``, the same process. This module holds what needs no Streamlit: the certificate, the QR
code, the teacher code, and a launcher for the tests and the benchmark.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import secrets
import shutil
import signal
import socket
import sys
import tempfile
import time
import tomllib
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from verifydemo.tools.live_server import ROOT

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


_current: Classroom | None = None
"""Set by ``ui/classroom_server.py`` before the server starts; the page reads it with
:func:`current`."""


def current() -> Classroom | None:
    """The room this process serves, or None under ``streamlit run`` (no classroom mode)."""
    return _current


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


def server_options(address: str, port: int, cert: Path, key: Path) -> dict[str, object]:
    """The project's ``.streamlit/config.toml`` with the room's address, port and certificate.
    Usage statistics stay off; ``browser.serverAddress`` is set, so Streamlit looks up no
    public address; ``allowedHosts`` admits the LAN address."""
    with open(ROOT / ".streamlit" / "config.toml", "rb") as handle:
        config = tomllib.load(handle)
    options = {
        f"{section}.{name}": value
        for section, values in config.items()
        for name, value in values.items()
    }
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


@dataclass(frozen=True)
class RunningClassroom:
    """A launcher started by :func:`classroom_server`: what it printed, parsed."""

    url: str
    pid: int
    teacher_code: str
    certificate_folder: Path
    qr: str
    """The QR code as printed (block characters)."""


@contextmanager
def classroom_server(
    port: int | None = None,
    wrapper: list[str] | None = None,
    extra_env: dict[str, str] | None = None,
    timeout: float = 300,
) -> Iterator[RunningClassroom]:
    """Run ``verifydemo classroom --host 127.0.0.1`` (in English) in its own process group
    until its health check answers over HTTPS with its own certificate; stop it with Ctrl-C
    (SIGINT to its process group) after. For the tests and the benchmark; ``wrapper`` goes in
    front (strace)."""
    import re
    import ssl
    import subprocess
    import urllib.request

    from verifydemo.tools.live_server import free_port

    port = port or free_port()
    command = [
        *(wrapper or []),
        sys.executable,
        "-m",
        "verifydemo.tools.cli",
        "classroom",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    environment = {
        **os.environ,
        **(extra_env or {}),
        "LC_ALL": "C.UTF-8",
        "PYTHONIOENCODING": "utf-8",
    }
    with tempfile.TemporaryFile() as log:
        launcher = subprocess.Popen(
            command,
            cwd=ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + timeout
            printed = ""
            while "Press Ctrl-C to stop." not in printed:
                if launcher.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"classroom did not start: {printed[-3000:]}")
                time.sleep(0.1)
                log.seek(0)
                printed = log.read().decode(errors="replace")
            url = re.search(r"Students open: (https://\S+)", printed)[1]
            code = re.search(r"Teacher code \(keep it to yourself\): (\S+)", printed)[1]
            folder = Path(re.search(r"Certificate folder \(removed on exit\): (\S+)", printed)[1])
            qr = printed.split(url, 1)[1].split("Teacher code", 1)[0].strip("\n")
            trusted = ssl.create_default_context(cafile=str(folder / "cert.pem"))
            while True:
                if launcher.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError(f"classroom exited: {log.read().decode()[-3000:]}")
                try:
                    with urllib.request.urlopen(
                        f"{url}/_stcore/health", timeout=2, context=trusted
                    ) as response:
                        if response.status == 200:
                            break
                except OSError:
                    time.sleep(0.1)
            yield RunningClassroom(url, launcher.pid, code, folder, qr)
            _stop(launcher)
            log.seek(0)
            if launcher.returncode != 0:
                raise RuntimeError(f"classroom failed to stop: {log.read().decode()[-3000:]}")
        finally:
            _stop(launcher)


def _stop(launcher) -> None:
    """Ctrl-C to the launcher's process group, then, if it lingers, SIGTERM and SIGKILL."""
    import subprocess

    from verifydemo.tools.live_server import stop_process_group

    if launcher.poll() is None:
        os.killpg(launcher.pid, signal.SIGINT)  # what Ctrl-C in a terminal sends
        try:
            launcher.wait(timeout=30)
        except subprocess.TimeoutExpired:
            stop_process_group(launcher)
