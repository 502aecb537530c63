"""Municipality page `/kommune/<code>`: the scorecard of every indicator, ranked among peers,
and one indicator over time beside the national figure.

Every choice lives in the URL, so a copied link reproduces the view:
`/kommune/151?peers=region&indicator=employment_gap&lang=da`. `peers=` takes the specs of
queries/peers.py (all, region, size, similar[:k=..], group:<name>~<codes>); `indicator=` selects
the chart below the cards (a card's title links to it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import dash
import pandas as pd
from dash import Input, Output, State, callback, dcc, html

from components import ids
from components import scorecard as sc
from components.chart import Chart
from components.charts import add_caption, build_series_figure
from components.context import build_residence_basis
from components.controls import build_copy_link, file_name, graph_config
from components.picker import build_picker_section
from components.plain import plain_parts
from components.shell import build_problem, page_frame, register_page, safe_layout
from components.table import TextTable
from indicators.notes import Note
from indicators.registry import Indicator
from loaders.municipalities import Municipality, find_municipality
from locales import _, normalise_language
from locales.notes import describe_missing
from locales.words import country_name
from queries.context import get_residence_basis
from queries.peers import PeerSet
from queries.scorecard import get_scorecard_data
from queries.values import get_series
from views.downloads import chart_source
from views.inputs import SEARCH, TEXT, checked
from views.links import Context, compare_href, trend_href
from views.municipality import (
    MunicipalityView,
    axis_title,
    country_indicators,
    format_reading,
    next_href,
    read_view,
    summarise,
    unit_text,
)
from views.params import one, with_query
from views.peers import peer_group_name

# app.py preloads the code of the components the page draws.
register_page(__name__, "Municipality", ("Chart", "Dropdown"), path_template="/kommune/<code>")


def build_data_table(series: pd.DataFrame, measure: str, lang: str) -> html.Details:
    """The chart's numbers as a table (an alternative for screen readers and copying)."""

    def cell(value: Any, note: Note | None) -> str:
        if value is None or pd.isna(value):
            return _("missing ({why})", lang, why=describe_missing(note, lang))
        return format_reading(float(value), measure, lang)

    rows = [
        [
            row["period"],
            cell(row["value"], Note.from_row(row)),
            cell(row["national"], None),
        ]
        for row in series.to_dict(orient="records")
    ]
    head = [_("Period", lang), _("Municipality", lang), _("National", lang)]
    return html.Details(
        [
            html.Summary(_("Show the numbers", lang)),
            TextTable(head, rows, "lrr", className="data-table-body"),
        ],
        className="data-table",
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
        Chart(
            id=ids.MUNICIPALITY_CHART,
            figure=add_caption(
                figure,
                f"{municipality.name} · {definition.title_in(lang)}",
                chart_source(definition, municipality.country, lang),
            ),
            config=graph_config(lang, file_name(municipality.name, definition.id)),
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


def build_onward_links(context: Context, lang: str) -> html.Nav:
    """The same selection on the other pages: compare with these peers, trends over time."""
    return html.Nav(
        [
            dcc.Link(
                _("Compare with these peers", lang),
                href=compare_href(context, lang),
                id="municipality-compare-link",
                className="onward-link",
            ),
            dcc.Link(
                _("Trends over time", lang),
                href=trend_href(context, lang),
                id="municipality-trend-link",
                className="onward-link",
            ),
            build_copy_link(lang, "municipality"),
        ],
        className="onward-links",
        **{"aria-label": _("The same selection on other pages", lang)},  # type: ignore[arg-type]
    )


def build_scorecard(
    municipality: Municipality,
    peers: PeerSet,
    spec: str,
    selected: str,
    lang: str,
    href_for: Callable[..., str],
    context: Context,
) -> list:
    """The peer selector, the similar municipalities' reasons and one card per indicator."""
    country = municipality.country
    data = get_scorecard_data(country, municipality.code)
    cards = [
        sc.build_card(
            sc.build_card_facts(indicator, country, data, peers.codes, municipality.code),
            lang,
            # A county figure has no municipal series to chart: its title leads to its page.
            href_for(indicator=indicator.id)
            if indicator.municipal_in(country)
            else with_query(f"/indicator/{indicator.id}", {"lang": lang}),
            selected=indicator.id == selected,
        )
        for indicator in country_indicators(country)
    ]
    label = peer_group_name(peers, country, municipality.name, lang)
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
        build_onward_links(context, lang),
        html.Div(cards, id=ids.SCORECARD_GRID, className="scorecard-grid"),
    ]


def build_heading(municipality: Municipality, lang: str) -> list:
    """The municipality's name, where it is, and the picker to move to another."""
    return [
        html.H1(municipality.name, id="municipality-name"),
        html.P(
            _(
                "{region}, {country} · code {code}",
                lang,
                region=municipality.region_name,
                country=country_name(municipality.country, lang),
                code=municipality.code,
            ),
            className="subtitle",
        ),
        build_picker_section(municipality.code, lang),
    ]


def build_content(view: MunicipalityView, lang: str) -> list:
    """The page body: heading and picker, the scorecard, and the detail chart."""

    def href_for(**changes: str | None) -> str:
        return view.href(lang, **changes)

    basis = (
        get_residence_basis(view.municipality.code) if view.municipality.country == "DK" else None
    )
    body = [
        *build_heading(view.municipality, lang),
        build_present_link(view, lang),
        *build_scorecard(
            view.municipality,
            view.peers,
            view.spec,
            view.indicator.id,
            lang,
            href_for,
            view.context,
        ),
        build_residence_basis(basis, view.municipality.name, lang) if basis else None,
        *build_detail(view.municipality, view.indicator, lang),
    ]
    # No callback reads or writes anything here but the picker (a Dash component either way).
    return plain_parts([part for part in body if part is not None])


def build_present_link(view: MunicipalityView, lang: str) -> html.P:
    """The way into presentation mode (full screen) with this municipality and its peers, the
    same deck as PPTX, and what changed since the last meeting (issue 11)."""
    from views.present import present_links

    deck, pptx, changes = present_links(view.municipality.code, view.peers.codes, view.spec, lang)
    links = [
        dcc.Link(_("Present", lang), href=deck, id=ids.PRESENT_LINK, className="present-link"),
        html.A(_("Deck as PPTX", lang), href=pptx, id=ids.PRESENT_PPTX),
    ]
    if changes:
        links.append(dcc.Link(_("What changed", lang), href=changes, id=ids.PRESENT_CHANGES))
    return html.P([part for link in links for part in (" · ", link)][1:], className="present-entry")


@safe_layout
def layout(
    code: Any = None, indicator: Any = None, lang: Any = None, peers: Any = None, **_ignored: Any
) -> html.Div:
    """The page for one municipality; unknown codes, indicators or peer groups get help."""
    lang = normalise_language(lang)
    view = read_view(one(code), one(indicator), one(peers), lang)
    path = f"/kommune/{one(code) or ''}"
    query = {"indicator": one(indicator), "peers": one(peers)}
    if isinstance(view, MunicipalityView):
        content = build_content(view, lang)
        return page_frame(content, lang, path, query, view.municipality.name, view.context)
    found = find_municipality(one(code) or "")
    heading = build_heading(found, lang) if found else []
    picker = [] if found else [build_picker_section(None, lang)]
    return page_frame([*heading, build_problem(view), *picker], lang, path, query, view.title)


@callback(
    Output(ids.MUNICIPALITY_LOCATION, "href"),
    Input(ids.MUNICIPALITY_PICKER, "value"),
    State(ids.MUNICIPALITY_LOCATION, "search"),
    prevent_initial_call=True,
)
@checked(code=TEXT, search=SEARCH)
def update_location(code: str | None, search: str | None) -> Any:
    """Choosing a municipality moves to its page, keeping the language, indicator and peers."""
    return next_href(code, search) if code else dash.no_update
