"""Indicator pages: the catalogue `/indicator` and one indicator `/indicator/<indicator_id>`.

Both addresses are one registered page: Dash Pages matches `/indicator` by `path` and
`/indicator/<indicator_id>` by `path_template`. Definitions come from the definition files
(indicators/registry.py); code labels, update and retrieval times and the periods in the data
come from the database through queries/about.py. When the database cannot be read, the
definition is still shown, with codes instead of labels and a note saying why.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from types import MappingProxyType
from typing import Any, NamedTuple
from urllib.parse import quote, unquote

import dash
import flask
import pandas as pd
from dash import ALL, Input, Output, State, callback, dcc, html

from components import ids
from components.controls import build_scroll_box
from components.shell import build_problem, page_frame, safe_layout
from errors import BarometerError
from exports.tables import Variant
from indicators.compute import ComputeSettings
from indicators.registry import (
    CountryDefinition,
    Group,
    Indicator,
    Measure,
    Unavailable,
    get_indicator,
    list_indicators,
    list_unavailable,
)
from locales import N_, _, normalise_language
from locales.numbers import format_time
from locales.words import country_name, country_names, provider_name, word
from queries.about import (
    LabelKey,
    display_title,
    label_key,
    list_code_labels,
    list_indicator_periods,
    list_source_tables,
    source_url,
)
from serving.cache import do_not_keep
from views.downloads import values_download
from views.inputs import CLICK_LIST, VIEW_STORE, checked
from views.links import Context
from views.params import unknown_indicator, with_query
from views.problems import Link


def page_title(indicator_id: str | None = None, **_ignored: str) -> str:
    """The browser tab's title (Dash passes the path variables)."""
    if indicator_id:
        indicator = get_indicator(unquote(indicator_id))
        name = indicator.title_in("en") if indicator else "Unknown indicator"
        return f"{name} – Integration Barometer"
    return "Indicators – Integration Barometer"


dash.register_page(
    __name__,
    path="/indicator",
    path_template="/indicator/<indicator_id>",
    title=page_title,
)

CATALOGUE_PATH = "/indicator"
MANY_CODES = 6  # selections longer than this are folded into a <details>


# Reference dates and age bands are written in English in the definitions; known ones are
# translated through the catalogue, anything else is shown as written.
TERMS = {
    N_("end of November"),
    N_("fourth quarter"),
    N_("first day of the quarter"),
    N_("1 January"),
    N_("30 September"),
    N_("calendar year (recipients); average population of the same year"),
    N_("all ages"),
    N_("calendar year (persons found guilty); population on 1 January of the same year"),
    N_("three-year income window"),
    N_("25 and over"),
    N_("calendar year"),
    N_("the year after finishing the programme"),
}
MEASURE_KINDS = {
    "gap": N_("gap (percentage points)"),
    "rate": N_("rate (%)"),
    "share": N_("share of the population (%)"),
    "count": N_("number of persons"),
}
PERIOD_TYPES = {
    "quarter": N_("quarterly"),
    "year": N_("yearly"),
    "three_years": N_("three-year windows"),
}
PARTS = {
    "numerator": N_("Numerator"),
    "denominator": N_("Denominator"),
    "rate": N_("Published rate"),
    "size": N_("Group size"),
}
PERIOD_SHIFTS = {
    "next_year_first_quarter": N_(
        "Period shifted: year Y is read from the first quarter of year Y+1 "
        "(1 January of the following year)."
    ),
    "next_year": N_(
        "Period shifted: year Y is read from year Y+1 (1 January of the following year)."
    ),
    "mean_of_quarters": N_(
        "Year Y is the mean of its four quarters (1 January, 1 April, 1 July, 1 October); "
        "a year with a quarter not published has no value."
    ),
    "same_year_first_quarter": N_("Year Y is read from its own first quarter (1 January)."),
}


def translate_term(value: str, lang: str) -> str:
    """A reference date or age band in the language, or as written when unknown."""
    return _(value, lang) if value in TERMS else value


def direction_text(indicator: Indicator, lang: str) -> str:
    """Which way is better, in words (for a gap, always the gap's own direction)."""
    if indicator.higher_is_better is None:
        return _("none (a description, not a goal)", lang)
    if indicator.measure == "gap":
        return _("a smaller gap is better", lang)
    return _("higher is better", lang) if indicator.higher_is_better else _("lower is better", lang)


def describe_code(code: str, label: str | None) -> str:
    """A code with its label, without repeating a code the label already starts with."""
    if not label or label == code:
        return code
    if label.startswith(code):
        return label
    return f"{code} {label}"


def country_measures(definition: CountryDefinition) -> list[tuple[str, str, Measure]]:
    """(group, part, measure) for every measure one country's definition uses."""
    found = []
    groups = (("target", definition.target), ("comparison", definition.comparison))
    for group_name, group in groups:
        if group is None:
            continue
        for part in ("numerator", "denominator", "rate", "size"):
            measure = getattr(group, part)
            if measure is not None:
                found.append((group_name, part, measure))
    return found


def country_tables(definition: CountryDefinition) -> list[tuple[str, str]]:
    """The (provider, table) pairs one country's definition reads, in order of first use."""
    tables: list[tuple[str, str]] = []
    for _group, _part, measure in country_measures(definition):
        pair = (measure.provider, measure.table)
        if pair not in tables:
            tables.append(pair)
    return tables


def published_as_is(indicator: Indicator, lang: str) -> list[tuple[str, list[str]]]:
    """How a count, or a figure published per county only, is computed: it is not."""
    missing = _(
        "Cells the provider suppressed or marked missing (symbols such as “:” or “.”) stay "
        "missing, with their symbol: they never count as 0.",
        lang,
    )
    if indicator.measure == "count":
        return [
            (
                _("Counts", lang),
                [
                    _(
                        "The headline is the number of persons as the provider counts them, "
                        "not a share of a group: there is no interval, no small-number rule, "
                        "no rank and no traffic light. Changes are differences in persons.",
                        lang,
                    ),
                    _(
                        "The national and regional figures are the sums of the municipalities "
                        "that are published; where the provider hides a municipality's count, "
                        "the sum is a lower bound and the number of municipalities without a "
                        "figure is stated.",
                        lang,
                    ),
                ],
            ),
            (_("Missing values", lang), [missing]),
        ]
    return [
        (
            _("County figures", lang),
            [
                _(
                    "Each county's figure is the provider's own, under the county's code of "
                    "the year it describes (counties were merged in 2020 and split in 2024), "
                    "and the whole country's figure is the provider's too. A municipality's "
                    "page shows the figure of the county it belonged to that year, as such.",
                    lang,
                ),
                _(
                    "Changes since the baseline compare a county with itself only; a county "
                    "that did not exist in the baseline year has none.",
                    lang,
                ),
            ],
        ),
        (_("Missing values", lang), [missing]),
    ]


def method_paragraphs(
    indicator: Indicator, lang: str, settings: ComputeSettings | None = None
) -> list[tuple[str, list[str]]]:
    """How the indicator is computed, in plain language: (heading, paragraphs) pairs."""
    settings = settings or ComputeSettings()

    if indicator.measure == "count" or any(
        d.geography == "county" for d in indicator.countries.values()
    ):
        return published_as_is(indicator, lang)
    share = indicator.measure == "share"
    sections: list[tuple[str, list[str]]] = []
    if share:
        sections.append(
            (
                _("Rates", lang),
                [
                    _(
                        "The share is the target group's count divided by all "
                        "residents, in per cent. It describes the population: there "
                        "is no comparison group and no good direction.",
                        lang,
                    )
                ],
            )
        )
    else:
        headline = (
            _("The headline value is the gap.", lang)
            if indicator.measure == "gap"
            else _(
                "The headline value is the target group's rate; the gap to the comparison "
                "group is shown beside it.",
                lang,
            )
        )
        sections.append(
            (
                _("Rates", lang),
                [
                    _(
                        "Each group's rate is its numerator divided by its "
                        "denominator: a share of persons, shown in per cent.",
                        lang,
                    )
                ],
            )
        )
        gap = (
            _(
                "Gap = the target group's rate − the comparison group's rate, in percentage "
                "points (pp), because lower is better here. Positive means the target group is "
                "behind; closing the gap means moving towards 0.",
                lang,
            )
            if indicator.higher_is_better is False
            else _(
                "Gap = the comparison group's rate − the target group's rate, in percentage "
                "points (pp). Positive means the target group is behind; closing the gap "
                "means moving towards 0.",
                lang,
            )
        )
        sections.append((_("Gap", lang), [gap, headline]))
    intervals = [
        _(
            "Each rate has a 95 % Wilson score interval. Register data "
            "count everyone; the interval expresses the random variation "
            "expected in a group of that size from period to period, so "
            "small municipalities are read with care.",
            lang,
        )
    ] + (
        []
        if share
        else [
            _(
                "The gap's interval is Newcombe's hybrid score interval "
                "(method 10), built from the two groups' Wilson intervals. A "
                "gap whose interval covers 0 is not distinguishable from no "
                "gap.",
                lang,
            )
        ]
    )
    sections.append((_("Uncertainty (95 % intervals)", lang), intervals))
    none = _("none", lang)
    baselines = ", ".join(
        f"{country_name(code, lang)} {definition.baseline or none}"
        for code, definition in indicator.countries.items()
    )
    sections.append(
        (
            _("Change since the baseline", lang),
            [
                _(
                    "Changes since the baseline ({baselines}) and since the "
                    "previous period are in percentage points. The interval of a "
                    "change combines the two periods' intervals, treating the "
                    "periods as independent; a change is distinguishable only "
                    "when its interval excludes 0.",
                    lang,
                    baselines=baselines,
                )
            ],
        )
    )
    small = _(
        "When the target group's denominator is below {minimum}, the "
        "value is withheld (“too few to show”). Below {caution} it "
        "is flagged for caution, and a value pooled over the last "
        "{pool} periods (sums of the counts) is offered beside it.",
        lang,
        minimum=settings.minimum,
        caution=settings.caution,
        pool=settings.pool_periods,
    )
    sections.append((_("Small numbers", lang), [small]))
    if indicator.higher_is_better is None:
        lights = [
            _(
                "No traffic light: this indicator describes the population "
                "and has no good direction.",
                lang,
            )
        ]
    else:
        good = direction_text(indicator, lang)
        lights = [
            _(
                "Barometer rule (the national barometer's): the value "
                "rounded to whole percentage points is compared with the "
                "baseline's rounded value, giving better, unchanged or worse "
                "in the indicator's good direction ({direction}). Rounding "
                "can move the verdict by ±1 pp against the unrounded change.",
                lang,
                direction=good,
            ),
            _(
                "Significance rule: better or worse only when the change "
                "since the baseline is distinguishable (its interval "
                "excludes 0); otherwise unchanged.",
                lang,
            ),
        ]
    sections.append((_("Traffic lights", lang), lights))
    sections.append(
        (
            _("National and regional figures", lang),
            [
                _(
                    "National and regional figures are the sum of the "
                    "municipalities' numerators over the sum of their "
                    "denominators (weighted). The unweighted mean of the "
                    "municipal values is shown beside them, labelled as such.",
                    lang,
                )
            ],
        )
    )
    sections.append(
        (
            _("Missing values", lang),
            [
                _(
                    "Cells the provider suppressed or marked missing (symbols "
                    "such as “..” or “:”) stay missing, with their symbol: they "
                    "never count as 0 and are never interpolated.",
                    lang,
                )
            ],
        )
    )
    return sections


# --------------------------------------------------------------------------------------------
# Data from the database (labels, times, periods): optional, the page works without it
# --------------------------------------------------------------------------------------------


class SourceData(NamedTuple):
    """What the database adds to a definition; `problem` says why it is empty.

    (A NamedTuple, not a dataclass: Dash Pages executes page modules before they are in
    sys.modules, where dataclasses look up string annotations.)
    """

    labels: Mapping[LabelKey, str] = MappingProxyType({})
    tables: pd.DataFrame | None = None
    periods: Mapping[str, tuple[str, str, int]] = MappingProxyType({})
    problem: BarometerError | None = None


def load_source_data(indicator: Indicator, lang: str = "en") -> SourceData:
    """Labels of the selected codes, the source tables' times and the periods in the data."""
    selections = [
        (measure.provider, measure.table, measure.select)
        for definition in indicator.countries.values()
        for _group, _part, measure in country_measures(definition)
    ]
    try:
        labels = list_code_labels(selections, lang)
        tables = list_source_tables(lang)
        periods = list_indicator_periods(indicator.id)
    except BarometerError as exc:
        do_not_keep()  # the page says the data could not be read: not an answer to keep
        return SourceData(problem=exc)
    return SourceData(
        labels=labels,
        tables=tables,
        periods={
            str(row["country"]): (
                str(row["first_period"]),
                str(row["last_period"]),
                int(row["periods"]),
            )
            for row in periods.to_dict(orient="records")
        },
    )


# --------------------------------------------------------------------------------------------
# Components
# --------------------------------------------------------------------------------------------


def indicator_href(indicator_id: str, lang: str) -> str:
    return with_query(f"{CATALOGUE_PATH}/{quote(indicator_id)}", {"lang": lang})


def build_table(head: Sequence[Any], rows: Sequence[Sequence[Any]], class_name: str) -> html.Table:
    """A plain table: header cells and rows of cells."""
    return html.Table(
        [
            html.Thead(html.Tr([html.Th(cell, scope="col") for cell in head])),
            html.Tbody([html.Tr([html.Td(cell) for cell in row]) for row in rows]),
        ],
        className=f"indicator-table {class_name}",
    )


def build_catalogue(lang: str) -> list[Any]:
    """Every indicator with its measure and countries, then the unavailable ones."""
    rows = []
    for indicator in list_indicators():
        tables = sorted(
            {
                m.table
                for d in indicator.countries.values()
                for _group, _part, m in country_measures(d)
            }
        )
        rows.append(
            [
                html.Div(
                    [
                        dcc.Link(indicator.title_in(lang), href=indicator_href(indicator.id, lang)),
                        html.Code(indicator.id, className="indicator-id"),
                    ]
                ),
                word(MEASURE_KINDS, indicator.measure, lang),
                direction_text(indicator, lang),
                country_names(list(indicator.countries), lang),
                ", ".join(tables),
            ]
        )
    head = [
        _("Indicator", lang),
        _("Measure", lang),
        _("Good direction", lang),
        _("Countries", lang),
        _("Source tables", lang),
    ]
    return [
        html.H1(_("Indicators", lang), id="indicator-heading"),
        html.P(
            _(
                "Every indicator the barometer computes. Each is defined in "
                "a file of its own; open one for its definition, its source "
                "tables and how it is computed.",
                lang,
            ),
            className="description",
        ),
        html.Div(
            build_scroll_box(
                build_table(head, rows, "indicator-catalogue-table"),
                _("Indicators", lang),
                "indicator-scroll",
            ),
            id="indicator-catalogue",
        ),
        build_unavailable(lang),
    ]


def build_unavailable(lang: str, entries: Sequence[Unavailable] | None = None) -> html.Section:
    """The barometer indicators public statistics do not give, and where they are published."""
    items = []
    for entry in list_unavailable() if entries is None else entries:
        links = [
            html.Li(html.A(name.get(lang) or name["en"], href=url, target="_blank", rel="noopener"))
            for name, url in entry.published_by
        ]
        items.append(
            html.Li(
                [
                    html.H3(
                        [
                            entry.title.get(lang) or entry.title["en"],
                            html.Span(
                                f" ({country_name(entry.country, lang)})",
                                className="indicator-country-tag",
                            ),
                        ]
                    ),
                    html.P(
                        [
                            html.Strong(_("Why not", lang) + ": "),
                            entry.why.get(lang) or entry.why["en"],
                        ]
                    ),
                    html.P(html.Strong(_("Published by", lang) + ":")),
                    html.Ul(links),
                ],
                id=f"indicator-unavailable-{entry.id}",
            )
        )
    return html.Section(
        [
            html.H2(
                _("Not available from public statistics", lang), id="indicator-unavailable-heading"
            ),
            html.P(
                _(
                    "Indicators of the national integration barometers that no "
                    "public statistics table gives by municipality and origin, "
                    "and where they are published instead.",
                    lang,
                ),
                className="note",
            ),
            html.Ul(items, className="indicator-unavailable-list"),
        ],
        id="indicator-unavailable",
        className="indicator-section",
    )


def build_unknown(value: str, lang: str) -> html.Div:
    """A helpful page for an id that is no indicator: the closest ids and the catalogue."""
    indicators = {i.id: i for i in list_indicators()}
    problem = unknown_indicator(value, indicators, lambda i: indicator_href(i, lang), lang)
    catalogue = Link(
        _("See the list of all indicators", lang), with_query(CATALOGUE_PATH, {"lang": lang})
    )
    return build_problem(replace(problem, links=[*problem.links, catalogue]))


def build_selection(
    measure: Measure, labels: Mapping[LabelKey, str], lang: str
) -> list[html.Div | html.Details]:
    """The codes a measure sums, per variable, with the provider's labels."""
    parts: list[html.Div | html.Details] = []
    for variable, codes in measure.select.items():
        described = [
            describe_code(
                code, labels.get(label_key(measure.provider, measure.table, variable, code))
            )
            for code in codes
        ]
        if len(codes) <= MANY_CODES:
            parts.append(html.Div([html.Code(variable), ": ", "; ".join(described)]))
            continue
        summary = _(
            "{first} … {last} ({n} codes)", lang, first=codes[0], last=codes[-1], n=len(codes)
        )
        parts.append(
            html.Details(
                [
                    html.Summary([html.Code(variable), ": ", summary]),
                    html.Ul([html.Li(text) for text in described], className="indicator-codes"),
                ]
            )
        )
    return parts


def measure_note(measure: Measure, lang: str) -> str:
    """Period shift and scale, in words ("" when neither applies)."""
    notes = []
    if measure.period_shift:
        notes.append(word(PERIOD_SHIFTS, measure.period_shift, lang))
    if measure.scale != 1.0:
        notes.append(
            _("Published in per cent; divided by {scale}.", lang, scale=format(measure.scale, "g"))
        )
    return " ".join(notes)


def build_measures(definition: CountryDefinition, data: SourceData, lang: str) -> html.Div:
    """One row per numerator, denominator or published rate: table, codes, notes."""
    rows = []
    for group_name, part, measure in country_measures(definition):
        group = definition.target if group_name == "target" else definition.comparison
        assert group is not None
        rows.append(
            [
                group.label.get(lang) or group.label["en"],
                word(PARTS, part, lang),
                html.A(
                    measure.table,
                    href=source_url(measure.provider, measure.table),
                    title=provider_name(measure.provider, lang),
                    target="_blank",
                    rel="noopener",
                ),
                build_selection(measure, data.labels, lang),
                measure_note(measure, lang),
            ]
        )
    head = [
        _("Group", lang),
        _("Part", lang),
        _("Table", lang),
        _("Selected codes (summed)", lang),
        _("Note", lang),
    ]
    return build_scroll_box(
        build_table(head, rows, "indicator-measures"),
        _("How it is built from the provider's tables", lang)
        + ": "
        + country_name(definition.country, lang),
        "indicator-scroll",
    )


def known_tables(data: SourceData) -> dict[tuple[str, str], Any]:
    """The database's source tables by (provider, table id)."""
    if data.tables is None:
        return {}
    return {(str(r.provider), str(r.table_id)): r for r in data.tables.itertuples()}


def table_times(definition: CountryDefinition, data: SourceData, column: str, lang: str) -> str:
    """One time per source table of a country ("RAS201: 2024-11-14 08:00"), "—" without data."""
    known = known_tables(data)
    times = [
        f"{table}: {format_time(getattr(known[(provider, table)], column), lang)}"
        for provider, table in country_tables(definition)
        if (provider, table) in known
    ]
    return "; ".join(times) or "—"


def build_sources(definition: CountryDefinition, data: SourceData, lang: str) -> html.Div:
    """The tables one country reads, with links, the provider's update and our retrieval."""
    known = known_tables(data)
    rows = []
    for provider, table in country_tables(definition):
        row = known.get((provider, table))
        rows.append(
            [
                provider_name(provider, lang),
                html.A(table, href=source_url(provider, table), target="_blank", rel="noopener"),
                display_title(row.title, table) if row is not None else _("not in the data", lang),
                format_time(row.provider_updated, lang) if row is not None else "—",
                format_time(row.last_retrieved, lang) if row is not None else "—",
            ]
        )
    head = [
        _("Provider", lang),
        _("Table", lang),
        _("Title", lang),
        _("Updated by the provider", lang),
        _("Retrieved (UTC)", lang),
    ]
    return build_scroll_box(
        build_table(head, rows, "indicator-sources"),
        _("Source tables", lang) + ": " + country_name(definition.country, lang),
        "indicator-scroll",
    )


def build_glance(indicator: Indicator, data: SourceData, lang: str) -> html.Div:
    """The countries' groups, ages and periods side by side."""

    def label(group: Group | None, definition: CountryDefinition) -> str:
        if group is None:
            if indicator.measure == "count":
                return _("none: a number of persons", lang)
            if definition.geography == "county":
                return _("none: each county's figure beside the whole country's", lang)
            return _("none: a share of all residents", lang)
        return group.label.get(lang) or group.label["en"]

    def periods(country: str) -> str:
        if data.problem:
            return "—"
        found = data.periods.get(country)
        if found is None:
            return _("not in the data", lang)
        return _("{first} to {last} ({n} periods)", lang, first=found[0], last=found[1], n=found[2])

    definitions = list(indicator.countries.values())
    facts = [
        (_("Target group", lang), [label(d.target, d) for d in definitions]),
        (_("Comparison group", lang), [label(d.comparison, d) for d in definitions]),
        (_("Age band", lang), [translate_term(d.age_band, lang) for d in definitions]),
        (_("Periods", lang), [word(PERIOD_TYPES, d.period_type, lang) for d in definitions]),
        (_("Reference date", lang), [translate_term(d.reference_date, lang) for d in definitions]),
        (_("Baseline", lang), [d.baseline or _("none", lang) for d in definitions]),
        (_("Periods in the data", lang), [periods(d.country) for d in definitions]),
        (
            _("Updated by the provider", lang),
            [table_times(d, data, "provider_updated", lang) for d in definitions],
        ),
        (
            _("Retrieved (UTC)", lang),
            [table_times(d, data, "last_retrieved", lang) for d in definitions],
        ),
    ]
    head: list[Any] = [
        html.Span(_("Country", lang), className="visually-hidden"),
        *(country_name(d.country, lang) for d in definitions),
    ]
    table = html.Table(
        [
            html.Thead(html.Tr([html.Th(cell, scope="col") for cell in head])),
            html.Tbody(
                [
                    html.Tr([html.Th(name, scope="row")] + [html.Td(v) for v in values])
                    for name, values in facts
                ]
            ),
        ],
        className="indicator-table indicator-glance",
    )
    return build_scroll_box(table, _("The countries side by side", lang), "indicator-scroll")


def build_country(definition: CountryDefinition, data: SourceData, lang: str) -> html.Section:
    """Everything about one country's version of the indicator."""
    country = country_name(definition.country, lang)
    caveat = definition.caveats.get(lang) or definition.caveats.get("en")
    target = definition.target
    if definition.geography == "county":
        shape = _(
            "Published per county only, in whole per cent without counts: there is no "
            "interval and no small-number rule, and no municipality is shown a figure of its "
            "own. The whole country's figure is the provider's.",
            lang,
        )
    elif target.derived:
        shape = _(
            "The provider publishes this group as persons and as a per cent of the group, not "
            "the group's size: the size is derived from the two, exactly but for the rounding "
            "of the per cent, so its interval and references are approximate (marked so).",
            lang,
        )
    elif target.rates_only:
        shape = _(
            "The provider publishes this group only as a rate, not as counts: there is no "
            "interval, no weighted national or regional figure and no small-number rule.",
            lang,
        )
    else:
        shape = None
    return html.Section(
        [
            html.H2(country),
            html.H3(_("How it is built from the provider's tables", lang)),
            build_measures(definition, data, lang),
            html.P(shape, className="note") if shape else None,
            html.H3(_("Source tables", lang)),
            build_sources(definition, data, lang),
            html.H3(_("Caveats", lang)) if caveat else None,
            html.P(caveat, className="note caveat") if caveat else None,
        ],
        id=f"indicator-country-{definition.country}",
        className="indicator-section indicator-country",
    )


def download_id(country: str, variant: Variant) -> dict[str, str]:
    """The id of one download button of the indicator page (matched by pattern below)."""
    return {"type": ids.INDICATOR_DOWNLOAD, "country": country, "variant": variant.value}


def build_downloads(indicator: Indicator, lang: str) -> html.Section:
    """Every municipality's values in every period, per country, with this definition in the
    file's first lines: plain CSV, or for Danish/Norwegian spreadsheets."""
    rows = []
    for country in indicator.countries:
        where = country_name(country, lang)
        rows.append(
            html.Div(
                [
                    html.Button(
                        _("{country}: CSV", lang, country=where),
                        id=download_id(country, Variant.PLAIN),
                        className="download-button",
                        type="button",
                    ),
                    html.Button(
                        _("{country}: for Excel or LibreOffice", lang, country=where),
                        id=download_id(country, Variant.SPREADSHEET),
                        className="download-button",
                        type="button",
                    ),
                ],
                className="download-buttons",
            )
        )
    return html.Section(
        [
            html.H2(_("Download the figures", lang)),
            html.P(
                _(
                    "Every municipality in every period, with the definition, groups, age "
                    "band, source tables and licence in the file's first lines. The file for "
                    "spreadsheets uses semicolons and decimal commas and keeps codes such as "
                    "0301 as text.",
                    lang,
                ),
                className="note",
            ),
            *rows,
            dcc.Store(
                id=ids.INDICATOR_DOWNLOAD_VIEW, data={"indicator": indicator.id, "lang": lang}
            ),
            dcc.Download(id=ids.INDICATOR_DOWNLOAD),
        ],
        id="indicator-downloads",
        className="indicator-section",
    )


@callback(
    Output(ids.INDICATOR_DOWNLOAD, "data"),
    Input({"type": ids.INDICATOR_DOWNLOAD, "country": ALL, "variant": ALL}, "n_clicks"),
    State(ids.INDICATOR_DOWNLOAD_VIEW, "data"),
    prevent_initial_call=True,
)
@checked(cacheable=False, clicks=CLICK_LIST, view=VIEW_STORE)
def download_values(clicks: list[int | None], view: dict[str, str] | None) -> Any:
    """One country's values of the indicator as CSV."""
    clicked = dash.ctx.triggered_id
    indicator = get_indicator((view or {}).get("indicator", ""))
    if not clicks or not any(clicks) or not isinstance(clicked, dict) or indicator is None:
        return dash.no_update
    country = str(clicked["country"])
    if country not in indicator.countries:
        return dash.no_update
    lang = normalise_language((view or {}).get("lang"))
    url = flask.request.host_url.rstrip("/") + indicator_href(indicator.id, lang)
    return values_download(indicator, country, None, lang, clicked["variant"], url)


def build_method(indicator: Indicator, lang: str) -> html.Section:
    """The statistical rules, in plain language."""
    children: list[Any] = [html.H2(_("How it is computed", lang))]
    for heading, paragraphs in method_paragraphs(indicator, lang):
        children.append(html.H3(heading))
        children.extend(html.P(p) for p in paragraphs)
    return html.Section(children, id="indicator-method", className="indicator-section")


def build_detail(indicator: Indicator, lang: str, data: SourceData | None = None) -> list[Any]:
    """The page for one indicator."""
    data = data if data is not None else load_source_data(indicator, lang)
    facts = [
        (_("Measure", lang), word(MEASURE_KINDS, indicator.measure, lang)),
        (_("Good direction", lang), direction_text(indicator, lang)),
        (
            _("Countries", lang),
            country_names(list(indicator.countries), lang),
        ),
    ]
    return [
        dcc.Link(
            _("← All indicators", lang),
            href=with_query(CATALOGUE_PATH, {"lang": lang}),
            className="indicator-back",
        ),
        html.H1(indicator.title_in(lang), id="indicator-heading"),
        html.P(
            indicator.description.get(lang) or indicator.description["en"],
            className="description",
        ),
        html.Dl(
            [part for name, value in facts for part in (html.Dt(name), html.Dd(value))],
            className="indicator-facts",
        ),
        html.P(
            _(
                "The database could not be read, so code labels, update "
                "times and periods are not shown: {reason}",
                lang,
                reason=data.problem.describe(lang),
            ),
            className="note indicator-problem",
            role="status",
        )
        if data.problem
        else None,
        html.H2(_("The countries side by side", lang)),
        build_glance(indicator, data, lang),
        html.P(
            _(
                "The two countries' groups and sources are close, not "
                "identical: read the caveats before comparing them.",
                lang,
            ),
            className="note",
        )
        if len(indicator.countries) > 1
        else None,
        *(build_country(d, data, lang) for d in indicator.countries.values()),
        build_method(indicator, lang),
        build_downloads(indicator, lang),
    ]


@safe_layout
def layout(indicator_id: str | None = None, lang: str | None = None, **_ignored: str) -> html.Div:
    """The catalogue at /indicator; one indicator at /indicator/<id>; a helpful unknown page."""
    lang = normalise_language(lang)
    if not indicator_id:
        return page_frame(build_catalogue(lang), lang, CATALOGUE_PATH, {}, _("Indicators", lang))
    wanted = unquote(indicator_id)
    path = f"{CATALOGUE_PATH}/{quote(wanted)}"
    indicator = get_indicator(wanted)
    if indicator is None:
        return page_frame(build_unknown(wanted, lang), lang, path, {}, _("Unknown indicator", lang))
    context = Context(indicator=indicator.id)
    return page_frame(
        build_detail(indicator, lang), lang, path, {}, indicator.title_in(lang), context
    )
