"""Words for the codes the data uses (countries, providers, measures, lights, ...), as tables.

Each table maps a code to its English text, marked with N_ so it is in the catalogues; the
functions below say a code in the reader's language.
"""

from __future__ import annotations

from indicators.peers import SIZE_BANDS
from locales import N_, _
from locales.numbers import format_count

COUNTRIES = ("DK", "NO")
COUNTRY_NAMES = {"DK": N_("Denmark"), "NO": N_("Norway")}
PROVIDER_NAMES = {"dst": N_("Statistics Denmark"), "ssb": N_("Statistics Norway")}
# Providers with terms of their own (the about page), named as sources only.
OTHER_PROVIDER_NAMES = {"fhi": N_("Norwegian Institute of Public Health (FHI)"), "imdi": "IMDi"}
# The headline of each kind of indicator, as a word before the value and as a noun.
MEASURE_WORDS = {"gap": N_("Gap"), "rate": N_("Rate"), "share": N_("Share"), "count": N_("Persons")}
MEASURE_NOUNS = {"gap": N_("gap"), "rate": N_("rate"), "share": N_("share"), "count": N_("count")}
LIGHT_WORDS = {"better": N_("Better"), "unchanged": N_("Unchanged"), "worse": N_("Worse")}
VERDICT_WORDS = {"better": N_("better"), "unchanged": N_("unchanged"), "worse": N_("worse")}
# The structural variables of "similar" peers (queries/peers.py): as column heads, and as words
# inside a sentence ("closest on population").
STRUCTURE_HEADS = {
    "pop": N_("Population"),
    "share": N_("Non-Western share"),
    "emp": N_("Employment rate, comparison group"),
}
STRUCTURE_WORDS = {
    "pop": N_("population"),
    "share": N_("non-Western share"),
    "emp": N_("the comparison group's employment rate"),
}


def country_name(code: str, lang: str) -> str:
    """ "DK" -> Denmark / Danmark; an unknown code as it is."""
    return _(COUNTRY_NAMES[code], lang) if code in COUNTRY_NAMES else code


def country_names(codes: list[str] | tuple[str, ...], lang: str) -> str:
    """Several countries, comma-separated, in the reader's language."""
    return ", ".join(country_name(code, lang) for code in codes)


def provider_name(provider: str, lang: str) -> str:
    """ "dst" -> Statistics Denmark / Danmarks Statistik; an unknown provider as it is."""
    key = provider.lower()
    name = PROVIDER_NAMES.get(key) or OTHER_PROVIDER_NAMES.get(key)
    return _(name, lang) if name else provider


def word(table: dict[str, str], code: str, lang: str) -> str:
    """A code's word from one of the tables above, in `lang` (the code itself when unknown)."""
    return _(table[code], lang) if code in table else code


def size_band_label(band_id: str, lang: str) -> str:
    """A population size band in words: "20,000–49,999", "50.000 or more", "Under 1 000"."""
    band = next((b for b in SIZE_BANDS if b.id == band_id), None)
    if band is None:
        return band_id
    if band.upper is None:
        return _("{lower} or more", lang, lower=format_count(band.lower, lang))
    if band.lower == 0:
        return _("Under {upper}", lang, upper=format_count(band.upper, lang))
    upper = format_count(band.upper - 1, lang)
    return _("{lower}–{upper}", lang, lower=format_count(band.lower, lang), upper=upper)
