"""Municipality page `/kommune/<code>`: an indicator over time beside the national figure."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

import dash
import pandas as pd
from dash import Input, Output, State, callback, dcc, html

from components import ids
from components.charts import build_series_figure
from components.i18n import normalise_language, t, with_query
from components.picker import build_picker_section, suggest_municipalities
from components.shell import page_frame, safe_layout
from errors import BarometerError
from indicators.registry import get_indicator, list_indicators
from loaders.municipalities import Municipality, find_municipality
from queries.values import get_series

DEFAULT_INDICATOR = "nonwestern_share"

dash.register_page(
    __name__,
    path_template="/kommune/<code>",
    title="Municipality – Integration Barometer",
)


def unknown_municipality(code: str, lang: str) -> html.Div:
    """A helpful page for a code that is no municipality."""
    suggestions = suggest_municipalities(code)
    return html.Div(
        [
            html.H1(t("unknown_municipality", lang)),
            html.P(t("unknown_municipality_text", lang, code=code)),
            html.P(t("did_you_mean", lang)) if suggestions else None,
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


def build_data_table(series: pd.DataFrame, lang: str) -> html.Details:
    """The chart's numbers as a table (an alternative for screen readers and copying)."""

    def cell(value: Any, note: Any) -> str:
        if value is None or pd.isna(value):
            return f"{t('missing', lang)} ({note})" if note else t("missing", lang)
        return f"{value:.2f} %"

    rows = [
        html.Tr(
            [
                html.Td(str(row["period"])),
                html.Td(cell(row["value"], row["value_note"])),
                html.Td(cell(row["national"], None)),
            ]
        )
        for row in series.to_dict(orient="records")
    ]
    head = html.Tr(
        [html.Th(t("period", lang)), html.Th(t("municipality", lang)), html.Th(t("national", lang))]
    )
    return html.Details(
        [
            html.Summary(t("show_numbers", lang)),
            html.Table([html.Thead(head), html.Tbody(rows)]),
        ],
        className="data-table",
    )


def summarise(series: pd.DataFrame, name: str, lang: str) -> str:
    """A one-line text summary of the latest value, for everyone and for screen readers."""
    known = series.dropna(subset=["value"])
    if known.empty:
        return t("no_published_values", lang, name=name)
    last = known.iloc[-1]
    national = (
        "" if pd.isna(last["national"]) else f" ({t('national', lang)} {last['national']:.2f} %)"
    )
    return f"{name}, {last['period']}: {last['value']:.2f} %{national}."


def build_content(municipality: Municipality, indicator_id: str, lang: str) -> list | html.Div:
    """The page body for one municipality and indicator."""
    definition = get_indicator(indicator_id)
    if definition is None or municipality.country not in definition.countries:
        known = ", ".join(i.id for i in list_indicators())
        return html.Div(
            [
                html.H1(t("unknown_indicator", lang)),
                html.P(t("unknown_indicator_text", lang, value=indicator_id)),
                html.P(known),
            ],
            className="not-found",
        )
    try:
        series = get_series(definition.id, municipality.code)
    except BarometerError as exc:
        return html.Div([html.H1("No data yet"), html.P(str(exc))], className="not-found")
    country = definition.countries[municipality.country]
    country_name = t("country_" + municipality.country, lang)
    national = t("all_municipalities", lang, country=country_name)
    figure = build_series_figure(series, municipality.name, national)
    return [
        html.H1(municipality.name, id="municipality-name"),
        html.P(
            f"{municipality.region_name}, {country_name} · {t('code', lang)} {municipality.code}",
            className="subtitle",
        ),
        build_picker_section(municipality.code, lang),
        html.H2(definition.title_in(lang)),
        html.P(
            definition.description.get(lang, definition.description["en"]), className="description"
        ),
        html.P(country.caveats.get(lang, country.caveats.get("en", "")), className="note caveat"),
        html.P(summarise(series, municipality.name, lang), id="municipality-summary"),
        dcc.Graph(
            id=ids.MUNICIPALITY_CHART,
            figure=figure,
            config={"displaylogo": False, "responsive": True},
            className="chart",
        ),
        build_data_table(series, lang),
        html.P(t("national_note", lang), className="note"),
    ]


@safe_layout
def layout(
    code: str | None = None,
    indicator: str = DEFAULT_INDICATOR,
    lang: str | None = None,
    **_: str,
) -> html.Div:
    """The page for one municipality; unknown codes or indicators get a helpful page."""
    lang = normalise_language(lang)
    path = f"/kommune/{code or ''}"
    query = {"indicator": indicator if indicator != DEFAULT_INDICATOR else None}
    municipality = find_municipality(code or "")
    if municipality is None:
        return page_frame(unknown_municipality(code or "", lang), lang, path, query)
    return page_frame(build_content(municipality, indicator, lang), lang, path, query)


@callback(
    Output(ids.MUNICIPALITY_LOCATION, "href"),
    Input(ids.MUNICIPALITY_PICKER, "value"),
    State(ids.MUNICIPALITY_LOCATION, "search"),
    prevent_initial_call=True,
)
def update_location(code: str | None, search: str | None) -> Any:
    """Choosing a municipality moves to its page, keeping the language and indicator."""
    if not code:
        return dash.no_update
    return municipality_href(code, search)


def municipality_href(code: str, search: str | None) -> str:
    """The address of a municipality's page, keeping the current query (language, indicator)."""
    query = dict(parse_qsl((search or "").lstrip("?")))
    return with_query(f"/kommune/{code}", query)
