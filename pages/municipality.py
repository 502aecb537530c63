"""Municipality page `/kommune/<code>`: an indicator over time beside the national figure."""

from __future__ import annotations

from typing import Any

import dash
import pandas as pd
from dash import Input, Output, callback, dcc, html

from components import ids
from components.charts import build_series_figure
from components.picker import build_picker_section, suggest_municipalities
from errors import BarometerError
from indicators.registry import get_indicator, list_indicators
from loaders.municipalities import COUNTRIES, find_municipality
from queries.values import get_series

DEFAULT_INDICATOR = "nonwestern_share"

dash.register_page(
    __name__,
    path_template="/kommune/<code>",
    title="Municipality – Integration Barometer",
)


def unknown_municipality(code: str) -> html.Div:
    """A helpful page for a code that is no municipality."""
    suggestions = suggest_municipalities(code)
    return html.Div(
        [
            html.H1("Unknown municipality"),
            html.P(
                f"“{code}” is not a Danish or Norwegian municipality code. Danish codes have "
                "three digits (Ballerup is 151), Norwegian codes four (Oslo is 0301)."
            ),
            html.P("Did you mean:") if suggestions else None,
            html.Ul(
                [html.Li(dcc.Link(f"{n} ({c})", href=f"/kommune/{c}")) for c, n in suggestions]
            ),
            build_picker_section(None),
        ],
        className="not-found",
    )


def build_data_table(series: pd.DataFrame) -> html.Details:
    """The chart's numbers as a table (an alternative for screen readers and copying)."""

    def cell(value: Any, status: Any) -> str:
        if value is None or pd.isna(value):
            return f"missing ({status})" if status else "missing"
        return f"{value:.2f} %"

    rows = [
        html.Tr(
            [
                html.Td(str(row["period"])),
                html.Td(cell(row["value"], row["status"])),
                html.Td(cell(row["national"], None)),
            ]
        )
        for row in series.to_dict(orient="records")
    ]
    head = html.Tr([html.Th("Period"), html.Th("Municipality"), html.Th("National")])
    return html.Details(
        [html.Summary("Show the numbers"), html.Table([html.Thead(head), html.Tbody(rows)])],
        className="data-table",
    )


def summarise(series: pd.DataFrame, name: str) -> str:
    """A one-line text summary of the latest value, for everyone and for screen readers."""
    known = series.dropna(subset=["value"])
    if known.empty:
        return f"No published values for {name}."
    last = known.iloc[-1]
    national = "" if pd.isna(last["national"]) else f" (national {last['national']:.2f} %)"
    return f"{name}, {last['period']}: {last['value']:.2f} %{national}."


def layout(code: str | None = None, indicator: str = DEFAULT_INDICATOR, **_: str) -> html.Div:
    """The page for one municipality; unknown codes or indicators get a helpful page."""
    municipality = find_municipality(code or "")
    if municipality is None:
        return unknown_municipality(code or "")
    definition = get_indicator(indicator)
    if definition is None or municipality.country not in definition.countries:
        known = ", ".join(i.id for i in list_indicators())
        return html.Div(
            [html.H1("Unknown indicator"), html.P(f"“{indicator}” is not one of: {known}.")],
            className="not-found",
        )
    try:
        series = get_series(definition.id, municipality.code)
    except BarometerError as exc:
        return html.Div([html.H1("No data yet"), html.P(str(exc))], className="not-found")
    title = definition.title_in("en")
    country = definition.countries[municipality.country]
    national = f"{COUNTRIES[municipality.country]} (all municipalities)"
    figure = build_series_figure(series, municipality.name, national)
    return html.Div(
        [
            html.H1(f"{municipality.name}", id="municipality-name"),
            html.P(
                f"{municipality.region_name}, {COUNTRIES[municipality.country]} · "
                f"code {municipality.code}",
                className="subtitle",
            ),
            build_picker_section(municipality.code),
            html.H2(title),
            html.P(definition.description["en"], className="description"),
            html.P(country.caveats.get("en", ""), className="note caveat"),
            html.P(summarise(series, municipality.name), id="municipality-summary"),
            dcc.Graph(
                id=ids.MUNICIPALITY_CHART,
                figure=figure,
                config={"displaylogo": False, "responsive": True},
                className="chart",
            ),
            build_data_table(series),
            html.P(
                "National figure: the sum of all municipalities' numerators over the sum of "
                "their denominators. Gaps in the line are periods the provider did not publish.",
                className="note",
            ),
        ]
    )


@callback(
    Output(ids.MUNICIPALITY_LOCATION, "pathname"),
    Input(ids.MUNICIPALITY_PICKER, "value"),
    prevent_initial_call=True,
)
def update_location(code: str | None) -> Any:
    """Choosing a municipality moves to its page, so the choice lives in the URL."""
    if not code:
        return dash.no_update
    return f"/kommune/{code}"
