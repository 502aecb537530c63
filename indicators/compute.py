"""One generic computation, driven by the definitions, writing the `indicator_values` table.

`indicator_values` holds one row per indicator, country, area and period:

| column | meaning |
|---|---|
| indicator, country | the indicator id and "DK" or "NO" |
| area_type | "municipality", "region" or "national" |
| area | municipality code, region code, or the country code for national rows |
| period, period_type | provider period code ("2021K2", "2024") and "quarter" or "year" |
| target_num, target_den | the target group's count and its base (summed over the selection) |
| target_rate | target_num / target_den (0-1); NULL when either is missing |
| target_status | provider status symbol when a cell was suppressed or missing, else NULL |
| n_areas | for region and national rows, how many municipalities were summed |
| unweighted_mean | for region and national rows, the plain mean of municipal rates |

Region and national rows are sums of numerators over sums of denominators across the
municipalities that have both (the weighted figure); the unweighted mean is kept beside it,
labelled as such. Missing cells never count as zero: a municipality whose cells are missing
has a NULL rate and is left out of the sums (n_areas says how many were summed).
"""

from __future__ import annotations

import math

import duckdb

from indicators.registry import CountryDefinition, DefinitionError, Measure, list_indicators
from loaders.sources import column_name

GEO_COLUMNS = ("omraade", "bopomr", "region")
TIME_COLUMN = "tid"
VALUE_COLUMNS = ("value", "status")

TABLE_SQL = """
CREATE OR REPLACE TABLE indicator_values (
    indicator VARCHAR NOT NULL, country VARCHAR NOT NULL, area_type VARCHAR NOT NULL,
    area VARCHAR NOT NULL, period VARCHAR NOT NULL, period_type VARCHAR NOT NULL,
    target_num DOUBLE, target_den DOUBLE, target_rate DOUBLE, target_status VARCHAR,
    n_areas INTEGER, unweighted_mean DOUBLE)
"""


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    rows = con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
        "ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return [row[0] for row in rows]


def measure_sql(con: duckdb.DuckDBPyConnection, measure: Measure) -> tuple[str, list[str]]:
    """SQL (and its parameters) summing one measure by area and period.

    A sum is NULL unless every cell it needs is present and published, so a suppressed cell
    can never turn into a smaller number or a zero.
    """
    columns = _columns(con, measure.raw_table)
    if not columns:
        raise DefinitionError(f"table {measure.provider}/{measure.table} was not loaded")
    geo = next((c for c in GEO_COLUMNS if c in columns), None)
    if geo is None or TIME_COLUMN not in columns:
        raise DefinitionError(f"{measure.raw_table} has no geography or time column")
    selected = {column_name(var): codes for var, codes in measure.select.items()}
    unknown = set(selected) - set(columns)
    if unknown:
        raise DefinitionError(f"{measure.raw_table} has no variables {sorted(unknown)}")
    unselected = set(columns) - set(selected) - {geo, TIME_COLUMN, *VALUE_COLUMNS}
    if unselected:
        raise DefinitionError(
            f"{measure.raw_table}: the selection must name {sorted(unselected)} too "
            "(otherwise their codes would be summed together)"
        )
    where, params = [], []
    for column, codes in selected.items():
        where.append(f'"{column}" IN ({", ".join("?" for _ in codes)})')
        params.extend(codes)
    expected = math.prod(len(codes) for codes in selected.values())
    # Identifiers come from the loaded table's own columns, values are bound parameters.
    sql = f"""
        SELECT "{geo}" AS area, "{TIME_COLUMN}" AS period,
               CASE WHEN count(value) = {expected} THEN sum(value) END AS amount,
               max(status) AS status
        FROM "{measure.raw_table}"
        WHERE {" AND ".join(where) if where else "TRUE"}
        GROUP BY ALL
    """  # noqa: S608
    return sql, params


def compute_country(
    con: duckdb.DuckDBPyConnection, indicator_id: str, definition: CountryDefinition
) -> None:
    """Insert one indicator's rows for one country: municipalities, regions, national."""
    num_sql, num_params = measure_sql(con, definition.numerator)
    den_sql, den_params = measure_sql(con, definition.denominator)
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE municipal AS
        SELECT m.code AS area, m.region_code, m.country, p.period,
               n.amount AS num, d.amount AS den,
               CASE WHEN n.amount IS NOT NULL AND d.amount > 0
                    THEN n.amount / d.amount END AS rate,
               coalesce(n.status, d.status) AS status
        FROM municipalities m
        JOIN (SELECT DISTINCT period FROM ({den_sql})) p ON TRUE
        LEFT JOIN ({num_sql}) n ON n.area = m.code AND n.period = p.period
        LEFT JOIN ({den_sql}) d ON d.area = m.code AND d.period = p.period
        WHERE m.country = ?
        """,  # noqa: S608
        [*den_params, *num_params, *den_params, definition.country],
    )
    base = [indicator_id, definition.country]
    con.execute(
        """
        INSERT INTO indicator_values
        SELECT ?, ?, 'municipality', area, period, ?, num, den, rate,
               CASE WHEN rate IS NULL THEN coalesce(status, '..') END, NULL, NULL
        FROM municipal
        """,
        [*base, definition.period_type],
    )
    # Weighted references: sum of numerators over sum of denominators.
    reference = """
        INSERT INTO indicator_values
        SELECT ?, ?, ?, {area}, period, ?, sum(num), sum(den), sum(num) / sum(den), NULL,
               count(*)::INTEGER, avg(rate)
        FROM municipal WHERE rate IS NOT NULL
        GROUP BY {area}, period
    """
    con.execute(reference.format(area="region_code"), [*base, "region", definition.period_type])
    con.execute(
        reference.format(area="country"),
        [*base, "national", definition.period_type],
    )


def compute_all(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)build indicator_values for every defined indicator and country."""
    con.execute(TABLE_SQL)
    for indicator in list_indicators():
        for definition in indicator.countries.values():
            compute_country(con, indicator.id, definition)
