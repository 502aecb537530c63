"""Compare page `/compare?indicator=&period=&peers=&focus=&country=&lang=`.

One indicator in one period across a peer group: a ranked bar chart with 95 % intervals, a
funnel plot, a scatter of the two groups' rates and a sortable, downloadable table. Every
selection lives in the URL: the layout draws the view the URL asks for, the controls rewrite
the URL (without reloading) through one main callback, and a copied link reproduces the view.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

import dash
from dash import Input, Output, State, callback, clientside_callback, dcc, html
from dash.dash_table.DataTable import DataTable
from dash.dash_table.Format import Format, Group, Scheme

from components import compare as ui
from components.i18n import LANGUAGES, lookup, normalise_language, t
from components.picker import picker_options
from components.shell import page_frame, safe_layout
from indicators.registry import list_indicators
from loaders.municipalities import find_municipality, list_municipalities
from queries.compare import (
    DEFAULT_INDICATOR,
    DEFAULT_PEERS,
    PEERS_NEEDING_FOCUS,
    CompareProblem,
    Comparison,
    get_comparison,
    get_provenance,
    size_band_label,
    view_query,
)

PATH = "/compare"

dash.register_page(__name__, path=PATH, title="Compare – Integration Barometer")

TEXT: dict[str, dict[str, str]] = {
    "title": {
        "en": "Compare municipalities",
        "da": "Sammenlign kommuner",
        "nb": "Sammenlign kommuner",
    },
    "intro": {
        "en": "One indicator across a group of municipalities, beside the national figure. "
        "Every choice is kept in the address, so a copied link opens the same view.",
        "da": "Én indikator på tværs af en gruppe kommuner, sammenlignet med hele landet. "
        "Alle valg gemmes i adressen, så et kopieret link åbner samme visning.",
        "nb": "Én indikator på tvers av en gruppe kommuner, sammenlignet med hele landet. "
        "Alle valg lagres i adressen, så en kopiert lenke åpner samme visning.",
    },
    "country": {"en": "Country", "da": "Land", "nb": "Land"},
    "focus": {
        "en": "Focus municipality",
        "da": "Fokuskommune",
        "nb": "Fokuskommune",
    },
    "only_in": {
        "en": "{title} ({country} only)",
        "da": "{title} (kun {country})",
        "nb": "{title} (kun {country})",
    },
    "peers_all": {
        "en": "All municipalities of the country",
        "da": "Alle landets kommuner",
        "nb": "Alle landets kommuner",
    },
    "peers_region": {
        "en": "The focus municipality's region",
        "da": "Fokuskommunens region",
        "nb": "Fokuskommunens fylke",
    },
    "peers_size": {
        "en": "Same population size band",
        "da": "Samme befolkningsstørrelse",
        "nb": "Samme befolkningsstørrelse",
    },
    "peers_similar": {
        "en": "The 10 most similar (population, share, employment)",
        "da": "De 10 mest lignende (befolkning, andel, beskæftigelse)",
        "nb": "De 10 mest like (befolkning, andel, sysselsetting)",
    },
    "peers_similar_custom": {
        "en": "Most similar ({spec})",
        "da": "Mest lignende ({spec})",
        "nb": "Mest like ({spec})",
    },
    "peers_group": {
        "en": "My own group of municipalities",
        "da": "Min egen gruppe af kommuner",
        "nb": "Min egen gruppe kommuner",
    },
    "group_members": {
        "en": "Municipalities in the group",
        "da": "Kommuner i gruppen",
        "nb": "Kommuner i gruppen",
    },
    "group_name": {"en": "Group name", "da": "Gruppens navn", "nb": "Gruppens navn"},
    "group_default": {"en": "My group", "da": "Min gruppe", "nb": "Min gruppe"},
    "group_empty": {
        "en": "Choose at least one municipality for the group.",
        "da": "Vælg mindst én kommune til gruppen.",
        "nb": "Velg minst én kommune til gruppen.",
    },
    "needs_focus": {
        "en": "needs a focus municipality",
        "da": "kræver en fokuskommune",
        "nb": "krever en fokuskommune",
    },
    "peers_label_all": {
        "en": "all municipalities of {country}",
        "da": "alle kommuner i {country}",
        "nb": "alle kommuner i {country}",
    },
    "peers_label_region": {
        "en": "municipalities in {region}",
        "da": "kommuner i {region}",
        "nb": "kommuner i {region}",
    },
    "peers_label_size": {
        "en": "municipalities with {band} inhabitants",
        "da": "kommuner med {band} indbyggere",
        "nb": "kommuner med {band} innbyggere",
    },
    "peers_label_similar": {
        "en": "{name} and the {k} most similar municipalities",
        "da": "{name} og de {k} mest lignende kommuner",
        "nb": "{name} og de {k} mest like kommunene",
    },
    "peers_label_group": {
        "en": "group “{name}”",
        "da": "gruppen “{name}”",
        "nb": "gruppen “{name}”",
    },
    "compared_with": {
        "en": "Compared with: {label} ({count})",
        "da": "Sammenlignet med: {label} ({count})",
        "nb": "Sammenlignet med: {label} ({count})",
    },
    "focus_outside_group": {
        "en": "{name} is not in this group, so it is not highlighted.",
        "da": "{name} er ikke med i gruppen og fremhæves derfor ikke.",
        "nb": "{name} er ikke med i gruppen og fremheves derfor ikke.",
    },
    "ranked_title": {
        "en": "Ranking",
        "da": "Rangering",
        "nb": "Rangering",
    },
    "ranked_note": {
        "en": "Bars show the headline value, whiskers its 95 % interval (none where the "
        "provider publishes rates only). The orange dashed line is the national figure, the "
        "black dotted line the peer average (weighted where counts are published: the sum of "
        "numerators over the sum of denominators, the peer average over the municipalities "
        "shown).",
        "da": "Søjlerne viser værdien, stregerne dens 95 %-interval (intet, hvor udbyderen kun "
        "offentliggør andele). Den orange stiplede linje er landstallet, den sorte prikkede "
        "linje gennemsnittet for sammenligningsgruppen (vægtet, hvor antal offentliggøres: "
        "summen af tællere over summen af nævnere, gennemsnittet over de viste kommuner).",
        "nb": "Søylene viser verdien, strekene 95 %-intervallet (intet der leverandøren bare "
        "publiserer andeler). Den oransje stiplede linjen er landstallet, den svarte prikkete "
        "linjen gjennomsnittet for sammenligningsgruppen (vektet der antall publiseres: "
        "summen av tellere over summen av nevnere, gjennomsnittet over de viste kommunene).",
    },
    "funnel_title": {
        "en": "Funnel plot: value against group size",
        "da": "Tragtdiagram: værdi mod gruppens størrelse",
        "nb": "Traktdiagram: verdi mot gruppens størrelse",
    },
    "funnel_note_rate": {
        "en": "Control limits: the national rate p ± z·√(p(1−p)/n), z = 1.96 (95 %) and 3.09 "
        "(99.8 %). A municipality outside them differs from the national figure by more than "
        "chance alone would explain for a group of its size.",
        "da": "Kontrolgrænser: landets andel p ± z·√(p(1−p)/n), z = 1,96 (95 %) og 3,09 "
        "(99,8 %). En kommune uden for dem afviger mere fra landstallet, end tilfældigheder "
        "alene forklarer for en gruppe af dens størrelse.",
        "nb": "Kontrollgrenser: landets andel p ± z·√(p(1−p)/n), z = 1,96 (95 %) og 3,09 "
        "(99,8 %). En kommune utenfor dem avviker mer fra landstallet enn tilfeldigheter alene "
        "forklarer for en gruppe av dens størrelse.",
    },
    "funnel_note_gap": {
        "en": "Control limits for a gap: each group's limits around its national rate (the "
        "target group at the size n on the axis, the comparison group at {ratio} × n, the "
        "national ratio of the two groups' sizes), combined as for the difference of two "
        "independent rates (the method behind the gaps' intervals); 95 % and 99.8 %.",
        "da": "Kontrolgrænser for en forskel: hver gruppes grænser om dens landsandel "
        "(målgruppen ved størrelsen n på aksen, sammenligningsgruppen ved {ratio} × n, landets "
        "forhold mellem de to gruppers størrelse), kombineret som for forskellen mellem to "
        "uafhængige andele (samme metode som forskellenes intervaller); 95 % og 99,8 %.",
        "nb": "Kontrollgrenser for en forskjell: hver gruppes grenser rundt landsandelen "
        "(målgruppen ved størrelsen n på aksen, sammenligningsgruppen ved {ratio} × n, landets "
        "forhold mellom gruppenes størrelse), kombinert som for forskjellen mellom to "
        "uavhengige andeler (samme metode som forskjellenes intervaller); 95 % og 99,8 %.",
    },
    "scatter_title": {
        "en": "Target group against comparison group",
        "da": "Målgruppe mod sammenligningsgruppe",
        "nb": "Målgruppe mot sammenligningsgruppe",
    },
    "table_title": {
        "en": "The numbers shown",
        "da": "De viste tal",
        "nb": "De viste tallene",
    },
    "table_note": {
        "en": "Click a column heading to sort. Empty cells are missing values; the note says why.",
        "da": "Klik på en kolonneoverskrift for at sortere. Tomme felter er manglende tal; "
        "noten siger hvorfor.",
        "nb": "Klikk på en kolonneoverskrift for å sortere. Tomme felt er manglende tall; "
        "merknaden sier hvorfor.",
    },
    "download": {
        "en": "Download as CSV (with sources)",
        "da": "Hent som CSV (med kilder)",
        "nb": "Last ned som CSV (med kilder)",
    },
    "col_rank": {"en": "Rank", "da": "Placering", "nb": "Plassering"},
    "col_name": {"en": "Municipality", "da": "Kommune", "nb": "Kommune"},
    "col_code": {"en": "Code", "da": "Kode", "nb": "Kode"},
    "col_value": {"en": "Value ({unit})", "da": "Værdi ({unit})", "nb": "Verdi ({unit})"},
    "col_lower": {"en": "95 % lower", "da": "95 % nedre", "nb": "95 % nedre"},
    "col_upper": {"en": "95 % upper", "da": "95 % øvre", "nb": "95 % øvre"},
    "col_n": {"en": "n (target group)", "da": "n (målgruppe)", "nb": "n (målgruppe)"},
    "col_target_rate": {
        "en": "Target group (%)",
        "da": "Målgruppe (%)",
        "nb": "Målgruppe (%)",
    },
    "col_comparison_rate": {
        "en": "Comparison group (%)",
        "da": "Sammenligningsgruppe (%)",
        "nb": "Sammenligningsgruppe (%)",
    },
    "col_funnel": {"en": "Funnel plot", "da": "Tragtdiagram", "nb": "Traktdiagram"},
    "col_note": {"en": "Note", "da": "Note", "nb": "Merknad"},
    "col_focus": {"en": "Focus", "da": "Fokus", "nb": "Fokus"},
    # Chart texts (used by components/compare.py through `say`).
    "unit_pp": {"en": "pp", "da": "pct.-point", "nb": "p.p."},
    "national_weighted": {
        "en": "National (weighted): {value}",
        "da": "Hele landet (vægtet): {value}",
        "nb": "Hele landet (vektet): {value}",
    },
    "national_unweighted": {
        "en": "National (unweighted mean): {value}",
        "da": "Hele landet (uvægtet gennemsnit): {value}",
        "nb": "Hele landet (uvektet gjennomsnitt): {value}",
    },
    "national_none": {
        "en": "No national figure for this period",
        "da": "Intet landstal for denne periode",
        "nb": "Intet landstall for denne perioden",
    },
    "peer_average_weighted": {
        "en": "Peer average (weighted): {value}",
        "da": "Gruppens gennemsnit (vægtet): {value}",
        "nb": "Gruppens gjennomsnitt (vektet): {value}",
    },
    "peer_average_unweighted": {
        "en": "Peer average (unweighted mean): {value}",
        "da": "Gruppens gennemsnit (uvægtet): {value}",
        "nb": "Gruppens gjennomsnitt (uvektet): {value}",
    },
    "unweighted_why": {
        "en": "The provider publishes rates only, so the references are plain means of the "
        "municipalities' rates, not weighted figures.",
        "da": "Udbyderen offentliggør kun andele, så referencerne er simple gennemsnit af "
        "kommunernes andele, ikke vægtede tal.",
        "nb": "Leverandøren publiserer bare andeler, så referansene er enkle gjennomsnitt av "
        "kommunenes andeler, ikke vektede tall.",
    },
    "peer_average_none": {
        "en": "No peer average (no values)",
        "da": "Intet gennemsnit for gruppen (ingen tal)",
        "nb": "Intet gjennomsnitt for gruppen (ingen tall)",
    },
    "national_short": {"en": "National {value}", "da": "Landet {value}", "nb": "Landet {value}"},
    "peer_average_short": {
        "en": "Peer average {value}",
        "da": "Gruppen {value}",
        "nb": "Gruppen {value}",
    },
    "funnel_within": {
        "en": "within the 95 % limits",
        "da": "inden for 95 %-grænserne",
        "nb": "innenfor 95 %-grensene",
    },
    "funnel_above_95": {
        "en": "above the 95 % limit",
        "da": "over 95 %-grænsen",
        "nb": "over 95 %-grensen",
    },
    "funnel_below_95": {
        "en": "below the 95 % limit",
        "da": "under 95 %-grænsen",
        "nb": "under 95 %-grensen",
    },
    "funnel_above_998": {
        "en": "above the 99.8 % limit",
        "da": "over 99,8 %-grænsen",
        "nb": "over 99,8 %-grensen",
    },
    "funnel_below_998": {
        "en": "below the 99.8 % limit",
        "da": "under 99,8 %-grænsen",
        "nb": "under 99,8 %-grensen",
    },
    "no_values": {
        "en": "No values to show for this choice.",
        "da": "Ingen tal at vise for dette valg.",
        "nb": "Ingen tall å vise for dette valget.",
    },
    "rank": {"en": "Rank", "da": "Placering", "nb": "Plassering"},
    "hover_interval": {"en": "95 % interval", "da": "95 %-interval", "nb": "95 %-intervall"},
    "legend_peers": {
        "en": "Other municipalities",
        "da": "Øvrige kommuner",
        "nb": "Øvrige kommuner",
    },
    "legend_focus": {"en": "{name} (focus)", "da": "{name} (fokus)", "nb": "{name} (fokus)"},
    "legend_limits": {
        "en": "{level} % control limits",
        "da": "{level} %-kontrolgrænser",
        "nb": "{level} %-kontrollgrenser",
    },
    "legend_diagonal": {
        "en": "No gap (equal rates)",
        "da": "Ingen forskel (lige store andele)",
        "nb": "Ingen forskjell (like store andeler)",
    },
    "funnel_x": {
        "en": "Target group size n (log scale)",
        "da": "Målgruppens størrelse n (logaritmisk)",
        "nb": "Målgruppens størrelse n (logaritmisk)",
    },
    "funnel_rates_only": {
        "en": "Funnel plot not available: provider publishes rates only.",
        "da": "Tragtdiagram ikke muligt: udbyderen offentliggør kun andele.",
        "nb": "Traktdiagram ikke mulig: leverandøren publiserer bare andeler.",
    },
    "funnel_none": {
        "en": "Funnel plot not available: no national figure with group sizes for this period.",
        "da": "Tragtdiagram ikke muligt: intet landstal med gruppestørrelser for perioden.",
        "nb": "Traktdiagram ikke mulig: intet landstall med gruppestørrelser for perioden.",
    },
    "scatter_share": {
        "en": "No scatter: a share has no comparison group.",
        "da": "Intet punktdiagram: en andel har ingen sammenligningsgruppe.",
        "nb": "Intet punktdiagram: en andel har ingen sammenligningsgruppe.",
    },
    "scatter_hover_target": {"en": "Target group", "da": "Målgruppe", "nb": "Målgruppe"},
    "scatter_hover_comparison": {
        "en": "Comparison group",
        "da": "Sammenligningsgruppe",
        "nb": "Sammenligningsgruppe",
    },
    "order_best": {"en": "1 = best", "da": "1 = bedst", "nb": "1 = best"},
    "order_big": {"en": "1 = largest", "da": "1 = størst", "nb": "1 = størst"},
    "summary_rank": {
        "en": "{name} ranks {ordinal} of {count} ({order}) with {value}.",
        "da": "{name} er nr. {rank} af {count} ({order}) med {value}.",
        "nb": "{name} er nr. {rank} av {count} ({order}) med {value}.",
    },
    "summary_focus_missing": {
        "en": "{name} has no value for this period ({note}).",
        "da": "{name} har intet tal for perioden ({note}).",
        "nb": "{name} har intet tall for perioden ({note}).",
    },
    "summary_focus_outside": {
        "en": "{name} is not in this group.",
        "da": "{name} er ikke med i gruppen.",
        "nb": "{name} er ikke med i gruppen.",
    },
    "summary_first_last": {
        "en": "{count} municipalities ranked: first {first} ({first_value}), last {last} "
        "({last_value}).",
        "da": "{count} kommuner rangeret: først {first} ({first_value}), sidst {last} "
        "({last_value}).",
        "nb": "{count} kommuner rangert: først {first} ({first_value}), sist {last} "
        "({last_value}).",
    },
    "summary_missing": {
        "en": "{count} without a value are listed below the chart.",
        "da": "{count} uden tal står under diagrammet.",
        "nb": "{count} uten tall står under diagrammet.",
    },
    "summary_funnel": {
        "en": "{outside} of {count} municipalities lie outside the 99.8 % limits ({above} "
        "above, {below} below) and {outside95} outside the 95 % limits around the national "
        "figure of {centre}.",
        "da": "{outside} af {count} kommuner ligger uden for 99,8 %-grænserne ({above} over, "
        "{below} under) og {outside95} uden for 95 %-grænserne omkring landstallet på "
        "{centre}.",
        "nb": "{outside} av {count} kommuner ligger utenfor 99,8 %-grensene ({above} over, "
        "{below} under) og {outside95} utenfor 95 %-grensene rundt landstallet på {centre}.",
    },
    "summary_funnel_focus": {
        "en": "{name} lies {where}.",
        "da": "{name} ligger {where}.",
        "nb": "{name} ligger {where}.",
    },
    "summary_scatter": {
        "en": "In {below} of {count} municipalities the target group's rate is below the "
        "comparison group's (points under the diagonal).",
        "da": "I {below} af {count} kommuner er målgruppens andel lavere end "
        "sammenligningsgruppens (punkter under diagonalen).",
        "nb": "I {below} av {count} kommuner er målgruppens andel lavere enn "
        "sammenligningsgruppens (punkter under diagonalen).",
    },
    "summary_scatter_focus": {
        "en": "{name}: {target} % against {comparison} %.",
        "da": "{name}: {target} % mod {comparison} %.",
        "nb": "{name}: {target} % mot {comparison} %.",
    },
    "missing_title": {
        "en": "Without a value ({count}), not drawn",
        "da": "Uden tal ({count}), ikke vist",
        "nb": "Uten tall ({count}), ikke vist",
    },
    # Problems with the address.
    "problem_period": {
        "en": "Unknown period",
        "da": "Ukendt periode",
        "nb": "Ukjent periode",
    },
    "problem_period_text": {
        "en": "“{value}” is not a period of {indicator} for {country}. Periods run from "
        "{first} to {last}.",
        "da": "“{value}” er ikke en periode for {indicator} i {country}. Perioderne går fra "
        "{first} til {last}.",
        "nb": "“{value}” er ikke en periode for {indicator} i {country}. Periodene går fra "
        "{first} til {last}.",
    },
    "problem_focus_text": {
        "en": "“{value}” is not a Danish or Norwegian municipality (code or name).",
        "da": "“{value}” er ikke en dansk eller norsk kommune (kode eller navn).",
        "nb": "“{value}” er ikke en dansk eller norsk kommune (kode eller navn).",
    },
    "problem_peers": {
        "en": "Unknown peer group",
        "da": "Ukendt sammenligningsgruppe",
        "nb": "Ukjent sammenligningsgruppe",
    },
    "problem_peers_text": {
        "en": "“{value}” is not a peer group. Use all, region, size, similar (optionally "
        "similar:k=5) or group:Name~code,code. ({detail})",
        "da": "“{value}” er ikke en sammenligningsgruppe. Brug all, region, size, similar "
        "(evt. similar:k=5) eller group:Navn~kode,kode. ({detail})",
        "nb": "“{value}” er ikke en sammenligningsgruppe. Bruk all, region, size, similar "
        "(evt. similar:k=5) eller group:Navn~kode,kode. ({detail})",
    },
    "problem_peers_focus_text": {
        "en": "The peer group “{value}” is chosen around a focus municipality; add one "
        "(focus=151) or compare with all municipalities.",
        "da": "Sammenligningsgruppen “{value}” vælges ud fra en fokuskommune; tilføj en "
        "(focus=151) eller sammenlign med alle kommuner.",
        "nb": "Sammenligningsgruppen “{value}” velges ut fra en fokuskommune; legg til en "
        "(focus=0301) eller sammenlign med alle kommuner.",
    },
    "problem_country": {"en": "Unknown country", "da": "Ukendt land", "nb": "Ukjent land"},
    "problem_country_text": {
        "en": "“{value}” is not a country of this barometer: use DK or NO.",
        "da": "“{value}” er ikke et land i barometeret: brug DK eller NO.",
        "nb": "“{value}” er ikke et land i barometeret: bruk DK eller NO.",
    },
    "problem_unavailable": {
        "en": "Not published for this country",
        "da": "Ikke offentliggjort for dette land",
        "nb": "Ikke publisert for dette landet",
    },
    "problem_unavailable_text": {
        "en": "{indicator} is not published for {country}. Indicators for {country}:",
        "da": "{indicator} offentliggøres ikke for {country}. Indikatorer for {country}:",
        "nb": "{indicator} publiseres ikke for {country}. Indikatorer for {country}:",
    },
    "problem_no_data": {
        "en": "No values yet for {indicator} in {country}. Run a refresh to load them.",
        "da": "Endnu ingen tal for {indicator} i {country}. Kør en opdatering.",
        "nb": "Ennå ingen tall for {indicator} i {country}. Kjør en oppdatering.",
    },
    "start_over": {
        "en": "Open the default comparison",
        "da": "Åbn standardsammenligningen",
        "nb": "Åpne standardsammenligningen",
    },
}

PROBLEM_TITLES = {
    "period": "problem_period",
    "peers": "problem_peers",
    "peers_focus": "problem_peers",
    "country": "problem_country",
    "unavailable": "problem_unavailable",
    "no_data": "problem_unavailable",
}
QUERY_KEYS = ("indicator", "period", "peers", "focus", "country", "lang")


def sayer(lang: str) -> ui.Say:
    """The page's text lookup in one language, as the component builders take it."""

    def say(key: str, **values: object) -> str:
        return lookup(TEXT, key, lang, **values)

    return say


def compare_url(query: Mapping[str, str | None]) -> str:
    """The page's address for a query, parameters in a fixed order, empty ones left out."""
    kept = [(k, query[k]) for k in QUERY_KEYS if query.get(k)]
    kept += [(k, v) for k, v in query.items() if k not in QUERY_KEYS and v]
    return f"{PATH}?{urlencode(kept, safe=':,~')}" if kept else PATH


def _one(value: Any) -> str | None:
    """A query value as one string (a repeated parameter keeps its first value)."""
    if isinstance(value, list):
        value = value[0] if value else None
    return None if value is None else str(value)


def country_name(code: str, lang: str) -> str:
    return t("country_" + code, lang) if code in ("DK", "NO") else code


def period_label(period: str, lang: str) -> str:
    """'2021 Q2' in English, '2021 K2' in Danish and Norwegian; years as they are."""
    if len(period) == 6 and period[4] == "K":
        return f"{period[:4]} {'Q' if lang == 'en' else 'K'}{period[5]}"
    return period


# --------------------------------------------------------------------------------------------
# Problems with the address: a helpful message with the closest values
# --------------------------------------------------------------------------------------------


def build_problem(problem: CompareProblem, query: dict[str, str | None], lang: str) -> html.Div:
    """The message for an unusable parameter, with links to the closest usable views."""
    say = sayer(lang)
    kind = problem.kind
    indicator = query.get("indicator") or DEFAULT_INDICATOR
    focus = find_municipality(query.get("focus") or "")
    country = focus.country if focus else (query.get("country") or "DK").upper()
    replace = {
        "indicator": "indicator",
        "unavailable": "indicator",
        "period": "period",
        "focus": "focus",
        "peers": "peers",
        "peers_focus": "peers",
        "country": "country",
    }.get(kind)
    if kind == "indicator":
        title, text = (
            t("unknown_indicator", lang),
            t("unknown_indicator_text", lang, value=indicator),
        )
    elif kind == "focus":
        title = t("unknown_municipality", lang)
        text = say("problem_focus_text", value=problem.value)
    elif kind == "period":
        periods = problem.choices
        text = say(
            "problem_period_text",
            value=problem.value,
            indicator=indicator,
            country=country_name(country, lang),
            first=period_label(periods[-1], lang) if periods else "",
            last=period_label(periods[0], lang) if periods else "",
        )
        title = say("problem_period")
    elif kind == "peers":
        title = say("problem_peers")
        text = say("problem_peers_text", value=problem.value, detail=str(problem))
    elif kind == "peers_focus":
        title = say("problem_peers")
        text = say("problem_peers_focus_text", value=problem.value)
    elif kind == "country":
        title, text = say("problem_country"), say("problem_country_text", value=problem.value)
    elif kind == "unavailable":
        title = say("problem_unavailable")
        text = say(
            "problem_unavailable_text", indicator=indicator, country=country_name(country, lang)
        )
    else:
        title = say("problem_unavailable")
        text = say("problem_no_data", indicator=indicator, country=country_name(country, lang))
    links = []
    for value, label in problem.suggestions:
        shown = label
        if kind in ("indicator", "unavailable"):
            found = next((i for i in list_indicators() if i.id == value), None)
            shown = f"{found.title_in(lang)} ({value})" if found else label
        elif kind == "country":
            shown = country_name(value, lang)
        elif kind in ("peers", "peers_focus") and f"peers_{value}" in TEXT:
            shown = f"{say('peers_' + value)} ({value})"
        href = compare_url({**query, replace: value} if replace else query)
        if kind == "country":
            href = compare_url({**query, "country": value, "focus": None})
        links.append(html.Li(dcc.Link(shown, href=href)))
    default = compare_url({"lang": lang})
    return html.Div(
        [
            html.H1(title),
            html.P(text),
            html.P(t("did_you_mean", lang)) if links and kind != "unavailable" else None,
            html.Ul(links, className="compare-suggestions") if links else None,
            html.P(dcc.Link(say("start_over"), href=default)),
        ],
        className="not-found compare-problem",
        id="compare-problem",
    )


# --------------------------------------------------------------------------------------------
# The view: every output of the main callback, also used to draw the first view
# --------------------------------------------------------------------------------------------


def peers_label(comparison: Comparison, lang: str) -> str:
    """Who the view compares with, in words."""
    say, peers = sayer(lang), comparison.peers
    if peers.kind == "region":
        return say("peers_label_region", region=peers.label)
    if peers.kind == "size":
        return say("peers_label_size", band=size_band_label(peers, lang))
    if peers.kind == "similar" and comparison.focus is not None:
        return say("peers_label_similar", name=comparison.focus.name, k=len(peers.codes) - 1)
    if peers.kind == "group":
        return say("peers_label_group", name=peers.label)
    return say("peers_label_all", country=country_name(comparison.country, lang))


def indicator_options(country: str, lang: str) -> list[dict[str, Any]]:
    """Every indicator by title; those not published for the country are disabled."""
    options = []
    for indicator in list_indicators():
        available = country in indicator.countries
        label = indicator.title_in(lang)
        if not available:
            only = ", ".join(country_name(c, lang) for c in indicator.countries)
            label = sayer(lang)("only_in", title=label, country=only)
        options.append({"label": label, "value": indicator.id, "disabled": not available})
    return options


def peer_options(spec: str, has_focus: bool, lang: str) -> list[dict[str, Any]]:
    """The peer groups; those chosen around a focus are disabled without one."""
    say = sayer(lang)
    options = []
    for kind in ("all", "region", "size", "similar", "group"):
        label = say(f"peers_{kind}")
        disabled = kind in PEERS_NEEDING_FOCUS and not has_focus
        if disabled:
            label += f" ({say('needs_focus')})"
        options.append({"label": label, "value": kind, "disabled": disabled})
    if spec.startswith("similar:"):
        options.insert(
            4,
            {"label": say("peers_similar_custom", spec=spec[8:]), "value": spec, "disabled": False},
        )
    return options


def member_options(country: str) -> list[dict[str, str]]:
    """A country's municipalities for the group picker."""
    return [
        {"label": f"{m.name} ({m.code})", "value": m.code}
        for m in sorted(list_municipalities(country), key=lambda m: m.name)
    ]


def table_columns(comparison: Comparison, lang: str) -> list[dict[str, Any]]:
    """DataTable columns for the view, numbers formatted in the reader's language."""
    say = sayer(lang)
    decimal = "." if lang == "en" else ","
    group = "," if lang == "en" else ("." if lang == "da" else "\u00a0")
    one = Format(
        precision=1,
        scheme=Scheme.fixed,
        decimal_delimiter=decimal,
        group_delimiter=group,
    )
    whole = Format(
        precision=0,
        scheme=Scheme.fixed,
        group=Group.yes,
        groups=3,
        decimal_delimiter=decimal,
        group_delimiter=group,
    )
    unit = ui.unit(comparison, say)
    columns = []
    for key in ["focus", *ui.table_keys(comparison)]:
        name = say(f"col_{key}", unit=unit) if key == "value" else say(f"col_{key}")
        column: dict[str, Any] = {"id": key, "name": name}
        if key in ("value", "lower", "upper", "target_rate", "comparison_rate"):
            column.update(type="numeric", format=one)
        elif key in ("n", "rank"):
            column.update(type="numeric", format=whole)
        else:
            column["type"] = "text"
        columns.append(column)
    return columns


def focus_highlight(comparison: Comparison) -> list[dict[str, Any]]:
    """The focus municipality's table row in the focus colour and bold."""
    if comparison.focus is None:
        return []
    return [
        {
            "if": {"filter_query": f'{{code}} = "{comparison.focus.code}"'},
            "backgroundColor": "#d4e9f7",
            "fontWeight": "bold",
        }
    ]


def view_outputs(comparison: Comparison, lang: str) -> dict[str, Any]:
    """Every output of the main callback for a computed view."""
    say = sayer(lang)
    query = view_query(comparison, lang)
    definition = comparison.indicator
    kind = comparison.peers.kind
    peers_value = comparison.peers_spec if kind != "group" else "group"
    notes = []
    if not comparison.focus_in_peers and comparison.focus is not None:
        notes.append(html.P(say("focus_outside_group", name=comparison.focus.name)))
    caveat = definition.countries[comparison.country].caveats
    funnel_note = ""
    if comparison.funnel is not None:
        funnel_note = (
            say("funnel_note_gap", ratio=ui.format_number(comparison.funnel.comparison_ratio, lang))
            if comparison.funnel.method == "gap"
            else say("funnel_note_rate")
        )
    return {
        "url": {"url": compare_url(query), "replace": False},
        **{f"lang_{code}": compare_url({**query, "lang": code}) for code in LANGUAGES},
        "heading": [
            html.H2(
                f"{definition.title_in(lang)} · {country_name(comparison.country, lang)}"
                f" · {period_label(comparison.period, lang)}"
            ),
            html.P(
                say(
                    "compared_with", label=peers_label(comparison, lang), count=len(comparison.rows)
                ),
                className="compare-peers-label",
            ),
            html.P(caveat.get(lang, caveat.get("en", "")), className="note caveat"),
            *notes,
        ],
        "message": None,
        "results_style": {},
        "bar_figure": ui.build_ranked_figure(comparison, say, lang),
        "bar_style": {"height": f"{ui.bar_height(len(comparison.shown))}px"},
        "bar_summary": ui.summarise_ranking(comparison, say, lang),
        "missing": ui.build_missing_list(comparison, say, lang),
        "funnel_figure": ui.build_funnel_figure(comparison, say, lang),
        "funnel_summary": ui.summarise_funnel(comparison, say, lang),
        "funnel_note": funnel_note,
        "scatter_figure": ui.build_scatter_figure(comparison, say, lang),
        "scatter_summary": ui.summarise_scatter(comparison, say, lang),
        "scatter_note": "" if comparison.scatter_reason else ui.group_labels(comparison, say, lang),
        "table_data": ui.table_records(comparison, say, lang),
        "table_columns": table_columns(comparison, lang),
        "table_style": focus_highlight(comparison),
        "indicator_options": indicator_options(comparison.country, lang),
        "indicator": definition.id,
        "period_options": [
            {"label": period_label(p, lang), "value": p} for p in comparison.periods
        ],
        "period": comparison.period,
        "country": comparison.country,
        "focus": comparison.focus.code if comparison.focus else None,
        "peers_options": peer_options(comparison.peers_spec, comparison.focus is not None, lang),
        "peers": peers_value,
        "group_style": {} if kind == "group" else {"display": "none"},
        "group_options": member_options(comparison.country) if kind == "group" else [],
        "group_members": comparison.peers.codes if kind == "group" else [],
        "group_name": comparison.peers.label if kind == "group" else say("group_default"),
    }


def problem_outputs(message: Any, controls: dict[str, Any], lang: str) -> dict[str, Any]:
    """The outputs when the controls ask for something that cannot be shown: a message."""
    empty = ui.empty_figure("")
    country = controls["country"]
    kind = (controls["peers"] or DEFAULT_PEERS).split(":", 1)[0]
    outputs: dict[str, Any] = {
        "url": dash.no_update,
        **{f"lang_{code}": dash.no_update for code in LANGUAGES},
        "heading": None,
        "message": message,
        "results_style": {"display": "none"},
        "bar_figure": empty,
        "bar_style": {"height": "220px"},
        "bar_summary": "",
        "missing": None,
        "funnel_figure": empty,
        "funnel_summary": "",
        "funnel_note": "",
        "scatter_figure": empty,
        "scatter_summary": "",
        "scatter_note": "",
        "table_data": [],
        "table_columns": [],
        "table_style": [],
        "indicator_options": indicator_options(country, lang),
        "period_options": dash.no_update,
        "peers_options": peer_options(controls["peers"] or "", bool(controls["focus"]), lang),
        "group_style": {} if kind == "group" else {"display": "none"},
        "group_options": member_options(country) if kind == "group" else [],
    }
    for key in ("indicator", "period", "country", "focus", "peers", "group_members"):
        outputs[key] = controls[key]
    outputs["group_name"] = controls["group_name"]
    return outputs


def read_controls(
    indicator: str | None,
    period: str | None,
    country: str | None,
    focus: str | None,
    peers: str | None,
    group_members: list[str] | None,
    group_name: str | None,
    triggered: str | None,
    lang: str,
) -> dict[str, Any]:
    """The view the controls ask for, made consistent (the country follows the focus)."""
    focus_municipality = find_municipality(focus) if focus else None
    country = country if country in ("DK", "NO") else "DK"
    if focus_municipality is not None and focus_municipality.country != country:
        if triggered == ui.COUNTRY:
            focus_municipality = None  # a new country drops a focus from the other one
        else:
            country = focus_municipality.country
    kind = peers or DEFAULT_PEERS
    if kind.split(":", 1)[0] in PEERS_NEEDING_FOCUS and focus_municipality is None:
        kind = DEFAULT_PEERS
    members = [
        c for c in (group_members or []) if (m := find_municipality(c)) and m.country == country
    ]
    name = (group_name or "").strip() or sayer(lang)("group_default")
    spec = kind
    if kind == "group":
        # The plain form of a group token (what Dash hands back after decoding the URL once);
        # resolve_peers checks it and a bad name becomes a message, not an error.
        spec = f"group:{name.replace('%', '')}~{','.join(members)}" if members else ""
    return {
        "indicator": indicator or DEFAULT_INDICATOR,
        "period": period,
        "country": country,
        "focus": focus_municipality.code if focus_municipality else None,
        "peers": kind,
        "spec": spec,
        "group_members": members,
        "group_name": name,
    }


def update_view(
    indicator: str | None,
    period: str | None,
    country: str | None,
    focus: str | None,
    peers: str | None,
    group_members: list[str] | None,
    group_name: str | None,
    lang: str | None,
    triggered: str | None = None,
) -> dict[str, Any]:
    """Every output of the main callback for the controls' values (plain, testable)."""
    lang = normalise_language(lang)
    controls = read_controls(
        indicator, period, country, focus, peers, group_members, group_name, triggered, lang
    )
    if not controls["spec"]:
        return problem_outputs(html.P(sayer(lang)("group_empty")), controls, lang)
    try:
        comparison = get_comparison(
            controls["indicator"],
            controls["period"],
            controls["spec"],
            controls["focus"],
            controls["country"],
            latest_if_unknown=True,
        )
    except CompareProblem as problem:
        query = {
            "indicator": controls["indicator"],
            "focus": controls["focus"],
            "country": None if controls["focus"] else controls["country"],
            "lang": lang,
        }
        return problem_outputs(build_problem(problem, query, lang), controls, lang)
    return view_outputs(comparison, lang)


# --------------------------------------------------------------------------------------------
# Layout
# --------------------------------------------------------------------------------------------


def _labelled(label: str, control: Any, target: str, class_name: str = "") -> html.Div:
    return html.Div(
        [html.Label(label, htmlFor=target), control], className=f"compare-control {class_name}"
    )


def build_controls(out: dict[str, Any], lang: str) -> html.Div:
    """Indicator, period, country, focus and peer group, each labelled."""
    say = sayer(lang)
    return html.Div(
        [
            _labelled(
                t("indicator", lang),
                dcc.Dropdown(
                    id=ui.INDICATOR,
                    options=out["indicator_options"],
                    value=out["indicator"],
                    clearable=False,
                    searchable=True,
                ),
                ui.INDICATOR,
                "compare-control-wide",
            ),
            _labelled(
                t("period", lang),
                dcc.Dropdown(
                    id=ui.PERIOD,
                    options=out["period_options"],
                    value=out["period"],
                    clearable=False,
                    searchable=True,
                ),
                ui.PERIOD,
            ),
            _labelled(
                say("country"),
                dcc.RadioItems(
                    id=ui.COUNTRY,
                    options=[{"label": country_name(c, lang), "value": c} for c in ("DK", "NO")],
                    value=out["country"],
                    inline=True,
                    className="compare-country",
                ),
                ui.COUNTRY,
                "compare-control-country",
            ),
            _labelled(
                say("focus"),
                dcc.Dropdown(
                    id=ui.FOCUS,
                    options=picker_options(lang),
                    value=out["focus"],
                    placeholder=t("picker_placeholder", lang),
                    clearable=True,
                    searchable=True,
                ),
                ui.FOCUS,
                "compare-control-wide",
            ),
            _labelled(
                t("peers", lang),
                dcc.Dropdown(
                    id=ui.PEERS,
                    options=out["peers_options"],
                    value=out["peers"],
                    clearable=False,
                    searchable=False,
                ),
                ui.PEERS,
                "compare-control-wide",
            ),
            html.Div(
                [
                    _labelled(
                        say("group_members"),
                        dcc.Dropdown(
                            id=ui.GROUP_MEMBERS,
                            options=out["group_options"],
                            value=out["group_members"],
                            multi=True,
                            searchable=True,
                        ),
                        ui.GROUP_MEMBERS,
                        "compare-control-wide",
                    ),
                    _labelled(
                        say("group_name"),
                        dcc.Input(
                            id=ui.GROUP_NAME,
                            value=out["group_name"],
                            type="text",
                            debounce=True,
                            maxLength=80,
                        ),
                        ui.GROUP_NAME,
                    ),
                ],
                id=ui.GROUP_SECTION,
                style=out["group_style"],
                className="compare-group",
            ),
        ],
        className="compare-controls",
    )


def figure_section(
    title: str,
    summary: tuple[Any, str],
    graph: tuple[str, dict, dict | None],
    after: list,
) -> html.Section:
    """A chart with its heading, its text summary (for screen readers too) and notes."""
    text, summary_id = summary
    graph_id, figure, style = graph
    return html.Section(
        [
            html.H3(title),
            html.Figure(
                [
                    html.Figcaption(text, id=summary_id, className="compare-summary"),
                    dcc.Graph(
                        id=graph_id,
                        figure=figure,
                        config={"displaylogo": False, "responsive": True},
                        className="chart compare-chart",
                        style=style or {},
                    ),
                ],
                className="compare-figure",
            ),
            *after,
        ],
        className="compare-section",
    )


def build_results(out: dict[str, Any], lang: str) -> html.Div:
    """Headings, the three charts with their summaries, the missing list and the table."""
    say = sayer(lang)
    return html.Div(
        [
            html.Div(out["heading"], id=ui.HEADING, className="compare-heading"),
            figure_section(
                say("ranked_title"),
                (out["bar_summary"], ui.BAR_SUMMARY),
                (ui.BAR, out["bar_figure"], out["bar_style"]),
                [
                    html.P(say("ranked_note"), className="note"),
                    html.Div(out["missing"], id=ui.MISSING),
                ],
            ),
            html.Div(
                [
                    figure_section(
                        say("funnel_title"),
                        (out["funnel_summary"], ui.FUNNEL_SUMMARY),
                        (ui.FUNNEL, out["funnel_figure"], None),
                        [html.P(out["funnel_note"], id="compare-funnel-note", className="note")],
                    ),
                    figure_section(
                        say("scatter_title"),
                        (out["scatter_summary"], ui.SCATTER_SUMMARY),
                        (ui.SCATTER, out["scatter_figure"], None),
                        [html.P(out["scatter_note"], id="compare-scatter-note", className="note")],
                    ),
                ],
                className="compare-pair",
            ),
            html.Section(
                [
                    html.H3(say("table_title")),
                    html.P(say("table_note"), className="note"),
                    html.Button(
                        say("download"), id=ui.DOWNLOAD_BUTTON, className="compare-download"
                    ),
                    dcc.Download(id=ui.DOWNLOAD),
                    DataTable(
                        id=ui.TABLE,
                        data=out["table_data"],
                        columns=out["table_columns"],
                        sort_action="native",
                        style_data_conditional=out["table_style"],
                        style_table={"overflowX": "auto"},
                        style_cell={
                            "fontFamily": "inherit",
                            "fontSize": "15px",
                            "padding": "4px 8px",
                            "textAlign": "right",
                            "whiteSpace": "normal",
                            "height": "auto",
                        },
                        style_cell_conditional=[
                            *(
                                {"if": {"column_id": c}, "textAlign": "left"}
                                for c in ("name", "note", "funnel", "focus")
                            ),
                            {"if": {"column_id": "funnel"}, "minWidth": "230px"},
                            {"if": {"column_id": "note"}, "minWidth": "220px"},
                            {"if": {"column_id": "name"}, "minWidth": "130px"},
                        ],
                        style_header={
                            "fontWeight": "bold",
                            "backgroundColor": "#f0f0f0",
                            "whiteSpace": "normal",
                        },
                        page_action="none",
                    ),
                ],
                className="compare-section compare-table",
            ),
        ],
        id=ui.RESULTS,
        style=out["results_style"],
    )


@safe_layout
def layout(
    indicator: Any = None,
    period: Any = None,
    peers: Any = None,
    focus: Any = None,
    country: Any = None,
    lang: Any = None,
    **_: Any,
) -> html.Div:
    """The view the URL asks for; unknown values get a helpful message with suggestions."""
    lang = normalise_language(_one(lang))
    query = {
        "indicator": _one(indicator),
        "period": _one(period),
        "peers": _one(peers),
        "focus": _one(focus),
        "country": _one(country),
        "lang": lang,
    }
    try:
        comparison = get_comparison(
            query["indicator"], query["period"], query["peers"], query["focus"], query["country"]
        )
    except CompareProblem as problem:
        return page_frame(build_problem(problem, query, lang), lang, PATH, query)
    out = view_outputs(comparison, lang)
    canonical = view_query(comparison, lang)
    content = [
        html.H1(sayer(lang)("title")),
        html.P(sayer(lang)("intro"), className="description"),
        build_controls(out, lang),
        dcc.Store(id=ui.LANG_STORE, data=lang),
        dcc.Store(id=ui.URL_STORE, data={"url": compare_url(canonical), "replace": True}),
        html.Div(id=ui.URL_DONE, hidden=True),
        html.Div(
            out["message"],
            id=ui.MESSAGE,
            role="status",
            **{"aria-live": "polite"},  # type: ignore[arg-type]
        ),
        build_results(out, lang),
    ]
    return page_frame(content, lang, PATH, canonical)


# --------------------------------------------------------------------------------------------
# Callbacks (thin: they unpack the controls and call the plain functions above)
# --------------------------------------------------------------------------------------------

OUTPUTS = {
    "url": Output(ui.URL_STORE, "data"),
    **{f"lang_{code}": Output(f"lang-{code}", "href", allow_duplicate=True) for code in LANGUAGES},
    "heading": Output(ui.HEADING, "children"),
    "message": Output(ui.MESSAGE, "children"),
    "results_style": Output(ui.RESULTS, "style"),
    "bar_figure": Output(ui.BAR, "figure"),
    "bar_style": Output(ui.BAR, "style"),
    "bar_summary": Output(ui.BAR_SUMMARY, "children"),
    "missing": Output(ui.MISSING, "children"),
    "funnel_figure": Output(ui.FUNNEL, "figure"),
    "funnel_summary": Output(ui.FUNNEL_SUMMARY, "children"),
    "funnel_note": Output("compare-funnel-note", "children"),
    "scatter_figure": Output(ui.SCATTER, "figure"),
    "scatter_summary": Output(ui.SCATTER_SUMMARY, "children"),
    "scatter_note": Output("compare-scatter-note", "children"),
    "table_data": Output(ui.TABLE, "data"),
    "table_columns": Output(ui.TABLE, "columns"),
    "table_style": Output(ui.TABLE, "style_data_conditional"),
    "indicator_options": Output(ui.INDICATOR, "options"),
    "indicator": Output(ui.INDICATOR, "value"),
    "period_options": Output(ui.PERIOD, "options"),
    "period": Output(ui.PERIOD, "value"),
    "country": Output(ui.COUNTRY, "value"),
    "focus": Output(ui.FOCUS, "value"),
    "peers_options": Output(ui.PEERS, "options"),
    "peers": Output(ui.PEERS, "value"),
    "group_style": Output(ui.GROUP_SECTION, "style"),
    "group_options": Output(ui.GROUP_MEMBERS, "options"),
    "group_members": Output(ui.GROUP_MEMBERS, "value"),
    "group_name": Output(ui.GROUP_NAME, "value"),
}
CONTROLS = {
    "indicator": Input(ui.INDICATOR, "value"),
    "period": Input(ui.PERIOD, "value"),
    "country": Input(ui.COUNTRY, "value"),
    "focus": Input(ui.FOCUS, "value"),
    "peers": Input(ui.PEERS, "value"),
    "group_members": Input(ui.GROUP_MEMBERS, "value"),
    "group_name": Input(ui.GROUP_NAME, "value"),
}


@callback(
    output=OUTPUTS,
    inputs=CONTROLS,
    state={"lang": State(ui.LANG_STORE, "data")},
    prevent_initial_call=True,
)
def update_compare(**values: Any) -> dict[str, Any]:
    """Any control changed: redraw the view and write it into the URL."""
    return update_view(**values, triggered=dash.ctx.triggered_id)


@callback(
    output=Output(ui.DOWNLOAD, "data"),
    inputs={"n_clicks": Input(ui.DOWNLOAD_BUTTON, "n_clicks")},
    state={
        **{
            key: State(item.component_id, item.component_property) for key, item in CONTROLS.items()
        },
        "lang": State(ui.LANG_STORE, "data"),
    },
    prevent_initial_call=True,
)
def download_csv(n_clicks: int | None, **values: Any) -> Any:
    """The table as CSV with a provenance header."""
    import flask

    if not n_clicks:
        return dash.no_update
    base = flask.request.host_url.rstrip("/")
    return csv_download(**values, base_url=base) or dash.no_update


def csv_download(
    indicator: str | None,
    period: str | None,
    country: str | None,
    focus: str | None,
    peers: str | None,
    group_members: list[str] | None,
    group_name: str | None,
    lang: str | None,
    base_url: str,
    now: dt.datetime | None = None,
) -> dict[str, Any] | None:
    """The CSV file of the view the controls show (dcc.Download's dict); None when none is."""
    lang = normalise_language(lang)
    controls = read_controls(
        indicator, period, country, focus, peers, group_members, group_name, None, lang
    )
    if not controls["spec"]:
        return None  # an own group without members: the page shows a message, not a table
    try:
        comparison = get_comparison(
            controls["indicator"],
            controls["period"],
            controls["spec"],
            controls["focus"],
            controls["country"],
            latest_if_unknown=True,
        )
    except CompareProblem:
        return None
    records = ui.table_records(comparison, sayer(lang), lang)
    provenance = get_provenance(comparison.indicator, comparison.country)
    url = base_url + compare_url(view_query(comparison, lang))
    generated = (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
    text = ui.build_csv(comparison, records, provenance, url, generated)
    name = f"compare-{comparison.indicator.id}-{comparison.country}-{comparison.period}.csv"
    return {"content": text, "filename": name, "type": "text/csv", "base64": False}


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
    Output(ui.URL_DONE, "children"),
    Input(ui.URL_STORE, "data"),
)
