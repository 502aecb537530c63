"""One text catalogue per language: complete, in step with the code, same placeholders.

The English text is in the code (gettext's msgid); `locales/<lang>/LC_MESSAGES/messages.po`
holds its Danish and Norwegian translations. Indicator texts in the definition files (titles,
descriptions, caveats, group labels) and in events.yml and unavailable.yml are checked the same
way: every language present, non-empty, with the placeholders of the English text.
"""

from __future__ import annotations

import ast
import string
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from indicators.registry import list_indicators, list_unavailable
from locales import LANGUAGES, TRANSLATED, _, catalogue, ngettext, normalise_language
from locales.numbers import (
    format_count,
    format_number,
    format_percent,
    format_period,
    format_pp,
    ordinal,
)
from locales.update import ROOT, extract_messages, merged, source_files, untranslated
from queries.trend import load_events
from views.params import with_query

TRANSLATION_FUNCTIONS = {"_", "N_", "ngettext", "pgettext"}


def placeholders(text: str) -> set[str]:
    """The {names} of a format string."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.fixture(scope="module")
def template():
    return extract_messages()


def test_the_code_marks_hundreds_of_texts(template) -> None:
    ids = {message.id for message in template if message.id}
    assert len(ids) > 300
    assert "Compare municipalities" in ids


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_text_of_the_code_is_translated(template, lang: str) -> None:
    po = merged(lang, template)
    assert untranslated(po) == [], "run `uv run python -m locales.update` and translate"
    on_disk = {(m.context, m.id) for m in catalogue_messages(lang)}
    in_code = {(m.context, m.id) for m in template if m.id}
    assert in_code <= on_disk, f"not in {lang}: {sorted(map(str, in_code - on_disk))[:10]}"
    assert on_disk <= in_code, f"stale in {lang}: {sorted(map(str, on_disk - in_code))[:10]}"


def catalogue_messages(lang: str) -> Iterator:
    from babel.messages.pofile import read_po

    from locales import catalogue_path

    with catalogue_path(lang).open("rb") as f:
        yield from (m for m in read_po(f, locale=lang) if m.id)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_keep_the_placeholders(lang: str) -> None:
    wrong = []
    for message in catalogue_messages(lang):
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = placeholders(ids[0])
        wrong += [(ids[0], form) for form in forms if placeholders(form) != wanted]
    assert wrong == []


def test_catalogue_is_read_and_used() -> None:
    assert _("Compare municipalities", "da") == "Sammenlign kommuner"
    assert _("Compare municipalities", "nb") == "Sammenlign kommuner"
    assert _("Compare municipalities", "en") == "Compare municipalities"
    assert _("Unknown country", "nb") == "Ukjent land"
    assert _("{name} is not in this group.", "da", name="Ballerup") == (
        "Ballerup er ikke med i gruppen."
    )
    assert _("a text the catalogue does not know", "da") == "a text the catalogue does not know"
    assert catalogue("da").texts and catalogue("nb").texts
    assert ngettext("{n} item", "{n} items", 2, "en", n=2) == "2 items"


def _calls_inside_fstrings(tree: ast.AST) -> Iterator[int]:
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            for inner in ast.walk(node):
                if (
                    isinstance(inner, ast.Call)
                    and isinstance(inner.func, ast.Name)
                    and inner.func.id in TRANSLATION_FUNCTIONS
                ):
                    yield inner.lineno


def _language_tables(tree: ast.AST) -> Iterator[int]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
            words = [v.value for v in node.values if isinstance(v, ast.Constant)]
            # {"da": ..., "nb": ...} with words as values (not a map of language codes)
            if {"da", "nb"} <= keys and any(isinstance(w, str) and len(w) > 3 for w in words):
                yield node.lineno


def test_texts_are_marked_where_the_extractor_sees_them() -> None:
    # Babel cannot see a call inside an f-string: it would never reach the catalogue.
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in source_files()
        for line in _calls_inside_fstrings(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert found == []


def test_no_python_file_holds_translations() -> None:
    project = [
        p
        for p in ROOT.rglob("*.py")
        if not {".venv", "tests", "node_modules"} & set(p.relative_to(ROOT).parts)
    ]
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in project
        for line in _language_tables(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert found == [], "per-language text belongs in locales/<lang>/LC_MESSAGES/messages.po"


# --- texts in the data files ----------------------------------------------------------------


def data_texts() -> Iterator[tuple[str, Mapping[str, str]]]:
    """Every multilingual text of the definition, events and unavailable files."""
    for indicator in list_indicators():
        yield f"{indicator.id} title", indicator.title
        yield f"{indicator.id} description", indicator.description
        for code, country in indicator.countries.items():
            where = f"{indicator.id} {code}"
            yield f"{where} target.label", country.target.label
            if country.comparison is not None:
                yield f"{where} comparison.label", country.comparison.label
            if country.caveats:
                yield f"{where} caveats", country.caveats
            if country.description:
                yield f"{where} description", country.description
    for event in load_events():
        yield f"events {event.country} {event.id} label", event.label
        yield f"events {event.country} {event.id} text", event.text
    for entry in list_unavailable():
        yield f"unavailable {entry.id} title", entry.title
        yield f"unavailable {entry.id} why", entry.why


@pytest.mark.parametrize(("where", "texts"), list(data_texts()), ids=lambda x: str(x)[:60])
def test_data_file_texts_have_every_language(where: str, texts: Mapping[str, str]) -> None:
    assert set(texts) == set(LANGUAGES), where
    assert all(isinstance(v, str) and v.strip() for v in texts.values()), where
    wanted = placeholders(texts["en"])
    assert all(placeholders(v) == wanted for v in texts.values()), where


# --- numbers and links ----------------------------------------------------------------------


def test_numbers_are_written_the_local_way() -> None:
    assert format_percent(12.345, "en") == "12.3%"
    assert format_percent(12.345, "da") == "12,3\u00a0%"
    assert format_percent(12.345, "nb") == "12,3\u00a0%"
    assert format_pp(3.14, "da") == "3,1\u00a0procentpoint"
    assert format_pp(-3.14, "nb") == "\u22123,1\u00a0prosentpoeng"
    assert format_pp(0.04, "en", signed=True) == "0.0\u00a0pp"  # never "+0.0" or "-0.0"
    assert format_pp(2, "en", signed=True) == "+2.0\u00a0pp"
    assert format_count(1234567, "da") == "1.234.567"
    assert format_number(1234.56, "nb") == "1\u00a0234,6"
    assert format_number(-2.25, "en", 2) == "-2.25"
    assert format_number(-0.01, "en") == "0.0"  # never "-0.0"
    assert format_number(None, "da") == "–"
    assert format_count(1234567, "nb") == "1\u00a0234\u00a0567"
    assert format_period("2021K2", "en") == "2021 Q2"
    assert format_period("2021K2", "da") == "2021 K2"
    assert "p.p" not in format_pp(1.0, "nb")
    ordinals = [ordinal(n, "en") for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 111)]
    assert ordinals == ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "111th"]
    assert ordinal(4, "da") == ordinal(4, "nb") == "4."


def test_language_normalisation_and_links() -> None:
    assert normalise_language("da") == "da"
    assert normalise_language(["nb", "da"]) == "nb"
    assert normalise_language("no") == "nb"
    assert normalise_language("xx") == "en"
    assert normalise_language(None) == "en"
    assert with_query("/compare", {"lang": "da", "peers": None, "indicator": "x"}) == (
        "/compare?indicator=x&lang=da"
    )


def test_the_catalogues_are_in_the_checkout() -> None:
    for lang in TRANSLATED:
        assert (Path(ROOT) / "locales" / lang / "LC_MESSAGES" / "messages.po").is_file()
