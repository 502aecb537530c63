"""A value's note (indicators/notes.py) described in the reader's language: the one place."""

from __future__ import annotations

from components.i18n import lookup
from indicators.notes import CAUTION, MISSING, RATES_ONLY, SUPPRESSED, WITHHELD, Note

# Provider symbols with a known meaning (Statistics Denmark and Statistics Norway).
SYMBOLS = {":": "symbol_confidential", "..": "symbol_not_available", ".": "symbol_not_applicable"}

TEXT: dict[str, dict[str, str]] = {
    WITHHELD: {
        "en": "too few to show (fewer than {n} in the target group)",
        "da": "for få til at blive vist (færre end {n} i målgruppen)",
        "nb": "for få til å vises (færre enn {n} i målgruppen)",
    },
    MISSING: {
        "en": "not published for this period",
        "da": "ikke offentliggjort for denne periode",
        "nb": "ikke publisert for denne perioden",
    },
    RATES_ONLY: {
        "en": "no interval: the provider publishes rates only",
        "da": "intet interval: udbyderen offentliggør kun andele",
        "nb": "intet intervall: leverandøren publiserer bare andeler",
    },
    CAUTION: {
        "en": "small group: read with caution (fewer than {n} in the target group)",
        "da": "lille gruppe: læs med forsigtighed (færre end {n} i målgruppen)",
        "nb": "liten gruppe: les med forsiktighet (færre enn {n} i målgruppen)",
    },
    "symbol_confidential": {
        "en": "suppressed by the provider for confidentiality (“{symbol}”)",
        "da": "diskretioneret af udbyderen (“{symbol}”)",
        "nb": "skjermet av leverandøren (“{symbol}”)",
    },
    "symbol_not_available": {
        "en": "not available from the provider (“{symbol}”)",
        "da": "ikke tilgængelig hos udbyderen (“{symbol}”)",
        "nb": "ikke tilgjengelig hos leverandøren (“{symbol}”)",
    },
    "symbol_not_applicable": {
        "en": "not applicable (“{symbol}”)",
        "da": "ikke relevant (“{symbol}”)",
        "nb": "ikke relevant (“{symbol}”)",
    },
    SUPPRESSED: {
        "en": "not published (provider symbol “{symbol}”)",
        "da": "ikke offentliggjort (udbyderens symbol “{symbol}”)",
        "nb": "ikke publisert (leverandørens symbol “{symbol}”)",
    },
}


def describe_note(note: Note | None, lang: str) -> str:
    """A note in plain words in `lang`; "" for no note.

    A suppressed value names the provider's symbol with its meaning where it has a known one.
    """
    if note is None:
        return ""
    if note.code == SUPPRESSED:
        key = SYMBOLS.get(note.symbol or "", SUPPRESSED)
        return lookup(TEXT, key, lang, symbol=note.symbol or "?")
    if note.code in (WITHHELD, CAUTION):
        return lookup(TEXT, note.code, lang, n=note.n if note.n is not None else "?")
    if note.code in TEXT:
        return lookup(TEXT, note.code, lang)
    return note.code


def describe_missing(note: Note | None, lang: str) -> str:
    """Why a value is missing: its note, or "not published" when there is no row at all."""
    return describe_note(note or Note(MISSING), lang)
