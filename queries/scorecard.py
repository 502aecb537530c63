"""Typed reads for the municipality scorecard: one municipality's history, and every
municipality's headline value in each indicator's latest period (for ranks within peers).

Two queries per page view, whatever the number of indicators: the page computes ranks within
the chosen peer group from the second frame (the peer group is not in the database), reading
its rows grouped per indicator (ScorecardData.latest_rows).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pandas as pd

from queries.db import read_frame
from queries.memo import per_database

HISTORY_COLUMNS = """
    indicator, period, measure, value, note_code, note_symbol, note_n, small_number,
    pooled_value,
    target_num, target_den, target_rate, target_lower, target_upper, target_status,
    comparison_num, comparison_den, comparison_rate, comparison_lower, comparison_upper,
    comparison_status, gap_pp, gap_lower_pp, gap_upper_pp,
    change_prev_pp, baseline_period, change_base_pp, change_base_lower, change_base_upper,
    light_barometer, light_significance, rank_country, n_ranked
"""


@dataclass(frozen=True)
class ScorecardData:
    """What the scorecard of one municipality reads.

    `history`: every indicator_values row of the municipality (all indicators, all periods),
    ordered by indicator and period; columns as in HISTORY_COLUMNS (see docs/DATA.md).
    `latest`: for each indicator, its latest period in the country (the last with any published
    municipal value) and every municipality's headline there: indicator, period, area, value
    (NaN when missing or withheld).
    """

    history: pd.DataFrame
    latest: pd.DataFrame
    # Indicators published per county only: for each period the row of the county the
    # municipality belonged to then, with its `place` (the county as the provider names it)
    # and `national` (the whole country's value); see get_county_history.
    county: pd.DataFrame = field(default_factory=pd.DataFrame)

    def latest_period(self, indicator: str) -> str | None:
        """The indicator's latest period in the country, or None when it has no values."""
        latest = self.latest_rows.get(indicator)
        if latest:
            return str(latest[0]["period"])
        county = self.county_rows.get(indicator)
        return str(county[-1]["period"]) if county else None

    # The frames' rows as dicts, per indicator, each list in period order: a card reads a few
    # rows of one indicator, and filtering the whole frame per card (pandas) cost more than
    # the queries (about 10 ms a card).
    @cached_property
    def history_rows(self) -> dict[str, list[dict[str, Any]]]:
        return rows_by_indicator(self.history)

    @cached_property
    def latest_rows(self) -> dict[str, list[dict[str, Any]]]:
        return rows_by_indicator(self.latest)

    @cached_property
    def county_rows(self) -> dict[str, list[dict[str, Any]]]:
        return rows_by_indicator(self.county)


def rows_by_indicator(frame: pd.DataFrame) -> dict[str, list[dict[str, Any]]]:
    """A frame's rows as dicts (column name: value) grouped by indicator, in period order."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    if frame.empty:
        return grouped
    for row in frame.to_dict(orient="records"):
        grouped.setdefault(str(row["indicator"]), []).append({str(k): v for k, v in row.items()})
    for rows in grouped.values():
        rows.sort(key=lambda row: str(row["period"]))
    return grouped


def get_municipality_history(country: str, municipality: str) -> pd.DataFrame:
    """Every indicator's rows for one municipality, ordered by indicator and period."""
    return read_frame(
        f"""
        SELECT {HISTORY_COLUMNS}
        FROM indicator_values
        WHERE area_type = 'municipality' AND country = ? AND area = ?
        ORDER BY indicator, period
        """,  # noqa: S608  (a constant column list; values are bound)
        [country, municipality],
    )


@per_database()
def get_latest_values(country: str) -> pd.DataFrame:
    """Every municipality's headline value in each indicator's latest period in `country`, with
    its note (a group of unknown size is not ranked)."""
    return read_frame(
        """
        WITH latest AS (
            SELECT indicator, max(period) AS period
            FROM indicator_values
            WHERE area_type = 'municipality' AND country = ? AND value IS NOT NULL
            GROUP BY indicator
        )
        SELECT v.indicator, v.period, v.area, v.value, v.note_code
        FROM indicator_values v
        JOIN latest l ON l.indicator = v.indicator AND l.period = v.period
        WHERE v.area_type = 'municipality' AND v.country = ?
        ORDER BY v.indicator, v.area
        """,
        [country, country],
    )


def tables_of_the_previous_year() -> frozenset[tuple[str, str]]:
    """The tables (provider, stored name) whose county figures describe the year before the
    period (sources.yml `county_year: previous`), from sources.yml as it ships (read once per
    process: parsing it on every view took longer than the rest of a Norwegian municipality
    page)."""
    from loaders.sources import shipped_sources

    return frozenset(
        (s.provider, s.key) for s in shipped_sources() if s.source.county_year == "previous"
    )


def get_county_history(country: str, municipality: str) -> pd.DataFrame:
    """The county figures of one municipality: for each indicator published per county only
    and each period, the row of the county the municipality belonged to then.

    A Norwegian municipality's number begins with its county's, so the county of a year is
    read from the municipality's code(s) that year (loaders/norway.py); where its land was in
    two counties, or the figures describe the year before (sources.yml `county_year:
    previous`), that is taken into account. Never the municipality's own figure."""
    from indicators.registry import list_indicators
    from loaders import norway

    wanted = [
        i for i in list_indicators() if country in i.countries and not i.municipal_in(country)
    ]
    if not wanted:
        return pd.DataFrame()
    previous = tables_of_the_previous_year()
    offsets = {}
    for indicator in wanted:
        target = indicator.countries[country].target
        measure = target.rate or target.numerator
        offsets[indicator.id] = int(
            measure is not None and (measure.provider, measure.table) in previous
        )
    marks = ", ".join("?" for _ in wanted)
    columns = ", ".join(f"v.{name.strip()}" for name in HISTORY_COLUMNS.split(","))
    rows = read_frame(
        f"""
        SELECT {columns}, v.area, n.value AS national, c.label AS place
        FROM indicator_values v
        LEFT JOIN indicator_values n
          ON n.indicator = v.indicator AND n.country = v.country AND n.period = v.period
         AND n.area_type = 'national'
        LEFT JOIN (
            SELECT code, any_value(label) AS label FROM table_labels
            WHERE variable = 'Fylkesnummer' AND lang = 'nb' GROUP BY code
        ) c ON c.code = v.area
        WHERE v.area_type = 'county' AND v.country = ? AND v.indicator IN ({marks})
        ORDER BY v.indicator, v.period
        """,  # noqa: S608  (constant column names; values are bound)
        [country, *[i.id for i in wanted]],
    )
    keep = []
    for row in rows.itertuples(index=False):
        year = int(str(row.period)[:4]) - offsets[str(row.indicator)]
        parts = norway.predecessors(municipality, year)
        keep.append(parts is not None and {p[:2] for p in parts} == {str(row.area)})
    return rows[keep].reset_index(drop=True)


def get_scorecard_data(country: str, municipality: str) -> ScorecardData:
    """The history of one municipality and its country's latest values, for the scorecard."""
    return ScorecardData(
        history=get_municipality_history(country, municipality),
        latest=get_latest_values(country),
        county=get_county_history(country, municipality),
    )
