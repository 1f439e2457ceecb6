"""The Chinese page: every message translated, the same placeholders in both languages, the
glossary's terms used throughout, and no English left on the page but names, units and sources."""

from __future__ import annotations

import ast
import json
import pickle
import re
import string

import pytest
from babel.messages.extract import extract
from babel.messages.pofile import read_po

from commands import run_cli
from page_text import english_words, shown_text
from support import ROOT, new_app, open_tab, speaking
from verifydemo.core.errors import UnusableInput
from verifydemo.core.i18n import Message, catalogue_path, translations
from verifydemo.ui.threshold import TABS

KEYWORDS = {"_": None, "N_": None, "n_": (1, 2), "Message": None, "UnusableInput": None}
SOURCES = [ROOT / "app.py", *sorted((ROOT / "src" / "verifydemo").rglob("*.py"))]


def extracted() -> dict[object, list[str]]:
    """Every message the code marks for translation, with where it is."""
    messages: dict[object, list[str]] = {}
    for path in SOURCES:
        with open(path, "rb") as handle:
            for line, message, _, _ in extract("python", handle, keywords=KEYWORDS):
                messages.setdefault(message, []).append(f"{path.relative_to(ROOT)}:{line}")
    return messages


def placeholders(text: str) -> set[str]:
    return {
        f"{name}:{spec}" if spec else name
        for _, name, spec, _ in string.Formatter().parse(text)
        if name is not None
    }


@pytest.fixture(scope="module")
def messages() -> dict[object, list[str]]:
    found = extracted()
    assert len(found) > 150, "the code marks its messages for translation"
    return found


def test_every_marked_message_reaches_the_catalogue(messages):
    """Babel's extractor skips a ``_("...")`` nested inside another ``_()`` call's arguments."""
    marked = set()
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) in KEYWORDS
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                marked.add(f"{path.relative_to(ROOT)}:{node.lineno}: {node.args[0].value}")
    extracted_texts = {m if isinstance(m, str) else m[0] for m in messages}
    unseen = [entry for entry in marked if entry.split(": ", 1)[1] not in extracted_texts]
    assert unseen == [], "move these out of the enclosing _() call:\n" + "\n".join(unseen)


def test_every_message_has_a_chinese_translation(messages):
    chinese = translations("zh")
    missing = [
        f"{where[0]}: {message!r}"
        for message, where in messages.items()
        if not chinese.get(message)
    ]
    assert missing == [], f"{len(missing)} messages lack a translation:\n" + "\n".join(missing[:40])


def test_the_catalogue_has_no_fuzzy_or_stale_entries(messages):
    with open(catalogue_path("zh"), "rb") as handle:
        catalogue = read_po(handle)
    fuzzy = [message.id for message in catalogue if message.id and message.fuzzy]
    stale = [message.id for message in catalogue if message.id and message.id not in messages]
    assert fuzzy == []
    assert stale == [], "messages no longer in the code: run pybabel update (CONTRIBUTING.md)"


def test_placeholders_are_the_same_in_both_languages(messages):
    chinese = translations("zh")
    different = []
    for message in messages:
        english = message if isinstance(message, str) else message[0]
        translated = chinese.get(message)
        if translated and placeholders(english) != placeholders(translated):
            different.append((english, translated))
    assert different == []


def test_glossary_terms_are_used_consistently(messages):
    chinese = translations("zh")
    rows = [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in (ROOT / "GLOSSARY.md").read_text().splitlines()
        if line.startswith("| ") and not line.startswith("| English")
    ]
    checked = [(english, zh) for english, zh, check, _ in rows if check == "yes"]
    assert len(checked) >= 10
    inconsistent = []
    for message in messages:
        english = re.sub(r"\{[^}]*\}", "", message if isinstance(message, str) else message[0])
        for term, zh in checked:
            pattern = rf"\b{re.escape(term)}s?\b"
            if re.search(pattern, english, flags=re.IGNORECASE) and zh not in chinese.get(
                message, zh
            ):
                inconsistent.append(f"{term} -> {zh}: {english[:70]!r}")
    assert inconsistent == []


def test_chinese_page_shows_no_english_but_names_units_and_sources():
    page = new_app(query={"lang": "zh"})
    assert page.title[0].value.startswith("verifydemo")
    assert "人脸" in page.title[0].value
    leftover = set()
    with speaking("zh"):
        for name, _label, _draw in TABS:
            open_tab(page, name)
            leftover |= english_words(shown_text(page))
    assert leftover == set(), sorted(leftover)


def test_english_page_is_unchanged_by_the_catalogue():
    page = new_app(query={"lang": "en"})
    assert page.title[0].value == "verifydemo: how an ID-to-face check works, and how it fails"


def test_cli_answers_in_chinese_under_a_chinese_locale(demo_by_id):
    """``cli.main`` in this process, under the locale laid over this one's environment (the
    command reads it as a fresh process would: ``commands.run_cli``)."""
    face = demo_by_id["025"]
    chinese = run_cli(
        "verify",
        str(face.id_photo),
        str(face.live_photo),
        environment={"LANG": "zh_CN.UTF-8", "LC_ALL": ""},
    )
    assert chinese.returncode == 0, chinese.stderr
    assert "距离" in chinese.stdout and "匹配" in chinese.stdout
    assert not english_words(chinese.stdout)
    as_json = run_cli(
        "verify",
        str(face.id_photo),
        str(face.live_photo),
        "--json",
        environment={"LANG": "zh_CN.UTF-8", "LC_ALL": ""},
    )
    assert set(json.loads(as_json.stdout)) >= {"distance", "threshold", "decision"}
    assert json.loads(as_json.stdout)["decision"] == "match"
    missing = run_cli(
        "verify",
        str(face.id_photo),
        "/nonexistent.jpg",
        environment={"LANG": "zh_CN.UTF-8", "LC_ALL": ""},
    )
    assert missing.returncode == 2 and len(missing.stderr.strip().splitlines()) == 1


def test_png_charts_draw_chinese_glyphs(tmp_path):
    import io

    import numpy as np
    from PIL import Image

    from support import require
    from verifydemo.pictures.png import chart_png, cjk_font_folders

    require(bool(cjk_font_folders()), "a CJK font", "apt-get install fonts-noto-cjk")

    def drawn(title: str) -> np.ndarray:
        spec = {
            "title": title,
            "data": {"values": [{"x": 1, "y": 2}]},
            "mark": "point",
            "encoding": {"x": {"field": "x", "type": "quantitative"}},
        }
        return np.asarray(Image.open(io.BytesIO(chart_png(spec))).convert("L"))

    first, second = drawn("人脸"), drawn("比对")
    assert first.shape == second.shape
    assert (first != second).sum() > 50, "two different words must not draw the same boxes"
    scores_file = tmp_path / "scores.csv"
    scores_file.write_text("score,label\n0.3,1\n0.5,1\n0.4,0\n0.8,0\n0.9,0\n")
    plot = tmp_path / "rates.png"
    result = run_cli(
        "evaluate",
        "--scores",
        str(scores_file),
        "--plot",
        str(plot),
        environment={"LANG": "zh_CN.UTF-8", "LC_ALL": ""},
    )
    assert result.returncode == 0, result.stderr
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_an_unusable_input_is_translated_when_read_not_when_raised():
    """The reason travels as English text and values (through a worker process's pickle too)
    and reads in the language of whoever shows it."""
    with speaking("en"):
        error = UnusableInput(
            "The image is only {width} x {height} pixels; a face needs more.", width=8, height=6
        )
    copy = pickle.loads(pickle.dumps(error))
    with speaking("zh"):
        chinese = str(copy)
    assert chinese == translations("zh")[error.message.text].format(width=8, height=6)
    assert "8" in chinese and "a face needs more" not in chinese
    with speaking("en"):
        assert str(copy) == "The image is only 8 x 6 pixels; a face needs more."
        assert f"{Message('{name}: {error}', name='a.jpg', error=copy)}".endswith("needs more.")
