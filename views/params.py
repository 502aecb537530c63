"""Reading URL parameters and writing links: one value per parameter, suggestions, query strings.

Dash Pages hands every query parameter to a page's layout as a keyword; a repeated parameter
(`?a=1&a=2`) arrives as a list. Everything a page reads from the URL goes through `one()`, and
every "did you mean" list through `suggest()`.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode

from indicators.registry import Indicator
from loaders.municipalities import list_municipalities
from locales import _
from views.problems import Link, Problem

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


def read_query(params: Mapping[str, Any], *names: str) -> dict[str, str | None]:
    """The URL parameters a page reads, from the keywords Dash Pages passes its layout: each
    name's one() value (None when absent); any other parameter is ignored. "lang" is read as
    any other: the page normalises it."""
    return {name: one(params.get(name)) for name in names}


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


def suggest(
    value: str, choices: Mapping[str, str | Iterable[str]] | Iterable[str], count: int = 3
) -> list[str]:
    """The choices closest to `value`, best first: the one "did you mean" of the app.

    `choices` maps each choice to the text or texts it may be typed as (its id, its title in
    every language, its name), or is an iterable of choices matched by themselves. Matching
    ignores case, treats "-" and " " as "_", and also takes choices whose text contains what
    was typed. SUGGEST_CUTOFF says how close is close.
    """
    if isinstance(choices, Mapping):
        texts = {c: [t] if isinstance(t, str) else list(t) for c, t in choices.items()}
    else:
        texts = {c: [c] for c in choices}

    def norm(text: str) -> str:
        return text.strip().lower().replace("-", "_").replace(" ", "_")

    wanted = norm(value)
    if not wanted:
        return []
    by_text: dict[str, str] = {}
    for choice, written in texts.items():
        for text in [choice, *written]:
            by_text.setdefault(norm(text), choice)
    close = difflib.get_close_matches(wanted, list(by_text), n=count * 3, cutoff=SUGGEST_CUTOFF)
    found = [by_text[c] for c in close]
    found += [choice for text, choice in by_text.items() if wanted in text]
    return list(dict.fromkeys(found))[:count]


def suggest_municipalities(text: str, count: int = 5) -> list[tuple[str, str]]:
    """Municipalities whose name or code is closest to `text`, as (code, name)."""
    everyone = {m.code: m for m in list_municipalities()}
    wanted = text.strip()
    if wanted.isdigit():  # a code: the same number first (301 for 0301), then close codes
        same = [code for code in everyone if code.lstrip("0") == wanted.lstrip("0")]
        found = list(dict.fromkeys([*same, *suggest(wanted, list(everyone), count)]))[:count]
    else:
        found = suggest(text, {code: m.name for code, m in everyone.items()}, count)
    return [(code, everyone[code].name) for code in found]


def unknown_municipality(
    codes: str | list[str], href_for: Callable[[str], str], lang: str
) -> Problem:
    """The problem for codes that are no municipality, with the closest ones as links."""
    wanted = [codes] if isinstance(codes, str) else codes
    links = [
        Link(f"{name} ({code})", href_for(code))
        for text in wanted
        for code, name in suggest_municipalities(text)
    ]
    return Problem(
        "municipality",
        _("Unknown municipality", lang),
        _(
            "“{code}” is not a Danish or Norwegian municipality code. Danish codes have three "
            "digits (Ballerup is 151), Norwegian codes four (Oslo is 0301).",
            lang,
            code=", ".join(wanted),
        ),
        list(dict.fromkeys(links)),
        _("Did you mean:", lang),
    )


def unknown_indicator(
    value: str,
    indicators: Mapping[str, Indicator],
    href_for: Callable[[str], str],
    lang: str,
) -> Problem:
    """The problem for an id that is no indicator: every indicator, the closest first."""
    close = suggest_indicators(value, indicators.values())
    shown = list(dict.fromkeys([*close, *indicators]))  # the closest first, then the rest
    return Problem(
        "indicator",
        _("Unknown indicator", lang),
        _("“{value}” is not an indicator of this barometer.", lang, value=value),
        [Link(f"{indicators[i].title_in(lang)} ({i})", href_for(i)) for i in shown],
        _("Did you mean:", lang) if close else _("Indicators:", lang),
    )


def suggest_indicators(value: str, indicators: Iterable[Indicator], count: int = 3) -> list[str]:
    """The ids of the indicators closest to `value` by id or by title in any language."""
    return suggest(value, {i.id: list(i.title.values()) for i in indicators}, count)
