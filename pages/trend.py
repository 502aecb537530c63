"""Trends `/trend?indicator=&municipalities=&measure=&lang=`: lines over time with intervals.

Chosen municipalities (one country at a time) beside the national figure, the target group's
rate, the comparison group's rate or the gap, with 95 % bands and events (indicators/events.yml)
on the period axis. Every choice lives in the URL, so a copied link reproduces the view.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode

import dash
from dash import Input, Output, State, callback, dcc, html

from components.controls import build_dropdown, graph_config
from components.picker import picker_options, suggest_municipalities
from components.shell import page_frame, safe_layout
from components.trend import (
    MAX_MUNICIPALITIES,
    MEASURES,
    EventMark,
    Series,
    TrendView,
    available_measures,
    build_markdown_table,
    build_national_series,
    build_series,
    build_trend_figure,
    headline_measure,
    period_to_date,
)
from indicators.registry import get_indicator, list_indicators
from loaders.municipalities import Municipality, find_municipality
from locales import N_, _, normalise_language
from locales.notes import describe_missing
from locales.numbers import format_number, format_value, pp_unit
from locales.words import country_name, country_names, word
from queries.trend import get_trend, list_events, list_periods

PATH = "/trend"
DEFAULT_INDICATOR = "employment_gap"
CAPITALS = {"DK": "101", "NO": "0301"}

INDICATOR_ID = "trend-indicator"
MUNICIPALITIES_ID = "trend-municipalities"
MEASURE_ID = "trend-measure"
LOCATION_ID = "trend-location"
CHART_ID = "trend-chart"
SUMMARY_ID = "trend-summary"

dash.register_page(__name__, path=PATH, title="Trends – Integration Barometer")


def trend_href(indicator: str, municipalities: list[str], measure: str, lang: str) -> str:
    """The shareable address of a view (commas kept readable in the municipality list)."""
    query = {
        "indicator": indicator,
        "municipalities": ",".join(municipalities),
        "measure": measure,
        "lang": lang,
    }
    kept = {k: v for k, v in sorted(query.items()) if v}
    return f"{PATH}?{urlencode(kept, safe=',')}" if kept else PATH


# --- reading the request ------------------------------------------------------------------


def parse_codes(text: str | None) -> list[str]:
    """Municipality codes from the URL's comma-separated list, without blanks or repeats."""
    codes = [c.strip() for c in (text or "").split(",")]
    return list(dict.fromkeys(c for c in codes if c))


def _link_list(links: list[tuple[str, str]]) -> html.Ul:
    return html.Ul([html.Li(dcc.Link(label, href=href)) for label, href in links])


def _problem(title: str, text: str, links: list[tuple[str, str]], extra: Any = None) -> html.Div:
    return html.Div(
        [html.H1(title), html.P(text), _link_list(links), extra],
        className="not-found trend-problem",
        id="trend-problem",
    )


def read_view(
    indicator_id: str, codes_text: str | None, measure: str | None, lang: str
) -> TrendView | html.Div:
    """The view a URL asks for, or a helpful message saying what is wrong and what would work."""
    definition = get_indicator(indicator_id)
    if definition is None:
        links = [
            (i.title_in(lang), trend_href(i.id, parse_codes(codes_text), "", lang))
            for i in list_indicators()
        ]
        return _problem(
            _("Unknown indicator", lang),
            _("“{value}” is not an indicator of this barometer.", lang, value=indicator_id),
            links,
        )
    codes = parse_codes(codes_text)
    if not codes:
        country = "DK" if "DK" in definition.countries else "NO"
        codes = [CAPITALS[country]]
    found = [find_municipality(c) for c in codes]
    unknown = [c for c, m in zip(codes, found, strict=True) if m is None]
    known = [m for m in found if m is not None]
    if unknown:
        return _unknown_municipalities(unknown, known, definition.id, measure or "", lang)
    countries = list(dict.fromkeys(m.country for m in known))
    if len(countries) > 1:
        links = [
            (
                ", ".join(m.name for m in known if m.country == c),
                trend_href(
                    definition.id, [m.code for m in known if m.country == c], measure or "", lang
                ),
            )
            for c in countries
        ]
        return _problem(
            _("One country at a time", lang),
            _(
                "Danish and Norwegian figures are defined differently, so "
                "this page shows one country at a time. Continue with:",
                lang,
            ),
            links,
        )
    country = countries[0]
    where = country_name(country, lang)
    if country not in definition.countries:
        links = [
            (i.title_in(lang), trend_href(i.id, [m.code for m in known], "", lang))
            for i in list_indicators()
            if country in i.countries
        ]
        return _problem(
            _("Not published for {country}", lang, country=where),
            _(
                "“{indicator}” is not available for {country}. Choose another indicator:",
                lang,
                indicator=definition.title_in(lang),
                country=where,
            ),
            links,
        )
    allowed = available_measures(definition.measure)
    chosen = measure or headline_measure(definition.measure)
    if chosen not in allowed:
        links = [
            (
                word(MEASURES_SHOWN, m, lang),
                trend_href(definition.id, [k.code for k in known], m, lang),
            )
            for m in allowed
        ]
        share = (
            html.P(
                _(
                    "This indicator is a share of the population: it has no "
                    "comparison group and no gap.",
                    lang,
                )
            )
            if definition.measure == "share"
            else None
        )
        return _problem(
            _("Unknown measure", lang),
            _(
                "“{value}” is not something this page can show for {indicator}. Choose one of:",
                lang,
                value=chosen,
                indicator=definition.title_in(lang),
            ),
            links,
            share,
        )
    kept = tuple(known[:MAX_MUNICIPALITIES])
    return TrendView(definition, country, kept, chosen, dropped=len(known) - len(kept))


def _unknown_municipalities(
    unknown: list[str], known: list[Municipality], indicator: str, measure: str, lang: str
) -> html.Div:
    """Each unknown code with the closest municipalities, as links that keep the rest."""
    items = []
    for code in unknown:
        suggestions = suggest_municipalities(code)
        links = [
            dcc.Link(
                f"{name} ({suggested})",
                href=trend_href(indicator, [*(m.code for m in known), suggested], measure, lang),
            )
            for suggested, name in suggestions
        ]
        parts: list[Any] = [
            _(
                "“{code}” is not a Danish or Norwegian municipality code. "
                "Danish codes have three digits (Ballerup is 151), Norwegian "
                "codes four (Oslo is 0301).",
                lang,
                code=code,
            )
        ]
        if links:
            parts += [" ", _("Did you mean:", lang), " "]
            for number, link in enumerate(links):
                parts += [", " if number else "", link]
        items.append(html.Li(parts))
    return html.Div(
        [html.H1(_("Unknown municipality", lang)), html.Ul(items)],
        className="not-found trend-problem",
        id="trend-problem",
    )


# --- building the view --------------------------------------------------------------------


MEASURES_SHOWN = {
    "target": N_("Target group's rate"),
    "comparison": N_("Comparison group's rate"),
    "gap": N_("Gap (percentage points)"),
}


def _format(value: float | None, measure: str, lang: str) -> str:
    return format_value(value, "gap" if measure == "gap" else "rate", lang)


def summarise(
    view: TrendView,
    lines: list[Series],
    national: Series | None,
    periods: list[str],
    events: list[EventMark],
    lang: str,
) -> str:
    """A few sentences saying what the chart shows, for everyone and for screen readers."""
    measure = word(MEASURES_SHOWN, view.measure, lang)
    head = f"{view.indicator.title_in(lang)}, {measure.lower()}, {periods[0]}–{periods[-1]}."
    sentences = [head]
    for line in [*lines, *([national] if national else [])]:
        known = [(p, v) for p, v in zip(periods, line.y, strict=True) if v is not None]
        if not known:
            sentences.append(_("{name}: no published values", lang, name=line.name) + ".")
            continue
        (first_period, first), (last_period, last) = known[0], known[-1]
        text = _(
            "{name}: {first} in {first_period}, {last} in {last_period}",
            lang,
            name=line.name,
            first=_format(first, view.measure, lang),
            first_period=first_period,
            last=_format(last, view.measure, lang),
            last_period=last_period,
        )
        missing = len(periods) - len(known)
        if missing:
            count = _(
                "{count} of {total} periods without a published value",
                lang,
                count=missing,
                total=len(periods),
            )
            text += f" ({count})"
        sentences.append(text + ".")
    if events:
        labels = ", ".join(f"{e.label} ({e.date[:7]})" for e in events)
        sentences.append(_("Marked events: {events}.", lang, events=labels))
    return " ".join(sentences)


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
        value = line.y[i]
        if value is None:
            return _("missing ({why})", lang, why=describe_missing(line.notes[i], lang))
        text = _format(value, view.measure, lang)
        lower, upper = line.lower[i], line.upper[i]
        if lower is not None and upper is not None:
            text += f" ({format_number(lower, lang)}–{format_number(upper, lang)})"
        return text

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
            dcc.Markdown(
                build_markdown_table(head, rows, "l" + "r" * len(columns)),
                className="trend-table-body",
            ),
        ],
        className="data-table trend-table",
        id="trend-table",
    )


def build_controls(view: TrendView, lang: str) -> html.Div:
    """Indicator, municipalities and measure; each change rewrites the URL (see below)."""
    indicator_options = []
    for indicator in list_indicators():
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
                    html.Label(_("Indicator", lang), htmlFor=INDICATOR_ID),
                    build_dropdown(
                        lang,
                        id=INDICATOR_ID,
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
                        id=MEASURE_ID,
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
                        _("Municipalities (one country at a time)", lang), htmlFor=MUNICIPALITIES_ID
                    ),
                    build_dropdown(
                        lang,
                        id=MUNICIPALITIES_ID,
                        options=picker_options(lang),
                        value=[m.code for m in view.municipalities],
                        multi=True,
                        clearable=False,
                        placeholder=_("Type a name or code, e.g. Ballerup or 0301", lang),
                    ),
                ],
                className="trend-control trend-control-municipalities",
            ),
            dcc.Location(id=LOCATION_ID, refresh="callback-nav"),
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
    }
    headline = headline_measure(view.indicator.measure)
    national, weighted = build_national_series(
        rows[rows["area_type"] == "national"], view.measure, headline, periods, names
    )
    events = [
        EventMark(e.date, e.kind, e.label[lang], e.text[lang])
        for e in list_events(view.country, view.indicator.id)
    ]
    unit = pp_unit(lang) if view.measure == "gap" else "%"
    quarterly = any("K" in p for p in periods)
    figure = build_trend_figure(
        lines,
        national,
        periods,
        events,
        unit,
        _("percentage points (positive = target group behind)", lang)
        if view.measure == "gap"
        else _("% of the group", lang),
        _("95 % interval", lang),
        quarterly,
    )
    shown = [e for e in events if periods and _within(e.date, periods)]
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
            id=SUMMARY_ID,
            className="trend-summary",
            **{"aria-live": "polite"},  # type: ignore[arg-type]
        ),
        dcc.Graph(
            id=CHART_ID,
            figure=figure,
            config=graph_config(lang),
            className="chart trend-chart",
        ),
        html.Div(
            [
                html.H3(_("Events on the chart", lang)),
                html.Ul(
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


def _within(when: str, periods: list[str]) -> bool:
    day = when if len(when) > 7 else when + "-01"
    return period_to_date(periods[0]) <= day <= period_to_date(periods[-1])


@safe_layout
def layout(
    indicator: str = DEFAULT_INDICATOR,
    municipalities: str | None = None,
    measure: str | None = None,
    lang: str | None = None,
    **_ignored: str,
) -> html.Div:
    """The trend page for the URL's choices; anything unknown gets a helpful message."""
    lang = normalise_language(lang)
    query = {"indicator": indicator, "municipalities": municipalities, "measure": measure}
    view = read_view(indicator or DEFAULT_INDICATOR, municipalities, measure, lang)
    content = view if isinstance(view, html.Div) else build_content(view, lang)
    return page_frame(content, lang, PATH, query, _("Trends", lang))


# --- the one callback: controls -> URL (the page then redraws from the URL) ----------------


def update_href(
    indicator: str | None, codes: list[str] | None, measure: str | None, search: str | None
) -> str:
    """The address for the controls' values, keeping the language.

    One country at a time: choosing a municipality of the other country starts a new
    selection with it. An indicator the country lacks falls back to the default, and a
    measure the indicator lacks to its headline.
    """
    lang = normalise_language(dict(parse_qsl((search or "").lstrip("?"))).get("lang"))
    chosen = [m for m in (find_municipality(c) for c in codes or []) if m is not None]
    if chosen:
        country = chosen[-1].country  # the newest choice decides the country
        chosen = [m for m in chosen if m.country == country]
    definition = get_indicator(indicator or DEFAULT_INDICATOR) or get_indicator(DEFAULT_INDICATOR)
    assert definition is not None
    if chosen and chosen[0].country not in definition.countries:
        definition = get_indicator(DEFAULT_INDICATOR)
        assert definition is not None
    allowed = available_measures(definition.measure)
    wanted = measure if measure in allowed else headline_measure(definition.measure)
    return trend_href(definition.id, [m.code for m in chosen], wanted or "", lang)


@callback(
    Output(LOCATION_ID, "href"),
    Input(INDICATOR_ID, "value"),
    Input(MUNICIPALITIES_ID, "value"),
    Input(MEASURE_ID, "value"),
    State(LOCATION_ID, "search"),
    prevent_initial_call=True,
)
def update_location(
    indicator: str | None, codes: list[str] | None, measure: str | None, search: str | None
) -> Any:
    """Any control change writes the URL; the page redraws from it."""
    return update_href(indicator, codes, measure, search)
