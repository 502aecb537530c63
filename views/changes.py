"""What changed since the last meeting: `/changes?from=&to=&municipalities=&indicators=&lang=`.

The view reads both snapshots through queries/ and compares them with indicators/changes.py;
here each change becomes one plain sentence in the reader's language. `barometer changes`
prints the same sentences; the deck's first slide shows them for the network.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from errors import BarometerError
from indicators.changes import (
    BEYOND_INTERVAL,
    LIGHT,
    NEW_PERIOD,
    RANK,
    REVISED,
    Change,
    compare_snapshots,
)
from indicators.registry import Indicator, get_indicator, list_indicators
from loaders.municipalities import Municipality, find_municipality
from locales import N_, _, ngettext
from locales.numbers import format_period, format_value, list_words, ordinal
from locales.words import VERDICT_WORDS, word
from queries.snapshots import Snapshot, reading_snapshot
from queries.values import get_municipal_values
from views.params import unknown_indicator, unknown_municipality
from views.problems import Link, Problem
from views.snapshots import UnknownSnapshot, latest_pinned, resolve_snapshot, unknown_snapshot

PATH = "/changes"
KIND_HEADINGS = {
    NEW_PERIOD: N_("New figures"),
    REVISED: N_("Figures the provider revised"),
    BEYOND_INTERVAL: N_("Moved beyond the interval"),
    RANK: N_("Rank in the network"),
    LIGHT: N_("Traffic lights that changed"),
}
RULE_WORDS = {"barometer": N_("barometer rule"), "significance": N_("significance rule")}


@dataclass(frozen=True)
class ChangesView:
    """Two snapshots, the municipalities and indicators compared, and what changed."""

    before: Snapshot
    after: Snapshot
    municipalities: tuple[Municipality, ...]
    indicators: tuple[Indicator, ...]
    changes: tuple[Change, ...]

    def by_kind(self) -> dict[str, list[Change]]:
        grouped: dict[str, list[Change]] = {kind: [] for kind in KIND_HEADINGS}
        for change in self.changes:
            grouped[change.kind].append(change)
        return grouped


def parse_list(text: str | None) -> list[str]:
    """Comma-separated codes or ids from an address, without blanks or repeats."""
    return list(dict.fromkeys(part.strip() for part in (text or "").split(",") if part.strip()))


def changes_href(
    before: str | None,
    after: str | None,
    municipalities: Sequence[str],
    indicators: Sequence[str],
    lang: str,
) -> str:
    """The shareable address of a view (commas kept readable)."""
    query = {
        "from": before or "",
        "to": after if after and after != "latest" else "",
        "municipalities": ",".join(municipalities),
        "indicators": ",".join(indicators),
        "lang": lang if lang != "en" else "",
    }
    kept = {k: v for k, v in query.items() if v}
    return f"{PATH}?{urlencode(kept, safe=',')}" if kept else PATH


def read_snapshots(before_name: str | None, after_name: str | None) -> tuple[Snapshot, Snapshot]:
    """The two snapshots compared: `from` (default: the newest pinned one) and `to` (latest).

    UnknownSnapshot for a name that names none; a BarometerError when nothing was pinned.
    """
    after = resolve_snapshot(after_name)
    if before_name:
        return resolve_snapshot(before_name), after
    before = latest_pinned(other_than=after)
    if before is None:
        raise BarometerError(
            N_(
                "No snapshot has been pinned yet, so there is nothing to compare with. Pin the "
                "data shown at a meeting with “barometer snapshot pin LABEL”."
            )
        )
    return before, after


def read_indicators(text: str | None) -> list[Indicator] | str:
    """The indicators an address names (all when none), or the first unknown id."""
    ids = parse_list(text)
    if not ids:
        return list(list_indicators())
    found = []
    for indicator_id in ids:
        indicator = get_indicator(indicator_id)
        if indicator is None:
            return indicator_id
        found.append(indicator)
    return found


def read_municipalities(text: str | None) -> list[Municipality] | str:
    """The municipalities an address names, or the first unknown code."""
    found = []
    for code in parse_list(text):
        municipality = find_municipality(code)
        if municipality is None:
            return code
        found.append(municipality)
    return found


def read_selection(
    municipalities_text: str | None,
    indicators_text: str | None,
    href: Callable[[list[str], list[str]], str],
    lang: str,
) -> tuple[list[Municipality], list[Indicator]] | Problem:
    """The municipalities and indicators an address names (every indicator when it names
    none), or a Problem for the first unknown one with the closest as links
    (`href(codes, ids)` is the address of a selection)."""
    codes, ids = parse_list(municipalities_text), parse_list(indicators_text)
    indicators = read_indicators(indicators_text)
    if isinstance(indicators, str):
        everyone = {i.id: i for i in list_indicators()}
        return unknown_indicator(indicators, everyone, lambda i: href(codes, [i]), lang)
    municipalities = read_municipalities(municipalities_text)
    if isinstance(municipalities, str):
        known = [c for c in codes if find_municipality(c) is not None]
        return unknown_municipality(municipalities, lambda c: href([*known, c], ids), lang)
    return municipalities, indicators


def compare(
    before: Snapshot,
    after: Snapshot,
    indicators: Sequence[Indicator],
    municipalities: Sequence[Municipality],
) -> list[Change]:
    """Every change of the indicators between two snapshots for the municipalities (all when
    none are given; ranks are then not compared)."""
    changes: list[Change] = []
    for indicator in indicators:
        codes = [m.code for m in municipalities] or None
        with reading_snapshot(before):
            old = get_municipal_values(indicator.id)
            old_counties = county_codes(indicator, municipalities)
        with reading_snapshot(after):
            new = get_municipal_values(indicator.id)
            codes = codes and [*codes, *old_counties, *county_codes(indicator, municipalities)]
        changes += compare_snapshots(indicator, old, new, codes)
    return changes


def county_codes(indicator: Indicator, municipalities: Sequence[Municipality]) -> list[str]:
    """The counties whose figures stand for these municipalities where an indicator is published
    per county only (each year's county: a reform moves a municipality to another county);
    none where it is published per municipality."""
    from queries.scorecard import get_county_history

    found: list[str] = []
    for municipality in municipalities:
        if indicator.municipal_in(municipality.country):
            continue
        history = get_county_history(municipality.country, municipality.code)
        if not history.empty:
            mine = history.loc[history["indicator"] == indicator.id, "area"]
            found.extend(str(code) for code in mine)
    return list(dict.fromkeys(found))


def read_view(
    before_name: str | None,
    after_name: str | None,
    municipalities_text: str | None,
    indicators_text: str | None,
    lang: str,
) -> ChangesView | Problem:
    """The view an address asks for, or a Problem saying what is wrong and what would work."""
    codes = parse_list(municipalities_text)
    ids = parse_list(indicators_text)
    try:
        before, after = read_snapshots(before_name, after_name)
    except UnknownSnapshot as exc:
        wrong_from = exc.name == (before_name or "").strip()
        return unknown_snapshot(
            exc.name,
            lambda n: changes_href(
                n if wrong_from else before_name,
                after_name if wrong_from else n,
                codes,
                ids,
                lang,
            ),
            lang,
        )
    except BarometerError as exc:
        return Problem("snapshot", _("Nothing to compare with", lang), exc.describe(lang))
    selection = read_selection(
        municipalities_text,
        indicators_text,
        lambda m, i: changes_href(before.name, after.name, m, i, lang),
        lang,
    )
    if isinstance(selection, Problem):
        return selection
    municipalities, indicators = selection
    try:
        changes = compare(before, after, indicators, municipalities)
    except BarometerError as exc:  # a kept version this version cannot read, among others
        return Problem("snapshot", _("Nothing to compare with", lang), exc.describe(lang))
    return ChangesView(before, after, tuple(municipalities), tuple(indicators), tuple(changes))


# --- words ------------------------------------------------------------------------------------


# One sentence per kind of change; every sentence gets every value (each uses its own).
SENTENCES = {
    NEW_PERIOD: N_("{name}: {indicator} for {period} is new: {value}."),
    REVISED: N_("{name}: {indicator} for {period} was revised from {old} to {new}."),
    BEYOND_INTERVAL: N_(
        "{name}: {indicator} is {new} in {period}, outside the 95 % interval "
        "({lower} to {upper}) of {old} in {earlier}."
    ),
    RANK: N_(
        "{name}: {indicator} ranks {new} of {count} in the network in {period} "
        "(was {old} in {earlier})."
    ),
    LIGHT: N_(
        "{name}: the traffic light for {indicator} changed from {old} ({earlier}) to {new} "
        "({period}) by the {rule}."
    ),
}


def describe_change(change: Change, indicator: Indicator, lang: str) -> str:
    """One plain sentence for a change, with its numbers, in the reader's language."""

    def value(x: float | None) -> str:
        if x is None:
            return _("no published value", lang)
        return format_value(x, indicator.measure, lang)

    if change.kind == RANK:  # old and new are ranks
        old, new = ordinal(int(change.old or 0), lang), ordinal(int(change.new or 0), lang)
    elif change.kind == LIGHT:  # old and new are the lights
        old = word(VERDICT_WORDS, change.old_light or "", lang)
        new = word(VERDICT_WORDS, change.new_light or "", lang)
    else:
        old, new = value(change.old), value(change.new)
    return _(
        SENTENCES[change.kind],
        lang,
        name=change.name,
        indicator=indicator.title_in(lang),
        period=format_period(change.period, lang),
        earlier=format_period(change.old_period or "", lang),
        value=value(change.new),
        old=old,
        new=new,
        lower=value(change.lower),
        upper=value(change.upper),
        count=change.of,
        rule=_(RULE_WORDS[change.rule or "barometer"], lang),
    )


def describe_snapshot(snapshot: Snapshot, lang: str) -> str:
    """A snapshot's name for reading: its label, or "the latest data"."""
    if snapshot.is_latest:
        return _("the latest data", lang)
    return snapshot.name


def heading(view: ChangesView, lang: str) -> str:
    """The page's heading: what changed since <label>."""
    return _("What changed since “{label}”", lang, label=describe_snapshot(view.before, lang))


def summary(view: ChangesView, lang: str) -> str:
    """One sentence counting the changes by kind."""
    if not view.changes:
        return _("Nothing changed for these municipalities and indicators.", lang)
    counts = {kind: len(found) for kind, found in view.by_kind().items()}
    new, revised, beyond, ranks, lights = (counts[k] for k in KIND_HEADINGS)
    parts = [
        ngettext("{n} new figure", "{n} new figures", new, lang, n=new),
        ngettext("{n} revised", "{n} revised", revised, lang, n=revised),
        ngettext("{n} beyond its interval", "{n} beyond their interval", beyond, lang, n=beyond),
        ngettext("{n} rank change", "{n} rank changes", ranks, lang, n=ranks),
        ngettext("{n} traffic light changed", "{n} traffic lights changed", lights, lang, n=lights),
    ]
    return list_words(parts, lang) + "."


def snapshot_links(view: ChangesView, lang: str) -> list[Link]:
    """Links comparing the same selection with each other pinned snapshot."""
    from queries.snapshots import list_pinned

    codes = [m.code for m in view.municipalities]
    ids = [i.id for i in view.indicators] if len(view.indicators) < len(list_indicators()) else []
    return [
        Link(s.name, changes_href(s.name, view.after.name, codes, ids, lang))
        for s in list_pinned()
        if s.id != view.before.id
    ]
