"""Run the whole webcam check and a liveness recording with no network: started by
test_offline.py inside `unshare -rn`.

Prints one JSON line: the decision text, the liveness challenges asked and their verdicts, and
every URL the browser requested. With the argument ``classroom`` the server is
``verifydemo classroom --host 127.0.0.1`` (HTTPS) instead.
"""

import json
import socket
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from browser import (
    Chromiums,
    liveness_recording,
    streamlit_server,
    webcam_check,
    write_liveness_camera,
    write_y4m,
)
from verifydemo.core.decode import decode_image
from verifydemo.datasets.demo_faces import load_demo_faces


@contextmanager
def served(classroom: bool) -> Iterator[str]:
    """The page's address: ``verifydemo classroom --host 127.0.0.1`` (HTTPS), or
    ``streamlit run``."""
    if classroom:
        from verifydemo.entry.live_server import classroom_server

        with classroom_server() as room:
            yield room.url
    else:
        with streamlit_server() as running:
            yield running.url


def main() -> None:
    from playwright.sync_api import sync_playwright

    person = next(face for face in load_demo_faces() if face.person.person_id == "001")
    with tempfile.TemporaryDirectory() as folder:
        camera, clip = Path(folder) / "cam.y4m", Path(folder) / "liveness.y4m"
        write_y4m(decode_image(person.live_photo.read_bytes()), camera)
        write_liveness_camera(person.id_photo, clip)
        classroom = sys.argv[1:] == ["classroom"]
        with served(classroom) as url, sync_playwright() as playwright:
            chromium = Chromiums(playwright)
            text, requested = webcam_check(chromium.with_camera(camera), url, classroom)
            asked, verdicts, recorded = liveness_recording(
                chromium.with_camera(clip), url, classroom
            )
            chromium.close()
    interfaces = [name for _, name in socket.if_nameindex()]
    print(
        json.dumps(
            {
                "url": url,
                "decision": text,
                "asked": asked,
                "liveness": verdicts,
                "requested": requested + recorded,
                "interfaces": interfaces,
            }
        )
    )


if __name__ == "__main__":
    main()
