"""About `/about`: where the figures come from, how fresh they are, licences, how to refresh."""

from __future__ import annotations

from typing import Any

import dash
import pandas as pd
from dash import html

from components.i18n import lookup, normalise_language
from components.shell import page_frame, safe_layout
from errors import BarometerError
from queries.about import (
    display_title,
    format_count,
    format_time,
    get_build_info,
    list_source_tables,
    provider_name,
)

dash.register_page(__name__, path="/about", title="About the data – Integration Barometer")

PATH = "/about"
CC_BY = "https://creativecommons.org/licenses/by/4.0/"

TEXT: dict[str, dict[str, str]] = {
    "title": {"en": "About the data", "da": "Om data", "nb": "Om dataene"},
    "intro": {
        "en": "Where the figures come from, how fresh they are, under which licences they are "
        "published and how to refresh them.",
        "da": "Hvor tallene kommer fra, hvor nye de er, under hvilke licenser de offentliggøres, "
        "og hvordan de opdateres.",
        "nb": "Hvor tallene kommer fra, hvor ferske de er, under hvilke lisenser de publiseres, "
        "og hvordan de oppdateres.",
    },
    "status_title": {"en": "Data status", "da": "Datastatus", "nb": "Datastatus"},
    "status_live": {
        "en": "Live data: official figures from Statistics Denmark and Statistics Norway.",
        "da": "Live data: officielle tal fra Danmarks Statistik og Statistisk sentralbyrå.",
        "nb": "Live data: offisielle tall fra Danmarks Statistik og Statistisk sentralbyrå.",
    },
    "status_demo": {
        "en": "Demo data: simulated figures.",
        "da": "Demodata: simulerede tal.",
        "nb": "Demodata: simulerte tall.",
    },
    "demo_explanation": {
        "en": "These figures were invented by the project's built-in simulator, which speaks "
        "both providers' APIs so the dashboard can be tried without internet access. They are "
        "not official statistics and must not be quoted. Only one cell is real (Ballerup, "
        "2021K2, from FOLK1E), recorded to check the loader. Table ids, codes and labels are "
        "modelled on the providers' own tables.",
        "da": "Tallene er opfundet af projektets indbyggede simulator, som taler begge "
        "udbyderes API'er, så dashboardet kan prøves uden internetadgang. De er ikke officiel "
        "statistik og må ikke citeres. Kun én celle er ægte (Ballerup, 2021K2, fra FOLK1E), "
        "optaget for at kontrollere indlæsningen. Tabel-id'er, koder og tekster er "
        "modelleret efter udbydernes egne tabeller.",
        "nb": "Tallene er funnet opp av prosjektets innebygde simulator, som snakker begge "
        "leverandørenes API-er, slik at dashbordet kan prøves uten internettilgang. De er ikke "
        "offisiell statistikk og må ikke siteres. Bare én celle er ekte (Ballerup, 2021K2, fra "
        "FOLK1E), tatt opp for å kontrollere innlesingen. Tabell-id-er, koder og tekster er "
        "modellert etter leverandørenes egne tabeller.",
    },
    "status_other": {
        "en": "Unknown data source “{source}”.",
        "da": "Ukendt datakilde “{source}”.",
        "nb": "Ukjent datakilde “{source}”.",
    },
    "apis": {"en": "Provider APIs", "da": "Udbydernes API'er", "nb": "Leverandørenes API-er"},
    "built_at": {"en": "Database built", "da": "Database bygget", "nb": "Database bygd"},
    "no_database": {
        "en": "The data could not be read: {reason}",
        "da": "Data kunne ikke læses: {reason}",
        "nb": "Dataene kunne ikke leses: {reason}",
    },
    "tables_title": {"en": "Source tables", "da": "Kildetabeller", "nb": "Kildetabeller"},
    "tables_intro": {
        "en": "Every provider table in the database: the provider's own update time for the "
        "table, and when this database retrieved it (UTC).",
        "da": "Alle udbydertabeller i databasen: udbyderens egen opdateringstid for tabellen, "
        "og hvornår denne database hentede den (UTC).",
        "nb": "Alle leverandørtabeller i databasen: leverandørens egen oppdateringstid for "
        "tabellen, og når denne databasen hentet den (UTC).",
    },
    "col_provider": {"en": "Provider", "da": "Udbyder", "nb": "Leverandør"},
    "col_table": {"en": "Table", "da": "Tabel", "nb": "Tabell"},
    "col_title": {"en": "Title", "da": "Titel", "nb": "Tittel"},
    "col_cells": {"en": "Cells", "da": "Celler", "nb": "Celler"},
    "col_updated": {
        "en": "Updated by the provider",
        "da": "Opdateret af udbyderen",
        "nb": "Oppdatert av leverandøren",
    },
    "col_retrieved": {"en": "Retrieved (UTC)", "da": "Hentet (UTC)", "nb": "Hentet (UTC)"},
    "col_requests": {"en": "Requests", "da": "Forespørgsler", "nb": "Forespørsler"},
    "licence_title": {
        "en": "Licences and attribution",
        "da": "Licenser og kildeangivelse",
        "nb": "Lisenser og kildehenvisning",
    },
    "licence_dst": {
        "en": "Statistics Denmark publishes its StatBank tables under the Creative Commons "
        "Attribution 4.0 International licence (CC BY 4.0). Name it as the source: “Source: "
        "Statistics Denmark”, with the table id.",
        "da": "Danmarks Statistik offentliggør Statistikbankens tabeller under licensen Creative "
        "Commons Navngivelse 4.0 International (CC BY 4.0). Angiv kilden: “Kilde: Danmarks "
        "Statistik” med tabellens id.",
        "nb": "Danmarks Statistik publiserer tabellene i statistikkbanken sin under lisensen "
        "Creative Commons Navngivelse 4.0 Internasjonal (CC BY 4.0). Oppgi kilden: “Kilde: "
        "Danmarks Statistik” med tabellens id.",
    },
    "licence_ssb": {
        "en": "Statistics Norway publishes its StatBank tables under CC BY 4.0. Name it as the "
        "source: “Source: Statistics Norway”, with the table number.",
        "da": "Statistisk sentralbyrå offentliggør sine statistikbanktabeller under CC BY 4.0. "
        "Angiv kilden: “Kilde: Statistisk sentralbyrå (SSB)” med tabellens nummer.",
        "nb": "SSB publiserer tabellene i statistikkbanken under CC BY 4.0. Oppgi kilden: "
        "“Kilde: Statistisk sentralbyrå (SSB)” med tabellnummeret.",
    },
    "licence_reuse": {
        "en": "The indicators on this site are our own calculations from those tables: when you "
        "reuse a figure, name the provider and table and say it was calculated by the "
        "Integration Barometer.",
        "da": "Indikatorerne her er vores egne beregninger på disse tabeller: når du genbruger "
        "et tal, så angiv udbyder og tabel, og at det er beregnet af Integrationsbarometeret.",
        "nb": "Indikatorene her er våre egne beregninger på disse tabellene: når du bruker et "
        "tall videre, oppgi leverandør og tabell, og at det er beregnet av "
        "Integreringsbarometeret.",
    },
    "licence_geo_dk": {
        "en": "Danish municipality boundaries (map): Danish public geodata, DAGI municipality "
        "boundaries from the Agency for Data Supply and Infrastructure (SDFI, formerly "
        "Geodatastyrelsen; the 2014 edition prepared by the Neogeografen/dagi project), free to "
        "use with attribution: “Contains data from SDFI”.",
        "da": "Danske kommunegrænser (kort): frie danske geodata, DAGI-kommunegrænser fra "
        "Styrelsen for Dataforsyning og Infrastruktur (SDFI, tidligere Geodatastyrelsen; 2014-"
        "udgaven tilrettelagt af projektet Neogeografen/dagi), fri brug med kildeangivelse: "
        "“Indeholder data fra SDFI”.",
        "nb": "Danske kommunegrenser (kart): frie danske geodata, DAGI-kommunegrenser fra "
        "Styrelsen for Dataforsyning og Infrastruktur (SDFI, tidligere Geodatastyrelsen; "
        "2014-utgaven tilrettelagt av prosjektet Neogeografen/dagi), fri bruk med "
        "kildehenvisning: “Indeholder data fra SDFI”.",
    },
    "licence_geo_no": {
        "en": "Norwegian municipality boundaries (map, 2024 division, simplified by the "
        "robhop/fylker-og-kommuner project): © Kartverket, CC BY 4.0.",
        "da": "Norske kommunegrænser (kort, inddelingen fra 2024, forenklet af projektet "
        "robhop/fylker-og-kommuner): © Kartverket, CC BY 4.0.",
        "nb": "Norske kommunegrenser (kart, inndelingen fra 2024, forenklet av prosjektet "
        "robhop/fylker-og-kommuner): © Kartverket, CC BY 4.0.",
    },
    "licence_project": {
        "en": "The Integration Barometer's own code is open source under the MIT licence.",
        "da": "Integrationsbarometerets egen kode er open source under MIT-licensen.",
        "nb": "Integreringsbarometerets egen kode er åpen kildekode under MIT-lisensen.",
    },
    "licence_link": {"en": "licence text", "da": "licenstekst", "nb": "lisenstekst"},
    "refresh_title": {
        "en": "How to refresh the data",
        "da": "Sådan opdateres data",
        "nb": "Slik oppdateres dataene",
    },
    "refresh_live": {
        "en": "fetches every source table from Statistics Denmark and Statistics Norway, "
        "checks every code, validates every answer, builds a new database beside the old one "
        "and swaps it in atomically. If anything fails, the old database stays untouched and "
        "the command names the provider, table, URL and reason.",
        "da": "henter alle kildetabeller fra Danmarks Statistik og Statistisk sentralbyrå, "
        "kontrollerer alle koder, validerer alle svar, bygger en ny database ved siden af den "
        "gamle og skifter den ind i ét trin. Fejler noget, forbliver den gamle database urørt, "
        "og kommandoen nævner udbyder, tabel, URL og årsag.",
        "nb": "henter alle kildetabeller fra Danmarks Statistik og Statistisk sentralbyrå, "
        "kontrollerer alle koder, validerer alle svar, bygger en ny database ved siden av den "
        "gamle og bytter den inn i ett steg. Feiler noe, forblir den gamle databasen urørt, og "
        "kommandoen oppgir leverandør, tabell, URL og årsak.",
    },
    "refresh_demo": {
        "en": "does the same from the built-in simulator's demo data.",
        "da": "gør det samme med den indbyggede simulators demodata.",
        "nb": "gjør det samme med demodataene fra den innebygde simulatoren.",
    },
    "refresh_reload": {
        "en": "The running dashboard reads the new database at the next page load; no restart "
        "is needed. Every build is kept in data/versions/.",
        "da": "Det kørende dashboard læser den nye database ved næste sideindlæsning; det skal "
        "ikke genstartes. Hver version gemmes i data/versions/.",
        "nb": "Det kjørende dashbordet leser den nye databasen ved neste sideinnlasting; det "
        "trenger ikke å startes på nytt. Hver versjon lagres i data/versions/.",
    },
}


def text(key: str, lang: str, **values: object) -> str:
    return lookup(TEXT, key, lang, **values)


def build_status(info: dict[str, str], lang: str) -> list[Any]:
    """Live or demo (with what demo means) and when the database was built."""
    source = info.get("source", "")
    if source == "demo":
        status: list[Any] = [
            html.P(html.Strong(text("status_demo", lang)), className="about-status-demo"),
            html.P(text("demo_explanation", lang)),
        ]
    elif source == "live":
        apis = [info[key] for key in ("dst_base_url", "ssb_base_url") if info.get(key)]
        status = [
            html.P(html.Strong(text("status_live", lang)), className="about-status-live"),
            html.P([text("apis", lang) + ": ", ", ".join(apis)]) if apis else None,
        ]
    else:
        status = [html.P(text("status_other", lang, source=source))]
    built = html.P(
        [html.Strong(text("built_at", lang) + ": "), format_time(info.get("built_at"), utc=True)],
        id="about-built-at",
    )
    return [*status, built]


def build_tables(tables: pd.DataFrame, lang: str) -> html.Div:
    """One row per provider table: provider, id (linked), title, cells, update and retrieval."""
    rows = []
    for row in tables.to_dict(orient="records"):
        # Retrieval times are UTC (the column says so); a table fetched in several requests
        # shows the span when it crossed a minute.
        retrieved = format_time(row["last_retrieved"])
        first = format_time(row["first_retrieved"])
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
                    html.Td(format_time(row["provider_updated"])),
                    html.Td(retrieved),
                    html.Td(format_count(row["requests"], lang), className="about-number"),
                ]
            )
        )
    keys = (
        "col_provider",
        "col_table",
        "col_title",
        "col_cells",
        "col_updated",
        "col_retrieved",
        "col_requests",
    )
    head = html.Tr([html.Th(text(key, lang), scope="col") for key in keys])
    return html.Div(
        html.Table([html.Thead(head), html.Tbody(rows)], className="about-table"),
        className="about-scroll",
        id="about-tables",
    )


def build_licences(lang: str) -> html.Section:
    """Who to name as the source, and under which licence."""

    def with_link(key: str, href: str) -> html.P:
        return html.P([text(key, lang), " (", html.A(text("licence_link", lang), href=href), ")"])

    return html.Section(
        [
            html.H2(text("licence_title", lang)),
            with_link("licence_dst", CC_BY),
            with_link("licence_ssb", CC_BY),
            html.P(text("licence_reuse", lang)),
            html.P(
                [text("licence_geo_dk", lang), " (", html.A("sdfi.dk", href="https://sdfi.dk"), ")"]
            ),
            with_link("licence_geo_no", CC_BY),
            with_link("licence_project", "https://opensource.org/license/mit"),
        ],
        id="about-licences",
        className="about-section",
    )


def build_refresh(lang: str) -> html.Section:
    """The commands that refresh the data."""
    return html.Section(
        [
            html.H2(text("refresh_title", lang)),
            html.Ul(
                [
                    html.Li(
                        [html.Code("uv run barometer refresh"), " ", text("refresh_live", lang)]
                    ),
                    html.Li(
                        [
                            html.Code("uv run barometer refresh --demo"),
                            " ",
                            text("refresh_demo", lang),
                        ]
                    ),
                ]
            ),
            html.P(text("refresh_reload", lang), className="note"),
        ],
        id="about-refresh",
        className="about-section",
    )


def build_content(lang: str) -> list[Any]:
    """The whole page; a database that cannot be read is said so, the rest still shows."""
    try:
        info = get_build_info()
        tables = list_source_tables()
    except BarometerError as exc:
        data: list[Any] = [
            html.P(text("no_database", lang, reason=str(exc)), className="about-problem")
        ]
    else:
        data = [
            *build_status(info, lang),
            html.H2(text("tables_title", lang)),
            html.P(text("tables_intro", lang), className="note"),
            build_tables(tables, lang),
        ]
    return [
        html.H1(text("title", lang), id="about-heading"),
        html.P(text("intro", lang), className="description"),
        html.Section(
            [html.H2(text("status_title", lang)), *data],
            id="about-status",
            className="about-section",
        ),
        build_licences(lang),
        build_refresh(lang),
    ]


@safe_layout
def layout(lang: str | None = None, **_query: str) -> html.Div:
    lang = normalise_language(lang)
    return page_frame(build_content(lang), lang, PATH, {})
