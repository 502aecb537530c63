"""The municipality page's logic: which view a URL asks for, its links, its sentences (no Dash).

`/kommune/<code>?indicator=&peers=&lang=`: the scorecard of one municipality among its peers
and one indicator over time; pages/municipality.py draws what these functions decide.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from indicators.registry import Indicator, get_indicator, list_indicators
from loaders.municipalities import Municipality, find_municipality
from locales import N_, _
from locales.numbers import format_value, measure_unit
from locales.words import country_name
from queries.peers import PeerError, PeerSet, resolve_peers
from views.links import Context
from views.params import query_of, suggest, suggest_indicators, unknown_municipality, with_query
from views.peers import peer_choice_label
from views.problems import Link, Problem, not_published

DEFAULT_INDICATOR = "nonwestern_share"
DEFAULT_PEERS = "all"
# The peer groups one can choose on this page (a named group comes in by its link).
PEER_CHOICES = ("all", "region", "size", "similar")
AXIS_TITLES = {
    "gap": N_("Gap, percentage points"),
    "rate": N_("% of the group"),
    "share": N_("% of residents"),
    "count": N_("Persons"),
}


@dataclass(frozen=True)
class MunicipalityView:
    """What the page shows: a municipality, the indicator of its chart, its peer group."""

    municipality: Municipality
    indicator: Indicator
    peers: PeerSet
    spec: str  # the `peers=` value as given (kept in links)

    @property
    def context(self) -> Context:
        """What the page shows, for links to other pages (views/links.py)."""
        return Context(
            municipalities=(self.municipality.code,),
            indicator=self.indicator.id,
            peers=self.spec,
            country=self.municipality.country,
        )

    def href(self, lang: str, **changes: str | None) -> str:
        """This view's address with `indicator` or `peers` changed (None: the default)."""
        wanted = {"indicator": self.indicator.id, "peers": self.spec, **changes}
        return municipality_href(self.municipality.code, wanted["indicator"], wanted["peers"], lang)


def municipality_href(code: str, indicator: str | None, spec: str | None, lang: str) -> str:
    """A municipality page's address; defaults are left out so links stay short."""
    query = {
        "indicator": None if indicator == DEFAULT_INDICATOR else indicator,
        "peers": None if spec == DEFAULT_PEERS else spec,
        "lang": lang,
    }
    return with_query(f"/kommune/{code}", query)


def peer_kind(spec: str) -> str:
    """The kind of a peer spec: "similar:k=5" -> "similar", "group:x~1,2" -> "group"."""
    return spec.split(":", 1)[0]


def country_indicators(country: str) -> list[Indicator]:
    """Every indicator defined for a country, in the registry's order."""
    return [i for i in list_indicators() if country in i.countries]


def read_view(
    code: str | None, indicator: str | None, spec: str | None, lang: str
) -> MunicipalityView | Problem:
    """The view the URL asks for, or the problem with it and what would work instead."""
    wanted_indicator = indicator or DEFAULT_INDICATOR
    wanted_peers = spec or DEFAULT_PEERS
    municipality = find_municipality(code or "")
    if municipality is None:
        return unknown_municipality(
            code or "",
            lambda c: municipality_href(c, wanted_indicator, wanted_peers, lang),
            lang,
        )
    definition = get_indicator(wanted_indicator)
    if definition is None or not definition.municipal_in(municipality.country):
        return indicator_problem(
            wanted_indicator,
            municipality.country,
            lang,
            lambda i: municipality_href(municipality.code, i, wanted_peers, lang),
        )
    try:
        peers = resolve_peers(wanted_peers, municipality.code, municipality.country)
    except PeerError as exc:
        return peer_problem(
            wanted_peers,
            exc,
            lang,
            lambda p: municipality_href(municipality.code, definition.id, p, lang),
        )
    return MunicipalityView(municipality, definition, peers, wanted_peers)


def indicator_problem(
    value: str, country: str, lang: str, href_for: Callable[[str], str]
) -> Problem:
    """An indicator the URL names that this country does not have (or that does not exist)."""
    where = country_name(country, lang)
    known = get_indicator(value)
    here = [i for i in country_indicators(country) if i.municipal_in(country)]
    close = [] if known is not None else suggest_indicators(value, here)
    options = [i for i in here if i.id in close] if close else here
    links = [Link(f"{i.title_in(lang)} ({i.id})", href_for(i.id)) for i in options]
    if known is not None and country in known.countries:
        return Problem(
            "unavailable",
            _("A county figure", lang),
            _(
                "“{title}” is published per county only: the scorecard shows its county's "
                "figure, and its page lists every county.",
                lang,
                title=known.title_in(lang),
            ),
            links,
            _("Indicators over time for {country}:", lang, country=where),
        )
    if known is not None:
        message = N_("“{indicator}” is not published for {country}.")
        intro = _("Indicators for {country}:", lang, country=where)
        return not_published(message, known.title_in(lang), where, lang, links, intro)
    return Problem(
        "indicator",
        _("Unknown indicator", lang),
        _("“{value}” is not an indicator of this barometer.", lang, value=value),
        links,
        _("Did you mean:", lang) if close else _("Indicators for {country}:", lang, country=where),
    )


def peer_choice_labels(country: str, lang: str) -> dict[str, str]:
    """The names of the peer groups one can choose here (views/peers.py names them all)."""
    return {kind: peer_choice_label(kind, country, lang) for kind in PEER_CHOICES}


def peer_problem(spec: str, error: PeerError, lang: str, href_for: Callable[[str], str]) -> Problem:
    """A peer group the URL names that cannot be resolved, and the groups that can."""
    kind = peer_kind(spec)
    known = kind in (*PEER_CHOICES, "group")
    others = [k for k in PEER_CHOICES if k != kind]
    close = [] if known else suggest(kind, others, 2)
    ordered = [*close, *[k for k in others if k not in close]]
    country = str(error.values.get("country", "DK"))
    labels = peer_choice_labels(country, lang)
    links = [Link(f"{labels[k]} (peers={k})", href_for(k)) for k in ordered]
    if known:
        return Problem(
            "peers",
            _("This peer group cannot be used here", lang),
            _("“{value}”: {reason}", lang, value=spec, reason=error.describe(lang)),
            links,
            _("Choose a peer group:", lang),
        )
    return Problem(
        "peers",
        _("Unknown peer group", lang),
        _(
            "“{value}” is not a peer group. Peer groups are all, region, size, similar "
            "(optionally similar:k=5) and named groups (group:name~code,code).",
            lang,
            value=spec,
        ),
        links,
        _("Did you mean:", lang) if close else _("Choose a peer group:", lang),
    )


def unit_text(measure: str, lang: str) -> str:
    """The unit of an indicator's headline: percentage points for a gap, persons for a
    count, else %."""
    return measure_unit(measure, lang)


def axis_title(measure: str, lang: str) -> str:
    """The chart's value axis for an indicator's headline."""
    return _(AXIS_TITLES[measure], lang)


def format_reading(value: float, measure: str, lang: str) -> str:
    """A value of the chart as read in its table and summary (two decimals)."""
    return format_value(float(value), measure, lang, digits=2)


def summarise(series: pd.DataFrame, name: str, measure: str, lang: str) -> str:
    """A one-line text summary of the latest value, for everyone and for screen readers."""
    known = series.dropna(subset=["value"])
    if known.empty:
        return _("No published values for {name}.", lang, name=name)
    last = known.iloc[-1]
    value = format_reading(last["value"], measure, lang)
    if pd.isna(last["national"]):
        return _("{name}, {period}: {value}.", lang, name=name, period=last["period"], value=value)
    national = format_reading(last["national"], measure, lang)
    return _(
        "{name}, {period}: {value} (national {national}).",
        lang,
        name=name,
        period=last["period"],
        value=value,
        national=national,
    )


def carry_over_query(query: dict[str, Any], code: str) -> dict[str, str | None]:
    """The query to keep when moving to municipality `code`.

    The language always carries over; the indicator only when the new municipality's country
    has it, and a named group of municipalities only when all its members are of that country.
    """
    kept: dict[str, str | None] = dict(query)
    target = find_municipality(code)
    if target is None:
        return kept
    definition = get_indicator(kept.get("indicator") or "")
    if definition is not None and target.country not in definition.countries:
        kept["indicator"] = None
    spec = kept.get("peers") or ""
    if peer_kind(spec) == "group":
        members = [find_municipality(c.strip()) for c in spec.rpartition("~")[2].split(",")]
        if any(m is None or m.country != target.country for m in members):
            kept["peers"] = None
    return kept


def next_href(code: str, search: str | None) -> str:
    """Where choosing municipality `code` leads, keeping what of the current query applies."""
    return with_query(f"/kommune/{code}", carry_over_query(query_of(search), code))
