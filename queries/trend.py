"""Reads for the trend and map pages: series over time, periods, and events as data.

Every value is a bound parameter; the only SQL built from text is the right number of `?`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from errors import BarometerError
from queries.db import read_frame

TREND_COLUMNS = """
    area_type, area, period, period_type, measure, value, note_code, note_symbol, note_n,
    small_number,
    target_rate, target_lower, target_upper, target_status,
    comparison_rate, comparison_lower, comparison_upper, comparison_status,
    gap_pp, gap_lower_pp, gap_upper_pp, unweighted_mean
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


def list_periods(indicator: str, country: str) -> list[str]:
    """Every period the indicator has for the country, oldest first."""
    frame = read_frame(
        "SELECT DISTINCT period FROM indicator_values WHERE indicator = ? AND country = ? "
        "ORDER BY period",
        [indicator, country],
    )
    return [str(p) for p in frame["period"]]


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
EVENT_KINDS = ("reform", "refugees", "break")
EVENT_LANGUAGES = ("en", "da", "nb")
_EVENT_KEYS = {"id", "date", "kind", "indicators", "label", "text"}
_DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


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


def _event(country: str, number: int, data: Any) -> Event:
    where = f"events.yml {country}[{number}]"
    if not isinstance(data, dict):
        raise EventsError(f"{where}: expected a mapping")
    unknown = set(data) - _EVENT_KEYS
    missing = _EVENT_KEYS - {"indicators"} - set(data)
    if unknown or missing:
        raise EventsError(f"{where}: unknown keys {sorted(unknown)}, missing {sorted(missing)}")
    date = str(data["date"])
    if not _DATE.match(date):
        raise EventsError(f"{where}: date {date!r} must be YYYY-MM or YYYY-MM-DD (quoted)")
    if data["kind"] not in EVENT_KINDS:
        raise EventsError(f"{where}: kind must be one of {EVENT_KINDS}")
    for key in ("label", "text"):
        if not isinstance(data[key], dict) or set(data[key]) != set(EVENT_LANGUAGES):
            raise EventsError(f"{where}: {key} needs exactly the languages {EVENT_LANGUAGES}")
    return Event(
        id=str(data["id"]),
        country=country,
        date=date,
        kind=str(data["kind"]),
        label={k: str(v) for k, v in data["label"].items()},
        text={k: str(v) for k, v in data["text"].items()},
        indicators=tuple(str(i) for i in data.get("indicators") or ()),
    )


@cache
def load_events(path: Path = EVENTS_FILE) -> tuple[Event, ...]:
    """Every event in the events file, checked; EventsError names the first problem."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict) or set(data) - {"DK", "NO"}:
        raise EventsError('events.yml: top-level keys must be "DK" and "NO" (quoted)')
    return tuple(
        _event(country, number, entry)
        for country, entries in data.items()
        for number, entry in enumerate(entries or [])
    )


def list_events(country: str, indicator: str, path: Path = EVENTS_FILE) -> list[Event]:
    """The events of one country that concern an indicator, in date order."""
    found = [e for e in load_events(path) if e.country == country and e.applies_to(indicator)]
    return sorted(found, key=lambda e: e.date)
