"""Every interface text exists in all three languages."""

from __future__ import annotations

import importlib
import pkgutil

import pages
from components.i18n import LANGUAGES, TEXT, normalise_language, with_query


def test_shared_texts_have_every_language() -> None:
    missing = [key for key, entry in TEXT.items() if set(entry) != set(LANGUAGES)]
    assert missing == []


def test_page_texts_have_every_language() -> None:
    import app  # noqa: F401  (pages register themselves once the app exists)

    for module in pkgutil.iter_modules(pages.__path__):
        page = importlib.import_module(f"pages.{module.name}")
        table = getattr(page, "TEXT", {})
        missing = [key for key, entry in table.items() if set(entry) != set(LANGUAGES)]
        assert missing == [], f"pages/{module.name}.py"


def test_language_normalisation_and_links() -> None:
    assert normalise_language("da") == "da"
    assert normalise_language("no") == "nb"
    assert normalise_language("xx") == "en"
    assert with_query("/compare", {"lang": "da", "peers": None, "indicator": "x"}) == (
        "/compare?indicator=x&lang=da"
    )
