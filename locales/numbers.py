"""Numbers, percentages, percentage points, periods and times for reading, in the reader's locale.

Babel formats with the locale's own symbols (CLDR): "12.3%" and "1,234" in English,
"12,3 %" and "1.234" in Danish, "12,3 %" and "1 234" in Norwegian, each with its own minus sign.
A gap is written in percentage points: "3.1 pp", "3,1 procentpoint", "3,1 prosentpoeng".
A value that rounds to zero is never written "-0.0".
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Any

import pandas as pd
from babel import Locale
from babel.dates import format_date
from babel.dates import format_time as babel_time
from babel.numbers import (
    format_decimal,
    get_decimal_symbol,
    get_group_symbol,
    get_minus_sign_symbol,
)
from babel.numbers import format_percent as babel_percent

from locales import _, pgettext

NBSP = "\u00a0"
MISSING = "–"  # how an absent number is written in text and tables


def _decimals(pattern: str, digits: int) -> str:
    """A number pattern with exactly `digits` decimals ("#,##0 %" -> "#,##0.0 %")."""
    number = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return re.sub(r"[#,0.]+", number, pattern, count=1)


@cache
def _percent_pattern(lang: str, digits: int) -> str:
    return _decimals(Locale.parse(lang).percent_formats[None].pattern, digits)


def _minus(text: str, lang: str) -> str:
    return text.replace("-", get_minus_sign_symbol(lang)) if text.startswith("-") else text


def _not_minus_zero(value: float, digits: int) -> float:
    return 0.0 if round(value, digits) == 0 else value


def number(value: Any) -> float | None:
    """A float, or None for anything missing (None, NaN, pandas NA)."""
    if value is None:
        return None
    try:
        found = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(found) else found


def format_number(value: float | None, lang: str, digits: int = 1) -> str:
    """`value` with the locale's separators and `digits` decimals; "–" when missing."""
    if value is None:
        return MISSING
    value = _not_minus_zero(value, digits)
    return _minus(format_decimal(value, _decimals("#,##0", digits), locale=lang), lang)


def format_fixed(value: float | None, lang: str, digits: int, grouped: bool = False) -> str:
    """`value` in a table cell, as the Compare table has always written it (Dash's DataTable
    did, with d3-format's fixed notation: its locale.js and formatTypes.js): exactly `digits`
    decimals with the locale's decimal sign, thousands separators only when `grouped`, "−"
    (U+2212) before a negative whatever the language, halves rounded away from zero (as
    JavaScript's toFixed) and never "−0.0"; "" when missing."""
    found = number(value)
    if found is None:
        return ""
    places = Decimal(1).scaleb(-digits)
    rounded = Decimal(abs(found)).quantize(places, rounding=ROUND_HALF_UP)
    text = f"{rounded:,.{digits}f}" if grouped else f"{rounded:.{digits}f}"
    text = text.replace(",", "\0").replace(".", get_decimal_symbol(lang))
    text = text.replace("\0", get_group_symbol(lang))
    return ("\u2212" + text) if found < 0 and rounded != 0 else text


def format_count(value: float | None, lang: str) -> str:
    """A whole number (people, cells) with the locale's thousands separator."""
    return MISSING if value is None else format_number(round(value), lang, digits=0)


def format_percent(value: float | None, lang: str, digits: int = 1) -> str:
    """A rate already in per cent (45.2 -> "45.2%" / "45,2 %"); "–" when missing."""
    if value is None:
        return MISSING
    value = _not_minus_zero(value, digits)
    return _minus(babel_percent(value / 100, _percent_pattern(lang, digits), locale=lang), lang)


def pp_unit(lang: str) -> str:
    """The word for percentage points: "pp", "procentpoint", "prosentpoeng"."""
    return pgettext("unit", "pp", lang)


def format_pp(value: float | None, lang: str, signed: bool = False, digits: int = 1) -> str:
    """Percentage points, e.g. "3.1 pp" or, signed, "+3.1 pp"; "–" when missing."""
    if value is None:
        return MISSING
    written = format_number(value, lang, digits)
    if signed and _not_minus_zero(value, digits) > 0:
        written = "+" + written
    return f"{written}{NBSP}{pp_unit(lang)}"


def format_value(value: float | None, measure: str, lang: str, digits: int = 1) -> str:
    """An indicator's headline in its unit: percentage points for a gap, a whole number of
    persons for a count, per cent otherwise."""
    if measure == "gap":
        return format_pp(value, lang, digits=digits)
    if measure == "count":
        return format_count(value, lang)
    return format_percent(value, lang, digits)


def format_change(value: float | None, measure: str, lang: str) -> str:
    """A change of a headline, signed: percentage points, or persons for a count."""
    if measure != "count" or value is None:
        return format_pp(value, lang, signed=True)
    written = format_count(abs(value), lang)
    return written if round(value) == 0 else ("+" if value > 0 else "−") + written


def measure_unit(measure: str, lang: str) -> str:
    """The unit an axis of a measure is in: "pp", "%" or the word for persons."""
    if measure == "gap":
        return pp_unit(lang)
    if measure == "count":
        return pgettext("unit", "persons", lang)
    return "%"


def rounds_to_zero(value: float, digits: int = 1) -> bool:
    """Whether `value` is written as zero at `digits` decimals."""
    return round(value, digits) == 0


def ordinal(position: int, lang: str) -> str:
    """1st, 2nd, 3rd, 11th ... in English; "1.", "2." in Danish and Norwegian."""
    if lang != "en":
        return f"{position}."
    if 10 <= position % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(position % 10, "th")
    return f"{position}{suffix}"


def format_period(period: str, lang: str) -> str:
    """A provider period for reading: "2021K2" -> "2021 Q2" (English), "2021 K2" (da, nb)."""
    text = str(period)
    if len(text) == 6 and text[4] == "K":
        quarter = pgettext("quarter", "Q", lang)
        return f"{text[:4]} {quarter}{text[5]}"
    return text


def format_time(value: Any, lang: str, utc: bool = False) -> str:
    """A provider or build time in the locale's medium date and short time; "—" when missing.

    Aware times are shown in UTC and say so; `utc` marks naive times known to be UTC (the
    database stores retrieval times that way). Anything that is not a time is shown as given.
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return MISSING
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(str(value))
        except ValueError:
            return str(value)
    if moment.tzinfo is not None:
        moment, utc = moment.astimezone(UTC).replace(tzinfo=None), True
    written = f"{format_date(moment, 'medium', locale=lang)} {format_time_of_day(moment, lang)}"
    return f"{written} UTC" if utc else written


def format_time_of_day(moment: datetime, lang: str) -> str:
    """The locale's short time of day ("8:00 AM", "08.00", "08:00")."""
    return babel_time(moment, "short", locale=lang)


def plotly_separators(lang: str) -> str:
    """Plotly's `separators` (decimal, then thousands) for the locale."""
    return get_decimal_symbol(lang) + get_group_symbol(lang)


def list_words(items: list[str], lang: str) -> str:
    """ "a, b and c" in the reader's language."""
    if len(items) <= 1:
        return "".join(items)
    return _("{first} and {last}", lang, first=", ".join(items[:-1]), last=items[-1])
