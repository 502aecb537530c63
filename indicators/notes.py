"""Why a value (or its interval) is missing or must be read with care: a code, not a sentence.

`indicators/compute.py` writes three columns beside each value (see docs/DATA.md): `note_code`
and its parameters `note_symbol` and `note_n`.

* `withheld`: no value, the target group is smaller than the minimum n (`note_n`);
* `suppressed`: no value, the provider published a status symbol instead (`note_symbol`,
  such as ":" or "..");
* `missing`: no value and no symbol (a cell or a denominator is absent);
* `rates_only`: a value without an interval, the provider publishes rates only;
* `caution`: a value for a small target group, to be read with care (`note_n`: the level).

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
RATES_ONLY = "rates_only"
CAUTION = "caution"
CODES = (WITHHELD, SUPPRESSED, MISSING, RATES_ONLY, CAUTION)
NOTE_COLUMNS = ("note_code", "note_symbol", "note_n")


def _present(value: Any) -> bool:
    """False for None, NaN and pandas' NA (how a NULL reaches us), True otherwise."""
    return value is not None and (isinstance(value, str) or not pd.isna(value))


@dataclass(frozen=True)
class Note:
    """A note code with its parameters: the provider's symbol, or a threshold n."""

    code: str
    symbol: str | None = None
    n: int | None = None

    @classmethod
    def from_row(cls, row: Mapping[Any, Any]) -> Note | None:
        """The note of an `indicator_values` row (a dict with the note columns), or None."""
        code = row.get("note_code")
        if not _present(code):
            return None
        symbol: Any = row.get("note_symbol")
        n: Any = row.get("note_n")
        return cls(
            str(code), str(symbol) if _present(symbol) else None, int(n) if _present(n) else None
        )

    @classmethod
    def symbol_only(cls, symbol: Any) -> Note | None:
        """A provider symbol on its own (a group's status column) as a `suppressed` note."""
        return cls(SUPPRESSED, str(symbol)) if _present(symbol) and str(symbol) else None
