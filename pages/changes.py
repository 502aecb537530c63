"""What changed since the last meeting: `/changes?from=&to=&municipalities=&indicators=&lang=`.

New periods, revised figures, values beyond their interval, rank changes in the network and
traffic lights that changed, each as one sentence with its numbers (views/changes.py).
"""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from components import ids
from components.shell import register_page, safe_layout, view_page
from locales import _, normalise_language
from locales.numbers import format_time
from views.changes import (
    KIND_HEADINGS,
    PATH,
    ChangesView,
    describe_change,
    heading,
    read_view,
    snapshot_links,
    summary,
)
from views.download import export_href
from views.params import one, read_query
from views.present import present_href

register_page(__name__, "Changes", path=PATH)


def describe_pair(view: ChangesView, lang: str) -> str:
    """Which two snapshots are compared, with their build times."""
    before, after = view.before, view.after
    return _(
        "Comparing “{before}” (built {built_before}) with {after} (built {built_after}).",
        lang,
        before=before.name,
        built_before=format_time(before.built_at, lang),
        after=_("the latest data", lang) if after.is_latest else f"“{after.name}”",
        built_after=format_time(after.built_at, lang),
    )


def build_content(view: ChangesView, lang: str) -> list:
    """Heading, summary, one section per kind of change, links to other snapshots."""
    indicators = {i.id: i for i in view.indicators}
    sections = [
        html.Section(
            [
                html.H2(_(KIND_HEADINGS[kind], lang)),
                html.Ul(
                    [html.Li(describe_change(c, indicators[c.indicator], lang)) for c in changes]
                ),
            ],
            className=f"changes-section changes-{kind}",
        )
        for kind, changes in view.by_kind().items()
        if changes
    ]
    others = snapshot_links(view, lang)
    return [
        html.H1(heading(view, lang)),
        html.P(describe_pair(view, lang)),
        html.P(summary(view, lang), className="changes-summary"),
        build_meeting_links(view, lang),
        html.Div(sections, id=ids.CHANGES_LIST),
        html.Nav(
            [
                html.P(_("Compare with another snapshot:", lang)),
                html.Ul([html.Li(dcc.Link(link.label, href=link.href)) for link in others]),
            ]
        )
        if others
        else None,
    ]


def build_meeting_links(view: ChangesView, lang: str) -> html.Div | html.P:
    """What a presenter takes to the meeting: the deck (full screen, or as PPTX) and each
    indicator's chart as an image; a note when no municipalities were chosen."""
    codes = [m.code for m in view.municipalities]
    countries = {m.country for m in view.municipalities}
    if len(countries) != 1:
        return html.P(
            _(
                "Add municipalities of one country to the address (municipalities=151,740) to "
                "see their ranks in the network, to present them and to download the deck.",
                lang,
            ),
            className="note",
        )
    since = view.before.name
    country = countries.pop()
    charts = [
        html.Li(
            [
                indicator.title_in(lang) + ": ",
                html.A("PNG", href=export_href("png", indicator.id, codes, "", since, lang)),
                " · ",
                html.A("SVG", href=export_href("svg", indicator.id, codes, "", since, lang)),
            ]
        )
        for indicator in view.indicators
        if country in indicator.countries
    ]
    return html.Div(
        [
            html.P(
                [
                    dcc.Link(
                        _("Present these municipalities", lang),
                        href=present_href(codes, [], "", since, 1, lang),
                        className="button-link present-link",
                        id=ids.CHANGES_PRESENT,
                    ),
                    " ",
                    html.A(
                        _("Deck as PPTX", lang),
                        href=export_href("pptx", "all", codes, "", since, lang),
                        className="button-link",
                        id=ids.CHANGES_PPTX,
                    ),
                ]
            ),
            html.Details(
                [html.Summary(_("Charts as images (PNG, SVG)", lang)), html.Ul(charts)],
                className="changes-charts",
            ),
        ],
        className="changes-meeting",
    )


@safe_layout
def layout(**params: Any) -> html.Div:
    """What changed between two snapshots (from, to) for municipalities and indicators."""
    lang = normalise_language(one(params.get("lang")))
    query = read_query(params, "from", "to", "municipalities", "indicators")
    view = read_view(query["from"], query["to"], query["municipalities"], query["indicators"], lang)
    return view_page(
        view,
        lambda v: build_content(v, lang),
        lang,
        PATH,
        query,
        _("What changed", lang),
    )
