"""The municipality scorecard: one card per indicator, built from plain data.

Pure functions, no callbacks and no database: `build_card_facts` turns the frames read by
queries/scorecard.py into a `CardFacts`; `headline_text`, `rank_text` and friends write it in
English, Danish or Norwegian; `build_card`, `build_peer_selector` and `build_similar_table`
return Dash components; `build_sparkline_figure` a dict figure. Texts live in TEXT below
(pages/municipality.py merges them into its own table, so the language test covers them).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd
from dash import dcc, html

from components.i18n import lookup, t
from indicators.notes import Note
from indicators.peers import SIZE_BANDS
from indicators.registry import CountryDefinition, Group, Indicator, get_indicator
from indicators.stats import round_pp
from loaders.municipalities import find_municipality
from locales.notes import describe_missing, describe_note
from queries.peers import PeerSet
from queries.scorecard import ScorecardData

# Okabe-Ito blue and vermilion with a neutral grey: never red against green.
LIGHTS = {
    "better": ("▲", "#0072B2"),
    "unchanged": ("●", "#6E6E6E"),
    "worse": ("▼", "#D55E00"),
}
SPARK_COLOUR = "#0072B2"
PEER_CHOICES = ("all", "region", "size", "similar")
REASON_PART = re.compile(r"(\w+) \(([\d.]+) SD\)")
MINUS = "\u2212"
NBSP = "\u00a0"

TEXT: dict[str, dict[str, str]] = {
    "scorecard_heading": {
        "en": "Scorecard: every indicator",
        "da": "Resultatoversigt: alle indikatorer",
        "nb": "Resultatoversikt: alle indikatorer",
    },
    "scorecard_intro": {
        "en": "The latest period of each indicator for {name}. Click a title to show it over "
        "time in the chart below.",
        "da": "Seneste periode for hver indikator i {name}. Klik på en titel for at se "
        "udviklingen i diagrammet nedenfor.",
        "nb": "Siste periode for hver indikator i {name}. Klikk på en tittel for å se "
        "utviklingen i diagrammet nedenfor.",
    },
    "peers_all": {"en": "All municipalities", "da": "Alle kommuner", "nb": "Alle kommuner"},
    "peers_region_DK": {"en": "Same region", "da": "Samme region", "nb": "Samme region"},
    "peers_region_NO": {"en": "Same county", "da": "Samme fylke", "nb": "Samme fylke"},
    "peers_size": {"en": "Same size band", "da": "Samme størrelse", "nb": "Samme størrelse"},
    "peers_similar": {
        "en": "Most similar",
        "da": "Mest sammenlignelige",
        "nb": "Mest like",
    },
    "peers_group": {"en": "Group: {name}", "da": "Gruppe: {name}", "nb": "Gruppe: {name}"},
    "peers_description": {
        "en": "Ranks are among {label}: {n} municipalities.",
        "da": "Placeringer er blandt {label}: {n} kommuner.",
        "nb": "Plasseringer er blant {label}: {n} kommuner.",
    },
    "peers_description_one": {
        "en": "Ranks are among {label}: only {name} itself.",
        "da": "Placeringer er blandt {label}: kun {name} selv.",
        "nb": "Plasseringer er blant {label}: bare {name} selv.",
    },
    "county_label": {"en": "{name} county", "da": "{name} fylke", "nb": "{name} fylke"},
    "peer_size_label": {
        "en": "municipalities of {band} residents",
        "da": "kommuner med {band} indbyggere",
        "nb": "kommuner med {band} innbyggere",
    },
    "peer_similar_label": {
        "en": "{name} and the {k} most similar municipalities",
        "da": "{name} og de {k} mest sammenlignelige kommuner",
        "nb": "{name} og de {k} mest like kommunene",
    },
    "similar_heading": {
        "en": "Why these peers: their structure beside {name}",
        "da": "Hvorfor disse kommuner: deres struktur ved siden af {name}",
        "nb": "Hvorfor disse kommunene: strukturen deres ved siden av {name}",
    },
    "similar_note": {
        "en": "Distance: the weighted root mean square of the standardised differences, roughly "
        "how many standard deviations (SD) apart. Variables from the latest period.",
        "da": "Afstand: det vægtede kvadratiske gennemsnit af de standardiserede forskelle, "
        "omtrent hvor mange standardafvigelser (SD) fra hinanden. Seneste periode.",
        "nb": "Avstand: det vektede kvadratiske gjennomsnittet av de standardiserte forskjellene, "
        "omtrent hvor mange standardavvik (SD) fra hverandre. Siste periode.",
    },
    "col_municipality": {"en": "Municipality", "da": "Kommune", "nb": "Kommune"},
    "col_distance": {"en": "Distance (SD)", "da": "Afstand (SD)", "nb": "Avstand (SD)"},
    "col_reason": {"en": "Why", "da": "Hvorfor", "nb": "Hvorfor"},
    "var_pop": {"en": "Population", "da": "Indbyggere", "nb": "Innbyggere"},
    "var_share": {
        "en": "Non-Western share",
        "da": "Ikke-vestlig andel",
        "nb": "Ikke-vestlig andel",
    },
    "var_emp": {
        "en": "Employment rate, comparison group",
        "da": "Beskæftigelse, sammenligningsgruppe",
        "nb": "Sysselsetting, sammenligningsgruppe",
    },
    "in_pop": {"en": "population", "da": "indbyggertal", "nb": "folketall"},
    "in_share": {
        "en": "non-Western share",
        "da": "ikke-vestlig andel",
        "nb": "ikke-vestlig andel",
    },
    "in_emp": {
        "en": "the comparison group's employment rate",
        "da": "sammenligningsgruppens beskæftigelse",
        "nb": "sammenligningsgruppens sysselsetting",
    },
    "focus_row": {
        "en": "{name} (this page)",
        "da": "{name} (denne side)",
        "nb": "{name} (denne siden)",
    },
    "reason_closest": {
        "en": "closest on {what}",
        "da": "tættest på {what}",
        "nb": "nærmest på {what}",
    },
    "and": {"en": "and", "da": "og", "nb": "og"},
    "all_ages": {"en": "all ages", "da": "alle aldre", "nb": "alle aldre"},
    "ages": {"en": "ages {band}", "da": "{band} år", "nb": "{band} år"},
    "word_gap": {"en": "Gap", "da": "Forskel", "nb": "Forskjell"},
    "word_rate": {"en": "Rate", "da": "Andel", "nb": "Andel"},
    "word_share": {"en": "Share", "da": "Andel", "nb": "Andel"},
    "unit_pp": {"en": "pp", "da": "pct.-point", "nb": "prosentpoeng"},
    "interval": {
        "en": "95 % interval {lower} to {upper}",
        "da": "95 %-interval {lower} til {upper}",
        "nb": "95 %-intervall {lower} til {upper}",
    },
    "n_both": {
        "en": "n = {target} and {comparison}",
        "da": "n = {target} og {comparison}",
        "nb": "n = {target} og {comparison}",
    },
    "n_both_title": {
        "en": "n: people in the target group ({target}) and in the comparison group ({comparison})",
        "da": "n: personer i målgruppen ({target}) og i sammenligningsgruppen ({comparison})",
        "nb": "n: personer i målgruppen ({target}) og i sammenligningsgruppen ({comparison})",
    },
    "n_one": {
        "en": "n = {target} residents",
        "da": "n = {target} indbyggere",
        "nb": "n = {target} innbyggere",
    },
    "change_since": {
        "en": "Since {period}: {change}",
        "da": "Siden {period}: {change}",
        "nb": "Siden {period}: {change}",
    },
    "no_value_in": {
        "en": "no value in {period} to compare with",
        "da": "ingen værdi i {period} at sammenligne med",
        "nb": "ingen verdi i {period} å sammenligne med",
    },
    "light_better": {"en": "Better", "da": "Bedre", "nb": "Bedre"},
    "light_unchanged": {"en": "Unchanged", "da": "Uændret", "nb": "Uendret"},
    "light_worse": {"en": "Worse", "da": "Dårligere", "nb": "Dårligere"},
    "sig_better": {"en": "better", "da": "bedre", "nb": "bedre"},
    "sig_unchanged": {"en": "unchanged", "da": "uændret", "nb": "uendret"},
    "sig_worse": {"en": "worse", "da": "dårligere", "nb": "dårligere"},
    "light_none": {
        "en": "No traffic light: this describes the population, not a goal",
        "da": "Intet trafiklys: beskriver befolkningen, ikke et mål",
        "nb": "Ingen trafikklys: beskriver befolkningen, ikke et mål",
    },
    "light_missing": {
        "en": "No traffic light: no value to compare with {period}",
        "da": "Intet trafiklys: ingen værdi at sammenligne med {period}",
        "nb": "Ingen trafikklys: ingen verdi å sammenligne med {period}",
    },
    "light_rule": {
        "en": "Barometer rule since {period}: {then} then and {now} now, both rounded to whole "
        "percentage points. Better or worse in the good direction ({direction}); the same "
        "whole number is unchanged.",
        "da": "Barometerreglen siden {period}: {then} dengang og {now} nu, begge afrundet til "
        "hele procentpoint. Bedre eller dårligere i den gode retning ({direction}); samme hele "
        "tal er uændret.",
        "nb": "Barometerregelen siden {period}: {then} da og {now} nå, begge avrundet til hele "
        "prosentpoeng. Bedre eller dårligere i den gode retningen ({direction}); samme hele "
        "tall er uendret.",
    },
    "direction_gap": {
        "en": "a smaller gap is better",
        "da": "en mindre forskel er bedre",
        "nb": "en mindre forskjell er bedre",
    },
    "direction_higher": {
        "en": "higher is better",
        "da": "højere er bedre",
        "nb": "høyere er bedre",
    },
    "direction_lower": {"en": "lower is better", "da": "lavere er bedre", "nb": "lavere er bedre"},
    "significance": {
        "en": "Significance rule: {verdict}",
        "da": "Signifikansregel: {verdict}",
        "nb": "Signifikansregel: {verdict}",
    },
    "significance_na": {
        "en": "not available (no interval)",
        "da": "ikke tilgængelig (intet interval)",
        "nb": "ikke tilgjengelig (ikke noe intervall)",
    },
    "significance_title": {
        "en": "Significance rule: better or worse only when the 95 % interval of the change "
        "since the baseline excludes 0; otherwise unchanged.",
        "da": "Signifikansreglen: kun bedre eller dårligere, når 95 %-intervallet for ændringen "
        "siden basisåret ikke indeholder 0; ellers uændret.",
        "nb": "Signifikansregelen: bare bedre eller dårligere når 95 %-intervallet for endringen "
        "siden basisåret ikke inneholder 0; ellers uendret.",
    },
    "caution": {
        "en": "Small group: read with caution. Last 3 periods pooled: {value}",
        "da": "Lille gruppe: læs med forsigtighed. Seneste 3 perioder samlet: {value}",
        "nb": "Liten gruppe: les med forsiktighet. Siste 3 perioder samlet: {value}",
    },
    "note_no_row": {"en": "no value", "da": "ingen værdi", "nb": "ingen verdi"},
    "headline_missing": {
        "en": "No value for {period}: {note}",
        "da": "Ingen værdi for {period}: {note}",
        "nb": "Ingen verdi for {period}: {note}",
    },
    "last_published": {
        "en": "Last published: {value} in {period}",
        "da": "Senest offentliggjort: {value} i {period}",
        "nb": "Sist publisert: {value} i {period}",
    },
    "never_published": {
        "en": "No value published for any period",
        "da": "Ingen offentliggjort værdi i nogen periode",
        "nb": "Ingen publisert verdi i noen periode",
    },
    "headline_no_data": {
        "en": "No published values yet",
        "da": "Ingen offentliggjorte tal endnu",
        "nb": "Ingen publiserte tall ennå",
    },
    "headline_same": {
        "en": "the same as in {period}",
        "da": "det samme som i {period}",
        "nb": "det samme som i {period}",
    },
    "headline_change": {
        "en": "{change} {direction} than in {period}",
        "da": "{change} {direction} end i {period}",
        "nb": "{change} {direction} enn i {period}",
    },
    "smaller": {"en": "smaller", "da": "mindre", "nb": "mindre"},
    "larger": {"en": "larger", "da": "større", "nb": "større"},
    "higher": {"en": "higher", "da": "højere", "nb": "høyere"},
    "lower": {"en": "lower", "da": "lavere", "nb": "lavere"},
    "rank": {
        "en": "{ordinal} {superlative} of {n} peers",
        "da": "{ordinal} {superlative} blandt {n} kommuner",
        "nb": "{ordinal} {superlative} blant {n} kommuner",
    },
    "rank_only": {
        "en": "the only one of its peers with a value",
        "da": "den eneste i sammenligningen med en værdi",
        "nb": "den eneste i sammenligningen med en verdi",
    },
    "rank_none": {
        "en": "not ranked: no value for {period}",
        "da": "ikke placeret: ingen værdi for {period}",
        "nb": "ikke plassert: ingen verdi for {period}",
    },
    "smallest": {"en": "smallest", "da": "mindste", "nb": "minste"},
    "highest": {"en": "highest", "da": "højeste", "nb": "høyeste"},
    "lowest": {"en": "lowest", "da": "laveste", "nb": "laveste"},
    "noun_gap": {"en": "gap", "da": "forskel", "nb": "forskjell"},
    "noun_rate": {"en": "rate", "da": "andel", "nb": "andel"},
    "noun_share": {"en": "share", "da": "andel", "nb": "andel"},
    "selected": {
        "en": "Shown in the chart below",
        "da": "Vises i diagrammet nedenfor",
        "nb": "Vises i diagrammet nedenfor",
    },
    "select_title": {
        "en": "Show {title} over time in the chart below",
        "da": "Vis {title} over tid i diagrammet nedenfor",
        "nb": "Vis {title} over tid i diagrammet nedenfor",
    },
    "caveat": {"en": "Caveat", "da": "Forbehold", "nb": "Forbehold"},
    "sparkline_label": {
        "en": "{title}, {first} to {last}",
        "da": "{title}, {first} til {last}",
        "nb": "{title}, {first} til {last}",
    },
    "axis_gap": {
        "en": "Gap, percentage points",
        "da": "Forskel, procentpoint",
        "nb": "Forskjell, prosentpoeng",
    },
    "axis_rate": {"en": "% of the group", "da": "% af gruppen", "nb": "% av gruppen"},
    "axis_share": {"en": "% of residents", "da": "% af indbyggerne", "nb": "% av innbyggerne"},
}


def text(key: str, lang: str, **values: object) -> str:
    """The scorecard's text for `key` in `lang`."""
    return lookup(TEXT, key, lang, **values)


def aria(**values: str) -> dict[str, Any]:
    """ARIA attributes for a Dash component: aria(label="x") -> {"aria-label": "x"}."""
    return {f"aria-{name}": value for name, value in values.items()}


# --------------------------------------------------------------------------------------------
# Numbers as text
# --------------------------------------------------------------------------------------------


def number(value: float | None) -> float | None:
    """A float, or None for anything missing (None, NaN, pandas NA)."""
    if value is None or pd.isna(value):
        return None
    return float(value)


def format_number(value: float, lang: str, digits: int = 1) -> str:
    """`value` with the language's decimal and thousands separators and a true minus sign."""
    written = f"{value:,.{digits}f}"
    if written.lstrip("-").strip("0,.") == "":
        written = written.lstrip("-")  # never "-0.0"
    if lang == "da":
        written = written.translate(str.maketrans(",.", ".,"))
    elif lang == "nb":
        written = written.translate(str.maketrans(",.", NBSP + ","))
    return written.replace("-", MINUS)


def format_count(value: float, lang: str) -> str:
    """A whole number of people with thousands separators."""
    return format_number(round(value), lang, digits=0)


def format_pp(value: float, lang: str, signed: bool = False, digits: int = 1) -> str:
    """Percentage points, e.g. "3.1 pp" or "+3.1 pp"."""
    written = format_number(value, lang, digits)
    if signed and not written.startswith(MINUS) and not rounds_to_zero(value):
        written = "+" + written
    return f"{written}{NBSP}{text('unit_pp', lang)}"


def format_percent(value: float, lang: str, digits: int = 1) -> str:
    """A rate in percent, e.g. "63.7 %"."""
    return f"{format_number(value, lang, digits)}{NBSP}%"


def format_headline_value(value: float, measure: str, lang: str, digits: int = 1) -> str:
    """The headline value in its unit: pp for a gap, % for a rate or share."""
    if measure == "gap":
        return format_pp(value, lang, digits=digits)
    return format_percent(value, lang, digits)


def rounds_to_zero(value: float) -> bool:
    """Whether `value` shows as 0.0 at one decimal."""
    return f"{abs(value):.1f}" == "0.0"


def ordinal(position: int, lang: str) -> str:
    """1st, 2nd, 3rd, 11th ... in English; "1.", "2." in Danish and Norwegian."""
    if lang != "en":
        return f"{position}."
    if 10 <= position % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(position % 10, "th")
    return f"{position}{suffix}"


def age_text(age_band: str, lang: str) -> str:
    """The definition's age band in words."""
    if not age_band or age_band == "all ages":
        return text("all_ages", lang)
    return text("ages", lang, band=age_band)


# --------------------------------------------------------------------------------------------
# Facts: the numbers of one card
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupFacts:
    """One population group's rate (in %), interval and base in the latest period."""

    label: dict[str, str]
    rate: float | None
    lower: float | None
    upper: float | None
    den: float | None


@dataclass(frozen=True)
class Rank:
    """The focus's place among its peers: 1 = best; None when the focus has no value."""

    position: int | None
    of: int


@dataclass(frozen=True)
class CardFacts:
    """Everything one scorecard card shows, as numbers (no language)."""

    indicator: Indicator
    definition: CountryDefinition
    period: str | None
    previous_period: str | None
    value: float | None
    note: Note | None
    small_number: str | None
    pooled_value: float | None
    target: GroupFacts
    comparison: GroupFacts | None
    gap: float | None
    gap_lower: float | None
    gap_upper: float | None
    baseline_period: str | None
    baseline_value: float | None
    change_base: float | None
    change_prev: float | None
    light: str | None
    significance: str | None
    rank: Rank
    periods: tuple[str, ...]
    values: tuple[float | None, ...]

    @property
    def measure(self) -> str:
        return self.indicator.measure


def ranks_ascending(indicator: Indicator) -> bool:
    """Whether rank 1 is the smallest value: gaps, and rates where lower is better."""
    return indicator.measure == "gap" or indicator.higher_is_better is False


def rank_within(
    latest: pd.DataFrame, indicator: Indicator, codes: Iterable[str], focus: str
) -> Rank:
    """The focus's rank among the peers' latest values (ties share the better rank).

    The focus always counts as one of its peers; peers without a value are not ranked.
    """
    members = {*codes, focus}
    frame = latest[(latest["indicator"] == indicator.id) & latest["area"].isin(members)]
    frame = frame.dropna(subset=["value"])
    mine = frame.loc[frame["area"] == focus, "value"]
    if mine.empty:
        return Rank(None, len(frame))
    value = float(mine.iloc[0])
    ahead = frame["value"] < value if ranks_ascending(indicator) else frame["value"] > value
    return Rank(int(ahead.sum()) + 1, len(frame))


def _group(row: dict[str, Any], prefix: str, group: Group) -> GroupFacts:
    def pct(column: str) -> float | None:
        found = number(row.get(f"{prefix}_{column}"))
        return None if found is None else 100 * found

    return GroupFacts(
        label=group.label,
        rate=pct("rate"),
        lower=pct("lower"),
        upper=pct("upper"),
        den=number(row.get(f"{prefix}_den")),
    )


def _text_or_none(value: Any) -> str | None:
    return None if value is None or pd.isna(value) else str(value)


def build_card_facts(
    indicator: Indicator, country: str, data: ScorecardData, peers: Iterable[str], focus: str
) -> CardFacts:
    """The facts of one card: the indicator's latest period for `focus`, ranked among `peers`."""
    definition = indicator.countries[country]
    history = data.history[data.history["indicator"] == indicator.id].sort_values("period")
    periods = [str(p) for p in history["period"]]
    values = [number(v) for v in history["value"]]
    period = data.latest_period(indicator.id)
    rows = history[history["period"] == period].to_dict(orient="records")
    row: dict[str, Any] = {str(k): v for k, v in rows[0].items()} if rows else {}
    earlier = [p for p in periods if period is not None and p < period]
    baseline = _text_or_none(row.get("baseline_period")) or definition.baseline
    baseline_rows = history.loc[history["period"] == baseline, "value"]
    comparison = definition.comparison
    return CardFacts(
        indicator=indicator,
        definition=definition,
        period=period,
        previous_period=earlier[-1] if earlier else None,
        value=number(row.get("value")),
        note=Note.from_row(row),
        small_number=_text_or_none(row.get("small_number")),
        pooled_value=number(row.get("pooled_value")),
        target=_group(row, "target", definition.target),
        comparison=_group(row, "comparison", comparison) if comparison else None,
        gap=number(row.get("gap_pp")),
        gap_lower=number(row.get("gap_lower_pp")),
        gap_upper=number(row.get("gap_upper_pp")),
        baseline_period=baseline,
        baseline_value=number(baseline_rows.iloc[0]) if not baseline_rows.empty else None,
        change_base=number(row.get("change_base_pp")),
        change_prev=number(row.get("change_prev_pp")),
        light=_text_or_none(row.get("light_barometer")),
        significance=_text_or_none(row.get("light_significance")),
        rank=rank_within(data.latest, indicator, peers, focus),
        periods=tuple(periods),
        values=tuple(values),
    )


# --------------------------------------------------------------------------------------------
# Sentences
# --------------------------------------------------------------------------------------------


def _superlative(indicator: Indicator) -> str:
    if indicator.measure == "gap":
        return "smallest"
    return "lowest" if indicator.higher_is_better is False else "highest"


def rank_text(facts: CardFacts, lang: str, with_noun: bool = True) -> str:
    """E.g. "4th smallest gap of 12 peers" (or without the noun, for the headline)."""
    rank = facts.rank
    if rank.position is None:
        return text("rank_none", lang, period=facts.period or "")
    if rank.of <= 1:
        return text("rank_only", lang)
    superlative = text(_superlative(facts.indicator), lang)
    if with_noun:
        superlative += " " + text("noun_" + facts.measure, lang)
    return text(
        "rank", lang, ordinal=ordinal(rank.position, lang), superlative=superlative, n=rank.of
    )


def change_words(facts: CardFacts, lang: str) -> str | None:
    """E.g. "3.1 pp smaller than in 2012"; None when the definition has no baseline."""
    if facts.baseline_period is None:
        return None
    if facts.change_base is None:
        return text("no_value_in", lang, period=facts.baseline_period)
    size = format_pp(abs(facts.change_base), lang)
    if rounds_to_zero(facts.change_base):
        return text("headline_same", lang, period=facts.baseline_period)
    up = facts.change_base > 0
    if facts.measure == "gap":
        direction = text("larger" if up else "smaller", lang)
    else:
        direction = text("higher" if up else "lower", lang)
    return text(
        "headline_change", lang, change=size, direction=direction, period=facts.baseline_period
    )


def headline_text(facts: CardFacts, lang: str) -> str:
    """One plain-language line, e.g. "Gap 12.0 pp, 3.0 pp smaller than in 2012; 4th smallest
    of 12 peers"."""
    if facts.period is None:
        return text("headline_no_data", lang)
    if facts.value is None:
        return text(
            "headline_missing", lang, period=facts.period, note=describe_missing(facts.note, lang)
        )
    first = (
        text("word_" + facts.measure, lang)
        + " "
        + format_headline_value(facts.value, facts.measure, lang)
    )
    change = change_words(facts, lang)
    opening = f"{first}, {change}" if change else first
    return f"{opening}; {rank_text(facts, lang, with_noun=False)}"


def light_rule_text(facts: CardFacts, lang: str) -> str:
    """The barometer rule, with this card's rounded numbers, for the light's tooltip."""
    if facts.measure == "gap":
        direction = text("direction_gap", lang)
    else:
        direction = text(
            "direction_higher" if facts.indicator.higher_is_better else "direction_lower", lang
        )

    def whole(value: float | None) -> str:
        if value is None:
            return "–"
        return format_headline_value(float(round_pp(value)), facts.measure, lang, digits=0)

    return text(
        "light_rule",
        lang,
        period=facts.baseline_period or "",
        then=whole(facts.baseline_value),
        now=whole(facts.value),
        direction=direction,
    )


def significance_text(facts: CardFacts, lang: str) -> str:
    """The significance rule's verdict in words."""
    verdict = (
        text("sig_" + facts.significance, lang)
        if facts.significance in LIGHTS
        else text("significance_na", lang)
    )
    return text("significance", lang, verdict=verdict)


# --------------------------------------------------------------------------------------------
# Components
# --------------------------------------------------------------------------------------------


def build_sparkline_figure(periods: Iterable[str], values: Iterable[float | None]) -> dict:
    """A small line of the headline over time, no axes; missing periods are gaps."""
    x = list(periods)
    y = [None if v is None or math.isnan(v) else round(v, 2) for v in values]
    known = [i for i, v in enumerate(y) if v is not None]
    traces: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "mode": "lines",
            "x": x,
            "y": y,
            "line": {"color": SPARK_COLOUR, "width": 2},
            "connectgaps": False,
            "hoverinfo": "skip",
        }
    ]
    if known:
        last = known[-1]
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": [x[last]],
                "y": [y[last]],
                "marker": {"color": SPARK_COLOUR, "size": 7},
                "hoverinfo": "skip",
            }
        )
    hidden = {"visible": False, "fixedrange": True}
    return {
        "data": traces,
        "layout": {
            "height": 56,
            "margin": {"l": 4, "r": 8, "t": 4, "b": 4},
            "xaxis": {**hidden, "type": "category"},
            "yaxis": hidden,
            "showlegend": False,
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "rgba(0,0,0,0)",
        },
    }


def _row(label: str, value: str, detail: list | None = None) -> list:
    """A label and its value side by side; the detail (interval, n) on a full-width line."""
    row = [
        html.Dt(label, className="scorecard-label"),
        html.Dd(html.Strong(value), className="scorecard-value"),
    ]
    if detail:
        row.append(html.Dd(detail, className="scorecard-detail-row"))
    return row


def _interval(lower: float | None, upper: float | None, measure: str, lang: str) -> str | None:
    if lower is None or upper is None:
        return None
    written = (
        (format_pp(lower, lang), format_pp(upper, lang))
        if measure == "gap"
        else (format_percent(lower, lang), format_percent(upper, lang))
    )
    return text("interval", lang, lower=written[0], upper=written[1])


def _detail(parts: list[Any]) -> list:
    """Secondary text under a value, one part per line."""
    return [html.Span(part, className="scorecard-detail") for part in parts if part]


def _uncertainty(facts: CardFacts, lang: str) -> list:
    """The gap's (or share's) interval and n, or the note saying why there is none."""
    why = describe_note(facts.note, lang) or None
    if facts.comparison is None:
        lower, upper = facts.target.lower, facts.target.upper
        interval = _interval(lower, upper, "share", lang)
        n = (
            text("n_one", lang, target=format_count(facts.target.den, lang))
            if facts.target.den is not None
            else None
        )
        return _detail([interval, n] if interval else [why])
    interval = _interval(facts.gap_lower, facts.gap_upper, "gap", lang)
    if interval is None or facts.target.den is None or facts.comparison.den is None:
        return _detail([why])
    counts = {
        "target": format_count(facts.target.den, lang),
        "comparison": format_count(facts.comparison.den, lang),
    }
    sizes = html.Span(text("n_both", lang, **counts), title=text("n_both_title", lang, **counts))
    return _detail([interval, sizes])


def last_published_text(facts: CardFacts, lang: str) -> str:
    """For a card without a current value: the last value published before, and when."""
    earlier = [
        (period, value)
        for period, value in zip(facts.periods, facts.values, strict=True)
        if value is not None and (facts.period is None or period < facts.period)
    ]
    if not earlier:
        return text("never_published", lang)
    period, value = earlier[-1]
    written = format_headline_value(value, facts.measure, lang)
    return text("last_published", lang, value=written, period=period)


def _figures(facts: CardFacts, lang: str) -> html.Dl | html.P:
    """The groups' values and the gap, or the note for a missing value."""
    if facts.value is None:
        return html.P(last_published_text(facts, lang), className="scorecard-missing")
    target = facts.target
    label = target.label.get(lang) or target.label["en"]
    rows: list = []
    if facts.comparison is None:
        rows += _row(label, format_percent(facts.value, lang), _uncertainty(facts, lang))
        return html.Dl(rows, className="scorecard-figures")
    comparison = facts.comparison
    if target.rate is not None:
        rows += _row(label, format_percent(target.rate, lang))
    if comparison.rate is not None:
        rows += _row(
            comparison.label.get(lang) or comparison.label["en"],
            format_percent(comparison.rate, lang),
        )
    if facts.gap is not None:
        rows += _row(text("word_gap", lang), format_pp(facts.gap, lang), _uncertainty(facts, lang))
    return html.Dl(rows, className="scorecard-figures")


def _changes(facts: CardFacts, lang: str) -> html.P | None:
    if facts.value is None:
        return None
    parts = []
    if facts.baseline_period:
        change = (
            format_pp(facts.change_base, lang, signed=True)
            if facts.change_base is not None
            else text("note_no_row", lang)
        )
        parts.append(text("change_since", lang, period=facts.baseline_period, change=change))
    if facts.previous_period:
        change = (
            format_pp(facts.change_prev, lang, signed=True)
            if facts.change_prev is not None
            else text("note_no_row", lang)
        )
        parts.append(text("change_since", lang, period=facts.previous_period, change=change))
    return html.P(" · ".join(parts), className="scorecard-changes") if parts else None


def build_light(facts: CardFacts, lang: str) -> html.Div:
    """The traffic light: icon, word and colour, the rule on hover, the significance beside."""
    if facts.indicator.higher_is_better is None:
        return html.Div(text("light_none", lang), className="scorecard-lights scorecard-muted")
    if facts.light not in LIGHTS:
        missing = text("light_missing", lang, period=facts.baseline_period or "")
        return html.Div(missing, className="scorecard-lights scorecard-muted")
    icon, colour = LIGHTS[facts.light]
    badge = html.Span(
        [
            html.Span(
                icon,
                className="scorecard-light-icon",
                style={"color": colour},
                **aria(hidden="true"),
            ),
            html.Span(text("light_" + facts.light, lang), className="scorecard-light-word"),
        ],
        className=f"scorecard-light scorecard-light-{facts.light}",
        style={"borderColor": colour},
        title=light_rule_text(facts, lang),
        tabIndex="0",
    )
    significance = html.Span(
        significance_text(facts, lang),
        className="scorecard-significance",
        title=text("significance_title", lang),
    )
    return html.Div([badge, significance], className="scorecard-lights")


def build_card(facts: CardFacts, lang: str, href: str, selected: bool) -> html.Article:
    """One indicator's card; its title links to the view with this indicator selected."""
    indicator = facts.indicator
    title = indicator.title_in(lang)
    caveat = facts.definition.caveats.get(lang) or facts.definition.caveats.get("en")
    when = " · ".join(
        part for part in (facts.period, age_text(facts.definition.age_band, lang)) if part
    )
    header = html.Div(
        [
            html.H3(
                dcc.Link(
                    title,
                    href=href,
                    id=f"scorecard-title-{indicator.id}",
                    title=text("select_title", lang, title=title),
                ),
                className="scorecard-title",
            ),
            html.Span(when, className="scorecard-period"),
        ],
        className="scorecard-header",
    )
    caution = (
        html.P(
            text(
                "caution",
                lang,
                value=format_headline_value(facts.pooled_value, facts.measure, lang),
            ),
            className="scorecard-caution",
        )
        if facts.small_number == "caution"
        and facts.pooled_value is not None
        and facts.value is not None
        else None
    )
    spark_label = (
        text("sparkline_label", lang, title=title, first=facts.periods[0], last=facts.periods[-1])
        if facts.periods
        else title
    )
    has_line = any(value is not None for value in facts.values)
    children = [
        header,
        html.P(
            headline_text(facts, lang),
            className="scorecard-headline",
            id=f"scorecard-headline-{indicator.id}",
        ),
        _figures(facts, lang),
        _changes(facts, lang),
        build_light(facts, lang),
        caution,
        html.P(
            rank_text(facts, lang), className="scorecard-rank", id=f"scorecard-rank-{indicator.id}"
        ),
        html.Div(
            dcc.Graph(
                figure=build_sparkline_figure(facts.periods, facts.values),
                config={"staticPlot": True, "displayModeBar": False, "responsive": True},
                style={"height": "56px"},
            ),
            className="scorecard-sparkline",
            role="img",
            **aria(label=spark_label),
        )
        if has_line
        else None,
        html.Div(
            [html.Span(facts.periods[0]), html.Span(facts.periods[-1])],
            className="scorecard-spark-range",
            **aria(hidden="true"),
        )
        if has_line
        else None,
        html.P(
            [
                html.Span("i", className="scorecard-caveat-icon", **aria(hidden="true")),
                text("caveat", lang),
            ],
            title=caveat,
            className="scorecard-caveat",
            tabIndex="0",
        )
        if caveat
        else None,
        html.P(text("selected", lang), className="scorecard-selected-note") if selected else None,
    ]
    light = facts.light if facts.light in LIGHTS else "none"
    return html.Article(
        [child for child in children if child is not None],
        className="scorecard-card scorecard-card-"
        + light
        + (" scorecard-card-selected" if selected else ""),
        id=f"scorecard-card-{indicator.id}",
        **(aria(current="true") if selected else {}),
    )


# --------------------------------------------------------------------------------------------
# Peer groups
# --------------------------------------------------------------------------------------------


def peer_group_label(peers: PeerSet, country: str, focus_name: str, lang: str) -> str:
    """The peer group in words, in the page's language."""
    if peers.kind == "all":
        return t("all_municipalities", lang, country=t("country_" + country, lang))
    if peers.kind == "size":
        band = next((b.label(lang) for b in SIZE_BANDS if b.label("en") == peers.label), None)
        return text("peer_size_label", lang, band=band or peers.label)
    if peers.kind == "similar":
        return text("peer_similar_label", lang, name=focus_name, k=len(peers.codes) - 1)
    if peers.kind == "region" and country == "NO":
        return text("county_label", lang, name=peers.label)
    return peers.label


def peer_kind(spec: str) -> str:
    """The kind of a peer spec: "similar:k=5" -> "similar", "group:x~1,2" -> "group"."""
    return spec.split(":", 1)[0]


def peer_choice_labels(country: str, lang: str) -> dict[str, str]:
    """The names of the peer groups one can choose (all, region, size, similar)."""
    return {
        "all": text("peers_all", lang),
        "region": text("peers_region_" + country, lang),
        "size": text("peers_size", lang),
        "similar": text("peers_similar", lang),
    }


def build_peer_selector(
    spec: str, country: str, lang: str, href_for: Callable[[str | None], str]
) -> html.Nav:
    """Links for each peer group; the choice goes to the URL's `peers=`."""
    current = peer_kind(spec)
    labels = peer_choice_labels(country, lang)
    links: list[Any] = []
    for kind in PEER_CHOICES:
        chosen = kind == current
        # Keep a customised "similar:k=..." when it is the current choice.
        target = spec if chosen else kind
        links.append(
            dcc.Link(
                labels[kind],
                href=href_for(None if target == "all" else target),
                id=f"scorecard-peers-{kind}",
                className="scorecard-peer" + (" scorecard-peer-current" if chosen else ""),
            )
        )
    if current == "group":
        name = spec.split(":", 1)[1].rpartition("~")[0] or "?"
        links.append(
            html.Span(
                text("peers_group", lang, name=name),
                id="scorecard-peers-group",
                className="scorecard-peer scorecard-peer-current",
            )
        )
    return html.Nav(
        [html.Span(t("peers", lang), className="scorecard-peers-label"), *links],
        id="scorecard-peers",
        className="scorecard-peers",
        **aria(label=t("peers", lang)),
    )


def variable_words(name: str, lang: str) -> str:
    """A structural variable (pop, share, emp) as words inside a sentence."""
    return text("in_" + name, lang) if "in_" + name in TEXT else name


def reason_text(reason: str, lang: str) -> str:
    """find_similar's "closest on pop (0.05 SD) and share (0.24 SD)" in the page's language."""
    parts = REASON_PART.findall(reason or "")
    if not parts:
        return reason or ""
    names = [
        f"{variable_words(name, lang)} ({format_number(float(sd), lang, 2)} SD)"
        for name, sd in parts
    ]
    return text("reason_closest", lang, what=f" {text('and', lang)} ".join(names))


def _structure_value(column: str, value: Any, lang: str) -> str:
    found = number(value)
    if found is None:
        return "–"
    if column == "pop":
        return format_count(math.exp(found), lang)
    return format_percent(found, lang)


def build_similar_table(reasons: pd.DataFrame, focus_code: str, lang: str) -> html.Details:
    """The chosen similar municipalities and why: their values beside the focus's."""
    variables = [c[: -len("_peer")] for c in reasons.columns if c.endswith("_peer")]
    focus = find_municipality(focus_code)
    focus_name = focus.name if focus else focus_code
    head = html.Tr(
        [
            html.Th(text("col_municipality", lang)),
            *[html.Th(text("var_" + v, lang) if "var_" + v in TEXT else v) for v in variables],
            html.Th(text("col_distance", lang)),
            html.Th(text("col_reason", lang)),
        ]
    )
    first = reasons.iloc[0] if not reasons.empty else None
    focus_row = html.Tr(
        [
            html.Td(text("focus_row", lang, name=focus_name)),
            *[
                html.Td(
                    _structure_value(v, first[f"{v}_focus"] if first is not None else None, lang)
                )
                for v in variables
            ],
            html.Td("0"),
            html.Td(""),
        ],
        className="scorecard-focus-row",
    )
    rows = []
    for peer in reasons.to_dict(orient="records"):
        found = find_municipality(str(peer["code"]))
        rows.append(
            html.Tr(
                [
                    html.Td(f"{found.name if found else peer['code']} ({peer['code']})"),
                    *[html.Td(_structure_value(v, peer[f"{v}_peer"], lang)) for v in variables],
                    html.Td(format_number(float(peer["distance"]), lang, 2)),
                    html.Td(reason_text(str(peer["reason"]), lang)),
                ]
            )
        )
    return html.Details(
        [
            html.Summary(text("similar_heading", lang, name=focus_name)),
            html.Table(
                [html.Thead(head), html.Tbody([focus_row, *rows])],
                className="scorecard-similar-table",
            ),
            html.P(text("similar_note", lang), className="note"),
        ],
        open=True,
        id="scorecard-similar",
        className="scorecard-similar",
    )


def carry_over_query(query: dict[str, str | None], code: str) -> dict[str, str | None]:
    """The query to keep when moving to municipality `code`.

    The language always carries over; the indicator only when the new municipality's country
    has it, and a named group of municipalities only when all its members are of that country.
    """
    kept = dict(query)
    target = find_municipality(code)
    if target is None:
        return kept
    definition = get_indicator(kept.get("indicator") or "")
    if definition is not None and target.country not in definition.countries:
        kept["indicator"] = None
    spec = kept.get("peers") or ""
    if peer_kind(spec) == "group":
        members = [find_municipality(c.strip()) for c in spec.rpartition("~")[2].split(",")]
        if any(m is None or m.country != target.country for m in members):
            kept["peers"] = None
    return kept
