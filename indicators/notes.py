"""Why a value (or its interval) is missing or must be read with care: a code, not a sentence.

`indicators/compute.py` writes three columns beside each value (see docs/DATA.md): `note_code`
and its parameters `note_symbol` and `note_n`.

* `withheld`: no value, the target group is smaller than the minimum n (`note_n`);
* `suppressed`: no value, the provider published a status symbol instead (`note_symbol`,
  such as ":" or "..");
* `missing`: no value and no symbol (a cell or a denominator is absent);
* `derived_caution`: a `caution` whose group size is a `derived_base` (`note_n`: the derived
  size, rounded);
* `caution`: a value for a small target group, to be read with care (`note_n`: the level);
* `derived_base`: the provider publishes persons and their percentage, not the group's size:
  the size (and so the interval, the small-number rule and the references) is derived from
  them, approximately (`note_n`: the derived size, rounded);
* `break`: a value whose series is cut by a municipal reform: nothing is compared across it
  (the row's `comparable_from` is the first period of the unbroken series);
* `size_unknown`: a published rate whose group size is not known for the period, so it is
  neither ranked nor given a traffic light;
* `approximate_n`: a published rate without an interval, judged by an approximate group size
  from another table (`note_n`: that size, rounded);
* `rates_only`: a value without an interval, the provider publishes rates only.

A row has at most one note, in the order above (docs/DATA.md); `small_number` and
`comparable_from` keep the caution and the break in their own columns whatever the note.

The words for a note are chosen at the edge, in the reader's language (`locales/notes.py`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

WITHHELD = "withheld"
SUPPRESSED = "suppressed"
MISSING = "missing"
CAUTION = "caution"
BREAK = "break"
SIZE_UNKNOWN = "size_unknown"
APPROXIMATE_N = "approximate_n"
DERIVED_BASE = "derived_base"
DERIVED_CAUTION = "derived_caution"
RATES_ONLY = "rates_only"
# In order of precedence: the first that applies is a row's note.
CODES = (
    WITHHELD,
    SUPPRESSED,
    MISSING,
    DERIVED_CAUTION,
    CAUTION,
    DERIVED_BASE,
    BREAK,
    SIZE_UNKNOWN,
    APPROXIMATE_N,
    RATES_ONLY,
)
# `comparable_from` is the parameter of a `break` note (the first period after the reform).
NOTE_COLUMNS = ("note_code", "note_symbol", "note_n", "comparable_from")


def _present(value: Any) -> bool:
    """False for None, NaN and pandas' NA (how a NULL reaches us), True otherwise."""
    return value is not None and (isinstance(value, str) or not pd.isna(value))


@dataclass(frozen=True)
class Note:
    """A note code with its parameters: the provider's symbol, a threshold or size n, or the
    period a series is comparable from (after a reform)."""

    code: str
    symbol: str | None = None
    n: int | None = None
    period: str | None = None

    @classmethod
    def from_row(cls, row: Mapping[Any, Any]) -> Note | None:
        """The note of an `indicator_values` row (a dict with the note columns), or None."""
        code = row.get("note_code")
        if not _present(code):
            return None
        symbol: Any = row.get("note_symbol")
        n: Any = row.get("note_n")
        period: Any = row.get("comparable_from")
        return cls(
            str(code),
            str(symbol) if _present(symbol) else None,
            int(n) if _present(n) else None,
            str(period) if _present(period) and str(code) == BREAK else None,
        )

    @classmethod
    def symbol_only(cls, symbol: Any) -> Note | None:
        """A provider symbol on its own (a group's status column) as a `suppressed` note."""
        return cls(SUPPRESSED, str(symbol)) if _present(symbol) and str(symbol) else None
