"""``verifydemo classroom``: the page for a room, on the computer's local-network address over
HTTPS, so that students' own phones and laptops may use their cameras.

Browsers open the camera only on ``https://`` or on localhost, so the launcher makes a
self-signed certificate at start, in a private temporary folder that is removed on exit (it
holds a key and a certificate, never face data). Before the server answers its health check it
runs the page once in this process, so the models, the reference set and the charts are loaded
when the first student arrives. Streamlit is imported only inside functions (``tools/`` sits
below the page).
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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from verifydemo.core.i18n import _
from verifydemo.tools.live_server import APP, ROOT

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


_current: Classroom | None = None
"""Set by :func:`serve` before the server starts; the page reads it with :func:`current`."""


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


def warm_up() -> float:
    """Run the page once in this process, as a first visitor would, and return the seconds it
    took. It imports the page's modules and fills what every session shares (``st.cache_resource``:
    the dlib models and the port, the demo faces, the reference set, its figures and charts), so
    the first student does not wait for them. The run's own session is discarded."""
    import logging

    from streamlit.testing.v1 import AppTest

    # Outside a page run Streamlit warns once per cached call that there is no session.
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(
        logging.ERROR
    )
    started = time.perf_counter()
    for language in ("en", "zh"):
        page = AppTest.from_file(str(APP), default_timeout=600)
        page.query_params["lang"] = language
        page.run()
        if page.exception:
            raise RuntimeError(page.exception[0].message)
    return time.perf_counter() - started


def serve(
    address: str | None = None,
    port: int = DEFAULT_PORT,
    say: Callable[[str], None] = print,
) -> int:
    """Start the room and block until Ctrl-C (or SIGTERM); return the exit code."""
    if not APP.exists():
        _complain(_("verifydemo: the classroom needs a checkout of verifydemo (app.py not found)"))
        return 2
    address = address or lan_address()
    try:
        ipaddress.ip_address(address)
    except ValueError:
        _complain(_("verifydemo: not an IP address: {address}", address=address))
        return 2
    if (reason := _cannot_serve(address, port)) is not None:
        _complain(
            _(
                "verifydemo: cannot serve on {address} port {port}: {reason}",
                address=address,
                port=port,
                reason=reason,
            )
        )
        return 2
    signal.signal(signal.SIGTERM, _interrupt)  # Streamlit installs its own once it serves
    with certificate_folder() as folder:
        # Any temporary file of this process (Streamlit's AppTest makes an empty folder at
        # import) goes into the private folder too, and so is gone on exit.
        tempfile.tempdir = str(folder)
        cert, key = write_certificate(folder, address)
        classroom = Classroom(url_of(address, port), new_teacher_code())
        options = server_options(address, port, cert, key)
        _load_streamlit_config(options)
        set_current(classroom)  # before the warm-up, so it draws the classroom's page too
        say(_("Loading the page and the face model..."))
        seconds = warm_up()
        say(_("Page loaded in {seconds:.1f} s.", seconds=seconds))
        say(_("Students open: {url}", url=classroom.url))
        say(qr_text(classroom.url))
        say(_("Teacher code (keep it to yourself): {code}", code=classroom.teacher_code))
        say(
            _(
                "Browsers will warn that the certificate is not trusted: it was made just now "
                "by this computer. Students choose Advanced, then Proceed (README)."
            )
        )
        say(_("Certificate folder (removed on exit): {folder}", folder=folder))
        say(_("Press Ctrl-C to stop."))
        try:
            _run_streamlit(options)
        finally:
            set_current(None)
    say(_("Stopped; the certificate folder is removed."))
    return 0


def _complain(message: str) -> None:
    """A one-line reason on standard error, as every ``verifydemo`` command gives one."""
    print(message, file=sys.stderr, flush=True)


def _cannot_serve(address: str, port: int) -> str | None:
    """Why the server could not listen on ``address``:``port`` (in use, not this computer's
    address, out of range), found before the slow start; None when it can."""
    family = socket.AF_INET6 if ipaddress.ip_address(address).version == 6 else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((address, port))
        except (OSError, OverflowError) as error:
            return getattr(error, "strerror", None) or str(error)
    return None


def _interrupt(signal_number: int, frame: object) -> None:
    """SIGTERM before the server runs: stop like Ctrl-C, so the certificate folder goes."""
    raise KeyboardInterrupt


def _load_streamlit_config(options: dict[str, object]) -> None:
    """Streamlit's configuration for this process, as ``streamlit run app.py`` with ``options``
    as its flags would set it (before the warm-up run, so both see the same settings)."""
    from streamlit import config
    from streamlit.web import bootstrap

    config._main_script_path = str(APP)
    bootstrap.load_config_options(flag_options=options)


def _run_streamlit(options: dict[str, object]) -> None:
    """Streamlit's own server in this process, as ``streamlit run`` starts it; returns when it
    stops (Ctrl-C or SIGTERM: Streamlit's own signal handler stops it)."""
    from streamlit.web import bootstrap

    sys.stdout.flush()
    bootstrap.run(str(APP), False, [], options)


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
    import signal
    import subprocess

    from verifydemo.tools.live_server import stop_process_group

    if launcher.poll() is None:
        os.killpg(launcher.pid, signal.SIGINT)  # what Ctrl-C in a terminal sends
        try:
            launcher.wait(timeout=30)
        except subprocess.TimeoutExpired:
            stop_process_group(launcher)
