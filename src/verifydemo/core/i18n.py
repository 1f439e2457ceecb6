"""Every word the app shows, in English or in Simplified Chinese.

Messages are written in English in the code and wrapped in ``_()``; where a message is defined
before anyone has chosen a language (a module constant), it is marked with ``N_()`` and passed
through ``_()`` where it is shown. Translations live in the gettext catalogue
``locale/zh/LC_MESSAGES/verifydemo.po`` (extracted with Babel, see CONTRIBUTING.md), read with
Babel the first time Chinese is needed. Placeholders are named (``{count}``) and filled in after the
translation, never by joining pieces of sentences.

The language belongs to one thread of work: each page run and each CLI call sets it with
:func:`set_language`, so two visitors can read two languages at once.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from pathlib import Path
from typing import TypeVar

Built = TypeVar("Built")

LANGUAGES = {"en": "English", "zh": "中文"}
"""The languages the app speaks, each named in itself."""
DEFAULT_LANGUAGE = "en"
LOCALE_FOLDER = Path(__file__).resolve().parents[1] / "locale"


def catalogue_path(language: str) -> Path:
    """Where the gettext catalogue of ``language`` lives inside the package."""
    return LOCALE_FOLDER / language / "LC_MESSAGES" / "verifydemo.po"


_language: ContextVar[str] = ContextVar("verifydemo_language", default=DEFAULT_LANGUAGE)


def set_language(language: str) -> str:
    """Speak ``language`` (a code of :data:`LANGUAGES`, else English) in this thread from now
    on; returns the language in force."""
    chosen = language if language in LANGUAGES else DEFAULT_LANGUAGE
    _language.set(chosen)
    return chosen


def current_language() -> str:
    return _language.get()


def language_of_locale(locale: str | None) -> str:
    """The app's language for a browser or system locale: any ``zh*`` is Chinese."""
    return "zh" if (locale or "").lower().replace("-", "_").startswith("zh") else "en"


def language_of_environment(environment: Mapping[str, str] = os.environ) -> str:
    """The CLI's language, from ``LC_ALL``, ``LC_MESSAGES`` or ``LANG``, as gettext reads them."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if environment.get(name):
            return language_of_locale(environment[name])
    return DEFAULT_LANGUAGE


def N_(message: str) -> str:
    """Mark ``message`` for translation without translating it yet."""
    return message


def _(message: str, /, **values: object) -> str:
    """``message`` in the current language, with its named placeholders filled in."""
    translated = translations(current_language()).get(message) or message
    return translated.format(**values) if values else translated


class Message:
    """A sentence to show later: its English text and named values, translated only when it is
    turned into a string (``str()`` or an f-string), in the language of that moment.

    Results that are computed once and shown to many (a photo's reason, a challenge's verdict)
    carry one, so nothing computed needs to know who will read it. Values may be messages too.
    """

    __slots__ = ("text", "values")

    def __init__(self, text: str, /, **values: object) -> None:
        self.text = text
        self.values = values

    def __str__(self) -> str:
        return _(self.text, **self.values)

    def __repr__(self) -> str:
        return f"Message({self.text!r}, **{self.values!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Message) and (self.text, self.values) == (other.text, other.values)

    def __hash__(self) -> int:
        return hash((self.text, tuple(sorted(self.values.items()))))

    def __reduce__(self) -> tuple:
        return _message, (self.text, self.values)


def _message(text: str, values: dict[str, object]) -> Message:
    return Message(text, **values)


def per_language(build: Callable[..., Built]) -> Callable[..., Built]:
    """``build`` run once per language and arguments: for drawings whose words are part of what
    is built (a chart template's titles and labels), so their callers need not know the
    language."""
    cached = functools.cache(lambda language, *args: build(*args))

    @functools.wraps(build)
    def in_current_language(*args: object) -> Built:
        return cached(current_language(), *args)

    return in_current_language


def n_(singular: str, plural: str, count: int, /, **values: object) -> str:
    """The singular or plural message for ``count`` (Chinese uses one form for both)."""
    message = singular if count == 1 else plural
    if current_language() != DEFAULT_LANGUAGE:
        forms = translations(current_language()).get((singular, plural))
        message = forms or message
    return message.format(count=count, **values)


@functools.cache
def translations(language: str) -> dict[object, str]:
    """The catalogue of ``language`` as ``{msgid: msgstr}`` (plural ids as tuples); English
    needs none. Fuzzy and empty entries are left out, so they fall back to English (and the
    test of the catalogue fails on them)."""
    if language == DEFAULT_LANGUAGE:
        return {}
    from babel.messages.pofile import read_po

    with open(catalogue_path(language), "rb") as handle:
        catalogue = read_po(handle)
    entries: dict[object, str] = {}
    for message in catalogue:
        if not message.id or message.fuzzy:
            continue
        if isinstance(message.id, tuple):
            if message.string and message.string[0]:
                entries[tuple(message.id)] = message.string[0]
        elif message.string:
            entries[message.id] = message.string
    return entries


def big_number(value: float) -> str:
    """A large count as people in the current language read it: ``12,345,678`` in English,
    ``1234.6万`` or ``1.23亿`` in Chinese."""
    if current_language() == "zh":
        for unit, size, decimals in (("亿", 1e8, 2), ("万", 1e4, 1)):
            if abs(value) >= size:
                return f"{value / size:.{decimals}f}".rstrip("0").rstrip(".") + unit
        return f"{value:.0f}"
    return f"{value:,.0f}"
