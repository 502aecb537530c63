"""Interface text in the reader's language: one gettext catalogue per language, one function.

Code holds the English text (the msgid, as gettext does) and the reader's language, which
lives in the URL (`?lang=da`), so a copied link opens in the same language:

    _("Compare municipalities", lang)
    _("{name} ranks {ordinal} of {count}", lang, name=..., ordinal=..., count=...)
    ngettext("{count} municipality", "{count} municipalities", count, lang, count=count)
    pgettext("unit", "pp", lang)          # the same English word, a meaning of its own
    N_("Denmark")                          # mark a text to be translated later (tables of words)

The translations are `locales/<lang>/LC_MESSAGES/messages.po` (Danish `da`, Norwegian bokmål
`nb`), read once with Babel at the first use. English needs no catalogue. Placeholders are
Python's `{name}`; a test checks that every text in the code is in every catalogue with the
same placeholders (tests/test_i18n.py). Numbers and dates: `locales.numbers`.

How to add a text: write it in English in the code inside `_()`, then run
`uv run python -m locales.update` to add it to both catalogues, and translate the new entries.
"""

from __future__ import annotations

import gettext as _gettext
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

FOLDER = Path(__file__).resolve().parent
DOMAIN = "messages"
LANGUAGES = ("en", "da", "nb")
DEFAULT_LANGUAGE = "en"
TRANSLATED = ("da", "nb")
# The language switch: each language named in itself (an endonym is not translated).
LANGUAGE_CHOICES = (("en", "English"), ("da", "Dansk"), ("nb", "Norsk"))


def catalogue_path(lang: str) -> Path:
    """Where the catalogue of a translated language lives."""
    return FOLDER / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@dataclass(frozen=True)
class Catalogue:
    """One language's translations: (context, msgid) -> text, plural forms by msgid."""

    texts: dict[tuple[str | None, str], str]
    plurals: dict[tuple[str | None, str], tuple[str, ...]]
    plural_index: Callable[[int], int]


@cache
def catalogue(lang: str) -> Catalogue:
    """The parsed catalogue of `lang` (read once per process)."""
    with catalogue_path(lang).open("rb") as f:
        po = read_po(f, locale=lang)
    texts: dict[tuple[str | None, str], str] = {}
    plurals: dict[tuple[str | None, str], tuple[str, ...]] = {}
    for message in po:
        if not message.id or message.fuzzy:
            continue
        if isinstance(message.id, tuple):
            forms = tuple(message.string or ())
            if all(forms):
                plurals[(message.context, message.id[0])] = forms
        elif message.string:
            texts[(message.context, str(message.id))] = str(message.string)
    return Catalogue(texts, plurals, _gettext.c2py(po.plural_expr))


def normalise_language(value: object) -> str:
    """A supported language code from a URL value; anything else falls back to English.

    Dash hands a repeated parameter (`?lang=da&lang=nb`) over as a list: the first counts.
    """
    if isinstance(value, list):
        value = value[0] if value else None
    if value in LANGUAGES:
        return str(value)
    if value in ("no", "nn", "nob"):
        return "nb"
    return DEFAULT_LANGUAGE


def _fill(text: str, values: dict[str, object]) -> str:
    return text.format(**values) if values else text


def pgettext(context: str | None, message: str, lang: str, /, **values: object) -> str:
    """`message` (English, with {placeholders}) in `lang` for a given context, filled in."""
    if lang in TRANSLATED:
        message = catalogue(lang).texts.get((context, message), message)
    return _fill(message, values)


def _(message: str, lang: str, /, **values: object) -> str:
    """`message` (English, with {placeholders}) in `lang`, filled in with `values`."""
    return pgettext(None, message, lang, **values)


def ngettext(singular: str, plural: str, n: int, lang: str, /, **values: object) -> str:
    """The singular or plural form for `n` in `lang`, filled in with `values`."""
    if lang in TRANSLATED:
        book = catalogue(lang)
        forms = book.plurals.get((None, singular))
        if forms:
            return _fill(forms[book.plural_index(n)], values)
    return _fill(singular if n == 1 else plural, values)


def N_(message: str) -> str:  # noqa: N802 (gettext's name for "mark, translate later")
    """Mark `message` for the catalogue without translating it here (tables of words)."""
    return message
