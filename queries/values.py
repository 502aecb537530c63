"""Typed reads of indicator values, build information and municipalities for the pages and CLI."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from queries.db import read_frame


@dataclass(frozen=True)
class DataStatus:
    """Where the figures come from: "demo" (simulated) or "live", and when they were built."""

    source: str
    built_at: str
    tables: pd.DataFrame

    @property
    def is_demo(self) -> bool:
        return self.source == "demo"


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


def get_values(
    indicator: str,
    municipality: str | None = None,
    period: str | None = None,
    country: str | None = None,
) -> pd.DataFrame:
    """Municipal values of one indicator, filtered by municipality, period and country."""
    sql = """
        SELECT v.indicator, v.country, v.area AS municipality, m.name, v.period,
               v.target_rate AS value, v.target_num AS numerator,
               v.target_den AS denominator, v.target_status AS status
        FROM indicator_values v
        JOIN municipalities m ON m.country = v.country AND m.code = v.area
        WHERE v.area_type = 'municipality' AND v.indicator = ?
    """
    params: list[str] = [indicator]
    for column, value in (("v.area", municipality), ("v.period", period), ("v.country", country)):
        if value is not None:
            sql += f" AND {column} = ?"
            params.append(value)
    return read_frame(sql + " ORDER BY v.country, v.area, v.period", params)


def get_series(indicator: str, municipality: str) -> pd.DataFrame:
    """One municipality's values over time beside the national (weighted) figure."""
    return read_frame(
        """
        SELECT v.period, v.target_rate AS value, v.target_status AS status,
               v.target_num AS numerator, v.target_den AS denominator,
               n.target_rate AS national, n.unweighted_mean AS national_unweighted
        FROM indicator_values v
        LEFT JOIN indicator_values n
          ON n.indicator = v.indicator AND n.country = v.country AND n.period = v.period
         AND n.area_type = 'national'
        WHERE v.area_type = 'municipality' AND v.indicator = ? AND v.area = ?
        ORDER BY v.period
        """,
        [indicator, municipality],
    )
