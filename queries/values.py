"""Typed reads of indicator values, build information and municipalities for the pages and CLI."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pandas as pd

from queries.db import database_identity, read_frame
from queries.memo import per_database


@dataclass(frozen=True)
class DataStatus:
    """Where the figures come from: "demo" (simulated) or "live", and when they were built."""

    source: str
    built_at: str
    tables: pd.DataFrame

    @property
    def is_demo(self) -> bool:
        return self.source == "demo"


@per_database()
def get_data_status() -> DataStatus:
    """Build information and the list of provider tables in the current database."""
    info = read_frame("SELECT key, value FROM build_info")
    values = dict(zip(info["key"], info["value"], strict=True))
    tables = read_frame(
        "SELECT provider, table_id, title, provider_updated, cells FROM source_tables "
        "ORDER BY provider, table_id"
    )
    return DataStatus(values.get("source", "unknown"), values.get("built_at", ""), tables)


def list_municipalities(country: str | None = None) -> pd.DataFrame:
    """Municipalities (country, code, name, region_code, region_name), ordered by name."""
    if country is None:
        return read_frame("SELECT * FROM municipalities ORDER BY country, name")
    return read_frame("SELECT * FROM municipalities WHERE country = ? ORDER BY name", [country])


VALUE_COLUMNS = """
    v.indicator, v.country, v.area_type, v.area AS municipality, coalesce(m.name, c.label) AS name,
    v.period, v.measure,
    v.value, v.note_code, v.note_symbol, v.note_n, v.small_number, v.pooled_value,
    v.comparable_from,
    v.target_num, v.target_den, v.target_rate, v.target_lower, v.target_upper, v.target_status,
    v.target_size_approx,
    v.comparison_num, v.comparison_den, v.comparison_rate, v.comparison_lower,
    v.comparison_upper, v.comparison_status,
    v.gap_pp, v.gap_lower_pp, v.gap_upper_pp, v.ratio,
    n.value AS national_value, n.reference_source AS national_source,
    n.unweighted_mean AS national_unweighted_mean,
    r.value AS region_value,
    v.rank_country, v.rank_region, v.n_ranked, v.rank_caution,
    v.change_prev_pp, v.baseline_period, v.change_base_pp, v.change_base_lower,
    v.change_base_upper, v.light_barometer, v.light_significance
"""


def get_values(
    indicator: str,
    municipality: str | None = None,
    period: str | None = None,
    country: str | None = None,
) -> pd.DataFrame:
    """Municipal values of one indicator with national and regional references.

    Filtered by municipality, period and country when given. `value` is the headline (gap in
    pp, rate in %, or a count of persons); see docs/DATA.md for every column. An indicator
    published per county only has county rows instead (`area_type` county, the county's code
    in `municipality`, its name as the provider wrote it). A withheld row has no rate, gap,
    interval or pooled value, only the provider's counts (target_num, target_den, ...);
    `national_source` says whether the national figure is the provider's own whole-country
    cell (provider_national) or a sum over municipalities.
    """
    sql = f"""
        SELECT {VALUE_COLUMNS}
        FROM indicator_values v
        LEFT JOIN municipalities m ON m.country = v.country AND m.code = v.area
        LEFT JOIN (
            SELECT code, any_value(label) AS label FROM table_labels
            WHERE variable = 'Fylkesnummer' AND lang = 'nb' GROUP BY code
        ) c ON v.area_type = 'county' AND c.code = v.area
        LEFT JOIN indicator_values n
          ON n.indicator = v.indicator AND n.country = v.country AND n.period = v.period
         AND n.area_type = 'national'
        LEFT JOIN indicator_values r
          ON r.indicator = v.indicator AND r.country = v.country AND r.period = v.period
         AND r.area_type = 'region' AND r.area = v.region
        WHERE v.area_type IN ('municipality', 'county') AND v.indicator = ?
          AND (v.area_type = 'county' OR m.code IS NOT NULL)
    """  # noqa: S608
    params: list[str] = [indicator]
    filters = (("v.area", municipality), ("v.period", period), ("v.country", country))
    for column, value in filters:
        if value is not None:
            sql += f" AND {column} = ?"
            params.append(value)
    return read_frame(sql + " ORDER BY v.country, v.area, v.period", params)


def get_series(indicator: str, municipality: str) -> pd.DataFrame:
    """One municipality's headline values over time beside the national (weighted) figure."""
    return read_frame(
        """
        SELECT v.period, v.value, v.note_code, v.note_symbol, v.note_n, v.comparable_from,
               v.target_num AS numerator, v.target_den AS denominator,
               n.value AS national, n.unweighted_mean AS national_unweighted
        FROM indicator_values v
        LEFT JOIN indicator_values n
          ON n.indicator = v.indicator AND n.country = v.country AND n.period = v.period
         AND n.area_type = 'national'
        WHERE v.area_type = 'municipality' AND v.indicator = ? AND v.area = ?
        ORDER BY v.period
        """,
        [indicator, municipality],
    )


@functools.lru_cache(maxsize=64)
def _municipal_values(identity: tuple[str, int, int], indicator: str) -> pd.DataFrame:
    return get_values(indicator)


def get_municipal_values(indicator: str) -> pd.DataFrame:
    """Every municipal row of one indicator (as `get_values`), read once per database file.

    The file being read is the live one or a snapshot's (queries/snapshots.py); a copy is
    returned, so callers may change it.
    """
    return _municipal_values(database_identity(), indicator).copy()
