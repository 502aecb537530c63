"""Trends `/trend?indicator=&municipalities=&measure=&lang=`: lines over time with intervals.

Chosen municipalities (one country at a time) beside the national figure, the target group's
rate, the comparison group's rate or the gap, with 95 % bands and events (indicators/events.yml)
on the period axis. Every choice lives in the URL, so a copied link reproduces the view.
"""

from __future__ import annotations

from typing import Any

from dash import Input, Output, State, callback, dcc, html

from components import ids
from components.chart import Chart
from components.charts import add_caption
from components.controls import build_copy_link, build_dropdown, file_name, graph_config
from components.picker import build_municipality_dropdown
from components.plain import plain_parts
from components.shell import register_page, safe_layout, view_page
from components.table import TextTable
from components.trend import (
    MAX_MUNICIPALITIES,
    MEASURES,
    EventMark,
    Series,
    available_measures,
    build_national_series,
    build_series,
    build_trend_figure,
    headline_measure,
)
from indicators.registry import list_indicators
from locales import _, normalise_language
from locales.numbers import measure_unit
from locales.words import country_name, country_names, word
from queries.trend import get_trend, list_breaks, list_events, list_periods
from views.downloads import chart_source
from views.inputs import CODES, SEARCH, TEXT, checked
from views.params import one, read_query
from views.trend import (
    DEFAULT_INDICATOR,
    MEASURES_SHOWN,
    PATH,
    TrendView,
    break_marks,
    read_view,
    summarise,
    table_cell,
    update_href,
    within,
)

# app.py preloads the code of the components the page draws.
register_page(__name__, "Trends", ("Chart", "Dropdown"), path=PATH)


def build_table(
    view: TrendView,
    lines: list[Series],
    national: Series | None,
    periods: list[str],
    lang: str,
) -> html.Details:
    """Every number of the chart as a table: the alternative to the chart."""
    columns = [*lines, *([national] if national else [])]

    def cell(line: Series, i: int) -> str:
        return table_cell(line, i, view.measure, lang)

    head = [_("Period", lang), *(line.name for line in columns)]
    rows = [[period, *(cell(line, i) for line in columns)] for i, period in enumerate(periods)]
    caption = _(
        "{indicator}: {measure}, by period (95 % interval in brackets)",
        lang,
        indicator=view.indicator.title_in(lang),
        measure=word(MEASURES_SHOWN, view.measure, lang).lower(),
    )
    return html.Details(
        [
            html.Summary(_("Show the numbers", lang)),
            html.P(caption, className="trend-table-caption"),
            TextTable(head, rows, "l" + "r" * len(columns), className="trend-table-body"),
        ],
        className="data-table trend-table",
        id="trend-table",
    )


def build_controls(view: TrendView, lang: str) -> html.Div:
    """Indicator, municipalities and measure; each change rewrites the URL (see below)."""
    indicator_options = []
    for indicator in list_indicators():
        if view.country in indicator.countries and not indicator.municipal_in(view.country):
            continue  # published per county only: no municipal lines
        label = indicator.title_in(lang)
        disabled = view.country not in indicator.countries
        if disabled:
            only = country_names(list(indicator.countries), lang)
            label = _("{title} ({country} only)", lang, title=label, country=only)
        indicator_options.append({"label": label, "value": indicator.id, "disabled": disabled})
    allowed = available_measures(view.indicator.measure)
    measure_options = [
        {"label": word(MEASURES_SHOWN, m, lang), "value": m, "disabled": m not in allowed}
        for m in MEASURES
    ]
    return html.Div(
        [
            html.Div(
                [
                    html.Label(_("Indicator", lang), htmlFor=ids.TREND_INDICATOR),
                    build_dropdown(
                        lang,
                        id=ids.TREND_INDICATOR,
                        options=indicator_options,
                        value=view.indicator.id,
                        clearable=False,
                    ),
                ],
                className="trend-control trend-control-indicator",
            ),
            html.Div(
                [
                    html.Span(_("Show", lang), className="trend-label", id="trend-measure-label"),
                    dcc.RadioItems(
                        id=ids.TREND_MEASURE,
                        options=measure_options,
                        value=view.measure,
                        inline=True,
                        className="trend-measure",
                    ),
                ],
                className="trend-control",
                role="group",
                **{"aria-labelledby": "trend-measure-label"},  # type: ignore[arg-type]
            ),
            html.Div(
                [
                    html.Label(
                        _("Municipalities (one country at a time)", lang),
                        htmlFor=ids.TREND_MUNICIPALITIES,
                    ),
                    build_municipality_dropdown(
                        lang,
                        id=ids.TREND_MUNICIPALITIES,
                        value=[m.code for m in view.municipalities],
                        multi=True,
                        clearable=False,
                        placeholder=_("Type a name or code, e.g. Ballerup or 0301", lang),
                    ),
                ],
                className="trend-control trend-control-municipalities",
            ),
            dcc.Location(id=ids.TREND_LOCATION, refresh="callback-nav"),
        ],
        className="trend-controls",
    )


def build_content(view: TrendView, lang: str) -> list:
    """The page body: controls, summary, chart, events, table and notes."""
    where = country_name(view.country, lang)
    periods = list_periods(view.indicator.id, view.country)
    if not periods:
        return [
            html.H1(_("Trends over time", lang)),
            build_controls(view, lang),
            html.Div(
                [
                    html.H2(_("No data yet", lang)),
                    html.P(
                        _(
                            "The database has no values for this indicator in {country}.",
                            lang,
                            country=where,
                        )
                    ),
                ],
                className="not-found",
            ),
        ]
    rows = get_trend(view.indicator.id, view.country, [m.code for m in view.municipalities])
    municipal = rows[rows["area_type"] == "municipality"]
    lines = [
        build_series(municipal[municipal["area"] == m.code], view.measure, periods, m.code, m.name)
        for m in view.municipalities
    ]
    names = {
        "weighted": _("{country} (weighted)", lang, country=where),
        "unweighted": _("{country}: mean of municipalities (unweighted)", lang, country=where),
        "provider": _("{country} (the provider's national figure)", lang, country=where),
    }
    headline = headline_measure(view.indicator.measure)
    national, weighted = build_national_series(
        rows[rows["area_type"] == "national"], view.measure, headline, periods, names
    )
    events = [
        EventMark(e.date, e.kind, e.label[lang], e.text[lang])
        for e in list_events(view.country, view.indicator.id)
    ]
    names_by_code = {m.code: m.name for m in view.municipalities}
    breaks = list_breaks(view.indicator.id, view.country, list(names_by_code))
    events += break_marks(breaks.to_dict(orient="records"), names_by_code, lang)
    events.sort(key=lambda e: e.date)
    unit = measure_unit(view.measure, lang)
    quarterly = any("K" in p for p in periods)
    axis = {
        "gap": _("percentage points (positive = target group behind)", lang),
        "count": _("persons", lang),
    }
    figure = build_trend_figure(
        lines,
        national,
        periods,
        events,
        unit,
        axis.get(view.measure) or _("% of the group", lang),
        _("95 % interval", lang),
        quarterly,
    )
    shown = [e for e in events if periods and within(e.date, periods)]
    definition = view.indicator.countries[view.country]
    groups = (
        _(
            "Target group: {target}. Comparison group: {comparison}.",
            lang,
            target=definition.target.label.get(lang),
            comparison=definition.comparison.label.get(lang),
        )
        if definition.comparison
        else _("Group: {target}.", lang, target=definition.target.label.get(lang))
    )
    has_bands = any(v is not None for line in lines for v in line.lower)
    notes = [
        html.P(
            _(
                "Shaded bands are 95 % intervals: the random variation "
                "expected in a group of that size. Gaps in a line are "
                "periods with no published value (suppressed, withheld or "
                "missing), never zeros.",
                lang,
            )
            if has_bands
            else _(
                "A number of persons as the provider counts them: no interval. Gaps in a line "
                "are periods with no published value, never zeros.",
                lang,
            )
            if view.measure == "count"
            else _("No intervals here: the provider publishes rates only, without counts.", lang),
            className="note",
        )
    ]
    if national is not None and not weighted:
        notes.append(
            html.P(
                _(
                    "No weighted national figure exists for this measure (rates "
                    "only), so the unweighted mean of the municipalities is "
                    "shown, labelled as such.",
                    lang,
                ),
                className="note",
            )
        )
    return [
        html.H1(_("Trends over time", lang)),
        html.P(
            _(
                "Choose an indicator, one or more municipalities of one "
                "country, and what to show. The address of the page keeps "
                "your choices: copy it to share the view.",
                lang,
            ),
            className="description",
        ),
        build_controls(view, lang),
        build_copy_link(lang, "trend"),
        html.P(
            _(
                "At most {count} municipalities at a time: showing the first {count}.",
                lang,
                count=MAX_MUNICIPALITIES,
            ),
            className="note",
        )
        if view.dropped
        else None,
        html.H2(view.indicator.title_in(lang), id="trend-indicator-title"),
        html.P(groups, className="note"),
        html.P(
            summarise(view, lines, national, periods, shown, lang),
            id=ids.TREND_SUMMARY,
            className="trend-summary",
            **{"aria-live": "polite"},  # type: ignore[arg-type]
        ),
        Chart(
            id=ids.TREND_CHART,
            figure=add_caption(
                figure,
                f"{view.indicator.title_in(lang)} · {word(MEASURES_SHOWN, view.measure, lang)}",
                chart_source(view.indicator, view.country, lang),
            ),
            config=graph_config(
                lang, file_name("trend", view.indicator.id, view.country, view.measure)
            ),
            className="chart trend-chart",
        ),
        html.Div(
            [
                html.H3(_("Events on the chart", lang)),
                # Numbered as on a phone's chart, where each event is its number.
                html.Ol(
                    [html.Li([html.Strong(f"{e.date[:7]} {e.label}: "), e.text]) for e in shown]
                ),
            ],
            className="trend-events",
        )
        if shown
        else None,
        build_table(view, lines, national, periods, lang),
        *notes,
    ]


@safe_layout
def layout(**params: Any) -> html.Div:
    """The trend page for the URL's choices (indicator, municipalities, measure, lang);
    anything unknown gets a helpful message."""
    query = read_query(params, "indicator", "municipalities", "measure")
    lang = normalise_language(one(params.get("lang")))
    indicator = query["indicator"] or DEFAULT_INDICATOR
    view = read_view(indicator, query["municipalities"], query["measure"], lang)
    context = view.context if isinstance(view, TrendView) else None
    # Only the controls and the address are the callback's (Dash components either way).
    return view_page(
        view,
        lambda v: plain_parts(build_content(v, lang)),
        lang,
        PATH,
        query,
        _("Trends", lang),
        context,
    )


# --- the one callback: controls -> URL (the page then redraws from it) ----------------


@callback(
    Output(ids.TREND_LOCATION, "href"),
    Input(ids.TREND_INDICATOR, "value"),
    Input(ids.TREND_MUNICIPALITIES, "value"),
    Input(ids.TREND_MEASURE, "value"),
    State(ids.TREND_LOCATION, "search"),
    prevent_initial_call=True,
)
@checked(indicator=TEXT, codes=CODES, measure=TEXT, search=SEARCH)
def update_location(
    indicator: str | None, codes: list[str] | None, measure: str | None, search: str | None
) -> Any:
    """Any control change writes the URL; the page redraws from it."""
    return update_href(indicator, codes, measure, search)
