"""Presentation mode: `/present?municipalities=&indicators=&peers=&from=&slide=&lang=`.

A deck for a network meeting: slide 1 says what changed since the snapshot `from` (by default
the newest pinned one); then one slide per indicator with one chart (the network's
municipalities against their peers' average and the national figure), a headline written from
the numbers and a source line (table, period, the provider's update, the demo label). The same
deck is drawn in the browser (pages/present.py) and written as PPTX (exports/deck.py).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

from errors import BarometerError
from exports.tables import licence_line
from indicators.changes import BEYOND_INTERVAL, LIGHT, NEW_PERIOD, RANK, REVISED, Change
from indicators.ranking import Display, Reference, Row, is_ascending, national_reference
from indicators.registry import Indicator
from loaders.municipalities import Municipality
from locales import N_, _
from locales.numbers import format_period, format_time, format_value, list_words
from locales.words import country_name, provider_name
from queries.compare import get_national, get_provenance, get_rows, list_periods
from queries.snapshots import Snapshot
from views.changes import (
    compare,
    describe_change,
    describe_snapshot,
    parse_list,
    read_selection,
)
from views.compare import CompareProblem, get_comparison, peers_label
from views.problems import Link, Problem
from views.snapshots import UnknownSnapshot, latest_pinned, resolve_snapshot, unknown_snapshot

PATH = "/present"
# At most this many sentences fit the first slide at a size readable from the back of a room.
CHANGE_LINES = 6
# Which changes a meeting hears first.
PRIORITY = (LIGHT, BEYOND_INTERVAL, REVISED, RANK)
# The lead of a slide's headline: who leads the network, by the indicator's good direction.
LEADS = {
    "gap": N_("{name} has the network's smallest gap, {value}"),
    "share": N_("{name} has the network's largest share, {value}"),
    "higher": N_("{name} has the network's highest rate, {value}"),
    "lower": N_("{name} has the network's lowest rate, {value}"),
    "count": N_("{name} has the network's largest number, {value}"),
}
# The lead of a county slide's headline (by ascending order: lowest first, else highest).
COUNTY_LEADS = {
    False: N_("County figures: {name} is highest, {value}"),
    True: N_("County figures: {name} is lowest, {value}"),
}
# Providers whose sources are files named by title, not numbered tables.
FILE_PROVIDERS = {"imdi"}
# What a slide shows: municipal figures compared (rates, shares, gaps), municipal counts
# (volumes: no interval, no average, no national line), or county figures (published per
# county only: the counties the network's municipalities belong to).
MUNICIPAL, COUNT, COUNTY = "municipal", "count", "county"


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
    kind: str = MUNICIPAL
    # County slides: the network's municipalities in each county shown, by county code.
    members: dict[str, list[str]] = field(default_factory=dict)


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
    measure = slide.indicator.measure
    where = country_name(slide.country, lang)
    national = format_value(slide.national.value, measure, lang)
    shown = [r for r in slide.rows if r.value is not None]
    if slide.kind == COUNT:
        references = _("{country} in total {national}", lang, country=where, national=national)
    elif slide.peer_average.value is None:
        references = _("{country} {national}", lang, country=where, national=national)
    else:
        references = _(
            "peers {peer}, {country} {national}",
            lang,
            peer=format_value(slide.peer_average.value, measure, lang),
            country=where,
            national=national,
        )
    if not shown:
        return _(
            "No published figure for the network in {period}; {references}.",
            lang,
            period=format_period(slide.period, lang),
            references=references,
        )
    ascending = slide.kind != COUNT and is_ascending(slide.indicator)
    best = min(shown, key=lambda r: (r.value if ascending else -(r.value or 0.0), r.name))
    value = format_value(best.value, measure, lang)
    if slide.kind == COUNTY:
        text = COUNTY_LEADS[ascending] if len(shown) > 1 else N_("County figure, {name}: {value}")
        lead = _(text, lang, name=best.name, value=value)
    elif len(slide.rows) == 1:
        lead = f"{best.name}: {value}"
    else:
        lead = _(LEADS[lead_kind(slide.indicator)], lang, name=best.name, value=value)
    return _("{lead}; {references}.", lang, lead=lead, references=references)


def lead_kind(indicator: Indicator) -> str:
    """Which lead a headline has: by measure, and for rates by the good direction."""
    if indicator.measure in ("gap", "count"):
        return indicator.measure
    if indicator.higher_is_better is None:
        return "share"
    return "higher" if indicator.higher_is_better else "lower"


def write_source(
    indicator: Indicator, country: str, period: str, demo: bool, lang: str
) -> tuple[str, str]:
    """The source line (tables, period, provider's update, demo label) and the speaker's
    notes (definition, groups, sources)."""
    provenance = get_provenance(indicator, country)
    tables = [describe_table(t, lang) for t in provenance.tables]
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
            licence_line((t["provider"] for t in provenance.tables), lang) + ".",
        ]
    )
    return line, notes


def describe_table(table: dict[str, str], lang: str) -> str:
    """A source table for a source line: provider, table, and the provider's update time where
    it states one. IMDi's files have no table numbers: they are named by their title."""
    provider = provider_name(table["provider"], lang)
    if table["provider"] in FILE_PROVIDERS:
        named = _("{provider}: {title}", lang, provider=provider, title=table["title"])
    else:
        named = _("{provider} table {table}", lang, provider=provider, table=table["table_id"])
    if not table["provider_updated"]:
        return named
    when = format_time(table["provider_updated"], lang)
    return _("{table} (updated {when})", lang, table=named, when=when)


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
    """The slide of one indicator in its latest period (None when the country lacks it or
    has no figures for it): municipal figures against peers and country, a count of persons,
    or the county figures of the network's counties."""
    country = municipalities[0].country
    if country not in indicator.countries:
        return None
    if indicator.ranked_in(country):
        slide = read_compared(indicator, municipalities, peers, lang)
    elif indicator.municipal_in(country):
        slide = read_counts(indicator, municipalities)
    else:
        slide = read_counties(indicator, municipalities)
    if slide is None:
        return None
    source, notes = write_source(indicator, country, slide.period, demo, lang)
    title = _(
        "{indicator}, {period}",
        lang,
        indicator=indicator.title_in(lang),
        period=format_period(slide.period, lang),
    )
    slide = replace(slide, title=title, source=source, notes=notes)
    return replace(slide, headline=write_headline(slide, lang))


def _slide(
    indicator: Indicator, country: str, period: str, rows: list[Row], **more: Any
) -> IndicatorSlide:
    """A slide's numbers; its words are written by build_indicator_slide."""
    blank = Reference(None, False)
    fields: dict[str, Any] = {"national": blank, "peer_average": blank, "peers": ""} | more
    return IndicatorSlide(
        indicator=indicator,
        country=country,
        period=period,
        rows=rows,
        title="",
        headline="",
        source="",
        notes="",
        **fields,
    )


def read_compared(
    indicator: Indicator, municipalities: Sequence[Municipality], peers: str, lang: str
) -> IndicatorSlide | None:
    """A rate, share or gap: the network against its peers' average and the country.

    The peers' average is left out when the peer group holds no one outside the network
    (Oslo's county is Oslo alone; a named group that is the network): it would only repeat
    the bars."""
    country = municipalities[0].country
    try:
        comparison = get_comparison(
            indicator.id, None, peers or None, municipalities[0].code, country
        )
    except CompareProblem:
        return None
    everyone = get_rows(indicator.id, country, comparison.period)
    network = [m.code for m in municipalities]
    rows = [everyone[code] for code in network if code in everyone]
    beyond = set(comparison.peers.codes) - set(network)
    return _slide(
        indicator,
        country,
        comparison.period,
        rows,
        national=comparison.national,
        peer_average=comparison.peer_average if beyond else Reference(None, False),
        peers=peers_label(comparison, lang),
    )


def read_counts(
    indicator: Indicator, municipalities: Sequence[Municipality]
) -> IndicatorSlide | None:
    """A count of persons (a volume): the network's counts and the country's total; no
    interval, no average, no national line (a sum over the country is not on the same
    scale as one municipality)."""
    country = municipalities[0].country
    periods = list_periods(indicator.id, country)
    if not periods:
        return None
    everyone = get_rows(indicator.id, country, periods[0])
    rows = [everyone[m.code] for m in municipalities if m.code in everyone]
    national = national_reference(get_national(indicator.id, country, periods[0]))
    return _slide(indicator, country, periods[0], rows, national=national, kind=COUNT)


def read_counties(
    indicator: Indicator, municipalities: Sequence[Municipality]
) -> IndicatorSlide | None:
    """A figure published per county only: the latest figure of each county the network's
    municipalities belonged to that year (never shown as a municipality's own figure)."""
    from queries.scorecard import get_county_history

    country = municipalities[0].country
    found: list[tuple[str, dict[str, Any]]] = []
    for municipality in municipalities:
        history = get_county_history(country, municipality.code)
        if history.empty:
            continue
        history = history[(history["indicator"] == indicator.id) & history["value"].notna()]
        records: list[dict[str, Any]] = history.to_dict(orient="records")  # type: ignore[assignment]
        found += [(municipality.name, r) for r in records]
    if not found:
        return None
    period = max(str(r["period"]) for _name, r in found)
    counties: dict[str, dict[str, Any]] = {}
    members: dict[str, list[str]] = {}
    for name, record in found:
        if str(record["period"]) == period:
            counties[str(record["area"])] = record
            members.setdefault(str(record["area"]), []).append(name)
    rows = [county_row(code, record) for code, record in counties.items()]
    national = next(iter(counties.values()))["national"]
    return _slide(
        indicator,
        country,
        period,
        sorted(rows, key=lambda r: r.name),
        national=Reference(_number(national), True, True),
        kind=COUNTY,
        members=members,
    )


def county_row(code: str, record: dict[str, Any]) -> Row:
    """A county's figure as a chart row (a published share: no counts, no interval)."""
    value = _number(record["value"])
    return Row(
        code,
        str(record["place"] or code),
        value,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        Display.of(value, None, None, None, None),
    )


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


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

    peers = (peers or "").strip() or "region"

    def href(m: Sequence[str], i: Sequence[str], b: str | None = before_name) -> str:
        return present_href(m, i, peers, b, 1, lang)

    selection = read_selection(municipalities_text, indicators_text, href, lang)
    if isinstance(selection, Problem):
        return selection
    network, wanted = selection
    ids = parse_list(indicators_text)  # as the address names them (none: every one)
    if not network:
        return which_municipalities(lambda m: href(m, ids), lang)
    countries = list(dict.fromkeys(m.country for m in network))
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
                    ", ".join(m.name for m in network if m.country == c),
                    href([m.code for m in network if m.country == c], ids),
                )
                for c in countries
            ],
        )
    country = countries[0]
    chosen = [i for i in wanted if country in i.countries]
    try:
        after = resolve_snapshot(None)
        before = resolve_snapshot(before_name) if before_name else latest_pinned(other_than=after)
    except UnknownSnapshot as exc:
        return unknown_snapshot(exc.name, lambda n: href([m.code for m in network], ids, n), lang)
    demo = get_data_status().is_demo
    slides = [s for i in chosen if (s := build_indicator_slide(i, network, peers, demo, lang))]
    if not slides:
        raise BarometerError(
            N_("No indicator of this deck has figures for {country}."), country=country
        )
    changes = build_changes_slide(before, after, chosen, network, lang)
    count = 1 + len(slides)
    return Deck(
        tuple(network), country, peers, before, changes, slides, parse_slide(slide, count), demo
    )


def which_municipalities(href: Callable[[list[str]], str], lang: str) -> Problem:
    """A deck without municipalities: what to give, with two networks to start from."""
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


# The most municipalities a deck's chart shows side by side (readable bars at 1920 px).
MAX_NETWORK = 12


def present_links(
    code: str, peer_codes: Sequence[str], spec: str, lang: str
) -> tuple[str, str, str | None]:
    """For a municipality page: the deck, the same deck as PPTX, and what changed since the
    last meeting (None when nothing was pinned). The network is the peer group when it is
    small enough to draw (a named group, the most similar), else the municipality alone;
    `from` is the newest pinned snapshot, as /present takes without one."""
    from views.changes import changes_href
    from views.download import export_href

    network = list(dict.fromkeys([code, *peer_codes]))
    if len(network) > MAX_NETWORK:
        network = [code]
    pinned = latest_pinned(other_than=resolve_snapshot(None))
    since = pinned.name if pinned else None
    return (
        present_href(network, [], spec, since, 1, lang),
        export_href("pptx", "all", network, spec, since, lang),
        changes_href(since, None, network, [], lang) if since else None,
    )
