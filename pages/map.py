"""Map `/map?indicator=&period=&country=&lang=`: an indicator's headline by municipality.

A choropleth of Danish or Norwegian municipalities from the boundaries shipped with the project
(loaders/boundaries/) or newer ones a refresh stored in data/geo/ (no tiles, nothing from the
internet), with a colour-blind-safe scale;
municipalities without a published value are grey with their note on hover. A text summary
and a table give the same numbers without the map.

The boundaries reach the browser by URL (`/_barometer/geo/<country>.geojson?v=<hash>`), not
inside the figure: the browser fetches each file once and caches it, so changing the period or
indicator sends only the values.
"""

from __future__ import annotations

import json
from typing import Any

import dash
import pandas as pd
from dash import Input, Output, State, callback, dcc, html
from flask import Response, request

from components import ids
from components.chart import Chart
from components.charts import add_caption
from components.controls import (
    build_copy_link,
    build_download_buttons,
    build_dropdown,
    file_name,
    graph_config,
)
from components.map import EMPTY_TOPOLOGY, build_map_figure, build_map_frame
from components.plain import plain_parts
from components.shell import register_page, safe_layout, view_page
from components.table import TextTable
from exports.tables import Variant
from indicators.registry import get_indicator, list_indicators
from loaders.geo import FILE_NAMES
from locales import _, normalise_language
from locales.notes import describe_missing, describe_note
from locales.numbers import format_value, pp_unit
from locales.words import COUNTRIES, country_name, country_names
from queries.geo import get_boundaries
from queries.trend import list_periods
from queries.values import get_values, list_municipalities
from views.downloads import chart_source
from views.inputs import CLICKS, SEARCH, TEXT, checked
from views.map import (
    DEFAULT_INDICATOR,
    PATH,
    MapView,
    export_map,
    read_view,
    summarise,
    update_href,
)
from views.params import one, read_query

GEO_ROUTE = "_barometer/geo/"


# app.py preloads the code of the components the page draws.
register_page(__name__, "Map", ("Chart", "Dropdown"), path=PATH)


# --- the boundary files, served to the browser -------------------------------------------


def geo_response(name: str) -> tuple[bytes, str, str | None] | None:
    """(content, media type, version) for a path under GEO_ROUTE, or None for 404.

    `<country>.geojson` is the stored boundary file; `topojson/<anything>` is an empty base
    map for plotly's geo subplot, which would otherwise fetch one from cdn.plot.ly.
    """
    for country, stored_name in FILE_NAMES.items():
        if name == stored_name:
            boundaries = get_boundaries(country)
            if boundaries is None:
                return None
            return boundaries.content, "application/geo+json", boundaries.version
    if name.startswith("topojson/") and name.endswith(".json"):
        return json.dumps(EMPTY_TOPOLOGY).encode(), "application/json", None
    return None


def serve_geo(name: str) -> Response:
    """Flask view: the boundary files with an ETag, cacheable because the URL is versioned."""
    found = geo_response(name)
    if found is None:
        return Response("no such boundary file", status=404)
    content, media_type, version = found
    reply = Response(content, mimetype=media_type)
    if version:
        reply.set_etag(version)
        reply.cache_control.public = True
        reply.cache_control.max_age = 86400
        reply.make_conditional(request)
    return reply


def _register_geo_route() -> None:
    app = dash.get_app()
    server = app.server
    if "barometer_geo" not in server.view_functions:
        rule = f"{app.config.routes_pathname_prefix}{GEO_ROUTE}<path:name>"
        server.add_url_rule(rule, "barometer_geo", serve_geo)


_register_geo_route()


def geojson_url(country: str, version: str) -> str:
    """Where the browser fetches a country's boundaries (the version busts old caches)."""
    return dash.get_relative_path(f"/{GEO_ROUTE}{FILE_NAMES[country]}?v={version}")


def topojson_url() -> str:
    """The base for plotly's `topojsonURL` config: our empty base map."""
    return dash.get_relative_path(f"/{GEO_ROUTE}topojson/")


# --- reading the request ------------------------------------------------------------------


# --- building the view --------------------------------------------------------------------


def table_rows(
    frame: pd.DataFrame, notes: list[str], measure: str, lang: str
) -> tuple[list[str], list[list[str]]]:
    """Every municipality's value and note, sorted by name: the table's head and rows."""
    head = [_("Municipality", lang), _("Region", lang), _("Value", lang), _("Note", lang)]
    records = sorted(
        zip(frame.to_dict(orient="records"), notes, strict=True), key=lambda x: x[0]["name"]
    )
    rows = []
    for row, note in records:
        value = row["value"]
        missing = value is None or pd.isna(value)
        shown = _("missing", lang) if missing else format_value(value, measure, lang)
        rows.append([f"{row['name']} ({row['code']})", row["region_name"], shown, note])
    return head, rows


def build_table(
    frame: pd.DataFrame, notes: list[str], caption: str, measure: str, lang: str
) -> html.Details:
    """The table alternative to the map, folded away under "Show the numbers"."""
    return html.Details(
        [
            html.Summary(_("Show the numbers", lang)),
            html.P(caption, className="map-table-caption"),
            TextTable(*table_rows(frame, notes, measure, lang), "llrl", className="map-table-body"),
        ],
        className="data-table map-table",
        id="map-table",
    )


def build_controls(indicator: str, period: str, country: str, lang: str) -> html.Div:
    """Indicator, period and country; each change rewrites the URL."""
    indicator_options = []
    for item in list_indicators():
        if country in item.countries and not item.ranked_in(country):
            continue  # a count or a county figure: not mapped by municipality
        label = item.title_in(lang)
        disabled = country not in item.countries
        if disabled:
            only = country_names(list(item.countries), lang)
            label = _("{title} ({country} only)", lang, title=label, country=only)
        indicator_options.append({"label": label, "value": item.id, "disabled": disabled})
    periods = list(reversed(list_periods(indicator, country)))
    return html.Div(
        [
            html.Div(
                [
                    html.Label(_("Indicator", lang), htmlFor=ids.MAP_INDICATOR),
                    build_dropdown(
                        lang,
                        id=ids.MAP_INDICATOR,
                        options=indicator_options,
                        value=indicator,
                        clearable=False,
                    ),
                ],
                className="map-control map-control-indicator",
            ),
            html.Div(
                [
                    html.Label(_("Period", lang), htmlFor=ids.MAP_PERIOD),
                    build_dropdown(
                        lang, id=ids.MAP_PERIOD, options=periods, value=period, clearable=False
                    ),
                ],
                className="map-control map-control-period",
            ),
            html.Div(
                [
                    html.Span(_("Country", lang), className="map-label", id="map-country-label"),
                    dcc.RadioItems(
                        id=ids.MAP_COUNTRY,
                        options=[{"label": country_name(c, lang), "value": c} for c in COUNTRIES],
                        value=country,
                        inline=True,
                        className="map-country",
                    ),
                ],
                className="map-control",
                role="group",
                **{"aria-labelledby": "map-country-label"},  # type: ignore[arg-type]
            ),
            dcc.Location(id=ids.MAP_LOCATION, refresh="callback-nav"),
        ],
        className="map-controls",
    )


def build_content(indicator: str, period: str, country: str, lang: str) -> list:
    """The page body: controls, summary, map (or how to get boundaries), table, notes."""
    definition = get_indicator(indicator)
    assert definition is not None
    where = country_name(country, lang)
    measure = definition.measure
    title = definition.title_in(lang)
    unit = pp_unit(lang) if measure == "gap" else "%"
    values = get_values(indicator, period=period, country=country)
    municipalities = list_municipalities(country)
    boundaries = get_boundaries(country)
    codes = boundaries.codes if boundaries is not None else frozenset()
    frame = build_map_frame(values, municipalities, codes)
    notes = [
        describe_missing(row["note"], lang)
        if row["value"] is None or pd.isna(row["value"])
        else describe_note(row["note"], lang)
        for row in frame.to_dict(orient="records")
    ]
    national = None
    if not values.empty:
        weighted = values["national_value"].dropna()
        unweighted = values["national_unweighted_mean"].dropna()
        reference = None
        provider = (values["national_source"] == "provider_national").any()
        if not weighted.empty and provider:
            label = _("{country} (the provider's national figure)", lang, country=where)
            reference = label, weighted.iloc[0]
        elif not weighted.empty:
            reference = _("{country} (weighted)", lang, country=where), weighted.iloc[0]
        elif not unweighted.empty:
            label = _("{country}, mean of municipalities (unweighted)", lang, country=where)
            reference = label, unweighted.iloc[0]
        if reference is not None:
            value = format_value(float(reference[1]), measure, lang)
            national = _("{label}: {value}.", lang, label=reference[0], value=value)
    if boundaries is None:
        picture: Any = html.Div(
            [
                html.H2(_("No map here", lang)),
                html.P(
                    _(
                        "The map of {country}'s municipalities cannot be drawn: this "
                        "installation has no boundaries for it. Whoever runs the barometer "
                        "can restore them by refreshing the data with internet access. The "
                        "numbers are in the table below.",
                        lang,
                        country=where,
                    )
                ),
            ],
            className="map-no-boundaries",
            id="map-no-boundaries",
            role="status",
        )
    else:
        labels = {
            "colourbar": _("Gap ({unit})", lang, unit=unit)
            if measure == "gap"
            else _("Rate", lang),
            "missing": _("No published value", lang),
        }
        hover = [f"<br>{n}" if n else "" for n in notes]
        figure = build_map_figure(
            frame, geojson_url(country, boundaries.version), country, unit, labels, hover
        )
        picture = Chart(
            id=ids.MAP_CHART,
            figure=add_caption(
                figure, f"{title} · {where} · {period}", chart_source(definition, country, lang)
            ),
            config=graph_config(
                lang,
                file_name("map", indicator, country, period),
                scrollZoom=False,
                topojsonURL=topojson_url(),
            ),
            className="chart map-chart",
        )
    off_map = frame[~frame["on_map"]]["name"].tolist() if boundaries is not None else []
    caption = _(
        "{indicator}, {country}, {period}, by municipality",
        lang,
        indicator=title,
        country=where,
        period=period,
    )
    return [
        html.H1(_("Map", lang)),
        html.P(
            _(
                "The latest figure of an indicator in every municipality of "
                "one country. The address of the page keeps your choices.",
                lang,
            ),
            className="description",
        ),
        build_controls(indicator, period, country, lang),
        build_copy_link(lang, "map"),
        html.H2(f"{title} · {where} · {period}", id="map-title"),
        html.P(
            summarise(frame, title, country, period, national, measure, lang),
            id=ids.MAP_SUMMARY,
            className="map-summary",
            **{"aria-live": "polite"},  # type: ignore[arg-type]
        ),
        picture,
        html.P(
            _(
                "Grey: no published value for the period (suppressed, "
                "withheld for a small group, or missing). Hover over a "
                "municipality or open the table to see why.",
                lang,
            ),
            className="note",
        )
        if boundaries is not None
        else None,
        html.P(
            _("Not on the map (no boundary in the file): {names}.", lang, names=", ".join(off_map)),
            className="note",
        )
        if off_map
        else None,
        build_table(frame, notes, caption, measure, lang),
        build_download_buttons(lang, ids.MAP_DOWNLOAD_BUTTON, ids.MAP_DOWNLOAD_SPREADSHEET),
        dcc.Download(id=ids.MAP_DOWNLOAD),
    ]


@safe_layout
def layout(**params: Any) -> html.Div:
    """The map for the URL's choices (indicator, period, country, lang); anything unknown gets
    a helpful message."""
    query = read_query(params, "indicator", "period", "country")
    lang = normalise_language(one(params.get("lang")))
    indicator = query["indicator"] or DEFAULT_INDICATOR
    view = read_view(indicator, query["period"], query["country"], lang)

    def build(found: MapView) -> list:
        content = build_content(found.indicator.id, found.period, found.country, lang)
        # The download buttons' clicks are the download callback's; the controls and the
        # address are Dash components either way.
        return plain_parts(content, live={ids.MAP_DOWNLOAD_BUTTON, ids.MAP_DOWNLOAD_SPREADSHEET})

    context = view.context if isinstance(view, MapView) else None
    return view_page(view, build, lang, PATH, query, _("Map", lang), context)


# --- the one callback: controls -> URL (the page then redraws from it) --------------------


@callback(
    Output(ids.MAP_LOCATION, "href"),
    Input(ids.MAP_INDICATOR, "value"),
    Input(ids.MAP_PERIOD, "value"),
    Input(ids.MAP_COUNTRY, "value"),
    State(ids.MAP_LOCATION, "search"),
    prevent_initial_call=True,
)
@checked(indicator=TEXT, period=TEXT, country=TEXT, search=SEARCH)
def update_location(
    indicator: str | None, period: str | None, country: str | None, search: str | None
) -> Any:
    """Any control change writes the URL; the page redraws from it."""
    return update_href(indicator, period, country, search)


@callback(
    Output(ids.MAP_DOWNLOAD, "data"),
    Input(ids.MAP_DOWNLOAD_BUTTON, "n_clicks"),
    Input(ids.MAP_DOWNLOAD_SPREADSHEET, "n_clicks"),
    State(ids.MAP_LOCATION, "search"),
    prevent_initial_call=True,
)
@checked(cacheable=False, plain=CLICKS, spreadsheet=CLICKS, search=SEARCH)
def download_table(plain: int | None, spreadsheet: int | None, search: str | None) -> Any:
    """The map's numbers as CSV: plain, or for Danish/Norwegian spreadsheets."""
    clicked = dash.ctx.triggered_id
    if not (plain or spreadsheet) or clicked is None:
        return dash.no_update
    variant = Variant.SPREADSHEET if clicked == ids.MAP_DOWNLOAD_SPREADSHEET else Variant.PLAIN
    base = request.host_url.rstrip("/")
    return export_map(search, variant, base) or dash.no_update
