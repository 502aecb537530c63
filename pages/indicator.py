"""Indicator pages: the catalogue `/indicator` and one indicator `/indicator/<indicator_id>`.

Both addresses are one registered page: Dash Pages matches `/indicator` by `path` and
`/indicator/<indicator_id>` by `path_template`. Definitions come from the definition files
(indicators/registry.py); code labels, update and retrieval times and the periods in the data
come from the database through queries/about.py. When the database cannot be read, the
definition is still shown, with codes instead of labels and a note saying why.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any, NamedTuple
from urllib.parse import quote, unquote

import dash
import pandas as pd
from dash import dcc, html

from components.i18n import lookup, normalise_language, t, with_query
from components.shell import page_frame, safe_layout
from errors import BarometerError
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
from queries.about import (
    LabelKey,
    display_title,
    format_time,
    label_key,
    list_code_labels,
    list_indicator_periods,
    list_source_tables,
    provider_name,
    source_url,
)


def page_title(indicator_id: str | None = None, **_: str) -> str:
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

TEXT: dict[str, dict[str, str]] = {
    "catalogue_title": {"en": "Indicators", "da": "Indikatorer", "nb": "Indikatorer"},
    "catalogue_intro": {
        "en": "Every indicator the barometer computes. Each is defined in a file of its own; "
        "open one for its definition, its source tables and how it is computed.",
        "da": "Alle indikatorer, som barometeret beregner. Hver er defineret i sin egen fil; "
        "åbn en for at se definitionen, kildetabellerne og hvordan den beregnes.",
        "nb": "Alle indikatorene barometeret beregner. Hver er definert i sin egen fil; åpne "
        "en for å se definisjonen, kildetabellene og hvordan den beregnes.",
    },
    "col_indicator": {"en": "Indicator", "da": "Indikator", "nb": "Indikator"},
    "col_measure": {"en": "Measure", "da": "Mål", "nb": "Mål"},
    "col_direction": {"en": "Good direction", "da": "God retning", "nb": "God retning"},
    "col_countries": {"en": "Countries", "da": "Lande", "nb": "Land"},
    "col_sources": {"en": "Source tables", "da": "Kildetabeller", "nb": "Kildetabeller"},
    "measure_gap": {
        "en": "gap (percentage points)",
        "da": "forskel (procentpoint)",
        "nb": "forskjell (prosentpoeng)",
    },
    "measure_rate": {"en": "rate (%)", "da": "andel (%)", "nb": "andel (%)"},
    "measure_share": {
        "en": "share of the population (%)",
        "da": "andel af befolkningen (%)",
        "nb": "andel av befolkningen (%)",
    },
    "dir_higher": {"en": "higher is better", "da": "højere er bedre", "nb": "høyere er bedre"},
    "dir_lower": {"en": "lower is better", "da": "lavere er bedre", "nb": "lavere er bedre"},
    "dir_none": {
        "en": "none (a description, not a goal)",
        "da": "ingen (en beskrivelse, ikke et mål)",
        "nb": "ingen (en beskrivelse, ikke et mål)",
    },
    "unavailable_title": {
        "en": "Not available from public statistics",
        "da": "Ikke tilgængelig i offentlig statistik",
        "nb": "Ikke tilgjengelig i offentlig statistikk",
    },
    "unavailable_intro": {
        "en": "Indicators of the national integration barometers that no public statistics "
        "table gives by municipality and origin, and where they are published instead.",
        "da": "Indikatorer fra de nationale integrationsbarometre, som ingen offentlig "
        "statistiktabel giver pr. kommune og herkomst, og hvor de i stedet offentliggøres.",
        "nb": "Indikatorer fra de nasjonale integreringsbarometrene som ingen offentlig "
        "statistikktabell gir per kommune og opprinnelse, og hvor de publiseres i stedet.",
    },
    "why": {"en": "Why not", "da": "Hvorfor ikke", "nb": "Hvorfor ikke"},
    "published_by": {"en": "Published by", "da": "Offentliggøres af", "nb": "Publiseres av"},
    "all_indicators": {
        "en": "← All indicators",
        "da": "← Alle indikatorer",
        "nb": "← Alle indikatorer",
    },
    "see_catalogue": {
        "en": "See the list of all indicators",
        "da": "Se listen over alle indikatorer",
        "nb": "Se listen over alle indikatorer",
    },
    "at_a_glance": {
        "en": "The countries side by side",
        "da": "Landene side om side",
        "nb": "Landene side om side",
    },
    "glance_note": {
        "en": "The two countries' groups and sources are close, not identical: read the "
        "caveats before comparing them.",
        "da": "De to landes grupper og kilder ligner hinanden, men er ikke ens: læs "
        "forbeholdene, før du sammenligner dem.",
        "nb": "De to landenes grupper og kilder ligner hverandre, men er ikke like: les "
        "forbeholdene før du sammenligner dem.",
    },
    "row_target": {"en": "Target group", "da": "Målgruppe", "nb": "Målgruppe"},
    "row_comparison": {
        "en": "Comparison group",
        "da": "Sammenligningsgruppe",
        "nb": "Sammenligningsgruppe",
    },
    "no_comparison": {
        "en": "none: a share of all residents",
        "da": "ingen: en andel af alle indbyggere",
        "nb": "ingen: en andel av alle innbyggere",
    },
    "row_age_band": {"en": "Age band", "da": "Aldersgruppe", "nb": "Aldersgruppe"},
    "row_period_type": {"en": "Periods", "da": "Perioder", "nb": "Perioder"},
    "row_reference_date": {
        "en": "Reference date",
        "da": "Opgørelsestidspunkt",
        "nb": "Referansetidspunkt",
    },
    "row_baseline": {"en": "Baseline", "da": "Basisår", "nb": "Basisår"},
    "row_periods_in_data": {
        "en": "Periods in the data",
        "da": "Perioder i data",
        "nb": "Perioder i dataene",
    },
    "row_updated": {
        "en": "Updated by the provider",
        "da": "Opdateret af udbyderen",
        "nb": "Oppdatert av leverandøren",
    },
    "row_retrieved": {"en": "Retrieved (UTC)", "da": "Hentet (UTC)", "nb": "Hentet (UTC)"},
    "periods_range": {
        "en": "{first} to {last} ({n} periods)",
        "da": "{first} til {last} ({n} perioder)",
        "nb": "{first} til {last} ({n} perioder)",
    },
    "period_quarter": {"en": "quarterly", "da": "kvartalsvis", "nb": "kvartalsvis"},
    "period_year": {"en": "yearly", "da": "årlig", "nb": "årlig"},
    "none": {"en": "none", "da": "ingen", "nb": "ingen"},
    "not_in_data": {"en": "not in the data", "da": "ikke i data", "nb": "ikke i dataene"},
    "built_from": {
        "en": "How it is built from the provider's tables",
        "da": "Sådan bygges den af udbyderens tabeller",
        "nb": "Slik bygges den av leverandørens tabeller",
    },
    "col_group": {"en": "Group", "da": "Gruppe", "nb": "Gruppe"},
    "col_part": {"en": "Part", "da": "Del", "nb": "Del"},
    "col_table": {"en": "Table", "da": "Tabel", "nb": "Tabell"},
    "col_selection": {
        "en": "Selected codes (summed)",
        "da": "Valgte koder (lagt sammen)",
        "nb": "Valgte koder (summert)",
    },
    "col_note": {"en": "Note", "da": "Bemærkning", "nb": "Merknad"},
    "part_numerator": {"en": "Numerator", "da": "Tæller", "nb": "Teller"},
    "part_denominator": {"en": "Denominator", "da": "Nævner", "nb": "Nevner"},
    "part_rate": {"en": "Published rate", "da": "Offentliggjort andel", "nb": "Publisert andel"},
    "part_size": {"en": "Group size", "da": "Gruppens størrelse", "nb": "Gruppens størrelse"},
    "shift_next_year_first_quarter": {
        "en": "Period shifted: year Y is read from the first quarter of year Y+1 "
        "(1 January of the following year).",
        "da": "Periode forskudt: år Å hentes fra første kvartal i år Å+1 (1. januar året efter).",
        "nb": "Periode forskjøvet: år Å hentes fra første kvartal i år Å+1 (1. januar året etter).",
    },
    "scale_note": {
        "en": "Published in per cent; divided by {scale}.",
        "da": "Offentliggøres i procent; divideres med {scale}.",
        "nb": "Publiseres i prosent; deles på {scale}.",
    },
    "codes_summary": {
        "en": "{first} … {last} ({n} codes)",
        "da": "{first} … {last} ({n} koder)",
        "nb": "{first} … {last} ({n} koder)",
    },
    "rates_only": {
        "en": "Statistics Norway publishes this group only as a rate, not as counts: there is no "
        "interval, no weighted national or regional figure and no small-number rule.",
        "da": "Statistisk sentralbyrå offentliggør kun denne gruppe som en andel, ikke som antal: "
        "der er intet interval, intet vægtet lands- eller regionstal og ingen regel for små tal.",
        "nb": "SSB publiserer denne gruppen bare som en andel, ikke som antall: det finnes ikke "
        "noe intervall, noe vektet lands- eller regionstall eller noen regel for små tall.",
    },
    "sources_title": {"en": "Source tables", "da": "Kildetabeller", "nb": "Kildetabeller"},
    "col_provider": {"en": "Provider", "da": "Udbyder", "nb": "Leverandør"},
    "col_title": {"en": "Title", "da": "Titel", "nb": "Tittel"},
    "col_updated": {
        "en": "Updated by the provider",
        "da": "Opdateret af udbyderen",
        "nb": "Oppdatert av leverandøren",
    },
    "col_retrieved": {"en": "Retrieved (UTC)", "da": "Hentet (UTC)", "nb": "Hentet (UTC)"},
    "caveats_title": {"en": "Caveats", "da": "Forbehold", "nb": "Forbehold"},
    "no_database": {
        "en": "The database could not be read, so code labels, update times and periods are "
        "not shown: {reason}",
        "da": "Databasen kunne ikke læses, så kodernes tekster, opdateringstider og perioder "
        "vises ikke: {reason}",
        "nb": "Databasen kunne ikke leses, så kodenes tekster, oppdateringstider og perioder "
        "vises ikke: {reason}",
    },
    "method_title": {
        "en": "How it is computed",
        "da": "Sådan beregnes den",
        "nb": "Slik beregnes den",
    },
    "h_rate": {"en": "Rates", "da": "Andele", "nb": "Andeler"},
    "m_rate": {
        "en": "Each group's rate is its numerator divided by its denominator: a share of "
        "persons, shown in per cent.",
        "da": "Hver gruppes andel er dens tæller divideret med dens nævner: en andel af "
        "personer, vist i procent.",
        "nb": "Hver gruppes andel er telleren delt på nevneren: en andel av personer, vist i "
        "prosent.",
    },
    "m_share": {
        "en": "The share is the target group's count divided by all residents, in per cent. It "
        "describes the population: there is no comparison group and no good direction.",
        "da": "Andelen er målgruppens antal divideret med alle indbyggere, i procent. Den "
        "beskriver befolkningen: der er ingen sammenligningsgruppe og ingen god retning.",
        "nb": "Andelen er målgruppens antall delt på alle innbyggere, i prosent. Den beskriver "
        "befolkningen: det er ingen sammenligningsgruppe og ingen god retning.",
    },
    "h_gap": {"en": "Gap", "da": "Forskel", "nb": "Forskjell"},
    "m_gap_higher": {
        "en": "Gap = the comparison group's rate − the target group's rate, in percentage "
        "points (pp). Positive means the target group is behind; closing the gap means "
        "moving towards 0.",
        "da": "Forskel = sammenligningsgruppens andel − målgruppens andel, i procentpoint (pp). "
        "Positiv betyder, at målgruppen ligger efter; at lukke forskellen betyder at komme "
        "nærmere 0.",
        "nb": "Forskjell = sammenligningsgruppens andel − målgruppens andel, i prosentpoeng "
        "(pp). Positiv betyr at målgruppen ligger etter; å lukke forskjellen betyr å komme "
        "nærmere 0.",
    },
    "m_gap_lower": {
        "en": "Gap = the target group's rate − the comparison group's rate, in percentage "
        "points (pp), because lower is better here. Positive means the target group is "
        "behind; closing the gap means moving towards 0.",
        "da": "Forskel = målgruppens andel − sammenligningsgruppens andel, i procentpoint (pp), "
        "fordi lavere er bedre her. Positiv betyder, at målgruppen ligger efter; at lukke "
        "forskellen betyder at komme nærmere 0.",
        "nb": "Forskjell = målgruppens andel − sammenligningsgruppens andel, i prosentpoeng "
        "(pp), fordi lavere er bedre her. Positiv betyr at målgruppen ligger etter; å lukke "
        "forskjellen betyr å komme nærmere 0.",
    },
    "m_headline_gap": {
        "en": "The headline value is the gap.",
        "da": "Hovedtallet er forskellen.",
        "nb": "Hovedtallet er forskjellen.",
    },
    "m_headline_rate": {
        "en": "The headline value is the target group's rate; the gap to the comparison group "
        "is shown beside it.",
        "da": "Hovedtallet er målgruppens andel; forskellen til sammenligningsgruppen vises ved "
        "siden af.",
        "nb": "Hovedtallet er målgruppens andel; forskjellen til sammenligningsgruppen vises ved "
        "siden av.",
    },
    "h_interval": {
        "en": "Uncertainty (95 % intervals)",
        "da": "Usikkerhed (95 %-intervaller)",
        "nb": "Usikkerhet (95 %-intervaller)",
    },
    "m_interval_rate": {
        "en": "Each rate has a 95 % Wilson score interval. Register data count everyone; the "
        "interval expresses the random variation expected in a group of that size from "
        "period to period, so small municipalities are read with care.",
        "da": "Hver andel har et 95 % Wilson-scoreinterval. Registerdata tæller alle; "
        "intervallet udtrykker den tilfældige variation, man kan forvente fra periode til "
        "periode i en gruppe af den størrelse, så små kommuner læses med forsigtighed.",
        "nb": "Hver andel har et 95 % Wilson-scoreintervall. Registerdata teller alle; "
        "intervallet uttrykker den tilfeldige variasjonen man kan vente fra periode til periode "
        "i en gruppe av den størrelsen, så små kommuner leses med forsiktighet.",
    },
    "m_interval_gap": {
        "en": "The gap's interval is Newcombe's hybrid score interval (method 10), built from "
        "the two groups' Wilson intervals. A gap whose interval covers 0 is not "
        "distinguishable from no gap.",
        "da": "Forskellens interval er Newcombes hybride scoreinterval (metode 10), bygget af de "
        "to gruppers Wilson-intervaller. En forskel, hvis interval dækker 0, kan ikke skelnes "
        "fra ingen forskel.",
        "nb": "Forskjellens intervall er Newcombes hybride scoreintervall (metode 10), bygget av "
        "de to gruppenes Wilson-intervaller. En forskjell der intervallet dekker 0, kan ikke "
        "skilles fra ingen forskjell.",
    },
    "h_change": {
        "en": "Change since the baseline",
        "da": "Udvikling siden basisåret",
        "nb": "Utvikling siden basisåret",
    },
    "m_change": {
        "en": "Changes since the baseline ({baselines}) and since the previous period are in "
        "percentage points. The interval of a change combines the two periods' intervals, "
        "treating the periods as independent; a change is distinguishable only when its "
        "interval excludes 0.",
        "da": "Udviklingen siden basisåret ({baselines}) og siden forrige periode er i "
        "procentpoint. Intervallet for en ændring kombinerer de to perioders intervaller og "
        "behandler perioderne som uafhængige; en ændring kan kun skelnes, når intervallet "
        "ikke indeholder 0.",
        "nb": "Utviklingen siden basisåret ({baselines}) og siden forrige periode er i "
        "prosentpoeng. Intervallet for en endring kombinerer de to periodenes intervaller og "
        "behandler periodene som uavhengige; en endring kan bare skilles ut når intervallet "
        "ikke inneholder 0.",
    },
    "h_small": {"en": "Small numbers", "da": "Små tal", "nb": "Små tall"},
    "m_small": {
        "en": "When the target group's denominator is below {minimum}, the value is withheld "
        "(“too few to show”). Below {caution} it is flagged for caution, and a value pooled "
        "over the last {pool} periods (sums of the counts) is offered beside it.",
        "da": "Når målgruppens nævner er under {minimum}, vises værdien ikke (“for få til at "
        "vise”). Under {caution} markeres den med forsigtighed, og en værdi samlet over de "
        "seneste {pool} perioder (summer af antallene) vises ved siden af.",
        "nb": "Når målgruppens nevner er under {minimum}, vises ikke verdien (“for få til å "
        "vise”). Under {caution} merkes den med forsiktighet, og en verdi slått sammen over de "
        "siste {pool} periodene (summer av antallene) vises ved siden av.",
    },
    "h_lights": {"en": "Traffic lights", "da": "Trafiklys", "nb": "Trafikklys"},
    "m_light_barometer": {
        "en": "Barometer rule (the national barometer's): the value rounded to whole percentage "
        "points is compared with the baseline's rounded value, giving better, unchanged or "
        "worse in the indicator's good direction ({direction}). Rounding can move the verdict "
        "by ±1 pp against the unrounded change.",
        "da": "Barometerreglen (det nationale barometers): værdien afrundet til hele "
        "procentpoint sammenlignes med basisårets afrundede værdi og giver bedre, uændret "
        "eller dårligere i indikatorens gode retning ({direction}). Afrundingen kan flytte "
        "vurderingen ±1 pp i forhold til den uafrundede ændring.",
        "nb": "Barometerregelen (det nasjonale barometerets): verdien avrundet til hele "
        "prosentpoeng sammenlignes med basisårets avrundede verdi og gir bedre, uendret eller "
        "dårligere i indikatorens gode retning ({direction}). Avrundingen kan flytte "
        "vurderingen ±1 pp sammenlignet med den uavrundede endringen.",
    },
    "m_light_significance": {
        "en": "Significance rule: better or worse only when the change since the baseline is "
        "distinguishable (its interval excludes 0); otherwise unchanged.",
        "da": "Signifikansreglen: bedre eller dårligere kun når udviklingen siden basisåret kan "
        "skelnes (intervallet indeholder ikke 0); ellers uændret.",
        "nb": "Signifikansregelen: bedre eller dårligere bare når utviklingen siden basisåret kan "
        "skilles ut (intervallet inneholder ikke 0); ellers uendret.",
    },
    "m_light_none": {
        "en": "No traffic light: this indicator describes the population and has no good "
        "direction.",
        "da": "Intet trafiklys: indikatoren beskriver befolkningen og har ingen god retning.",
        "nb": "Ikke noe trafikklys: indikatoren beskriver befolkningen og har ingen god retning.",
    },
    "gap_direction": {
        "en": "a smaller gap is better",
        "da": "en mindre forskel er bedre",
        "nb": "en mindre forskjell er bedre",
    },
    "h_reference": {
        "en": "National and regional figures",
        "da": "Lands- og regionstal",
        "nb": "Lands- og regionstall",
    },
    "m_reference": {
        "en": "National and regional figures are the sum of the municipalities' numerators over "
        "the sum of their denominators (weighted). The unweighted mean of the municipal values "
        "is shown beside them, labelled as such.",
        "da": "Lands- og regionstal er summen af kommunernes tællere divideret med summen af "
        "deres nævnere (vægtet). Det uvægtede gennemsnit af kommunernes værdier vises ved "
        "siden af og er mærket som sådan.",
        "nb": "Lands- og regionstall er summen av kommunenes tellere delt på summen av nevnerne "
        "(vektet). Det uvektede gjennomsnittet av kommunenes verdier vises ved siden av og er "
        "merket som det.",
    },
    "h_missing": {"en": "Missing values", "da": "Manglende tal", "nb": "Manglende tall"},
    "m_missing": {
        "en": "Cells the provider suppressed or marked missing (symbols such as “..” or “:”) "
        "stay missing, with their symbol: they never count as 0 and are never interpolated.",
        "da": "Celler, som udbyderen har diskretioneret eller markeret som manglende (symboler "
        "som “..” eller “:”), forbliver manglende med deres symbol: de tæller aldrig som 0 og "
        "interpoleres aldrig.",
        "nb": "Celler som leverandøren har skjermet eller merket som manglende (symboler som "
        "“..” eller “:”), forblir manglende med symbolet sitt: de teller aldri som 0 og "
        "interpoleres aldri.",
    },
    "no_suggestion": {
        "en": "No indicator has a similar id.",
        "da": "Ingen indikator har et lignende id.",
        "nb": "Ingen indikator har en lignende id.",
    },
}

# Reference dates, age bands and provider names are written in English in the definitions;
# known ones are translated here, anything else is shown as written.
REFERENCE_DATES: dict[str, dict[str, str]] = {
    "end of November": {
        "en": "end of November",
        "da": "ultimo november",
        "nb": "utgangen av november",
    },
    "fourth quarter": {"en": "fourth quarter", "da": "fjerde kvartal", "nb": "fjerde kvartal"},
    "first day of the quarter": {
        "en": "first day of the quarter",
        "da": "kvartalets første dag",
        "nb": "kvartalets første dag",
    },
    "1 January": {"en": "1 January", "da": "1. januar", "nb": "1. januar"},
    "30 September": {"en": "30 September", "da": "30. september", "nb": "30. september"},
    "calendar year (recipients); population on 1 January of the following year": {
        "en": "calendar year (recipients); population on 1 January of the following year",
        "da": "kalenderår (modtagere); befolkningen 1. januar året efter",
        "nb": "kalenderår (mottakere); befolkningen 1. januar året etter",
    },
    "all ages": {"en": "all ages", "da": "alle aldre", "nb": "alle aldre"},
}


def translate_term(value: str, lang: str) -> str:
    """A reference date or age band in the language, or as written when unknown."""
    return lookup(REFERENCE_DATES, value, lang) if value in REFERENCE_DATES else value


def direction_text(indicator: Indicator, lang: str) -> str:
    """Which way is better, in words."""
    if indicator.higher_is_better is None:
        return lookup(TEXT, "dir_none", lang)
    return lookup(TEXT, "dir_higher" if indicator.higher_is_better else "dir_lower", lang)


def suggest_indicators(value: str, ids: Sequence[str], limit: int = 3) -> list[str]:
    """Ids close to `value` (spelling, dashes, case), best first: for an unknown address."""
    wanted = value.strip().lower().replace("-", "_").replace(" ", "_")
    close = difflib.get_close_matches(wanted, list(ids), n=limit, cutoff=0.3)
    contained = [i for i in ids if wanted and wanted in i and i not in close]
    return (close + contained)[:limit]


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
    for _, _, measure in country_measures(definition):
        pair = (measure.provider, measure.table)
        if pair not in tables:
            tables.append(pair)
    return tables


def method_paragraphs(
    indicator: Indicator, lang: str, settings: ComputeSettings | None = None
) -> list[tuple[str, list[str]]]:
    """How the indicator is computed, in plain language: (heading, paragraphs) pairs."""
    settings = settings or ComputeSettings()

    def text(key: str, **values: object) -> str:
        return lookup(TEXT, key, lang, **values)

    share = indicator.measure == "share"
    sections: list[tuple[str, list[str]]] = []
    if share:
        sections.append((text("h_rate"), [text("m_share")]))
    else:
        headline = "m_headline_gap" if indicator.measure == "gap" else "m_headline_rate"
        sections.append((text("h_rate"), [text("m_rate")]))
        gap_key = "m_gap_lower" if indicator.higher_is_better is False else "m_gap_higher"
        sections.append((text("h_gap"), [text(gap_key), text(headline)]))
    intervals = [text("m_interval_rate")] + ([] if share else [text("m_interval_gap")])
    sections.append((text("h_interval"), intervals))
    baselines = ", ".join(
        f"{t('country_' + code, lang)} {definition.baseline or text('none')}"
        for code, definition in indicator.countries.items()
    )
    sections.append((text("h_change"), [text("m_change", baselines=baselines)]))
    small = text(
        "m_small",
        minimum=settings.minimum,
        caution=settings.caution,
        pool=settings.pool_periods,
    )
    sections.append((text("h_small"), [small]))
    if indicator.higher_is_better is None:
        lights = [text("m_light_none")]
    else:
        good = (
            text("gap_direction") if indicator.measure == "gap" else direction_text(indicator, lang)
        )
        lights = [text("m_light_barometer", direction=good), text("m_light_significance")]
    sections.append((text("h_lights"), lights))
    sections.append((text("h_reference"), [text("m_reference")]))
    sections.append((text("h_missing"), [text("m_missing")]))
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
    problem: str | None = None


def load_source_data(indicator: Indicator) -> SourceData:
    """Labels of the selected codes, the source tables' times and the periods in the data."""
    selections = [
        (measure.provider, measure.table, measure.select)
        for definition in indicator.countries.values()
        for _, _, measure in country_measures(definition)
    ]
    try:
        labels = list_code_labels(selections)
        tables = list_source_tables()
        periods = list_indicator_periods(indicator.id)
    except BarometerError as exc:
        return SourceData(problem=str(exc))
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
            {m.table for d in indicator.countries.values() for _, _, m in country_measures(d)}
        )
        rows.append(
            [
                html.Div(
                    [
                        dcc.Link(indicator.title_in(lang), href=indicator_href(indicator.id, lang)),
                        html.Code(indicator.id, className="indicator-id"),
                    ]
                ),
                lookup(TEXT, f"measure_{indicator.measure}", lang),
                direction_text(indicator, lang),
                ", ".join(t(f"country_{code}", lang) for code in indicator.countries),
                ", ".join(tables),
            ]
        )
    head = [
        lookup(TEXT, key, lang)
        for key in ("col_indicator", "col_measure", "col_direction", "col_countries", "col_sources")
    ]
    return [
        html.H1(lookup(TEXT, "catalogue_title", lang), id="indicator-heading"),
        html.P(lookup(TEXT, "catalogue_intro", lang), className="description"),
        html.Div(
            build_table(head, rows, "indicator-catalogue-table"),
            id="indicator-catalogue",
            className="indicator-scroll",
        ),
        build_unavailable(lang),
    ]


def build_unavailable(lang: str, entries: Sequence[Unavailable] | None = None) -> html.Section:
    """The barometer indicators public statistics do not give, and where they are published."""
    items = []
    for entry in list_unavailable() if entries is None else entries:
        links = [
            html.Li(html.A(place["name"], href=place["url"], target="_blank", rel="noopener"))
            for place in entry.published_by
        ]
        items.append(
            html.Li(
                [
                    html.H3(
                        [
                            entry.title.get(lang) or entry.title["en"],
                            html.Span(
                                f" ({t('country_' + entry.country, lang)})",
                                className="indicator-country-tag",
                            ),
                        ]
                    ),
                    html.P(
                        [
                            html.Strong(lookup(TEXT, "why", lang) + ": "),
                            entry.why.get(lang) or entry.why["en"],
                        ]
                    ),
                    html.P(html.Strong(lookup(TEXT, "published_by", lang) + ":")),
                    html.Ul(links),
                ],
                id=f"indicator-unavailable-{entry.id}",
            )
        )
    return html.Section(
        [
            html.H2(lookup(TEXT, "unavailable_title", lang), id="indicator-unavailable-heading"),
            html.P(lookup(TEXT, "unavailable_intro", lang), className="note"),
            html.Ul(items, className="indicator-unavailable-list"),
        ],
        id="indicator-unavailable",
        className="indicator-section",
    )


def build_unknown(value: str, lang: str) -> html.Div:
    """A helpful page for an id that is no indicator: close ids and the catalogue."""
    ids = [i.id for i in list_indicators()]
    suggestions = suggest_indicators(value, ids)
    titles = {i.id: i.title_in(lang) for i in list_indicators()}
    if suggestions:
        hint: list[Any] = [
            html.P(t("did_you_mean", lang)),
            html.Ul(
                [
                    html.Li(
                        [
                            dcc.Link(html.Code(i), href=indicator_href(i, lang)),
                            f" – {titles[i]}",
                        ]
                    )
                    for i in suggestions
                ],
                id="indicator-suggestions",
            ),
        ]
    else:
        hint = [html.P(lookup(TEXT, "no_suggestion", lang))]
    return html.Div(
        [
            html.H1(t("unknown_indicator", lang), id="indicator-heading"),
            html.P(t("unknown_indicator_text", lang, value=value)),
            *hint,
            html.P(
                dcc.Link(
                    lookup(TEXT, "see_catalogue", lang),
                    href=with_query(CATALOGUE_PATH, {"lang": lang}),
                    id="indicator-catalogue-link",
                )
            ),
        ],
        className="not-found",
    )


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
        summary = lookup(TEXT, "codes_summary", lang, first=codes[0], last=codes[-1], n=len(codes))
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
        notes.append(lookup(TEXT, f"shift_{measure.period_shift}", lang))
    if measure.scale != 1.0:
        notes.append(lookup(TEXT, "scale_note", lang, scale=f"{measure.scale:g}"))
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
                lookup(TEXT, f"part_{part}", lang),
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
        lookup(TEXT, key, lang)
        for key in ("col_group", "col_part", "col_table", "col_selection", "col_note")
    ]
    return html.Div(build_table(head, rows, "indicator-measures"), className="indicator-scroll")


def known_tables(data: SourceData) -> dict[tuple[str, str], Any]:
    """The database's source tables by (provider, table id)."""
    if data.tables is None:
        return {}
    return {(str(r.provider), str(r.table_id)): r for r in data.tables.itertuples()}


def table_times(definition: CountryDefinition, data: SourceData, column: str) -> str:
    """One time per source table of a country ("RAS201: 2024-11-14 08:00"), "—" without data."""
    known = known_tables(data)
    times = [
        f"{table}: {format_time(getattr(known[(provider, table)], column))}"
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
                display_title(row.title, table)
                if row is not None
                else lookup(TEXT, "not_in_data", lang),
                format_time(row.provider_updated) if row is not None else "—",
                format_time(row.last_retrieved) if row is not None else "—",
            ]
        )
    head = [
        lookup(TEXT, key, lang)
        for key in ("col_provider", "col_table", "col_title", "col_updated", "col_retrieved")
    ]
    return html.Div(build_table(head, rows, "indicator-sources"), className="indicator-scroll")


def build_glance(indicator: Indicator, data: SourceData, lang: str) -> html.Div:
    """The countries' groups, ages and periods side by side."""

    def label(group: Group | None) -> str:
        if group is None:
            return lookup(TEXT, "no_comparison", lang)
        return group.label.get(lang) or group.label["en"]

    def periods(country: str) -> str:
        if data.problem:
            return "—"
        found = data.periods.get(country)
        if found is None:
            return lookup(TEXT, "not_in_data", lang)
        return lookup(TEXT, "periods_range", lang, first=found[0], last=found[1], n=found[2])

    definitions = list(indicator.countries.values())
    facts = [
        ("row_target", [label(d.target) for d in definitions]),
        ("row_comparison", [label(d.comparison) for d in definitions]),
        ("row_age_band", [translate_term(d.age_band, lang) for d in definitions]),
        ("row_period_type", [lookup(TEXT, f"period_{d.period_type}", lang) for d in definitions]),
        ("row_reference_date", [translate_term(d.reference_date, lang) for d in definitions]),
        ("row_baseline", [d.baseline or lookup(TEXT, "none", lang) for d in definitions]),
        ("row_periods_in_data", [periods(d.country) for d in definitions]),
        ("row_updated", [table_times(d, data, "provider_updated") for d in definitions]),
        ("row_retrieved", [table_times(d, data, "last_retrieved") for d in definitions]),
    ]
    head = ["", *(t(f"country_{d.country}", lang) for d in definitions)]
    table = html.Table(
        [
            html.Thead(html.Tr([html.Th(cell, scope="col") for cell in head])),
            html.Tbody(
                [
                    html.Tr(
                        [html.Th(lookup(TEXT, key, lang), scope="row")]
                        + [html.Td(v) for v in values]
                    )
                    for key, values in facts
                ]
            ),
        ],
        className="indicator-table indicator-glance",
    )
    return html.Div(table, className="indicator-scroll")


def build_country(definition: CountryDefinition, data: SourceData, lang: str) -> html.Section:
    """Everything about one country's version of the indicator."""
    country = t(f"country_{definition.country}", lang)
    caveat = definition.caveats.get(lang) or definition.caveats.get("en")
    rates_only = definition.target.rate is not None
    return html.Section(
        [
            html.H2(country),
            html.H3(lookup(TEXT, "built_from", lang)),
            build_measures(definition, data, lang),
            html.P(lookup(TEXT, "rates_only", lang), className="note") if rates_only else None,
            html.H3(lookup(TEXT, "sources_title", lang)),
            build_sources(definition, data, lang),
            html.H3(lookup(TEXT, "caveats_title", lang)) if caveat else None,
            html.P(caveat, className="note caveat") if caveat else None,
        ],
        id=f"indicator-country-{definition.country}",
        className="indicator-section indicator-country",
    )


def build_method(indicator: Indicator, lang: str) -> html.Section:
    """The statistical rules, in plain language."""
    children: list[Any] = [html.H2(lookup(TEXT, "method_title", lang))]
    for heading, paragraphs in method_paragraphs(indicator, lang):
        children.append(html.H3(heading))
        children.extend(html.P(p) for p in paragraphs)
    return html.Section(children, id="indicator-method", className="indicator-section")


def build_detail(indicator: Indicator, lang: str, data: SourceData | None = None) -> list[Any]:
    """The page for one indicator."""
    data = data if data is not None else load_source_data(indicator)
    facts = [
        (lookup(TEXT, "col_measure", lang), lookup(TEXT, f"measure_{indicator.measure}", lang)),
        (lookup(TEXT, "col_direction", lang), direction_text(indicator, lang)),
        (
            lookup(TEXT, "col_countries", lang),
            ", ".join(t(f"country_{c}", lang) for c in indicator.countries),
        ),
    ]
    return [
        dcc.Link(
            lookup(TEXT, "all_indicators", lang),
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
            lookup(TEXT, "no_database", lang, reason=data.problem),
            className="note indicator-problem",
            role="status",
        )
        if data.problem
        else None,
        html.H2(lookup(TEXT, "at_a_glance", lang)),
        build_glance(indicator, data, lang),
        html.P(lookup(TEXT, "glance_note", lang), className="note")
        if len(indicator.countries) > 1
        else None,
        *(build_country(d, data, lang) for d in indicator.countries.values()),
        build_method(indicator, lang),
    ]


@safe_layout
def layout(indicator_id: str | None = None, lang: str | None = None, **_: str) -> html.Div:
    """The catalogue at /indicator; one indicator at /indicator/<id>; a helpful unknown page."""
    lang = normalise_language(lang)
    if not indicator_id:
        return page_frame(build_catalogue(lang), lang, CATALOGUE_PATH, {})
    wanted = unquote(indicator_id)
    path = f"{CATALOGUE_PATH}/{quote(wanted)}"
    indicator = get_indicator(wanted)
    if indicator is None:
        return page_frame(build_unknown(wanted, lang), lang, path, {})
    return page_frame(build_detail(indicator, lang), lang, path, {})
