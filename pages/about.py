"""About `/about`: where the figures come from, how fresh they are, licences, how to refresh."""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import html

from components.controls import build_scroll_box
from components.shell import page_frame, register_page, safe_layout
from errors import BarometerError
from locales import _, normalise_language
from locales.numbers import format_count, format_time
from locales.words import provider_name
from queries.about import display_title, get_build_info, list_source_tables
from serving.cache import do_not_keep

register_page(__name__, "About the data", path="/about")

PATH = "/about"
CC_BY = "https://creativecommons.org/licenses/by/4.0/"
FHI_TERMS = "https://www.fhi.no/en/about/about-this-website/terms-and-conditions/"


def build_status(info: dict[str, str], lang: str) -> list[Any]:
    """Live or demo (with what demo means) and when the database was built."""
    source = info.get("source", "")
    if source == "demo":
        status: list[Any] = [
            html.P(
                html.Strong(_("Demo data: simulated figures.", lang)), className="about-status-demo"
            ),
            html.P(
                _(
                    "These figures were invented by the project's built-in "
                    "simulator, which speaks both providers' APIs so the "
                    "dashboard can be tried without internet access. They are "
                    "not official statistics and must not be quoted. Only one "
                    "cell is real (Ballerup, 2021K2, from FOLK1E), recorded to "
                    "check the loader. Table ids, codes and labels are modelled "
                    "on the providers' own tables.",
                    lang,
                )
            ),
        ]
    elif source == "live":
        apis = [info[key] for key in ("dst_base_url", "ssb_base_url") if info.get(key)]
        status = [
            html.P(
                html.Strong(
                    _(
                        "Live data: official figures from Statistics Denmark and "
                        "Statistics Norway.",
                        lang,
                    )
                ),
                className="about-status-live",
            ),
            html.P([_("Provider APIs", lang) + ": ", ", ".join(apis)]) if apis else None,
        ]
    else:
        status = [html.P(_("Unknown data source “{source}”.", lang, source=source))]
    built = html.P(
        [
            html.Strong(_("Database built", lang) + ": "),
            format_time(info.get("built_at"), lang, utc=True),
        ],
        id="about-built-at",
    )
    return [*status, built]


def build_tables(tables: pd.DataFrame, lang: str) -> html.Div:
    """One row per provider table: provider, id (linked), title, cells, update and retrieval."""
    rows = []
    for row in tables.to_dict(orient="records"):
        # Retrieval times are UTC (the column says so); a table fetched in several requests
        # shows the span when it crossed a minute.
        retrieved = format_time(row["last_retrieved"], lang)
        first = format_time(row["first_retrieved"], lang)
        if first not in ("—", retrieved):
            retrieved = f"{first} – {retrieved}"
        link = html.A(str(row["table_id"]), href=str(row["url"]), target="_blank", rel="noopener")
        rows.append(
            html.Tr(
                [
                    html.Td(provider_name(str(row["provider"]), lang)),
                    html.Td(link),
                    html.Td(display_title(row["title"], str(row["table_id"]))),
                    html.Td(format_count(row["cells"], lang), className="about-number"),
                    html.Td(format_time(row["provider_updated"], lang)),
                    html.Td(retrieved),
                    html.Td(format_count(row["requests"], lang), className="about-number"),
                ]
            )
        )
    names = (
        _("Provider", lang),
        _("Table", lang),
        _("Title", lang),
        _("Cells", lang),
        _("Updated by the provider", lang),
        _("Retrieved (UTC)", lang),
        _("Requests", lang),
    )
    head = html.Tr([html.Th(name, scope="col") for name in names])
    return html.Div(
        build_scroll_box(
            html.Table([html.Thead(head), html.Tbody(rows)], className="about-table"),
            _("Source tables", lang),
            "about-scroll",
        ),
        id="about-tables",
    )


def build_licences(lang: str) -> html.Section:
    """Who to name as the source, and under which licence."""

    def with_link(text: str, href: str) -> html.P:
        return html.P([text, " (", html.A(_("licence text", lang), href=href), ")"])

    return html.Section(
        [
            html.H2(_("Licences and attribution", lang)),
            with_link(
                _(
                    "Statistics Denmark publishes its StatBank tables under the "
                    "Creative Commons Attribution 4.0 International licence (CC "
                    "BY 4.0). Name it as the source: “Source: Statistics "
                    "Denmark”, with the table id.",
                    lang,
                ),
                CC_BY,
            ),
            with_link(
                _(
                    "Statistics Norway publishes its StatBank tables under CC BY "
                    "4.0. Name it as the source: “Source: Statistics Norway”, "
                    "with the table number.",
                    lang,
                ),
                CC_BY,
            ),
            html.P(
                [
                    _(
                        "The Norwegian Institute of Public Health (FHI) publishes its "
                        "statistics as open data; its terms for its statistics banks allow "
                        "storing, printing and passing on tables and figures as long as the "
                        "source of each is named: “Source: Norwegian Institute of Public "
                        "Health (FHI)”, with the table number. We found no separate licence "
                        "for its open statistics API.",
                        lang,
                    ),
                    " (",
                    html.A(_("FHI's terms", lang), href=FHI_TERMS),
                    ")",
                ]
            ),
            html.P(
                [
                    _(
                        "The Directorate of Integration and Diversity (IMDi) offers its "
                        "municipal figures as CSV downloads on its statistics pages. It states "
                        "no licence and documents no API that we could find, so we name it as "
                        "the source (“Source: IMDi”) and read the files as its pages download "
                        "them; whether its figures are prepared by Statistics Norway is not "
                        "stated. Whoever runs the barometer can leave IMDi's indicators out.",
                        lang,
                    ),
                    " (",
                    html.A("imdi.no", href="https://www.imdi.no"),
                    ")",
                ],
                id="about-imdi",
            ),
            html.P(
                _(
                    "The indicators on this site are our own calculations from "
                    "those tables: when you reuse a figure, name the provider "
                    "and table and say it was calculated by the Integration "
                    "Barometer.",
                    lang,
                )
            ),
            html.P(
                [
                    _(
                        "Danish municipality boundaries (map): Danish public "
                        "geodata, DAGI municipality boundaries from the Agency for "
                        "Data Supply and Infrastructure (SDFI, formerly "
                        "Geodatastyrelsen; the 2014 edition prepared by the "
                        "Neogeografen/dagi project), free to use with attribution: "
                        "“Contains data from SDFI”.",
                        lang,
                    ),
                    " (",
                    html.A("sdfi.dk", href="https://sdfi.dk"),
                    ")",
                ]
            ),
            with_link(
                _(
                    "Norwegian municipality boundaries (map, 2024 division, "
                    "simplified by the robhop/fylker-og-kommuner project): © "
                    "Kartverket, CC BY 4.0.",
                    lang,
                ),
                CC_BY,
            ),
            with_link(
                _(
                    "The Integration Barometer's own code is open source under the MIT licence.",
                    lang,
                ),
                "https://opensource.org/license/mit",
            ),
        ],
        id="about-licences",
        className="about-section",
    )


def build_refresh(lang: str) -> html.Section:
    """The commands that refresh the data."""
    return html.Section(
        [
            html.H2(_("How to refresh the data", lang)),
            html.Ul(
                [
                    html.Li(
                        [
                            html.Code("uv run barometer refresh"),
                            " ",
                            _(
                                "fetches every source table from Statistics Denmark and "
                                "Statistics Norway, checks every code, validates every "
                                "answer, builds a new database beside the old one and swaps "
                                "it in atomically. If anything fails, the old database stays "
                                "untouched and the command names the provider, table, URL "
                                "and reason.",
                                lang,
                            ),
                        ]
                    ),
                    html.Li(
                        [
                            html.Code("uv run barometer refresh --demo"),
                            " ",
                            _("does the same from the built-in simulator's demo data.", lang),
                        ]
                    ),
                ]
            ),
            html.P(
                _(
                    "The running dashboard reads the new database at the next "
                    "page load; no restart is needed. Every build is kept in "
                    "data/versions/.",
                    lang,
                ),
                className="note",
            ),
        ],
        id="about-refresh",
        className="about-section",
    )


def build_content(lang: str) -> list[Any]:
    """The whole page; a database that cannot be read is said so, the rest still shows."""
    try:
        info = get_build_info()
        tables = list_source_tables(lang)
    except BarometerError as exc:
        do_not_keep()  # the page says the data could not be read: not an answer to keep
        data: list[Any] = [
            html.P(
                _("The data could not be read: {reason}", lang, reason=str(exc)),
                className="about-problem",
            )
        ]
    else:
        data = [
            *build_status(info, lang),
            html.H2(_("Source tables", lang)),
            html.P(
                _(
                    "Every provider table in the database: the provider's own "
                    "update time for the table, and when this database retrieved "
                    "it (UTC).",
                    lang,
                ),
                className="note",
            ),
            build_tables(tables, lang),
        ]
    return [
        html.H1(_("About the data", lang), id="about-heading"),
        html.P(
            _(
                "Where the figures come from, how fresh they are, under "
                "which licences they are published and how to refresh them.",
                lang,
            ),
            className="description",
        ),
        html.Section(
            [html.H2(_("Data status", lang)), *data],
            id="about-status",
            className="about-section",
        ),
        build_licences(lang),
        build_refresh(lang),
    ]


@safe_layout
def layout(lang: str | None = None, **_ignored: str) -> html.Div:
    lang = normalise_language(lang)
    return page_frame(build_content(lang), lang, PATH, {}, _("About the data", lang))
