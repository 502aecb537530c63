"""Presentation mode: `/present?municipalities=&indicators=&peers=&from=&slide=&lang=`.

A deck for a network meeting: slide 1 says what changed since the snapshot `from` (by default
the newest pinned one); then one slide per indicator with one chart (the network's
municipalities against their peers' average and the national figure), a headline written from
the numbers and a source line (table, period, the provider's update, the demo label). The same
deck is drawn in the browser (pages/present.py) and written as PPTX (exports/deck.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from errors import BarometerError
from indicators.changes import BEYOND_INTERVAL, LIGHT, NEW_PERIOD, RANK, REVISED, Change
from indicators.ranking import Reference, Row, is_ascending
from indicators.registry import Indicator, get_indicator, list_indicators
from loaders.municipalities import Municipality, find_municipality
from locales import N_, _
from locales.numbers import format_period, format_time, format_value, list_words
from locales.words import country_name, provider_name
from queries.compare import get_provenance, get_rows
from queries.snapshots import Snapshot
from views.changes import compare, describe_change, describe_snapshot, parse_list
from views.compare import CompareProblem, get_comparison, peers_label
from views.params import unknown_indicator, unknown_municipality
from views.problems import Link, Problem
from views.snapshots import UnknownSnapshot, latest_pinned, resolve_snapshot, unknown_snapshot

PATH = "/present"
# At most this many sentences fit the first slide at a size readable from the back of a room.
CHANGE_LINES = 6
# Which changes a meeting hears first.
PRIORITY = (LIGHT, BEYOND_INTERVAL, REVISED, RANK)
HEADLINES = {
    "gap": N_(
        "{name} has the network's smallest gap, {value}; peers {peer}, {country} {national}."
    ),
    "share": N_(
        "{name} has the network's largest share, {value}; peers {peer}, {country} {national}."
    ),
    "higher": N_(
        "{name} has the network's highest rate, {value}; peers {peer}, {country} {national}."
    ),
    "lower": N_(
        "{name} has the network's lowest rate, {value}; peers {peer}, {country} {national}."
    ),
}


@dataclass(frozen=True)
class ChangesSlide:
    """Slide 1: what changed since the snapshot (None: nothing pinned to compare with)."""

    title: str
    lines: list[str]
    more: int
    href: str


@dataclass(frozen=True)
class IndicatorSlide:
    """One indicator: the network's rows in the latest period, its references, its words."""

    indicator: Indicator
    country: str
    period: str
    rows: list[Row]
    national: Reference
    peer_average: Reference
    peers: str
    title: str
    headline: str
    source: str
    notes: str  # definition and sources, for the speaker (PPTX notes)


@dataclass(frozen=True)
class Deck:
    """The whole presentation and the slide shown (1 = what changed)."""

    municipalities: tuple[Municipality, ...]
    country: str
    peers: str
    before: Snapshot | None
    changes: ChangesSlide
    slides: list[IndicatorSlide]
    slide: int
    demo: bool

    @property
    def count(self) -> int:
        return 1 + len(self.slides)


def present_href(
    municipalities: Sequence[str],
    indicators: Sequence[str],
    peers: str,
    before: str | None,
    slide: int,
    lang: str,
) -> str:
    """The shareable address of a deck at one slide."""
    query = {
        "municipalities": ",".join(municipalities),
        "indicators": ",".join(indicators),
        "peers": peers,
        "from": before or "",
        "slide": str(slide) if slide > 1 else "",
        "lang": lang if lang != "en" else "",
    }
    kept = {k: v for k, v in query.items() if v}
    return f"{PATH}?{urlencode(kept, safe=',:~')}" if kept else PATH


def parse_slide(value: str | None, count: int) -> int:
    """The slide asked for, kept within the deck (a bad number shows the first slide)."""
    try:
        slide = int(value or 1)
    except ValueError:
        return 1
    return min(max(slide, 1), count)


# --- words ------------------------------------------------------------------------------------


def write_headline(slide: IndicatorSlide, lang: str) -> str:
    """One sentence from the numbers: who leads the network, against peers and country."""
    shown = [r for r in slide.rows if r.value is not None]
    where = country_name(slide.country, lang)
    peer = format_value(slide.peer_average.value, slide.indicator.measure, lang)
    national = format_value(slide.national.value, slide.indicator.measure, lang)
    if not shown:
        return _(
            "No published figure for the network in {period}; {country}: {national}.",
            lang,
            period=format_period(slide.period, lang),
            country=where,
            national=national,
        )
    if len(slide.rows) == 1:
        row = shown[0]
        return _(
            "{name}: {value}, against {peer} for its peers and {national} for {country}.",
            lang,
            name=row.name,
            value=format_value(row.value, slide.indicator.measure, lang),
            peer=peer,
            national=national,
            country=where,
        )
    ascending = is_ascending(slide.indicator)
    best = sorted(shown, key=lambda r: (r.value if ascending else -(r.value or 0.0), r.name))[0]
    if slide.indicator.measure == "gap":
        text = HEADLINES["gap"]
    elif slide.indicator.higher_is_better is None:
        text = HEADLINES["share"]
    else:
        text = HEADLINES["higher" if slide.indicator.higher_is_better else "lower"]
    return _(
        text,
        lang,
        name=best.name,
        value=format_value(best.value, slide.indicator.measure, lang),
        peer=peer,
        country=where,
        national=national,
    )


def write_source(
    indicator: Indicator, country: str, period: str, demo: bool, lang: str
) -> tuple[str, str]:
    """The source line (tables, period, provider's update, demo label) and the speaker's
    notes (definition, groups, sources)."""
    provenance = get_provenance(indicator, country)
    tables = [
        _(
            "{provider} table {table} (updated {when})",
            lang,
            provider=provider_name(t["provider"], lang),
            table=t["table_id"],
            when=format_time(t["provider_updated"], lang),
        )
        for t in provenance.tables
    ]
    line = _(
        "Source: {tables}; period {period}; calculated by the Integration Barometer.",
        lang,
        tables=list_words(tables, lang),
        period=format_period(period, lang),
    )
    if demo:
        line += " " + _("DEMO: simulated figures, not official statistics.", lang)
    definition = indicator.countries[country]
    groups = [definition.target.label.get(lang) or definition.target.label["en"]]
    if definition.comparison is not None:
        label = definition.comparison.label
        groups.append(label.get(lang) or label["en"])
    notes = "\n".join(
        [
            indicator.describe(country, lang),
            _(
                "Groups: {groups}; ages {band}.",
                lang,
                groups=" / ".join(groups),
                band=definition.age_band,
            ),
            line,
            *(
                f"{provider_name(t['provider'], lang)} {t['table_id']}: {t['title']}"
                for t in provenance.tables
            ),
            _("Licence: CC BY 4.0; name the provider and table as the source.", lang),
        ]
    )
    return line, notes


# --- reading ----------------------------------------------------------------------------------


def build_changes_slide(
    before: Snapshot | None,
    after: Snapshot,
    indicators: Sequence[Indicator],
    municipalities: Sequence[Municipality],
    lang: str,
) -> ChangesSlide:
    """The first slide: the most important changes since `before`, as sentences."""
    from views.changes import changes_href

    codes = [m.code for m in municipalities]
    if before is None:
        return ChangesSlide(
            _("What changed", lang),
            [_("No snapshot has been pinned yet: nothing to compare with.", lang)],
            0,
            "",
        )
    changes = compare(before, after, indicators, municipalities)
    by_id = {i.id: i for i in indicators}
    important = [c for kind in PRIORITY for c in changes if c.kind == kind]
    important = [c for c in important if c.kind != LIGHT or c.rule == "barometer"]
    lines = [describe_change(c, by_id[c.indicator], lang) for c in important]
    arrived = new_periods(changes, by_id, lang)
    lines = [*arrived, *lines]
    shown = lines[:CHANGE_LINES]
    if not lines:
        shown = [_("Nothing changed for the network's municipalities.", lang)]
    return ChangesSlide(
        _("What changed since “{label}”", lang, label=describe_snapshot(before, lang)),
        shown,
        max(len(lines) - CHANGE_LINES, 0),
        changes_href(before.name, None, codes, [], lang),
    )


def new_periods(changes: list[Change], indicators: dict[str, Indicator], lang: str) -> list[str]:
    """One sentence per new period: which indicators it brought."""
    periods: dict[str, list[str]] = {}
    for change in changes:
        if change.kind == NEW_PERIOD:
            titles = periods.setdefault(change.period, [])
            title = indicators[change.indicator].title_in(lang)
            if title not in titles:
                titles.append(title)
    return [
        _(
            "New figures for {period}: {indicators}.",
            lang,
            period=format_period(p, lang),
            indicators=list_words(t, lang),
        )
        for p, t in sorted(periods.items())
    ]


def build_indicator_slide(
    indicator: Indicator,
    municipalities: Sequence[Municipality],
    peers: str,
    demo: bool,
    lang: str,
) -> IndicatorSlide | None:
    """The slide of one indicator in its latest period (None when the country lacks it)."""
    country = municipalities[0].country
    if country not in indicator.countries:
        return None
    try:
        comparison = get_comparison(
            indicator.id, None, peers or None, municipalities[0].code, country
        )
    except CompareProblem:
        return None
    everyone = get_rows(indicator.id, country, comparison.period)
    rows = [everyone[m.code] for m in municipalities if m.code in everyone]
    source, notes = write_source(indicator, country, comparison.period, demo, lang)
    slide = IndicatorSlide(
        indicator=indicator,
        country=country,
        period=comparison.period,
        rows=rows,
        national=comparison.national,
        peer_average=comparison.peer_average,
        peers=peers_label(comparison, lang),
        title=_(
            "{indicator}, {period}",
            lang,
            indicator=indicator.title_in(lang),
            period=format_period(comparison.period, lang),
        ),
        headline="",
        source=source,
        notes=notes,
    )
    return IndicatorSlide(**{**slide.__dict__, "headline": write_headline(slide, lang)})


def read_deck(
    municipalities_text: str | None,
    indicators_text: str | None,
    peers: str | None,
    before_name: str | None,
    slide: str | None,
    lang: str,
) -> Deck | Problem:
    """The deck an address asks for, or a Problem with what would work instead."""
    from queries.values import get_data_status

    codes = parse_list(municipalities_text)
    ids = parse_list(indicators_text)
    peers = (peers or "").strip() or "region"

    def href(m: Sequence[str] = codes, i: Sequence[str] = ids, b: str | None = before_name) -> str:
        return present_href(m, i, peers, b, 1, lang)

    if not codes:
        return Problem(
            "municipality",
            _("Which municipalities?", lang),
            _(
                "A deck shows a network of municipalities: give their codes, for example "
                "municipalities=151,740,751. The municipality page has a “Present” button that "
                "fills them in.",
                lang,
            ),
            [
                Link("Ballerup, Silkeborg, Aarhus", href(["151", "740", "751"])),
                Link("Oslo, Bergen, Trondheim", href(["0301", "4601", "5001"])),
            ],
            _("For example:", lang),
        )
    found = [find_municipality(c) for c in codes]
    unknown = [c for c, m in zip(codes, found, strict=True) if m is None]
    known = [m for m in found if m is not None]
    if unknown:
        return unknown_municipality(unknown[0], lambda c: href([*(m.code for m in known), c]), lang)
    countries = list(dict.fromkeys(m.country for m in known))
    if len(countries) > 1:
        return Problem(
            "country",
            _("One country at a time", lang),
            _(
                "Danish and Norwegian figures are defined differently, so a deck shows one "
                "country. Continue with:",
                lang,
            ),
            [
                Link(
                    ", ".join(m.name for m in known if m.country == c),
                    href([m.code for m in known if m.country == c]),
                )
                for c in countries
            ],
        )
    chosen: list[Indicator] = []
    for indicator_id in ids:
        indicator = get_indicator(indicator_id)
        if indicator is None:
            return unknown_indicator(
                indicator_id, {i.id: i for i in list_indicators()}, lambda i: href(i=[i]), lang
            )
        chosen.append(indicator)
    country = countries[0]
    chosen = [i for i in (chosen or list(list_indicators())) if country in i.countries]
    try:
        after = resolve_snapshot(None)
        before = resolve_snapshot(before_name) if before_name else latest_pinned(other_than=after)
    except UnknownSnapshot as exc:
        return unknown_snapshot(exc.name, lambda n: href(b=n), lang)
    demo = get_data_status().is_demo
    slides = [s for i in chosen if (s := build_indicator_slide(i, known, peers, demo, lang))]
    if not slides:
        raise BarometerError(
            N_("No indicator of this deck has figures for {country}."), country=country
        )
    changes = build_changes_slide(before, after, chosen, known, lang)
    count = 1 + len(slides)
    return Deck(
        tuple(known), country, peers, before, changes, slides, parse_slide(slide, count), demo
    )


# The most municipalities a deck's chart shows side by side (readable bars at 1920 px).
MAX_NETWORK = 12


def present_link(code: str, peer_codes: Sequence[str], spec: str, lang: str) -> str:
    """The deck for a municipality page: its peer group as the network when it is small enough
    to draw (a named group, the most similar), else the municipality alone; the latest pinned
    snapshot as `from`."""
    network = list(dict.fromkeys([code, *peer_codes]))
    if len(network) > MAX_NETWORK:
        network = [code]
    pinned = latest_pinned(other_than=resolve_snapshot(None))  # as /present without `from`
    return present_href(network, [], spec, pinned.name if pinned else None, 1, lang)
