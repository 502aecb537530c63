"""Reads for the Compare page: one indicator, country and period, every municipality's row.

Everything comes from `indicator_values` with bound parameters; nothing here knows about Dash.
Reads are cached per database identity (a swapped-in file is a new key), so everyone at a
meeting opening the same view costs one read. The view itself (checks, ranks, funnel) is
views/compare.py and indicators/ranking.py.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from indicators.notes import Note
from indicators.ranking import Display, Row
from indicators.registry import Indicator
from queries.db import connection, database_identity
from queries.values import get_data_status


def _fetch(sql: str, params: list[Any]) -> list[tuple]:
    """Rows of a read query with bound parameters, as tuples (no DataFrame on the hot path)."""
    cursor = connection()
    try:
        return cursor.execute(sql, params).fetchall()
    finally:
        cursor.close()


_PERIODS_SQL = """
    SELECT period FROM indicator_values
    WHERE indicator = ? AND country = ? AND area_type = 'municipality'
    GROUP BY period HAVING count(value) > 0
    ORDER BY period DESC
"""

_ROWS_SQL = """
    SELECT m.code, m.name, v.value,
           CASE WHEN v.measure = 'gap' THEN v.gap_lower_pp ELSE 100 * v.target_lower END,
           CASE WHEN v.measure = 'gap' THEN v.gap_upper_pp ELSE 100 * v.target_upper END,
           v.target_den, v.target_num, 100 * v.target_rate,
           v.comparison_num, v.comparison_den, 100 * v.comparison_rate,
           v.note_code, v.note_symbol, v.note_n, v.small_number
    FROM municipalities m
    LEFT JOIN indicator_values v
      ON v.country = m.country AND v.area = m.code AND v.area_type = 'municipality'
     AND v.indicator = ? AND v.period = ?
    WHERE m.country = ?
"""

_NATIONAL_SQL = """
    SELECT value, unweighted_mean, target_num, target_den, target_rate,
           comparison_num, comparison_den, comparison_rate,
           CASE WHEN reference_source = 'provider_national' THEN 1.0 ELSE 0.0 END,
           n_areas, target_missing, comparison_missing
    FROM indicator_values
    WHERE indicator = ? AND country = ? AND period = ? AND area_type = 'national'
"""

NATIONAL_KEYS = (
    "value",
    "unweighted_mean",
    "target_num",
    "target_den",
    "target_rate",
    "comparison_num",
    "comparison_den",
    "comparison_rate",
    "provider",  # 1.0 when the national row is the provider's own whole-country cell
    # The municipalities of the country, and how many lack each group's published figures
    # (left out of a national figure summed over municipalities).
    "areas",
    "target_missing",
    "comparison_missing",
)


def _number(value: Any) -> float | None:
    """A float, or None for NULL / NaN (missing stays missing, never 0)."""
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number


@functools.lru_cache(maxsize=256)
def _read_periods(identity: tuple[str, int, int], indicator: str, country: str) -> tuple[str, ...]:
    return tuple(str(r[0]) for r in _fetch(_PERIODS_SQL, [indicator, country]))


@functools.lru_cache(maxsize=64)
def _read_rows(
    identity: tuple[str, int, int], indicator: str, country: str, period: str
) -> tuple[tuple, ...]:
    """Row fields as plain Python values (interval and rates only where there is a value)."""
    found = []
    for record in _fetch(_ROWS_SQL, [indicator, period, country]):
        code, name, value, lower, upper, n, t_num, t_rate, c_num, c_den, c_rate = record[:11]
        note_code, note_symbol, note_n, small = record[11:]
        value = _number(value)
        shown = value is not None
        lower = _number(lower) if shown else None
        upper = _number(upper) if shown else None
        t_rate = _number(t_rate) if shown else None
        c_rate = _number(c_rate) if shown else None
        found.append(
            (
                str(code),
                str(name),
                value,
                lower,
                upper,
                _number(n),
                _number(t_num),
                t_rate,
                _number(c_num),
                _number(c_den),
                c_rate,
                Note.from_row(
                    {"note_code": note_code, "note_symbol": note_symbol, "note_n": note_n}
                ),
                small,
                Display.of(value, lower, upper, t_rate, c_rate),
            )
        )
    return tuple(found)


@functools.lru_cache(maxsize=256)
def _read_national(
    identity: tuple[str, int, int], indicator: str, country: str, period: str
) -> tuple[float | None, ...]:
    rows = _fetch(_NATIONAL_SQL, [indicator, country, period])
    return tuple(_number(v) for v in rows[0]) if rows else (None,) * len(NATIONAL_KEYS)


Identity = tuple[str, int, int]


def clear_read_cache() -> None:
    """Forget every cached read (tests and benchmarks; a swapped file needs no clearing)."""
    for reader in (_read_periods, _read_rows, _read_national):
        reader.cache_clear()


def list_periods(indicator: str, country: str, identity: Identity | None = None) -> list[str]:
    """Periods of an indicator and country with at least one municipal value, newest first."""
    return list(_read_periods(identity or database_identity(), indicator, country))


def get_rows(
    indicator: str, country: str, period: str, identity: Identity | None = None
) -> dict[str, Row]:
    """Every municipality of the country in one period, by code (missing values as None).

    Fresh Row objects each time (the view sets rank, focus and funnel place on them).
    """
    cached = _read_rows(identity or database_identity(), indicator, country, period)
    return {fields[0]: Row(*fields) for fields in cached}


def get_national(
    indicator: str, country: str, period: str, identity: Identity | None = None
) -> dict[str, float | None]:
    """The national row: weighted value, plain mean, and the pooled counts and rates."""
    values = _read_national(identity or database_identity(), indicator, country, period)
    return dict(zip(NATIONAL_KEYS, values, strict=True))


@dataclass(frozen=True)
class Provenance:
    """Where a view's figures come from, for the CSV header."""

    source: str
    built_at: str
    tables: list[dict[str, str]]


def get_provenance(indicator: Indicator, country: str) -> Provenance:
    """Build information and the provider tables (with update times) the indicator uses."""
    status = get_data_status()
    definition = indicator.countries.get(country)
    wanted: set[tuple[str, str]] = set()
    if definition is not None:
        for group in (definition.target, definition.comparison):
            if group is None:
                continue
            for part in (group.numerator, group.denominator, group.rate, group.size):
                if part is not None:
                    wanted.add((part.provider, part.table.upper()))
    tables = [
        {
            "provider": str(row["provider"]),
            "table_id": str(row["table_id"]),
            "title": str(row["title"]),
            # "" where the provider states no update time (IMDi's files), never "nan"
            "provider_updated": ""
            if pd.isna(row["provider_updated"])
            else str(row["provider_updated"]),
        }
        for row in status.tables.to_dict(orient="records")
        if (str(row["provider"]), str(row["table_id"]).upper()) in wanted
    ]
    return Provenance(status.source, status.built_at, tables)
