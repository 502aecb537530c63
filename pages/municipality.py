"""Municipality page `/kommune/<code>`: the scorecard of every indicator, ranked among peers,
and one indicator over time beside the national figure.

Every choice lives in the URL, so a copied link reproduces the view:
`/kommune/151?peers=region&indicator=employment_gap&lang=da`. `peers=` takes the specs of
queries/peers.py (all, region, size, similar[:k=..], group:<name>~<codes>); `indicator=` selects
the chart below the cards (a card's title links to it).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

import dash
import pandas as pd
from dash import Input, Output, State, callback, dcc, html

from components import ids
from components import scorecard as sc
from components.charts import build_series_figure
from components.controls import graph_config
from components.picker import build_picker_section, suggest_municipalities
from components.shell import page_frame, safe_layout
from errors import BarometerError
from indicators.notes import Note
from indicators.registry import Indicator, get_indicator, list_indicators
from loaders.municipalities import Municipality, find_municipality
from locales import N_, _, normalise_language
from locales.notes import describe_missing
from locales.numbers import format_value, list_words, pp_unit
from locales.words import country_name
from queries.peers import PeerError, PeerSet, resolve_peers
from queries.scorecard import get_scorecard_data
from queries.values import get_series
from views.params import with_query

DEFAULT_INDICATOR = "nonwestern_share"
DEFAULT_PEERS = "all"
SCORECARD_GRID = "scorecard-grid"
PEER_PROBLEM = "scorecard-peer-problem"
INDICATOR_PROBLEM = "scorecard-indicator-problem"
NO_VALUE_FOR = re.compile(r"has no value for: (.+)$")

dash.register_page(
    __name__,
    path_template="/kommune/<code>",
    title="Municipality – Integration Barometer",
)


def first_value(value: Any) -> str | None:
    """One query value: Dash hands a repeated parameter (`?a=1&a=2`) over as a list."""
    if isinstance(value, list):
        value = value[0] if value else None
    return None if value is None else str(value).strip()


def unknown_municipality(code: str, lang: str) -> html.Div:
    """A helpful page for a code that is no municipality."""
    suggestions = suggest_municipalities(code)
    return html.Div(
        [
            html.H1(_("Unknown municipality", lang)),
            html.P(
                _(
                    "“{code}” is not a Danish or Norwegian municipality code. "
                    "Danish codes have three digits (Ballerup is 151), Norwegian "
                    "codes four (Oslo is 0301).",
                    lang,
                    code=code,
                )
            ),
            html.P(_("Did you mean:", lang)) if suggestions else None,
            html.Ul(
                [
                    html.Li(
                        dcc.Link(f"{n} ({c})", href=with_query(f"/kommune/{c}", {"lang": lang}))
                    )
                    for c, n in suggestions
                ]
            ),
            build_picker_section(None, lang),
        ],
        className="not-found",
    )


AXIS_TITLES = {
    "gap": N_("Gap, percentage points"),
    "rate": N_("% of the group"),
    "share": N_("% of residents"),
}


def unit_text(measure: str, lang: str) -> str:
    """The unit of an indicator's headline: percentage points for a gap, else %."""
    return pp_unit(lang) if measure == "gap" else "%"


def axis_title(measure: str, lang: str) -> str:
    """The chart's value axis for an indicator's headline."""
    return _(AXIS_TITLES[measure], lang)


def format_reading(value: float, measure: str, lang: str) -> str:
    """A value of the chart as read in its table and summary (two decimals)."""
    return format_value(float(value), measure, lang, digits=2)


def build_data_table(series: pd.DataFrame, measure: str, lang: str) -> html.Details:
    """The chart's numbers as a table (an alternative for screen readers and copying)."""

    def cell(value: Any, note: Note | None) -> str:
        if value is None or pd.isna(value):
            return _("missing ({why})", lang, why=describe_missing(note, lang))
        return format_reading(float(value), measure, lang)

    rows = [
        html.Tr(
            [
                html.Td(str(row["period"])),
                html.Td(cell(row["value"], Note.from_row(row))),
                html.Td(cell(row["national"], None)),
            ]
        )
        for row in series.to_dict(orient="records")
    ]
    head = html.Tr(
        [html.Th(_("Period", lang)), html.Th(_("Municipality", lang)), html.Th(_("National", lang))]
    )
    return html.Details(
        [
            html.Summary(_("Show the numbers", lang)),
            html.Table([html.Thead(head), html.Tbody(rows)]),
        ],
        className="data-table",
    )


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


def build_detail(municipality: Municipality, definition: Indicator, lang: str) -> list:
    """One indicator over time beside the national figure, with its numbers and caveats."""
    series = get_series(definition.id, municipality.code)
    country = definition.countries[municipality.country]
    national = _(
        "{country} (all municipalities)", lang, country=country_name(municipality.country, lang)
    )
    figure = build_series_figure(
        series,
        municipality.name,
        national,
        axis_title=axis_title(definition.measure, lang),
        unit=unit_text(definition.measure, lang),
    )
    caveat = country.caveats.get(lang, country.caveats.get("en", ""))
    return [
        html.H2(
            _("Over time: {title}", lang, title=definition.title_in(lang)),
            id="municipality-detail-title",
        ),
        html.P(definition.describe(municipality.country, lang), className="description"),
        html.P(caveat, className="note caveat") if caveat else None,
        html.P(
            summarise(series, municipality.name, definition.measure, lang),
            id="municipality-summary",
        ),
        dcc.Graph(
            id=ids.MUNICIPALITY_CHART,
            figure=figure,
            config=graph_config(lang),
            className="chart",
        ),
        build_data_table(series, definition.measure, lang),
        html.P(
            _(
                "National figure: the sum of all municipalities' numerators "
                "over the sum of their denominators. Gaps in the line are "
                "periods the provider did not publish.",
                lang,
            ),
            className="note",
        ),
    ]


def country_indicators(country: str) -> list[Indicator]:
    """Every indicator defined for a country, in the registry's order."""
    return [i for i in list_indicators() if country in i.countries]


def suggest_indicators(value: str, country: str, count: int = 3) -> list[Indicator]:
    """The country's indicators whose id or title (any language) is closest to `value`."""
    names: dict[str, str] = {}
    for indicator in country_indicators(country):
        names[indicator.id.lower()] = indicator.id
        for title in indicator.title.values():
            names[title.lower()] = indicator.id
    close = difflib.get_close_matches(value.lower(), names, n=count * 3, cutoff=0.5)
    found = [get_indicator(i) for i in dict.fromkeys(names[name] for name in close)]
    return [i for i in found if i is not None][:count]


def links_list(items: list[tuple[str, str]], list_id: str) -> html.Ul:
    """A list of (label, href) links."""
    return html.Ul([html.Li(dcc.Link(label, href=href)) for label, href in items], id=list_id)


def indicator_problem(
    value: str, country: str, lang: str, href_for: Callable[[str], str]
) -> html.Div:
    """A helpful message for an indicator the URL names but this country does not have."""
    where = country_name(country, lang)
    known = get_indicator(value)
    message = (
        _(
            "“{title}” is not published for {country}.",
            lang,
            title=known.title_in(lang),
            country=where,
        )
        if known is not None
        else _("“{value}” is not an indicator of this barometer.", lang, value=value)
    )
    close = [] if known is not None else suggest_indicators(value, country)
    options = close or country_indicators(country)
    heading = (
        _("Not published for {country}", lang, country=where)
        if known is not None
        else _("Unknown indicator", lang)
    )
    return html.Div(
        [
            html.H2(heading),
            html.P(message),
            html.P(
                _("Did you mean:", lang)
                if close
                else _("Indicators for {country}:", lang, country=where)
            ),
            links_list(
                [(f"{i.title_in(lang)} ({i.id})", href_for(i.id)) for i in options],
                "scorecard-indicator-suggestions",
            ),
        ],
        className="not-found scorecard-problem",
        id=INDICATOR_PROBLEM,
        role="alert",
    )


def peer_reason(reason: str, name: str, lang: str) -> str:
    """resolve_peers' English reason, in the page's language where it is a known one."""
    missing = NO_VALUE_FOR.search(reason)
    if missing is None:
        return reason
    variables = [v.strip() for v in missing.group(1).split(",")]
    what = list_words([sc.variable_words(v, lang) for v in variables], lang)
    return _(
        "{name} has no value for {what} in the latest period, so no "
        "similar municipalities can be found.",
        lang,
        name=name,
        what=what,
    )


def peer_problem(
    spec: str,
    reason: str,
    municipality: Municipality,
    lang: str,
    href_for: Callable[[str | None], str],
) -> html.Div:
    """A helpful message for a peer group the URL names that cannot be resolved."""
    kind = sc.peer_kind(spec)
    known = kind in (*sc.PEER_CHOICES, "group")
    others = [k for k in sc.PEER_CHOICES if k != kind]
    close = [] if known else difflib.get_close_matches(kind, others, n=2, cutoff=0.4)
    ordered = [*close, *[k for k in others if k not in close]]
    labels = sc.peer_choice_labels(municipality.country, lang)
    heading = (
        _("This peer group cannot be used here", lang) if known else _("Unknown peer group", lang)
    )
    message = (
        _(
            "“{value}” for {name}: {reason}",
            lang,
            value=spec,
            name=municipality.name,
            reason=peer_reason(reason, municipality.name, lang),
        )
        if known
        else _(
            "“{value}” is not a peer group. Peer groups are all, region, "
            "size, similar (optionally similar:k=5) and named groups "
            "(group:name~code,code).",
            lang,
            value=spec,
        )
    )
    return html.Div(
        [
            html.H2(heading),
            html.P(message),
            html.P(
                _("Did you mean:", lang) if close and not known else _("Choose a peer group:", lang)
            ),
            links_list(
                [
                    (f"{labels[k]} (peers={k})", href_for(None if k == "all" else k))
                    for k in ordered
                ],
                "scorecard-peer-suggestions",
            ),
        ],
        className="not-found scorecard-problem",
        id=PEER_PROBLEM,
        role="alert",
    )


def build_scorecard(
    municipality: Municipality,
    peers: PeerSet,
    spec: str,
    selected: str,
    lang: str,
    href_for: Callable[..., str],
) -> list:
    """The peer selector, the similar municipalities' reasons and one card per indicator."""
    country = municipality.country
    data = get_scorecard_data(country, municipality.code)
    cards = [
        sc.build_card(
            sc.build_card_facts(indicator, country, data, peers.codes, municipality.code),
            lang,
            href_for(indicator=indicator.id),
            selected=indicator.id == selected,
        )
        for indicator in country_indicators(country)
    ]
    label = sc.peer_group_label(peers, country, municipality.name, lang)
    members = len({*peers.codes, municipality.code})
    return [
        html.H2(_("Scorecard: every indicator", lang)),
        html.P(
            _(
                "The latest period of each indicator for {name}. Click a "
                "title to show it over time in the chart below.",
                lang,
                name=municipality.name,
            ),
            className="note",
        ),
        sc.build_peer_selector(spec, country, lang, lambda p: href_for(peers=p)),
        html.P(
            _("Ranks are among {label}: {n} municipalities.", lang, label=label, n=members)
            if members > 1
            else _(
                "Ranks are among {label}: only {name} itself.",
                lang,
                label=label,
                name=municipality.name,
            ),
            id="scorecard-peers-description",
            className="scorecard-peers-description",
        ),
        sc.build_similar_table(peers.reasons, municipality.code, lang)
        if peers.reasons is not None
        else None,
        html.Div(cards, id=SCORECARD_GRID, className="scorecard-grid"),
    ]


def build_content(municipality: Municipality, indicator_id: str, spec: str, lang: str) -> list:
    """The page body: heading and picker, the scorecard, and the detail chart."""
    path = f"/kommune/{municipality.code}"
    current = {
        "indicator": None if indicator_id == DEFAULT_INDICATOR else indicator_id,
        "peers": None if spec == DEFAULT_PEERS else spec,
        "lang": lang,
    }

    def href_for(**changes: str | None) -> str:
        return with_query(path, {**current, **changes})

    country = country_name(municipality.country, lang)
    top = [
        html.H1(municipality.name, id="municipality-name"),
        html.P(
            _(
                "{region}, {country} · code {code}",
                lang,
                region=municipality.region_name,
                country=country,
                code=municipality.code,
            ),
            className="subtitle",
        ),
        build_picker_section(municipality.code, lang),
    ]
    definition = get_indicator(indicator_id)
    if definition is None or municipality.country not in definition.countries:
        return [
            *top,
            indicator_problem(
                indicator_id, municipality.country, lang, lambda i: href_for(indicator=i)
            ),
        ]
    try:
        peers = resolve_peers(spec, municipality.code, municipality.country)
    except (PeerError, ValueError) as exc:
        return [
            *top,
            peer_problem(spec, str(exc), municipality, lang, lambda p: href_for(peers=p)),
        ]
    try:
        body = [
            *build_scorecard(municipality, peers, spec, definition.id, lang, href_for),
            *build_detail(municipality, definition, lang),
        ]
    except BarometerError as exc:
        body = [
            html.Div([html.H2(_("No data yet", lang)), html.P(str(exc))], className="not-found")
        ]
    return [*top, *[part for part in body if part is not None]]


@safe_layout
def layout(
    code: str | None = None,
    indicator: str | list[str] | None = None,
    lang: str | list[str] | None = None,
    peers: str | list[str] | None = None,
    **_ignored: str,
) -> html.Div:
    """The page for one municipality; unknown codes, indicators or peer groups get help."""
    lang = normalise_language(first_value(lang))
    indicator_id = first_value(indicator) or DEFAULT_INDICATOR
    spec = first_value(peers) or DEFAULT_PEERS
    path = f"/kommune/{code or ''}"
    query = {
        "indicator": None if indicator_id == DEFAULT_INDICATOR else indicator_id,
        "peers": None if spec == DEFAULT_PEERS else spec,
    }
    municipality = find_municipality(code or "")
    if municipality is None:
        title = _("Unknown municipality", lang)
        return page_frame(unknown_municipality(code or "", lang), lang, path, query, title)
    content = build_content(municipality, indicator_id, spec, lang)
    return page_frame(content, lang, path, query, municipality.name)


@callback(
    Output(ids.MUNICIPALITY_LOCATION, "href"),
    Input(ids.MUNICIPALITY_PICKER, "value"),
    State(ids.MUNICIPALITY_LOCATION, "search"),
    prevent_initial_call=True,
)
def update_location(code: str | None, search: str | None) -> Any:
    """Choosing a municipality moves to its page, keeping the language, indicator and peers."""
    if not code:
        return dash.no_update
    return municipality_href(code, search)


def municipality_href(code: str, search: str | None) -> str:
    """The address of a municipality's page, keeping what of the current query still applies."""
    query: dict[str, str | None] = dict(parse_qsl((search or "").lstrip("?")))
    return with_query(f"/kommune/{code}", sc.carry_over_query(query, code))
