"""Downloads for policymakers: `/download?snapshot=&lang=` (views/download.py decides).

The whole catalogue for the latest data or a pinned snapshot, per indicator or all at once,
with sizes and checksums, a stable link per snapshot, and how to cite.
"""

from __future__ import annotations

from typing import Any

import dash
from dash import dcc, html

from components import ids
from components.shell import safe_layout, view_page
from locales import _, normalise_language
from locales.numbers import format_count, format_time
from views.download import PATH, DownloadView, download_href, read_view
from views.params import one

dash.register_page(__name__, path=PATH, title="Download – Integration Barometer")


def build_content(view: DownloadView, lang: str) -> list:
    snapshot = view.snapshot
    described = _("the latest data", lang) if snapshot.is_latest else f"“{snapshot.name}”"
    choices = [html.Li(dcc.Link(_("Latest data", lang), href=download_href(None, lang)))]
    choices += [html.Li(dcc.Link(s.name, href=download_href(s.name, lang))) for s in view.choices]
    rows = [
        html.Tr(
            [
                html.Th(f.what, scope="row"),
                html.Td(html.A(f.kind, href=f.href, download="")),
                html.Td(
                    format_count(f.info.size, lang) + " B"
                    if f.info
                    else _("made at the first download", lang)
                ),
                html.Td(html.Code(f.info.sha256) if f.info else "–", className="download-sha"),
                html.Td(
                    html.A(_("stable link", lang), href=f.stable_href) if f.stable_href else "–"
                ),
            ]
        )
        for f in view.files
    ]
    return [
        html.H1(_("Download the data", lang)),
        html.P(
            _(
                "Every indicator for every municipality and period, with the numerators, "
                "denominators, intervals, notes and the exact provider requests behind them, "
                "from {snapshot} (built {built}).",
                lang,
                snapshot=described,
                built=format_time(snapshot.built_at, lang),
            )
        ),
        html.P(
            _(
                "Cite as: Statistics Denmark / Statistics Norway, CC BY 4.0, with the table ids; "
                "indicators calculated by the Integration Barometer. Each zip holds data.csv, "
                "metadata.json (definitions, sources, rules, the SHA-256 of data.csv) and "
                "README.txt.",
                lang,
            )
        ),
        html.P(
            _("Demo data: simulated figures, not official statistics.", lang),
            className="banner-demo",
        )
        if snapshot.is_demo
        else None,
        html.H2(_("Snapshot", lang)),
        html.Ul(choices),
        html.Div(
            html.Table(
                [
                    html.Thead(
                        html.Tr(
                            [
                                html.Th(_("Indicator", lang)),
                                html.Th(_("File", lang)),
                                html.Th(_("Size", lang)),
                                html.Th("SHA-256"),
                                html.Th(_("Stable link", lang)),
                            ]
                        )
                    ),
                    html.Tbody(rows),
                ],
                className="about-table download-table",
            ),
            id=ids.DOWNLOAD_TABLE,
            className="about-scroll",
        ),
    ]


@safe_layout
def layout(lang: Any = None, snapshot: Any = None, **_ignored: Any) -> html.Div:
    lang = normalise_language(lang)
    view = read_view(one(snapshot), lang)
    return view_page(
        view,
        lambda v: build_content(v, lang),
        lang,
        PATH,
        {"snapshot": one(snapshot)},
        _("Download", lang),
    )
