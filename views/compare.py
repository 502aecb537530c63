"""The Compare page's logic: which view a URL (or the controls) ask for, and what it shows.

`/compare?indicator=&period=&peers=&focus=&country=&lang=`. `get_comparison` checks the view's
parameters (raising `CompareProblem` with the closest values for anything unknown), reads the
period's rows once (queries/compare.py) and derives ranks, references and the funnel
(indicators/ranking.py). No Dash here: pages/compare.py draws the result.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

from components import ids
from errors import BarometerError
from exports.tables import (
    Column,
    TableContext,
    Variant,
    describe_table,
    file_name,
    write_table,
)
from indicators.notes import SIZE_UNKNOWN
from indicators.ranking import (
    ABOVE_95,
    ABOVE_998,
    BELOW_95,
    BELOW_998,
    NO_COMPARISON,
    NO_VALUES,
    WITHIN,
    Funnel,
    Reference,
    Row,
    build_funnel,
    funnel_reason,
    is_ascending,
    national_reference,
    rank_rows,
    weighted_average,
)
from indicators.registry import Group, Indicator, get_indicator, list_indicators
from indicators.stats import CAUTION, CAUTION_N_DEFAULT, OK
from loaders.municipalities import Municipality, find_municipality, list_municipalities
from locales import N_, _, ngettext, normalise_language
from locales.notes import describe_missing, describe_note
from locales.numbers import format_period, format_value, pp_unit
from locales.words import COUNTRIES, COUNTRY_NAMES, country_name, country_names
from queries.compare import Provenance, get_national, get_provenance, get_rows, list_periods
from queries.db import database_identity
from queries.peers import KINDS, PeerError, PeerSet, resolve_peers
from views.downloads import as_download, source_tables
from views.links import Context
from views.params import query_of, suggest, suggest_indicators, suggest_municipalities
from views.peers import PEER_KINDS, peer_choice_label, peer_group_name, reason_text
from views.problems import Link, Problem

DEFAULT_COUNTRY = "DK"
DEFAULT_INDICATOR = "employment_gap"
DEFAULT_PEERS = "all"
PEERS_NEEDING_FOCUS = ("region", "size", "similar")
PATH = "/compare"
# The controls of the page, by the names its callbacks use.
CONTROL_KEYS = (
    "indicator",
    "period",
    "country",
    "focus",
    "peers",
    "group_members",
    "group_name",
    "small",
)
# `small=hide`: leave groups below the caution level out of the ranking (they stay in the
# table, the funnel plot and the scatter; the peer average is the same either way).
HIDE_SMALL = "hide"
PEER_CHOICES = PEER_KINDS  # every kind of peer group can be chosen here (views/peers.py)
COLUMNS = {
    "rank": N_("Rank"),
    "name": N_("Municipality"),
    "code": N_("Code"),
    "value": N_("Value ({unit})"),
    "lower": N_("95 % lower"),
    "upper": N_("95 % upper"),
    "n": N_("n (target group)"),
    "target_rate": N_("Target group (%)"),
    "comparison_rate": N_("Comparison group (%)"),
    "funnel": N_("Funnel plot"),
    "note": N_("Note"),
    "focus": N_("Focus"),
    "small_group": N_("Small group"),
}
QUERY_KEYS = ("indicator", "period", "peers", "focus", "country", "small", "sort", "lang")
SORT_DIRECTIONS = ("asc", "desc")


def compare_url(query: Mapping[str, str | None]) -> str:
    """The page's address for a query, parameters in a fixed order, empty ones left out."""
    kept = [(k, query[k]) for k in QUERY_KEYS if query.get(k)]
    kept += [(k, v) for k, v in query.items() if k not in QUERY_KEYS and v]
    return f"{PATH}?{urlencode(kept, safe=':,~')}" if kept else PATH


class CompareProblem(BarometerError):
    """A view parameter that cannot be used, with the closest values that can.

    `kind` is one of indicator, period, focus, peers, country, unavailable (the indicator is
    not published for the country) or no_data; `suggestions` are (value, label) pairs.
    """

    def __init__(
        self,
        kind: str,
        value: str,
        suggestions: list[tuple[str, str]],
        message: str,
        choices: list[str] | None = None,
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.value = value
        self.suggestions = suggestions
        self.choices = choices or []


@dataclass(frozen=True)
class Coverage:
    """How many of the country's municipalities lack a value in the view's period, and how
    many each group's national sum leaves out (None where the figure is not such a sum)."""

    areas: int
    without_value: int
    target_missing: int | None = None
    comparison_missing: int | None = None

    @classmethod
    def of(cls, everyone: Mapping[str, Row], national: Mapping[str, float | None]) -> Coverage:
        def count(key: str) -> int | None:
            value = national.get(key)
            return None if value is None else int(value)

        return cls(
            areas=count("areas") or len(everyone),
            without_value=sum(row.value is None for row in everyone.values()),
            target_missing=count("target_missing"),
            comparison_missing=count("comparison_missing"),
        )


@dataclass(frozen=True)
class Comparison:
    """Everything the Compare page shows for one view."""

    indicator: Indicator
    country: str
    period: str
    periods: list[str]
    peers: PeerSet
    peers_spec: str
    focus: Municipality | None
    shown: list[Row]
    missing: list[Row]
    national: Reference
    peer_average: Reference
    funnel: Funnel | None
    funnel_reason: str | None
    scatter_reason: str | None
    ascending: bool
    focus_in_peers: bool
    extra: dict[str, Any] = field(default_factory=dict)
    # Rows with a value left out of the ranking (small groups when hidden, or a group whose
    # size is not known), by name; and whether small groups are hidden.
    hidden: list[Row] = field(default_factory=list)
    hide_small: bool = False
    coverage: Coverage | None = None

    @property
    def rows(self) -> list[Row]:
        """Ranked rows in rank order, then unranked and missing ones by name: table and CSV."""
        return [*self.shown, *self.hidden, *self.missing]

    @property
    def valued(self) -> list[Row]:
        """Every row with a value, ranked or not (the funnel plot, scatter and averages)."""
        return [*self.shown, *self.hidden]

    @property
    def cautioned(self) -> list[Row]:
        """Ranked rows whose target group is below the caution level (marked in the ranking)."""
        return [r for r in self.shown if r.small_number == CAUTION]

    @property
    def focus_row(self) -> Row | None:
        return next((r for r in self.rows if r.is_focus), None)


# --- checking the view's parameters ---------------------------------------------------------


def check_indicator(value: str | None) -> Indicator:
    """The indicator with this id, or CompareProblem naming the closest ones."""
    found = get_indicator(value or DEFAULT_INDICATOR)
    if found is not None:
        return found
    titles = {i.id: i.title_in("en") for i in list_indicators()}
    close = suggest_indicators(value or "", list_indicators()) or list(titles)
    suggestions = [(i, titles[i]) for i in close]
    raise CompareProblem("indicator", value or "", suggestions, f"unknown indicator {value!r}")


def check_focus(value: str | None) -> Municipality | None:
    """The focus municipality (by code, or by exact name), None for none, else CompareProblem."""
    if not value:
        return None
    text = value.strip()
    found = find_municipality(text)
    if found is None:
        exact = [m for m in list_municipalities() if m.name.lower() == text.lower()]
        found = exact[0] if len(exact) == 1 else None
    if found is not None:
        return found
    suggestions = [(code, f"{name} ({code})") for code, name in suggest_municipalities(text)]
    raise CompareProblem("focus", text, suggestions, f"unknown municipality {text!r}")


def check_country(value: str | None, focus: Municipality | None) -> str:
    """The country: the focus municipality's, else the parameter's, else Denmark."""
    if focus is not None:
        return focus.country
    if not value:
        return DEFAULT_COUNTRY
    country = value.strip().upper()
    if country in COUNTRIES:
        return country
    raise CompareProblem(
        "country", value, list(COUNTRY_NAMES.items()), f"unknown country {value!r}"
    )


def check_available(indicator: Indicator, country: str) -> None:
    """CompareProblem when the indicator is not published for the country, or is not compared
    across municipalities there (a count, or a figure published per county only)."""
    if indicator.ranked_in(country):
        return
    others = [(i.id, i.title_in("en")) for i in list_indicators() if i.ranked_in(country)]
    if country in indicator.countries:
        raise CompareProblem(
            "not_compared", indicator.id, others, f"{indicator.id} is not compared in {country}"
        )
    raise CompareProblem(
        "unavailable", indicator.id, others, f"{indicator.id} is not published for {country}"
    )


def check_period(value: str | None, periods: list[str], indicator: Indicator, country: str) -> str:
    """The period (default: the latest with values), or CompareProblem with the closest ones."""
    if not periods:
        raise CompareProblem("no_data", indicator.id, [], f"no values for {indicator.id}")
    if not value:
        return periods[0]
    text = value.strip().upper()
    if text in periods:
        return text
    suggestions = [(p, p) for p in dict.fromkeys([periods[0], *suggest(text, periods)])]
    raise CompareProblem("period", value, suggestions, f"unknown period {value!r}", periods)


_SIMILAR = re.compile(r"similar(:[a-z]+=[0-9.]+(,[a-z]+=[0-9.]+)*)?")


def check_peers(spec: str | None, focus: Municipality | None, country: str) -> PeerSet:
    """The peer set of a `peers=` value, or CompareProblem saying what would work."""
    spec = (spec or DEFAULT_PEERS).strip()
    kind = spec.split(":", 1)[0]
    kinds = {k: k for k in KINDS if k != "group"}
    if kind not in KINDS:
        suggestions = [(k, k) for k in suggest(kind, list(kinds))] or list(kinds.items())
        raise CompareProblem("peers", spec, suggestions, f"unknown peer group {spec!r}")
    if kind in PEERS_NEEDING_FOCUS and focus is None:
        raise CompareProblem("peers_focus", spec, [("all", "all")], f"{kind} needs a focus")
    try:
        return resolve_peers(spec, focus.code if focus else None, country)
    except (PeerError, ValueError) as exc:
        raise CompareProblem("peers", spec, list(kinds.items()), str(exc)) from None


def peers_spec(peers: PeerSet, spec: str) -> str:
    """The canonical `peers=` value of a resolved peer set.

    A named group is written in the decoded form `group:Name~code,code` (the URL layer encodes
    it once, so the address shows "group:Vestegn+netværk~151,153"); `decode_group` reads both.
    """
    if peers.kind == "group":
        return f"group:{peers.label}~{','.join(peers.codes)}"
    if peers.kind == "similar" and spec.startswith("similar:") and _SIMILAR.fullmatch(spec):
        return spec
    return peers.kind


# --- the whole view ---------------------------------------------------------------------------


def get_comparison(
    indicator: str | None,
    period: str | None = None,
    peers: str | None = None,
    focus: str | None = None,
    country: str | None = None,
    latest_if_unknown: bool = False,
    small: str | None = None,
) -> Comparison:
    """The Compare page's view; raises CompareProblem (with suggestions) for unusable params.

    With `latest_if_unknown` a period the indicator does not have becomes the latest one (the
    controls changed the indicator or country under a period), instead of a problem. With
    `small="hide"` groups below the caution level are left out of the ranking; a group whose
    size is not known (a published rate without it) is never ranked.
    """
    definition = check_indicator(indicator)
    focus_municipality = check_focus(focus)
    country_code = check_country(country, focus_municipality)
    check_available(definition, country_code)
    identity = database_identity()  # one file for the whole view, even during a swap
    periods = list_periods(definition.id, country_code, identity)
    if latest_if_unknown and period not in periods:
        period = None
    chosen_period = check_period(period, periods, definition, country_code)
    peer_set = check_peers(peers, focus_municipality, country_code)

    everyone = get_rows(definition.id, country_code, chosen_period, identity)
    national = get_national(definition.id, country_code, chosen_period, identity)
    focus_code = focus_municipality.code if focus_municipality else None
    members = [everyone[c] for c in dict.fromkeys(peer_set.codes) if c in everyone]
    for row in members:
        row.is_focus = row.code == focus_code
    ascending = is_ascending(definition)
    hide_small = small == HIDE_SMALL
    valued = [r for r in members if r.value is not None]
    ranked = [r for r in valued if is_ranked(r, hide_small)]
    shown = rank_rows(ranked, ascending)
    codes = {r.code for r in ranked}
    hidden = sorted((r for r in valued if r.code not in codes), key=lambda r: (r.name, r.code))
    missing = sorted((r for r in members if r.value is None), key=lambda r: (r.name, r.code))

    reason = funnel_reason(definition, country_code, national)
    funnel = None if reason else build_funnel(definition, national, valued)
    if not reason and funnel is None:
        reason = NO_VALUES
    scatter_reason = None
    if definition.measure == "share":
        scatter_reason = NO_COMPARISON
    elif not any(r.target_rate is not None and r.comparison_rate is not None for r in valued):
        scatter_reason = NO_VALUES
    return Comparison(
        indicator=definition,
        country=country_code,
        period=chosen_period,
        periods=periods,
        peers=peer_set,
        peers_spec=peers_spec(peer_set, (peers or DEFAULT_PEERS).strip()),
        focus=focus_municipality,
        shown=shown,
        missing=missing,
        national=national_reference(national),
        peer_average=weighted_average(valued, definition),
        funnel=funnel,
        funnel_reason=reason or None,
        scatter_reason=scatter_reason,
        ascending=ascending,
        focus_in_peers=focus_code is None or any(r.is_focus for r in members),
        hidden=hidden,
        hide_small=hide_small,
        coverage=Coverage.of(everyone, national),
    )


def caution_level(comparison: Comparison) -> int:
    """The caution level the rows were judged by (their notes carry it), else the default."""
    levels = [r.note.n for r in comparison.valued if r.note and r.note.code == CAUTION and r.note.n]
    return levels[0] if levels else CAUTION_N_DEFAULT


def is_ranked(row: Row, hide_small: bool) -> bool:
    """Whether a row with a value takes a place in the ranking.

    Never a group whose size is unknown (it could be below the minimum); small groups (below
    the caution level) unless they are hidden.
    """
    if row.note is not None and row.note.code == SIZE_UNKNOWN:
        return False
    return not (hide_small and row.small_number == CAUTION)


def view_query(comparison: Comparison, lang: str, sort: str | None = None) -> dict[str, str | None]:
    """The URL query that reproduces the view exactly (the period pinned, the table's order)."""
    return {
        "indicator": comparison.indicator.id,
        "period": comparison.period,
        "peers": comparison.peers_spec,
        "focus": comparison.focus.code if comparison.focus else None,
        "country": None if comparison.focus else comparison.country,
        "small": HIDE_SMALL if comparison.hide_small else None,
        "sort": sort,
        "lang": lang,
    }


def read_sort(text: str | None) -> list[dict[str, str]]:
    """The table's order from `sort=column:asc|desc` (a DataTable `sort_by`); an unknown
    column or direction is left out, never an error (the table keeps its rank order)."""
    column, _sep, direction = (text or "").strip().partition(":")
    if column not in (*TABLE_KEYS, "focus") or (direction or "asc") not in SORT_DIRECTIONS:
        return []
    return [{"column_id": column, "direction": direction or "asc"}]


def sort_text(sort_by: list[dict[str, str]] | None) -> str | None:
    """A DataTable `sort_by` as the URL's `sort=` value (its first column), None unsorted."""
    if not sort_by:
        return None
    first = sort_by[0]
    text = f"{first.get('column_id')}:{first.get('direction')}"
    return text if read_sort(text) else None


def with_sort(url: str, sort: str | None, lang: str | None = None) -> str:
    """A Compare address with its `sort=` (and, if given, `lang=`) replaced."""
    query: dict[str, str | None] = dict(query_of(urlsplit(url).query))
    query["sort"] = sort
    if lang:
        query["lang"] = lang
    return compare_url(query)


def compare_context(query: Mapping[str, str | None]) -> Context:
    """What a Compare view shows, for the navigation links (views/links.py)."""
    focus = query.get("focus")
    return Context(
        municipalities=(focus,) if focus else (),
        indicator=query.get("indicator"),
        peers=query.get("peers"),
        period=query.get("period"),
        country=query.get("country"),
    )


# --- the page's words, controls and links -----------------------------------------------------


FUNNEL_PLACES = {
    WITHIN: N_("within the 95 % limits"),
    ABOVE_95: N_("above the 95 % limit"),
    BELOW_95: N_("below the 95 % limit"),
    ABOVE_998: N_("above the 99.8 % limit"),
    BELOW_998: N_("below the 99.8 % limit"),
}


# What Compare says about each kind of CompareProblem: (heading, message). A message may use
# {value} (the parameter's value), {indicator}, {country}, {first} and {last} (the indicator's
# periods, for period) and {detail} (for peers).
PROBLEM_TEXTS = {
    "indicator": (
        N_("Unknown indicator"),
        N_("“{value}” is not an indicator of this barometer."),
    ),
    "focus": (
        N_("Unknown municipality"),
        N_("“{value}” is not a Danish or Norwegian municipality (code or name)."),
    ),
    "period": (
        N_("Unknown period"),
        N_(
            "“{value}” is not a period of {indicator} for {country}. "
            "Periods run from {first} to {last}."
        ),
    ),
    "peers": (
        N_("Unknown peer group"),
        N_(
            "“{value}” is not a peer group. Use all, region, size, "
            "similar (optionally similar:k=5) or group:Name~code,code. "
            "({detail})"
        ),
    ),
    "peers_focus": (
        N_("Unknown peer group"),
        N_(
            "The peer group “{value}” is chosen around a focus "
            "municipality; add one (focus=151) or compare with all "
            "municipalities."
        ),
    ),
    "country": (
        N_("Unknown country"),
        N_("“{value}” is not a country of this barometer: use DK or NO."),
    ),
    "unavailable": (
        N_("Not published for this country"),
        N_("{indicator} is not published for {country}. Indicators for {country}:"),
    ),
    "not_compared": (
        N_("Not compared across municipalities"),
        N_(
            "{indicator} is a number of persons or a county figure, so it is not ranked "
            "across municipalities: see it on the trend and indicator pages. Indicators "
            "compared for {country}:"
        ),
    ),
    "no_data": (
        N_("Not published for this country"),
        N_("No values yet for {indicator} in {country}. Run a refresh to load them."),
    ),
}


def problem_for(problem: CompareProblem, query: dict[str, str | None], lang: str) -> Problem:
    """An unusable parameter in words, with links to the closest usable views."""
    kind = problem.kind
    indicator = query.get("indicator") or DEFAULT_INDICATOR
    focus = find_municipality(query.get("focus") or "")
    country = focus.country if focus else (query.get("country") or "DK").upper()
    replace = {
        "indicator": "indicator",
        "unavailable": "indicator",
        "not_compared": "indicator",
        "period": "period",
        "focus": "focus",
        "peers": "peers",
        "peers_focus": "peers",
        "country": "country",
    }.get(kind)
    values = {
        "value": indicator if kind == "indicator" else problem.value,
        "indicator": indicator,
        "country": country_name(country, lang),
    }
    if kind == "period":
        periods = problem.choices
        values["first"] = format_period(periods[-1], lang) if periods else ""
        values["last"] = format_period(periods[0], lang) if periods else ""
    elif kind == "peers":
        values["detail"] = problem.describe(lang)
    heading, message = PROBLEM_TEXTS.get(kind, PROBLEM_TEXTS["no_data"])
    title, text = _(heading, lang), _(message, lang, **values)
    links = []
    for value, label in problem.suggestions:
        shown = label
        if kind in ("indicator", "unavailable", "not_compared"):
            found = next((i for i in list_indicators() if i.id == value), None)
            shown = f"{found.title_in(lang)} ({value})" if found else label
        elif kind == "country":
            shown = country_name(value, lang)
        elif kind in ("peers", "peers_focus") and value in PEER_CHOICES:
            shown = peer_choice_label(value, country, lang) + f" ({value})"
        href = compare_url({**query, replace: value} if replace else query)
        if kind == "country":
            href = compare_url({**query, "country": value, "focus": None})
        links.append(Link(shown, href))
    links.append(Link(_("Open the default comparison", lang), compare_url({"lang": lang})))
    listed = ("unavailable", "not_compared")
    intro = _("Did you mean:", lang) if len(links) > 1 and kind not in listed else None
    return Problem(kind, title, text, links, intro)


def peers_label(comparison: Comparison, lang: str) -> str:
    """Who the view compares with, in words (the same name as on every page)."""
    focus = comparison.focus.name if comparison.focus else None
    return peer_group_name(comparison.peers, comparison.country, focus, lang)


def indicator_options(country: str, lang: str) -> list[dict[str, Any]]:
    """Every indicator by title; those not published for the country are disabled."""
    options = []
    for indicator in list_indicators():
        if country in indicator.countries and not indicator.ranked_in(country):
            continue  # a count or a county figure: not compared across municipalities
        available = country in indicator.countries
        label = indicator.title_in(lang)
        if not available:
            only = country_names(list(indicator.countries), lang)
            label = _("{title} ({country} only)", lang, title=label, country=only)
        options.append({"label": label, "value": indicator.id, "disabled": not available})
    return options


def country_options(indicator: str | None, lang: str) -> list[dict[str, Any]]:
    """The countries; one that does not publish the indicator is disabled, saying so."""
    definition = get_indicator(indicator or DEFAULT_INDICATOR)
    options = []
    for country in COUNTRIES:
        available = definition is None or country in definition.countries
        label = country_name(country, lang)
        if not available:
            label = _("{country} (not published for this indicator)", lang, country=label)
        options.append({"label": label, "value": country, "disabled": not available})
    return options


def peer_options(
    spec: str, has_focus: bool, lang: str, country: str | None = None
) -> list[dict[str, Any]]:
    """The peer groups; those chosen around a focus are disabled without one."""
    options = []
    for kind in PEER_CHOICES:
        label = peer_choice_label(kind, country, lang)
        disabled = kind in PEERS_NEEDING_FOCUS and not has_focus
        if disabled:
            label += " (" + _("needs a focus municipality", lang) + ")"
        options.append({"label": label, "value": kind, "disabled": disabled})
    if spec.startswith("similar:"):
        options.insert(
            4,
            {
                "label": _("Most similar ({spec})", lang, spec=spec[8:]),
                "value": spec,
                "disabled": False,
            },
        )
    return options


def member_options(country: str) -> list[dict[str, str]]:
    """A country's municipalities for the group picker."""
    return [
        {"label": f"{m.name} ({m.code})", "value": m.code}
        for m in sorted(list_municipalities(country), key=lambda m: m.name)
    ]


def read_controls(values: Mapping[str, Any], triggered: str | None, lang: str) -> dict[str, Any]:
    """The view the controls ask for, made consistent (the country follows the focus; a new
    indicator shows its latest period).

    `values` holds the controls' values by name: indicator, period, country, focus, peers,
    group_members, group_name, small (what the page's callbacks receive; small is the
    checklist's list of ticked values, or the URL's text).
    """
    indicator, period, country, focus, peers, group_members, group_name, small = (
        values.get(key) for key in CONTROL_KEYS
    )
    ticked = small if isinstance(small, list) else [small]
    focus_municipality = find_municipality(focus) if focus else None
    country = country if country in COUNTRIES else "DK"
    if triggered == ids.COMPARE_INDICATOR:
        period = None  # another indicator opens on its own latest period
    if focus_municipality is not None and focus_municipality.country != country:
        if triggered == ids.COMPARE_COUNTRY:
            focus_municipality = None  # a new country drops a focus from the other one
        else:
            country = focus_municipality.country
    kind = peers or DEFAULT_PEERS
    if kind.split(":", 1)[0] in PEERS_NEEDING_FOCUS and focus_municipality is None:
        kind = DEFAULT_PEERS
    members = [
        c for c in (group_members or []) if (m := find_municipality(c)) and m.country == country
    ]
    name = (group_name or "").strip() or _("My group", lang)
    spec = kind
    if kind == "group":
        # The plain form of a group token (what Dash hands back after decoding the URL once);
        # resolve_peers checks it and a bad name becomes a message, not an error.
        spec = f"group:{name.replace('%', '')}~{','.join(members)}" if members else ""
    return {
        "indicator": indicator or DEFAULT_INDICATOR,
        "period": period,
        "country": country,
        "focus": focus_municipality.code if focus_municipality else None,
        "peers": kind,
        "spec": spec,
        "group_members": members,
        "group_name": name,
        "small": HIDE_SMALL if HIDE_SMALL in ticked else None,
    }


# --- the table and its CSV ---------------------------------------------------------------------


def note_text(row: Row, lang: str) -> str:
    """A row's note in the reader's language (why it has no value, or how to read it)."""
    return describe_missing(row.note, lang) if row.value is None else describe_note(row.note, lang)


def funnel_text(position: str | None, lang: str) -> str:
    """Where a municipality lies on the funnel plot, in words."""
    return _(FUNNEL_PLACES[position], lang) if position else ""


TABLE_KEYS = (
    "rank",
    "name",
    "code",
    "value",
    "lower",
    "upper",
    "n",
    "target_rate",
    "comparison_rate",
    "funnel",
    "note",
)


def table_keys(comparison: Comparison) -> list[str]:
    """The table's columns for this view (no funnel or rate columns where they are empty)."""
    keys = list(TABLE_KEYS)
    if comparison.funnel is None:
        keys.remove("funnel")
    if comparison.scatter_reason is not None:
        keys.remove("comparison_rate")
        if comparison.indicator.measure != "gap":
            keys.remove("target_rate")  # the same as the value
    return keys


def table_records(comparison: Comparison, lang: str) -> list[dict[str, Any]]:
    """One record per municipality of the peer group: shown ones by rank, then missing ones."""
    places: dict[str | None, str] = {key: funnel_text(key, lang) for key in FUNNEL_PLACES}
    places[None] = ""
    records = []
    for row in comparison.rows:
        shown = row.display
        records.append(
            {
                "rank": row.rank,
                "name": row.name,
                "code": row.code,
                "value": shown.value,
                "lower": shown.lower,
                "upper": shown.upper,
                "n": None if row.n is None else round(row.n),  # as the note rounds it
                "target_rate": shown.target_rate,
                "comparison_rate": shown.comparison_rate,
                "funnel": places[row.funnel],
                "note": note_text(row, lang),
                "focus": "▶" if row.is_focus else "",
                "small_group": row.small_number if row.small_number != OK else None,
            }
        )
    return records


# The CSV's columns: (key in the plain header, key in table_records, heading, kind).
CSV_COLUMNS = (
    ("rank", "rank", "rank", "number"),
    ("municipality", "name", "name", "text"),
    ("code", "code", "code", "code"),
    ("value", "value", "value", "number"),
    ("lower_95", "lower", "lower", "number"),
    ("upper_95", "upper", "upper", "number"),
    ("n", "n", "n", "number"),
    ("target_rate_pct", "target_rate", "target_rate", "number"),
    ("comparison_rate_pct", "comparison_rate", "comparison_rate", "number"),
    ("funnel", "funnel", "funnel", "text"),
    ("focus", "focus", "focus", "text"),
    ("note", "note", "note", "text"),
    ("small_group", "small_group", "small_group", "text"),
)
SIMILAR_COLUMNS = (
    ("similarity_distance_sd", N_("Distance (SD)"), "number"),
    ("similar_because", N_("Why"), "text"),
)


def csv_columns(comparison: Comparison, lang: str) -> list[Column]:
    """The CSV's columns: stable keys for programs, headings in `lang` for spreadsheets."""
    unit_word = pp_unit(lang) if comparison.indicator.measure == "gap" else "%"
    columns = [
        Column(key, _(COLUMNS[label], lang, unit=unit_word), kind)  # type: ignore[arg-type]
        for key, _record, label, kind in CSV_COLUMNS
    ]
    if comparison.peers.reasons is not None and comparison.focus is not None:
        columns += [
            Column(key, _(heading, lang), kind)  # type: ignore[arg-type]
            for key, heading, kind in SIMILAR_COLUMNS
        ]
    return columns


# The two reference lines: national and peer average, weighted, the provider's own figure or
# a plain mean, or none (the charts' legends and summaries, and the CSV).
REFERENCE_LABELS: dict[tuple[str, bool | str | None], str] = {
    ("national", True): N_("National (weighted): {value}"),
    ("national", "provider"): N_("National (the provider's figure): {value}"),
    ("national", False): N_("National (unweighted mean): {value}"),
    ("national", None): N_("No national figure for this period"),
    ("peer_average", True): N_("Peer average (weighted): {value}"),
    ("peer_average", False): N_("Peer average (unweighted mean): {value}"),
    ("peer_average", None): N_("No peer average (no values)"),
}


def reference_text(reference: Reference, key: str, comparison: Comparison, lang: str) -> str:
    """A reference in words: "National (weighted): 17.8 pp", or that there is none."""
    if reference.value is None:
        return _(REFERENCE_LABELS[(key, None)], lang)
    value = format_value(reference.value, comparison.indicator.measure, lang)
    kind: bool | str = "provider" if reference.provider else reference.weighted
    return _(REFERENCE_LABELS[(key, kind)], lang, value=value)


def rates_only(group: Group | None) -> bool:
    return group is not None and group.rates_only


def coverage_text(comparison: Comparison, lang: str) -> str:
    """How many municipalities lack a value, and what the national figure does with them: the
    provider's figure counts everyone; a sum over municipalities leaves each group's missing
    figures out; a plain mean is of the others."""
    coverage = comparison.coverage
    if coverage is None:
        return ""
    if coverage.without_value == 0:
        return _("All {n} municipalities have a value for this period.", lang, n=coverage.areas)
    missing = ngettext(
        "{missing} of {n} municipalities has no value for this period",
        "{missing} of {n} municipalities have no value for this period",
        coverage.without_value,
        lang,
        missing=coverage.without_value,
        n=coverage.areas,
    )
    national = comparison.national
    definition = comparison.indicator.countries[comparison.country]
    if national.value is None:
        return missing + "."
    if national.provider:
        how = _("the provider's national figure counts them too", lang)
    elif not national.weighted:
        how = _("the national mean is of the others", lang)
    elif definition.target.rates_only and not rates_only(definition.comparison):
        # A group published as rates only has no sum: its national figure is the provider's.
        how = _(
            "the national figure is the provider's for the target group and sums the "
            "comparison group where its figures are published (missing in {comparison})",
            lang,
            comparison=coverage.comparison_missing or 0,
        )
    elif rates_only(definition.comparison) and not definition.target.rates_only:
        how = _(
            "the national figure sums the target group where its figures are published "
            "(missing in {target}) and is the provider's for the comparison group",
            lang,
            target=coverage.target_missing or 0,
        )
    elif coverage.comparison_missing is not None and coverage.target_missing is not None:
        how = _(
            "the national figure sums each group where its figures are published (the target "
            "group's are missing in {target}, the comparison group's in {comparison})",
            lang,
            target=coverage.target_missing,
            comparison=coverage.comparison_missing,
        )
    else:
        how = _("the national figure sums the others", lang)
    return f"{missing}; {how}."


def csv_rows(comparison: Comparison, records: list[dict[str, Any]], lang: str) -> list[dict]:
    """The table's records by CSV key, with each similar peer's distance and reason."""
    why = similarity(comparison, lang)
    rows = []
    for record in records:
        row = {key: record[source] for key, source, _label, _kind in CSV_COLUMNS}
        distance, because = why.get(record["code"], (None, ""))
        rows.append({**row, "similarity_distance_sd": distance, "similar_because": because})
    return rows


def build_csv(
    comparison: Comparison,
    records: list[dict[str, Any]],
    provenance: Provenance,
    view_url: str,
    generated_at: str,
    variant: Variant | str = Variant.PLAIN,
    lang: str = "en",
) -> bytes:
    """The table as CSV (exports/tables.py: plain, or for Danish/Norwegian spreadsheets),
    preceded by '#' lines naming the indicator, groups, age band, period, peer group and its
    references, sources, licence and whether the data are a demo. The plain file speaks
    English (for programs); the spreadsheet file the reader's language."""
    variant = Variant(variant)
    words = lang if variant is Variant.SPREADSHEET else "en"
    focus = comparison.focus
    lines = [
        _(
            "Compared with: {label} ({count})",
            words,
            label=peers_label(comparison, words),
            count=len(comparison.rows),
        )
        + f" (peers={comparison.peers_spec})",
        _("Focus municipality", words) + ": " + (f"{focus.name} ({focus.code})" if focus else "–"),
        reference_text(comparison.national, "national", comparison, words),
        coverage_text(comparison, words),
        reference_text(comparison.peer_average, "peer_average", comparison, words),
        _(
            "small_group: withheld (too few in the target group to show a value) or caution "
            "(fewer than {n}: {how})",
            words,
            n=caution_level(comparison),
            how=_("left out of the ranking in this view", words)
            if comparison.hide_small
            else _("ranked, to be read with caution", words),
        ),
    ]
    context = TableContext(
        indicator=comparison.indicator,
        country=comparison.country,
        period=comparison.period,
        source=provenance.source,
        built_at=provenance.built_at,
        tables=source_tables(provenance),
        view_url=view_url,
        generated_at=generated_at,
        lines=lines,
    )
    return write_table(
        csv_columns(comparison, words),
        csv_rows(comparison, records, words),
        variant,
        describe_table(context, words),
    )


def similarity(comparison: Comparison, lang: str = "en") -> dict[str, tuple[float, str]]:
    """For a group of similar municipalities: each one's distance to the focus (in SD) and why
    it was chosen (the CSV's "why these peers"); empty for other groups."""
    reasons = comparison.peers.reasons
    if reasons is None or comparison.focus is None:
        return {}
    why = {comparison.focus.code: (0.0, _("{name} (focus)", lang, name=comparison.focus.name))}
    for peer in reasons.to_dict(orient="records"):
        why[str(peer["code"])] = (
            round(float(peer["distance"]), 3),
            reason_text(peer, lang),
        )
    return why


def comparison_of(controls: Mapping[str, Any]) -> Comparison:
    """The comparison the (consistent) controls show; CompareProblem when it cannot be shown."""
    return get_comparison(
        controls["indicator"],
        controls["period"],
        controls["spec"],
        controls["focus"],
        controls["country"],
        latest_if_unknown=True,
        small=controls["small"],
    )


def export_csv(
    values: Mapping[str, Any],
    base_url: str,
    now: dt.datetime | None = None,
    variant: Variant | str = Variant.PLAIN,
) -> dict[str, Any] | None:
    """The CSV file of the view the controls show (dcc.Download's dict); None when none is.

    `variant` is plain CSV or the variant for Danish/Norwegian spreadsheets (exports/tables.py).
    """
    lang = normalise_language(values.get("lang"))
    controls = read_controls(values, None, lang)
    if not controls["spec"]:
        return None  # an own group without members: the page shows a message, not a table
    try:
        comparison = comparison_of(controls)
    except CompareProblem:
        return None
    records = table_records(comparison, lang)
    provenance = get_provenance(comparison.indicator, comparison.country)
    url = base_url + compare_url(view_query(comparison, lang, sort_text(values.get("sort_by"))))
    generated = (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
    content = build_csv(comparison, records, provenance, url, generated, variant, lang)
    stem = f"compare-{comparison.indicator.id}-{comparison.country}-{comparison.period}"
    return as_download(content, file_name(stem, variant))
