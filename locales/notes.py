"""A value's note (indicators/notes.py) described in the reader's language: the one place."""

from __future__ import annotations

from indicators.notes import (
    APPROXIMATE_N,
    BREAK,
    CAUTION,
    DERIVED_BASE,
    DERIVED_CAUTION,
    MISSING,
    RATES_ONLY,
    SIZE_UNKNOWN,
    SUPPRESSED,
    WITHHELD,
    Note,
)
from locales import N_, _
from locales.numbers import format_count, format_period

# Provider symbols with a known meaning (Statistics Denmark and Statistics Norway).
SYMBOL_MEANINGS = {
    ":": N_("suppressed by the provider for confidentiality (“{symbol}”)"),
    "..": N_("not available from the provider (“{symbol}”)"),
    ".": N_("not applicable (“{symbol}”)"),
}
NOTES = {
    WITHHELD: N_("too few to show (fewer than {n} in the target group)"),
    SUPPRESSED: N_("not published (provider symbol “{symbol}”)"),
    MISSING: N_("not published for this period"),
    RATES_ONLY: N_("no interval: the provider publishes rates only"),
    CAUTION: N_("small group: read with caution (fewer than {n} in the target group)"),
    BREAK: N_("municipal reform: not compared with the years before it"),
    SIZE_UNKNOWN: N_("not ranked: the group's size is not known for this period"),
    APPROXIMATE_N: N_(
        "no interval: the provider publishes rates only (group size about {n}, approximate)"
    ),
    DERIVED_BASE: N_(
        "approximate: the group's size (about {n}) is derived from the provider's persons and "
        "per cent, so the interval is approximate too"
    ),
    DERIVED_CAUTION: N_(
        "small group: read with caution (about {n}, a size derived from the provider's "
        "persons and per cent, so the interval is approximate too)"
    ),
}
BREAK_FROM = N_("municipal reform: comparable from {period} on, not with the years before")


def describe_note(note: Note | None, lang: str) -> str:
    """A note in plain words in `lang`; "" for no note.

    A suppressed value names the provider's symbol with its meaning where it has a known one.
    """
    if note is None:
        return ""
    if note.code == SUPPRESSED:
        text = SYMBOL_MEANINGS.get(note.symbol or "", NOTES[SUPPRESSED])
        return _(text, lang, symbol=note.symbol or "?")
    if note.code == BREAK and note.period:
        return _(BREAK_FROM, lang, period=format_period(note.period, lang))
    if note.code in NOTES:
        n = format_count(note.n, lang) if note.n is not None else "?"
        return _(NOTES[note.code], lang, n=n, symbol="")
    return note.code


def describe_missing(note: Note | None, lang: str) -> str:
    """Why a value is missing: its note, or "not published" when there is no row at all."""
    return describe_note(note or Note(MISSING), lang)
