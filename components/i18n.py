"""Interface text in English, Danish and Norwegian (bokmål).

The language lives in the URL (`?lang=da`), so a copied link opens in the same language.
Indicator titles and descriptions come from the definition files; everything else is here.
Add a key by giving all three languages: a test checks none is missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

LANGUAGES = ("en", "da", "nb")
DEFAULT_LANGUAGE = "en"
LANGUAGE_NAMES = {"en": "English", "da": "Dansk", "nb": "Norsk"}

TEXT: dict[str, dict[str, str]] = {
    "app_title": {
        "en": "Integration Barometer",
        "da": "Integrationsbarometer",
        "nb": "Integreringsbarometer",
    },
    "demo_banner": {
        "en": "Demo data: simulated figures",
        "da": "Demodata: simulerede tal",
        "nb": "Demodata: simulerte tall",
    },
    "demo_banner_detail": {
        "en": "Not official statistics. Run “barometer refresh” with internet access to load "
        "Statistics Denmark and Statistics Norway.",
        "da": "Ikke officiel statistik. Kør “barometer refresh” med internetadgang for at hente "
        "Danmarks Statistik og Statistisk sentralbyrå.",
        "nb": "Ikke offisiell statistikk. Kjør “barometer refresh” med internettilgang for å hente "
        "Danmarks Statistik og Statistisk sentralbyrå.",
    },
    "nav_municipality": {"en": "Municipality", "da": "Kommune", "nb": "Kommune"},
    "nav_compare": {"en": "Compare", "da": "Sammenlign", "nb": "Sammenlign"},
    "nav_trend": {"en": "Trends", "da": "Udvikling", "nb": "Utvikling"},
    "nav_map": {"en": "Map", "da": "Kort", "nb": "Kart"},
    "nav_indicators": {"en": "Indicators", "da": "Indikatorer", "nb": "Indikatorer"},
    "nav_about": {"en": "About the data", "da": "Om data", "nb": "Om dataene"},
    "language": {"en": "Language", "da": "Sprog", "nb": "Språk"},
    "municipality": {"en": "Municipality", "da": "Kommune", "nb": "Kommune"},
    "indicator": {"en": "Indicator", "da": "Indikator", "nb": "Indikator"},
    "period": {"en": "Period", "da": "Periode", "nb": "Periode"},
    "peers": {"en": "Compared with", "da": "Sammenlignet med", "nb": "Sammenlignet med"},
    "national": {"en": "National", "da": "Hele landet", "nb": "Hele landet"},
    "picker_placeholder": {
        "en": "Type a name or code, e.g. Ballerup or 0301",
        "da": "Skriv et navn eller en kode, fx Ballerup eller 0301",
        "nb": "Skriv et navn eller en kode, f.eks. Ballerup eller 0301",
    },
    "home_intro": {
        "en": "How residents of non-Western origin fare in each Danish and Norwegian "
        "municipality, beside the national figure. Choose a municipality:",
        "da": "Hvordan borgere med ikke-vestlig oprindelse klarer sig i hver dansk og norsk "
        "kommune, sammenlignet med hele landet. Vælg en kommune:",
        "nb": "Hvordan innbyggere med ikke-vestlig bakgrunn klarer seg i hver dansk og norsk "
        "kommune, sammenlignet med hele landet. Velg en kommune:",
    },
    "not_found_title": {
        "en": "Page not found",
        "da": "Siden findes ikke",
        "nb": "Siden finnes ikke",
    },
    "not_found_text": {
        "en": "There is no page at this address.",
        "da": "Der er ingen side på denne adresse.",
        "nb": "Det finnes ingen side på denne adressen.",
    },
    "go_home": {
        "en": "Go to the list of municipalities",
        "da": "Gå til listen over kommuner",
        "nb": "Gå til listen over kommuner",
    },
    "unknown_municipality": {
        "en": "Unknown municipality",
        "da": "Ukendt kommune",
        "nb": "Ukjent kommune",
    },
    "unknown_municipality_text": {
        "en": "“{code}” is not a Danish or Norwegian municipality code. Danish codes have "
        "three digits (Ballerup is 151), Norwegian codes four (Oslo is 0301).",
        "da": "“{code}” er ikke en dansk eller norsk kommunekode. Danske koder har tre cifre "
        "(Ballerup er 151), norske fire (Oslo er 0301).",
        "nb": "“{code}” er ikke en dansk eller norsk kommunekode. Danske koder har tre sifre "
        "(Ballerup er 151), norske fire (Oslo er 0301).",
    },
    "unknown_indicator": {
        "en": "Unknown indicator",
        "da": "Ukendt indikator",
        "nb": "Ukjent indikator",
    },
    "unknown_indicator_text": {
        "en": "“{value}” is not an indicator of this barometer.",
        "da": "“{value}” er ikke en indikator i dette barometer.",
        "nb": "“{value}” er ikke en indikator i dette barometeret.",
    },
    "did_you_mean": {"en": "Did you mean:", "da": "Mente du:", "nb": "Mente du:"},
    "show_numbers": {"en": "Show the numbers", "da": "Vis tallene", "nb": "Vis tallene"},
    "missing": {"en": "missing", "da": "mangler", "nb": "mangler"},
    "national_note": {
        "en": "National figure: the sum of all municipalities' numerators over the sum of their "
        "denominators. Gaps in the line are periods the provider did not publish.",
        "da": "Landstal: summen af alle kommuners tællere divideret med summen af deres nævnere. "
        "Huller i linjen er perioder, som udbyderen ikke har offentliggjort.",
        "nb": "Landstall: summen av alle kommunenes tellere delt på summen av nevnerne. Hull i "
        "linjen er perioder som leverandøren ikke har publisert.",
    },
    "no_published_values": {
        "en": "No published values for {name}.",
        "da": "Ingen offentliggjorte tal for {name}.",
        "nb": "Ingen publiserte tall for {name}.",
    },
    "country_DK": {"en": "Denmark", "da": "Danmark", "nb": "Danmark"},
    "country_NO": {"en": "Norway", "da": "Norge", "nb": "Norge"},
    "code": {"en": "code", "da": "kode", "nb": "kode"},
    "all_municipalities": {
        "en": "{country} (all municipalities)",
        "da": "{country} (alle kommuner)",
        "nb": "{country} (alle kommuner)",
    },
}


def normalise_language(value: str | None) -> str:
    """A supported language code; anything else falls back to English."""
    if value in LANGUAGES:
        return str(value)
    if value in ("no", "nn", "nob"):
        return "nb"
    return DEFAULT_LANGUAGE


def lookup(table: Mapping[str, Mapping[str, str]], key: str, lang: str, **values: object) -> str:
    """The text for `key` in `lang` from a page's own table, with {placeholders} filled in."""
    entry = table[key]
    text = entry.get(lang) or entry[DEFAULT_LANGUAGE]
    return text.format(**values) if values else text


def t(key: str, lang: str, **values: object) -> str:
    """The shared interface text for `key` in `lang`, with {placeholders} filled in."""
    return lookup(TEXT, key, lang, **values)


def with_query(path: str, query: Mapping[str, str | None]) -> str:
    """`path` with the non-empty query values, in a stable order (for shareable links)."""
    kept = {k: v for k, v in sorted(query.items()) if v not in (None, "")}
    return f"{path}?{urlencode(kept)}" if kept else path
