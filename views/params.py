"""Reading URL parameters and writing links: one value per parameter, suggestions, query strings.

Dash Pages hands every query parameter to a page's layout as a keyword; a repeated parameter
(`?a=1&a=2`) arrives as a list. Everything a page reads from the URL goes through `one()`, and
every "did you mean" list through `suggest()`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode

# How close a typed value must be to a known one to be suggested (difflib's ratio, 0-1).
SUGGEST_CUTOFF = 0.5


def one(value: Any) -> str | None:
    """A query value as one stripped string (a repeated parameter keeps its first value)."""
    if isinstance(value, list):
        value = value[0] if value else None
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def query_of(search: str | None) -> dict[str, str]:
    """A URL's search string ("?a=1&b=2") as a dict (the first of repeated values)."""
    found: dict[str, str] = {}
    for key, value in parse_qsl((search or "").lstrip("?")):
        found.setdefault(key, value)
    return found


def with_query(path: str, query: Mapping[str, str | None], safe: str = "") -> str:
    """`path` with the non-empty query values in a stable (sorted) order: shareable links."""
    kept = {k: v for k, v in sorted(query.items()) if v not in (None, "")}
    return f"{path}?{urlencode(kept, safe=safe)}" if kept else path


def suggest(value: str, choices: Mapping[str, str] | Iterable[str], count: int = 3) -> list[str]:
    """The choices closest to `value`, best first: the one "did you mean" of the app.

    `choices` maps each choice to the texts it may be typed as (its id, its title in any
    language, its name): a dict {choice: text} or an iterable of choices matched by
    themselves. Matching ignores case, treats "-" and " " as "_", and also takes choices
    whose text contains what was typed.
    """
    texts = dict(choices) if isinstance(choices, Mapping) else {c: c for c in choices}

    def norm(text: str) -> str:
        return text.strip().lower().replace("-", "_").replace(" ", "_")

    wanted = norm(value)
    if not wanted:
        return []
    by_text: dict[str, str] = {}
    for choice, text in texts.items():
        by_text.setdefault(norm(choice), choice)
        by_text.setdefault(norm(text), choice)
    close = difflib.get_close_matches(wanted, list(by_text), n=count * 2, cutoff=SUGGEST_CUTOFF)
    found = [by_text[c] for c in close]
    found += [choice for text, choice in by_text.items() if wanted in text]
    return list(dict.fromkeys(found))[:count]
