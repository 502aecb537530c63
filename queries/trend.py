"""Reads for the trend and map pages: series over time, periods, and events as data.

Every value is a bound parameter; the only SQL built from text is the right number of `?`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from errors import BarometerError
from indicators.schema import LANGUAGES, EventsFile, validated
from loaders.sources import read_yaml
from queries.db import read_frame
from queries.memo import per_database

TREND_COLUMNS = """
    area_type, area, period, period_type, measure, value, note_code, note_symbol, note_n,
    small_number,
    target_num, target_rate, target_lower, target_upper, target_status,
    comparison_rate, comparison_lower, comparison_upper, comparison_status,
    gap_pp, gap_lower_pp, gap_upper_pp, unweighted_mean, reference_source, comparable_from
"""


def get_trend(indicator: str, country: str, municipalities: list[str]) -> pd.DataFrame:
    """Rows over time for the chosen municipalities and the national reference.

    One row per area and period (`area_type` "municipality" or "national"); rates are 0-1,
    gaps in pp. Missing or suppressed cells stay NULL with their note.
    """
    placeholders = ", ".join("?" for _ in municipalities) or "NULL"
    sql = f"""
        SELECT {TREND_COLUMNS}
        FROM indicator_values
        WHERE indicator = ? AND country = ?
          AND (area_type = 'national'
               OR (area_type = 'municipality' AND area IN ({placeholders})))
        ORDER BY area_type, area, period
    """  # noqa: S608  (placeholders only; every value is bound)
    return read_frame(sql, [indicator, country, *municipalities])


def list_breaks(indicator: str, country: str, municipalities: list[str]) -> pd.DataFrame:
    """Reform breaks in the chosen municipalities' series: area, comparable_from, kind.

    Only the breaks that cut this indicator's series (the rows' `comparable_from`; a merger
    summed in a count table is none), with the reform's kind from `municipality_breaks`
    ("split" or "merge"), oldest first.
    """
    placeholders = ", ".join("?" for _ in municipalities) or "NULL"
    sql = f"""
        SELECT DISTINCT v.area, v.comparable_from, b.kind
        FROM indicator_values v
        LEFT JOIN municipality_breaks b
          ON b.country = v.country AND b.code = v.area AND b.comparable_from = v.comparable_from
        WHERE v.indicator = ? AND v.country = ? AND v.area_type = 'municipality'
          AND v.comparable_from IS NOT NULL AND v.area IN ({placeholders})
        ORDER BY v.comparable_from, v.area
    """  # noqa: S608  (placeholders only; every value is bound)
    return read_frame(sql, [indicator, country, *municipalities])


@per_database(256)
def list_periods(indicator: str, country: str) -> list[str]:
    """Every period the indicator has for the country, oldest first."""
    frame = read_frame(
        "SELECT DISTINCT period FROM indicator_values WHERE indicator = ? AND country = ? "
        "ORDER BY period",
        [indicator, country],
    )
    return [str(p) for p in frame["period"]]


@per_database(256)
def latest_period_with_values(indicator: str, country: str) -> str | None:
    """The newest period in which at least one municipality has a published value."""
    frame = read_frame(
        "SELECT max(period) AS period FROM indicator_values WHERE indicator = ? AND country = ? "
        "AND area_type = 'municipality' AND value IS NOT NULL",
        [indicator, country],
    )
    value = frame["period"].iloc[0] if not frame.empty else None
    return None if value is None or pd.isna(value) else str(value)


# --- events (indicators/events.yml) -------------------------------------------------------

EVENTS_FILE = Path(__file__).resolve().parents[1] / "indicators" / "events.yml"
EVENT_LANGUAGES = LANGUAGES


class EventsError(BarometerError):
    """indicators/events.yml is malformed."""


@dataclass(frozen=True)
class Event:
    """Something that happened, drawn as a vertical line on the period axis."""

    id: str
    country: str
    date: str
    kind: str
    label: dict[str, str]
    text: dict[str, str]
    indicators: tuple[str, ...] = ()

    def applies_to(self, indicator: str) -> bool:
        return not self.indicators or indicator in self.indicators


@cache
def load_events(path: Path = EVENTS_FILE) -> tuple[Event, ...]:
    """Every event in the events file, checked by its model (indicators/schema.py)."""
    data = read_yaml(path) or {}
    checked = validated(EventsFile, {"events": data}, path.name, EventsError)
    return tuple(
        Event(
            id=e.id,
            country=country,
            date=e.date,
            kind=e.kind,
            label=dict(e.label),
            text=dict(e.text),
            indicators=tuple(e.indicators),
        )
        for country, entries in checked.events.items()
        for e in entries
    )


def list_events(country: str, indicator: str, path: Path = EVENTS_FILE) -> list[Event]:
    """The events of one country that concern an indicator, in date order."""
    found = [e for e in load_events(path) if e.country == country and e.applies_to(indicator)]
    return sorted(found, key=lambda e: e.date)
