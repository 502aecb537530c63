"""Downloads for policymakers: `/download?snapshot=&lang=` (views/download.py decides).

The whole catalogue for the latest data or a pinned snapshot, per indicator or all at once,
with sizes and checksums, a stable link per snapshot, and how to cite.
"""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from components import ids
from components.shell import register_page, safe_layout, view_page
from exports.downloads import prepare
from locales import _, normalise_language
from locales.numbers import format_number, format_time
from serving.cache import do_not_keep
from views.download import PATH, DownloadView, FileLink, download_href, read_view
from views.params import one

register_page(__name__, "Download", path=PATH)


def format_size(size: int, lang: str) -> str:
    """A file size for reading: kB below a megabyte, else MB with one decimal."""
    if size < 1_000_000:
        return _("{size} kB", lang, size=format_number(max(size / 1000, 1), lang, 0))
    return _("{size} MB", lang, size=format_number(size / 1e6, lang, 1))


def build_content(view: DownloadView, lang: str, preparing: bool = False) -> list:
    """The snapshot's files with sizes and checksums, how to cite, the other snapshots."""
    snapshot = view.snapshot
    described = _("the latest data", lang) if snapshot.is_latest else f"“{snapshot.name}”"
    heads = [_("Indicator", lang), *(f.kind for f in view.rows[0].files)]
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
                "Cite the provider and table of each figure (Statistics Denmark and Statistics "
                "Norway: CC BY 4.0; FHI and IMDi: name them as the source) and say the "
                "indicators were calculated by the Integration Barometer, naming the snapshot. "
                "Each zip holds data.csv, metadata.json (definitions, source tables, the exact "
                "provider requests, rules, the SHA-256 of data.csv) and README.txt (how to "
                "cite). The workbook has a sheet per indicator and a metadata sheet.",
                lang,
            )
        ),
        html.P(
            _("Demo data: simulated figures, not official statistics.", lang),
            className="banner-demo",
        )
        if snapshot.is_demo
        else None,
        build_choices(view, lang),
        html.Div(
            html.Table(
                [
                    html.Thead(html.Tr([html.Th(head, scope="col") for head in heads])),
                    html.Tbody(
                        [
                            html.Tr(
                                [
                                    html.Th(row.title, scope="row"),
                                    *(build_file_cell(f, lang, preparing) for f in row.files),
                                ]
                            )
                            for row in view.rows
                        ]
                    ),
                ],
                className="download-table",
            ),
            id=ids.DOWNLOAD_TABLE,
            className="download-scroll",
            tabIndex="0",
            role="region",
            **{"aria-label": _("Download files", lang)},  # type: ignore[arg-type]
        ),
    ]


def build_choices(view: DownloadView, lang: str) -> html.Section:
    """Which snapshot: the latest data and every pinned one; the stable address of this one."""
    current = view.snapshot.id
    choices: list[tuple[str, str | None, bool]] = [
        (_("Latest data", lang), None, view.snapshot.is_latest)
    ]
    choices += [
        (s.name, s.name, not view.snapshot.is_latest and s.id == current) for s in view.choices
    ]
    return html.Section(
        [
            html.H2(_("Snapshot", lang)),
            html.Ul(
                [
                    html.Li(
                        html.Strong(label)  # the one shown: no link to itself
                        if shown
                        else dcc.Link(label, href=download_href(name, lang))
                    )
                    for label, name, shown in choices
                ],
                className="download-choices",
            ),
            html.P(
                [
                    _("Stable address of these files (cite it):", lang),
                    " ",
                    dcc.Link(view.stable_page, href=view.stable_page),
                ],
                className="download-stable",
            ),
        ]
    )


def build_file_cell(file: FileLink, lang: str, preparing: bool) -> html.Td:
    """A file's link, size and SHA-256 (once made)."""
    parts: list[Any]
    if file.info is None:
        status = (
            _("being prepared: reload for its size", lang)
            if preparing
            else _("made at the first download", lang)
        )
        parts = [html.Br(), status]
    else:
        parts = [
            " ",
            html.Span(format_size(file.info.size, lang), title=f"{file.info.size} B"),
            html.Br(),
            html.Span("SHA-256 ", className="download-sha-label"),
            html.Code(file.info.sha256, className="download-sha"),
        ]
    # data-kind names the column where a phone shows the cells one under another
    link = html.A(file.name, href=file.href, download="")
    return html.Td([link, *parts], **{"data-kind": file.kind})  # type: ignore[arg-type]


@safe_layout
def layout(lang: Any = None, snapshot: Any = None, **_ignored: Any) -> html.Div:
    lang = normalise_language(lang)
    view = read_view(one(snapshot), lang)
    # The files not made yet are made in the background now: a reload shows their sizes.
    preparing = isinstance(view, DownloadView) and prepare(view.shelf)
    if preparing:
        do_not_keep()  # the page changes as the files are made: not an answer to keep
    return view_page(
        view,
        lambda v: build_content(v, lang, preparing),
        lang,
        PATH,
        {"snapshot": one(snapshot)},
        _("Download", lang),
    )
