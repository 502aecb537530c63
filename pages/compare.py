"""Compare page `/compare?indicator=&period=&peers=&focus=&country=&small=&lang=`.

One indicator in one period across a peer group: a ranked bar chart with 95 % intervals, a
funnel plot, a scatter of the two groups' rates and a sortable, downloadable table. Every
selection lives in the URL: the layout draws the view the URL asks for, the controls rewrite
the URL (without reloading) through one main callback, and a copied link reproduces the view.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import dash
from dash import Input, Output, State, callback, clientside_callback, dcc, html

from components import compare as ui
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
from components.picker import build_municipality_dropdown
from components.scorecard import build_similar_table
from components.shell import build_problem, page_frame, register_page, safe_layout
from components.table import SortableTable, table_content
from exports.tables import Variant
from locales import LANGUAGES, _, normalise_language
from locales.numbers import format_fixed, format_number, format_period
from locales.words import country_name
from views.compare import (
    COLUMNS,
    DEFAULT_PEERS,
    HIDE_SMALL,
    PATH,
    CompareProblem,
    Comparison,
    caution_level,
    compare_context,
    compare_url,
    comparison_of,
    country_options,
    export_csv,
    get_comparison,
    indicator_options,
    member_options,
    peer_options,
    peers_label,
    problem_for,
    read_controls,
    read_sort,
    sort_text,
    table_keys,
    table_records,
    view_query,
    with_sort,
)
from views.downloads import chart_source
from views.inputs import CLICKS, CODES, NAME, OPTIONS, SORT, TEXT, URL_STORE, Check, checked
from views.links import NAV_KEYS, nav_links
from views.params import one, query_of, read_query

# app.py preloads the code of the components the page draws.
register_page(__name__, "Compare", ("Chart", "Dropdown"), path=PATH)

HALF_PAGE_TITLE = 60  # characters a line in the caption of a chart half a page wide


# --------------------------------------------------------------------------------------------
# Problems with the address: a helpful message with the closest values
# --------------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------------
# The view: every output of the main callback, also used to draw the first view
# --------------------------------------------------------------------------------------------


# The table's number columns and their decimals; the group size has thousands separators.
TABLE_NUMBERS = {
    "value": 1,
    "lower": 1,
    "upper": 1,
    "target_rate": 1,
    "comparison_rate": 1,
    "n": 0,
    "rank": 0,
}
TABLE_LEFT = ("focus", "name", "funnel", "note")  # text read from the left; codes line up right


def table_props(comparison: Comparison, lang: str) -> dict[str, Any]:
    """The table's content (components/table.py, table_content): the focus mark and the
    columns of table_keys, numbers written in the reader's language with their values as
    sort keys (a missing one empty, never 0), the focus municipality's row marked."""
    unit = ui.unit(comparison, lang)
    keys = ["focus", *table_keys(comparison)]
    records = table_records(comparison, lang)
    columns = [
        {
            "id": key,
            "name": _(COLUMNS[key], lang, unit=unit),
            "type": "numeric" if key in TABLE_NUMBERS else "text",
            "align": "left" if key in TABLE_LEFT else "right",
        }
        for key in keys
    ]

    def cell(record: dict[str, Any], key: str) -> str:
        if key in TABLE_NUMBERS:
            return format_fixed(record[key], lang, TABLE_NUMBERS[key], grouped=key == "n")
        return "" if record[key] is None else str(record[key])

    focus = comparison.focus.code if comparison.focus else None
    return table_content(
        columns,
        [[cell(record, key) for key in keys] for record in records],
        {key: [record[key] for record in records] for key in keys if key in TABLE_NUMBERS},
        ["is-focus" if record["code"] == focus else "" for record in records],
    )


def table_sort(comparison: Comparison, sort_by: list[dict[str, str]]) -> list[dict[str, str]]:
    """The URL's sort (read_sort) if the view's table has that column, else none."""
    shown = ["focus", *table_keys(comparison)]
    return [item for item in sort_by if item["column_id"] in shown]


def pager_labels(lang: str) -> dict[str, str]:
    """The table's page buttons' names and its "Page 2 of 15", in the reader's language."""
    return {
        "first": _("First page", lang),
        "previous": _("Previous page", lang),
        "next": _("Next page", lang),
        "last": _("Last page", lang),
        "page": _("Page {page} of {pages}", lang),
    }


TABLE_PAGE_SIZE = 25
QUERY_KEYS = ("indicator", "period", "peers", "focus", "country", "small")


def focus_page(comparison: Comparison, sort: str | None) -> int:
    """The table page with the focus municipality's row in rank order (the first page when
    the table is sorted otherwise, or without a focus)."""
    if sort or comparison.focus is None:
        return 0
    codes = [row.code for row in comparison.rows]
    if comparison.focus.code not in codes:
        return 0
    return codes.index(comparison.focus.code) // TABLE_PAGE_SIZE


def comparison_for(query: Mapping[str, str | None]) -> Comparison:
    """The view a page address's query asks for (QUERY_KEYS, as read_query reads them);
    raises CompareProblem as get_comparison does."""
    return get_comparison(
        query["indicator"],
        query["period"],
        query["peers"],
        query["focus"],
        query["country"],
        small=query["small"],
    )


def page_for(url: str, sort: str | None) -> int:
    """The table page the address `url`, sorted by `sort`, opens at: the page a copied link
    shows (focus_page of the view the layout makes from it)."""
    if sort:
        return 0  # sorted: the first page, whatever the view
    query = read_query(query_of(urlsplit(url).query), *QUERY_KEYS)
    try:
        comparison = comparison_for(query)
    except CompareProblem:
        return 0
    return focus_page(comparison, sort)


def view_outputs(comparison: Comparison, lang: str, sort: str | None = None) -> dict[str, Any]:
    """Every output of the main callback for a computed view (`sort`: the table's order)."""
    query = view_query(comparison, lang, sort)
    definition = comparison.indicator
    where = country_name(comparison.country, lang)
    view_title = f"{definition.title_in(lang)} · {where} · {format_period(comparison.period, lang)}"
    source = chart_source(definition, comparison.country, lang)
    stem = ("compare", definition.id, comparison.country, comparison.period)

    def chart(figure: dict, section: str, drawn: bool = True, half: bool = False) -> dict:
        """A chart with its caption (an empty state goes without); the funnel plot and the
        scatter are half a page wide on a laptop."""
        if not drawn:
            return figure
        return add_caption(
            figure, f"{section}<br>{view_title}", source, HALF_PAGE_TITLE if half else None
        )

    bars = chart(ui.build_ranked_figure(comparison, lang), _("Ranking", lang))
    deck = present_href(comparison, lang)
    kind = comparison.peers.kind
    peers_value = comparison.peers_spec if kind != "group" else "group"
    notes = []
    if not comparison.focus_in_peers and comparison.focus is not None:
        notes.append(
            html.P(
                _(
                    "{name} is not in this group, so it is not highlighted.",
                    lang,
                    name=comparison.focus.name,
                )
            )
        )
    caveat = definition.countries[comparison.country].caveats
    funnel_note = ""
    if comparison.funnel is not None:
        funnel_note = (
            _(
                "Control limits for a gap: each group's limits around its "
                "national rate (the target group at the size n on the axis, "
                "the comparison group at {ratio} × n, the national ratio of "
                "the two groups' sizes), combined as for the difference of "
                "two independent rates (the method behind the gaps' "
                "intervals); 95 % and 99.8 %.",
                lang,
                ratio=format_number(comparison.funnel.comparison_ratio, lang),
            )
            if comparison.funnel.method == "gap"
            else _(
                "Control limits: the national rate p ± z·√(p(1−p)/n), z = "
                "1.96 (95 %) and 3.09 (99.8 %). A municipality outside them "
                "differs from the national figure by more than chance alone "
                "would explain for a group of its size.",
                lang,
            )
        )
    return {
        "url": {"url": compare_url(query), "replace": False},
        **{f"lang_{code}": compare_url({**query, "lang": code}) for code in LANGUAGES},
        **{f"nav_{key}": href for key, _label, href in nav_links(compare_context(query), lang)},
        "heading": [
            html.H2(
                f"{definition.title_in(lang)} · {country_name(comparison.country, lang)}"
                f" · {format_period(comparison.period, lang)}"
            ),
            html.P(
                _(
                    "Compared with: {label} ({count})",
                    lang,
                    label=peers_label(comparison, lang),
                    count=len(comparison.rows),
                ),
                className="compare-peers-label",
            ),
            html.P(caveat.get(lang, caveat.get("en", "")), className="note caveat"),
            *notes,
        ],
        "why": build_similar_table(
            comparison.peers.reasons, comparison.focus.code, lang, on_compare=True
        )
        if comparison.peers.reasons is not None and comparison.focus is not None
        else None,
        "message": None,
        "results_style": {},
        "bar_figure": bars,
        "bar_config": graph_config(lang, file_name(*stem, "ranking")),
        # The graph's box is as high as the figure with its caption (a responsive chart
        # takes its box's height).
        "bar_style": {"height": f"{bars['layout']['height']}px"},
        "bar_summary": ui.summarise_ranking(comparison, lang),
        "missing": ui.build_missing_list(comparison, lang),
        "funnel_figure": chart(
            ui.build_funnel_figure(comparison, lang),
            _("Funnel plot", lang),
            drawn=comparison.funnel is not None,
            half=True,
        ),
        "funnel_config": graph_config(lang, file_name(*stem, "funnel")),
        "funnel_summary": ui.summarise_funnel(comparison, lang),
        "funnel_note": funnel_note,
        "scatter_figure": chart(
            ui.build_scatter_figure(comparison, lang),
            _("Target group against comparison group", lang),
            drawn=comparison.scatter_reason is None,
            half=True,
        ),
        "scatter_config": graph_config(lang, file_name(*stem, "scatter")),
        "scatter_summary": ui.summarise_scatter(comparison, lang),
        "scatter_note": "" if comparison.scatter_reason else ui.group_labels(comparison, lang),
        **{f"table_{key}": value for key, value in table_props(comparison, lang).items()},
        "table_page": focus_page(comparison, sort),
        "indicator_options": indicator_options(comparison.country, lang),
        "indicator": definition.id,
        "period_options": [
            {"label": format_period(p, lang), "value": p} for p in comparison.periods
        ],
        "period": comparison.period,
        "country": comparison.country,
        "country_options": country_options(definition.id, lang),
        "focus": comparison.focus.code if comparison.focus else None,
        "peers_options": peer_options(
            comparison.peers_spec, comparison.focus is not None, lang, comparison.country
        ),
        "peers": peers_value,
        "group_style": {} if kind == "group" else {"display": "none"},
        "group_options": member_options(comparison.country) if kind == "group" else [],
        "group_members": comparison.peers.codes if kind == "group" else [],
        "group_name": comparison.peers.label if kind == "group" else _("My group", lang),
        "small": [HIDE_SMALL] if comparison.hide_small else [],
        "small_options": small_options(comparison, lang),
        "present_href": deck or "",
        "present_style": {} if deck else {"display": "none"},
    }


def present_href(comparison: Comparison, lang: str) -> str | None:
    """The group as a deck for a network meeting (views/present.py), the focus first; None
    when the group is too large to present."""
    from views.present import MAX_NETWORK, present_links

    focus = [comparison.focus.code] if comparison.focus else []
    codes = list(dict.fromkeys([*focus, *comparison.peers.codes]))
    if not codes or len(codes) > MAX_NETWORK:
        return None
    deck, _pptx, _changes = present_links(codes[0], codes[1:], comparison.peers_spec, lang)
    return deck


def small_options(comparison: Comparison, lang: str) -> list[dict[str, Any]]:
    """The one switch: leave small groups (below the caution level) out of the ranking."""
    label = _(
        "Leave small groups (fewer than {n} in the target group) out of the ranking",
        lang,
        n=caution_level(comparison),
    )
    return [{"label": label, "value": HIDE_SMALL}]


def problem_outputs(message: Any, controls: dict[str, Any], lang: str) -> dict[str, Any]:
    """The outputs when the controls ask for something that cannot be shown: a message."""
    # The charts keep their last figures while the results are hidden: Plotly cannot lay out a
    # new figure in a hidden box (it throws "Something went wrong with axis scaling"), and
    # every figure is replaced before the results are shown again.
    country = controls["country"]
    kind = (controls["peers"] or DEFAULT_PEERS).split(":", 1)[0]
    outputs: dict[str, Any] = {
        "url": dash.no_update,
        **{f"lang_{code}": dash.no_update for code in LANGUAGES},
        **{f"nav_{key}": dash.no_update for key in NAV_KEYS},
        "heading": None,
        "why": None,
        "message": message,
        "results_style": {"display": "none"},
        "bar_figure": dash.no_update,
        "bar_config": dash.no_update,
        "funnel_config": dash.no_update,
        "scatter_config": dash.no_update,
        "bar_style": dash.no_update,
        "bar_summary": "",
        "missing": None,
        "funnel_figure": dash.no_update,
        "funnel_summary": "",
        "funnel_note": "",
        "scatter_figure": dash.no_update,
        "scatter_summary": "",
        "scatter_note": "",
        **{f"table_{key}": value for key, value in table_content([], []).items()},
        "table_page": 0,
        "indicator_options": indicator_options(country, lang),
        "country_options": country_options(controls["indicator"], lang),
        "period_options": dash.no_update,
        "peers_options": peer_options(
            controls["peers"] or "", bool(controls["focus"]), lang, controls["country"]
        ),
        "group_style": {} if kind == "group" else {"display": "none"},
        "group_options": member_options(country) if kind == "group" else [],
    }
    for key in ("indicator", "period", "country", "focus", "peers", "group_members"):
        outputs[key] = controls[key]
    outputs["group_name"] = controls["group_name"]
    outputs["small"] = [HIDE_SMALL] if controls["small"] else []
    outputs["small_options"] = dash.no_update
    outputs["present_href"] = ""
    outputs["present_style"] = {"display": "none"}
    return outputs


def update_view(values: Mapping[str, Any], triggered: str | None = None) -> dict[str, Any]:
    """Every output of the main callback for the controls' values (plain, testable)."""
    lang = normalise_language(values.get("lang"))
    controls = read_controls(values, triggered, lang)
    if not controls["spec"]:
        return problem_outputs(
            html.P(_("Choose at least one municipality for the group.", lang)), controls, lang
        )
    try:
        comparison = comparison_of(controls)
    except CompareProblem as problem:
        query = {
            "indicator": controls["indicator"],
            "focus": controls["focus"],
            "country": None if controls["focus"] else controls["country"],
            "small": controls["small"],
            "lang": lang,
        }
        return problem_outputs(build_problem(problem_for(problem, query, lang)), controls, lang)
    return view_outputs(comparison, lang, sort_text(values.get("sort_by")))


# --------------------------------------------------------------------------------------------
# Layout
# --------------------------------------------------------------------------------------------


def _labelled(label: str, control: Any, target: str, class_name: str = "") -> html.Div:
    return html.Div(
        [html.Label(label, htmlFor=target), control], className=f"compare-control {class_name}"
    )


def build_controls(out: dict[str, Any], lang: str) -> html.Div:
    """Indicator, period, country, focus and peer group, each labelled."""

    def dropdown(
        label: str, component_id: str, key: str, wide: bool = True, **props: Any
    ) -> html.Div:
        """A labelled dropdown choosing `out[key]` among `out[key + "_options"]`, not
        clearable and searchable unless `props` say otherwise."""
        props = {
            "options": out.get(f"{key}_options"),
            "clearable": False,
            "searchable": True,
            **props,
        }
        control = build_dropdown(lang, id=component_id, value=out[key], **props)
        return _labelled(label, control, component_id, "compare-control-wide" if wide else "")

    return html.Div(
        [
            dropdown(_("Indicator", lang), ids.COMPARE_INDICATOR, "indicator"),
            dropdown(_("Period", lang), ids.COMPARE_PERIOD, "period", wide=False),
            _labelled(
                _("Country", lang),
                dcc.RadioItems(
                    id=ids.COMPARE_COUNTRY,
                    options=out["country_options"],
                    value=out["country"],
                    inline=True,
                    className="compare-country",
                ),
                ids.COMPARE_COUNTRY,
                "compare-control-country",
            ),
            _labelled(
                _("Focus municipality", lang),
                build_municipality_dropdown(
                    lang,
                    id=ids.COMPARE_FOCUS,
                    value=out["focus"],
                    placeholder=_("Type a name or code, e.g. Ballerup or 0301", lang),
                    clearable=True,
                    searchable=True,
                ),
                ids.COMPARE_FOCUS,
                "compare-control-wide",
            ),
            dropdown(_("Compared with", lang), ids.COMPARE_PEERS, "peers", searchable=False),
            html.Div(
                [
                    dropdown(
                        _("Municipalities in the group", lang),
                        ids.COMPARE_GROUP_MEMBERS,
                        "group_members",
                        options=out["group_options"],
                        multi=True,
                        clearable=True,
                    ),
                    _labelled(
                        _("Group name", lang),
                        dcc.Input(
                            id=ids.COMPARE_GROUP_NAME,
                            value=out["group_name"],
                            type="text",
                            debounce=True,
                            maxLength=80,
                        ),
                        ids.COMPARE_GROUP_NAME,
                    ),
                ],
                id=ids.COMPARE_GROUP_SECTION,
                style=out["group_style"],
                className="compare-group",
            ),
            dcc.Checklist(
                id=ids.COMPARE_SMALL,
                options=out["small_options"],
                value=out["small"],
                className="compare-small",
            ),
        ],
        className="compare-controls",
    )


def figure_section(
    out: dict[str, Any], chart: str, title: str, after: list | None = None
) -> html.Section:
    """The chart `chart` (bar, funnel or scatter) with its heading, its text summary (for
    screen readers too) and its note, if it has one, then `after`. Each part comes from the
    view's outputs `out` (f"{chart}_figure", ...), drawn in the component OUTPUTS names."""

    def part(name: str) -> tuple[Any, Any]:
        """The id of the component showing the chart's part `name`, and what it shows."""
        key = f"{chart}_{name}"
        return OUTPUTS[key].component_id, out[key]

    graph_id, figure = part("figure")
    summary_id, summary = part("summary")
    notes = []
    if f"{chart}_note" in out:
        note_id, text = part("note")
        notes.append(html.P(text, id=note_id, className="note"))
    return html.Section(
        [
            html.H3(title),
            html.Figure(
                [
                    html.Figcaption(summary, id=summary_id, className="compare-summary"),
                    Chart(
                        id=graph_id,
                        figure=figure,
                        config=out[f"{chart}_config"],
                        className="chart compare-chart",
                        style=out.get(f"{chart}_style") or {},
                    ),
                ],
                className="compare-figure",
            ),
            *notes,
            *(after or []),
        ],
        className="compare-section",
    )


def build_results(
    out: dict[str, Any], lang: str, sort_by: list[dict[str, str]] | None = None
) -> html.Div:
    """Headings, the three charts with their summaries, the missing list and the table."""
    return html.Div(
        [
            html.Div(out["heading"], id=ids.COMPARE_HEADING, className="compare-heading"),
            html.Div(out["why"], id=ids.COMPARE_WHY),
            figure_section(
                out,
                "bar",
                _("Ranking", lang),
                [
                    html.P(
                        _(
                            "Bars show the headline value, whiskers its 95 % interval "
                            "(none where the provider publishes rates only). The orange "
                            "dashed line is the national figure, the black dotted line "
                            "the peer average (weighted where counts are published: the "
                            "sum of numerators over the sum of denominators, the peer "
                            "average over the municipalities shown).",
                            lang,
                        ),
                        className="note",
                    ),
                    html.Div(out["missing"], id=ids.COMPARE_MISSING),
                ],
            ),
            html.Div(
                [
                    figure_section(out, "funnel", _("Funnel plot: value against group size", lang)),
                    figure_section(
                        out, "scatter", _("Target group against comparison group", lang)
                    ),
                ],
                className="compare-pair",
            ),
            html.Section(
                [
                    html.H3(_("The numbers shown", lang)),
                    html.P(
                        _(
                            "Click a column heading to sort by it; click again for the "
                            "reverse order, a third time for the first order. The table "
                            "shows {size} rows at a time (the arrows below it turn the "
                            "page; the downloads have every row). Empty cells are missing "
                            "values; the note says why.",
                            lang,
                            size=TABLE_PAGE_SIZE,
                        ),
                        className="note",
                    ),
                    build_download_buttons(
                        lang, ids.COMPARE_DOWNLOAD_BUTTON, ids.COMPARE_DOWNLOAD_SPREADSHEET
                    ),
                    dcc.Download(id=ids.COMPARE_DOWNLOAD),
                    SortableTable(
                        id=ids.COMPARE_TABLE,
                        columns=out["table_columns"],
                        data=out["table_data"],
                        sort_keys=out["table_sort_keys"],
                        row_classes=out["table_row_classes"],
                        sort_by=sort_by or [],
                        # A page of rows at a time: the browser draws 25 rows, not 357 (the
                        # download has every row); it opens at the focus municipality's page.
                        page_size=TABLE_PAGE_SIZE,
                        page_current=out["table_page"],
                        labels=pager_labels(lang),
                        lang=lang,
                    ),
                ],
                className="compare-section compare-table",
            ),
        ],
        id=ids.COMPARE_RESULTS,
        style=out["results_style"],
    )


@safe_layout
def layout(**params: Any) -> html.Div:
    """The view the URL asks for (indicator, period, peers, focus, country, small, sort,
    lang); unknown values get a helpful message with suggestions."""
    lang = normalise_language(one(params.get("lang")))
    query = {
        **read_query(params, *QUERY_KEYS),
        "lang": lang,
    }
    try:
        comparison = comparison_for(query)
    except CompareProblem as problem:
        return page_frame(
            build_problem(problem_for(problem, query, lang)),
            lang,
            PATH,
            query,
            _("Compare", lang),
            live_links=True,  # the callbacks below rewrite the navigation links
        )
    sort_by = table_sort(comparison, read_sort(one(params.get("sort"))))
    out = view_outputs(comparison, lang, sort_text(sort_by))
    canonical = view_query(comparison, lang, sort_text(sort_by))
    content = [
        html.H1(_("Compare municipalities", lang)),
        html.P(
            _(
                "One indicator across a group of municipalities, beside the "
                "national figure. Every choice is kept in the address, so a "
                "copied link opens the same view.",
                lang,
            ),
            className="description",
        ),
        build_controls(out, lang),
        html.Div(
            [
                build_copy_link(lang, "compare"),
                dcc.Link(
                    _("Present this group", lang),
                    href=out["present_href"],
                    id=ids.COMPARE_PRESENT,
                    className="onward-link",
                    style=out["present_style"],
                ),
            ],
            className="compare-actions",
        ),
        dcc.Store(id=ids.COMPARE_LANG_STORE, data=lang),
        dcc.Store(id=ids.COMPARE_URL_STORE, data={"url": compare_url(canonical), "replace": True}),
        html.Div(id=ids.COMPARE_URL_DONE, hidden=True),
        html.Div(
            out["message"],
            id=ids.COMPARE_MESSAGE,
            role="status",
            **{"aria-live": "polite"},  # type: ignore[arg-type]
        ),
        build_results(out, lang, sort_by),
    ]
    return page_frame(
        content,
        lang,
        PATH,
        canonical,
        _("Compare", lang),
        compare_context(canonical),
        live_links=True,  # the callbacks below rewrite the navigation links
    )


# --------------------------------------------------------------------------------------------
# Callbacks (thin: they unpack the controls and call the plain functions above)
# --------------------------------------------------------------------------------------------

OUTPUTS = {
    "url": Output(ids.COMPARE_URL_STORE, "data"),
    **{f"lang_{code}": Output(f"lang-{code}", "href", allow_duplicate=True) for code in LANGUAGES},
    **{f"nav_{key}": Output(f"{ids.NAV}-{key}", "href", allow_duplicate=True) for key in NAV_KEYS},
    "heading": Output(ids.COMPARE_HEADING, "children"),
    "why": Output(ids.COMPARE_WHY, "children"),
    "message": Output(ids.COMPARE_MESSAGE, "children"),
    "results_style": Output(ids.COMPARE_RESULTS, "style"),
    "bar_figure": Output(ids.COMPARE_BAR, "figure"),
    "bar_config": Output(ids.COMPARE_BAR, "config"),
    "funnel_config": Output(ids.COMPARE_FUNNEL, "config"),
    "scatter_config": Output(ids.COMPARE_SCATTER, "config"),
    "bar_style": Output(ids.COMPARE_BAR, "style"),
    "bar_summary": Output(ids.COMPARE_BAR_SUMMARY, "children"),
    "missing": Output(ids.COMPARE_MISSING, "children"),
    "funnel_figure": Output(ids.COMPARE_FUNNEL, "figure"),
    "funnel_summary": Output(ids.COMPARE_FUNNEL_SUMMARY, "children"),
    "funnel_note": Output("compare-funnel-note", "children"),
    "scatter_figure": Output(ids.COMPARE_SCATTER, "figure"),
    "scatter_summary": Output(ids.COMPARE_SCATTER_SUMMARY, "children"),
    "scatter_note": Output("compare-scatter-note", "children"),
    **{
        f"table_{key}": Output(ids.COMPARE_TABLE, key)
        for key in ("columns", "data", "sort_keys", "row_classes")
    },
    "table_page": Output(ids.COMPARE_TABLE, "page_current"),
    "indicator_options": Output(ids.COMPARE_INDICATOR, "options"),
    "indicator": Output(ids.COMPARE_INDICATOR, "value"),
    "period_options": Output(ids.COMPARE_PERIOD, "options"),
    "period": Output(ids.COMPARE_PERIOD, "value"),
    "country": Output(ids.COMPARE_COUNTRY, "value"),
    "country_options": Output(ids.COMPARE_COUNTRY, "options"),
    "focus": Output(ids.COMPARE_FOCUS, "value"),
    "peers_options": Output(ids.COMPARE_PEERS, "options"),
    "peers": Output(ids.COMPARE_PEERS, "value"),
    "group_style": Output(ids.COMPARE_GROUP_SECTION, "style"),
    "group_options": Output(ids.COMPARE_GROUP_MEMBERS, "options"),
    "group_members": Output(ids.COMPARE_GROUP_MEMBERS, "value"),
    "group_name": Output(ids.COMPARE_GROUP_NAME, "value"),
    "small": Output(ids.COMPARE_SMALL, "value"),
    "small_options": Output(ids.COMPARE_SMALL, "options"),
    "present_href": Output(ids.COMPARE_PRESENT, "href"),
    "present_style": Output(ids.COMPARE_PRESENT, "style"),
}
CONTROLS = {
    "indicator": Input(ids.COMPARE_INDICATOR, "value"),
    "period": Input(ids.COMPARE_PERIOD, "value"),
    "country": Input(ids.COMPARE_COUNTRY, "value"),
    "focus": Input(ids.COMPARE_FOCUS, "value"),
    "peers": Input(ids.COMPARE_PEERS, "value"),
    "group_members": Input(ids.COMPARE_GROUP_MEMBERS, "value"),
    "group_name": Input(ids.COMPARE_GROUP_NAME, "value"),
    "small": Input(ids.COMPARE_SMALL, "value"),
}
# What each control (and the language store) may send: the callbacks' input checks.
CONTROL_CHECKS: dict[str, Check] = {
    "indicator": TEXT,
    "period": TEXT,
    "country": TEXT,
    "focus": TEXT,
    "peers": TEXT,
    "group_members": CODES,
    "group_name": NAME,
    "small": OPTIONS,
    "sort_by": SORT,
    "lang": TEXT,
}


@callback(
    output=OUTPUTS,
    inputs=CONTROLS,
    state={
        "lang": State(ids.COMPARE_LANG_STORE, "data"),
        "sort_by": State(ids.COMPARE_TABLE, "sort_by"),
    },
    prevent_initial_call=True,
)
@checked(CONTROL_CHECKS)
def update_compare(**values: Any) -> dict[str, Any]:
    """Any control changed: redraw the view and write it into the URL."""
    return update_view(values, dash.ctx.triggered_id)


@callback(
    output={
        "url": Output(ids.COMPARE_URL_STORE, "data", allow_duplicate=True),
        **{
            f"lang_{code}": Output(f"lang-{code}", "href", allow_duplicate=True)
            for code in LANGUAGES
        },
        "page": Output(ids.COMPARE_TABLE, "page_current", allow_duplicate=True),
    },
    inputs={"sort_by": Input(ids.COMPARE_TABLE, "sort_by")},
    state={"current": State(ids.COMPARE_URL_STORE, "data")},
    prevent_initial_call=True,
)
@checked(sort_by=SORT, current=URL_STORE)
def update_sort(sort_by: list[dict[str, str]] | None, current: dict | None) -> dict[str, Any]:
    """The table was sorted: its order goes into the address (and the language links), and
    the table turns to the page that address opens at (the first, sorted; unsorted again, the
    focus municipality's)."""
    sort = sort_text(sort_by)
    if not current or not current.get("url"):
        unchanged = {f"lang_{code}": dash.no_update for code in LANGUAGES}
        return {"url": dash.no_update, **unchanged, "page": 0 if sort else dash.no_update}
    url = with_sort(current["url"], sort)
    return {
        "url": {"url": url, "replace": True},
        **{f"lang_{code}": with_sort(url, sort, code) for code in LANGUAGES},
        "page": page_for(url, sort),
    }


@callback(
    output=Output(ids.COMPARE_DOWNLOAD, "data"),
    inputs={
        "plain": Input(ids.COMPARE_DOWNLOAD_BUTTON, "n_clicks"),
        "spreadsheet": Input(ids.COMPARE_DOWNLOAD_SPREADSHEET, "n_clicks"),
    },
    state={
        **{
            key: State(item.component_id, item.component_property) for key, item in CONTROLS.items()
        },
        "lang": State(ids.COMPARE_LANG_STORE, "data"),
        "sort_by": State(ids.COMPARE_TABLE, "sort_by"),
    },
    prevent_initial_call=True,
)
@checked(CONTROL_CHECKS, cacheable=False, plain=CLICKS, spreadsheet=CLICKS)
def download_csv(plain: int | None, spreadsheet: int | None, **values: Any) -> Any:
    """The table as CSV with its sources: plain, or for Danish/Norwegian spreadsheets."""
    import flask

    clicked = dash.ctx.triggered_id
    if not (plain or spreadsheet) or clicked is None:
        return dash.no_update
    variant = Variant.SPREADSHEET if clicked == ids.COMPARE_DOWNLOAD_SPREADSHEET else Variant.PLAIN
    base = flask.request.host_url.rstrip("/")
    return export_csv(values, base, variant=variant) or dash.no_update


# Write the view into the address bar without reloading: on first load replace the entry (to
# pin defaults such as the latest period), after a control changed push a new one (so the back
# button returns to the previous view; the page router redraws it from the URL).
clientside_callback(
    """
    function(target) {
        if (!target || !target.url) { return ""; }
        const here = window.location.pathname + window.location.search;
        if (here !== target.url) {
            const method = target.replace ? "replaceState" : "pushState";
            window.history[method](null, "", target.url + window.location.hash);
        }
        return "";
    }
    """,
    Output(ids.COMPARE_URL_DONE, "children"),
    Input(ids.COMPARE_URL_STORE, "data"),
)
