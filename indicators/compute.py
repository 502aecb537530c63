"""One generic computation, driven by the definitions, writing the `indicator_values` table.

`indicator_values` holds one row per indicator, country, area and period. Rates are 0-1,
gaps and changes are percentage points (pp).

Its columns are documented in docs/DATA.md (a test checks that every column is listed).

Region and national rows are sums of numerators over sums of denominators (weighted); the
unweighted mean is kept beside them, labelled as such. Missing cells never count as zero.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb

from indicators.notes import CAUTION, MISSING, RATES_ONLY, SUPPRESSED, WITHHELD
from indicators.registry import (
    CountryDefinition,
    DefinitionError,
    Group,
    Indicator,
    Measure,
    list_indicators,
)
from indicators.stats import CAUTION_N_DEFAULT, MIN_N_DEFAULT, install_macros
from loaders.sources import column_name

GEO_COLUMNS = ("omraade", "bopomr", "region")
TIME_COLUMN = "tid"
VALUE_COLUMNS = ("value", "status", "note")


@dataclass(frozen=True)
class ComputeSettings:
    """Small-number thresholds (target-group denominator) and the pooling window."""

    minimum: int = MIN_N_DEFAULT
    caution: int = CAUTION_N_DEFAULT
    pool_periods: int = 3


TABLE_SQL = """
CREATE OR REPLACE TABLE indicator_values (
    indicator VARCHAR NOT NULL, country VARCHAR NOT NULL, measure VARCHAR NOT NULL,
    area_type VARCHAR NOT NULL, area VARCHAR NOT NULL, region VARCHAR,
    period VARCHAR NOT NULL, period_type VARCHAR NOT NULL,
    target_num DOUBLE, target_den DOUBLE, target_rate DOUBLE,
    target_lower DOUBLE, target_upper DOUBLE, target_status VARCHAR,
    comparison_num DOUBLE, comparison_den DOUBLE, comparison_rate DOUBLE,
    comparison_lower DOUBLE, comparison_upper DOUBLE, comparison_status VARCHAR,
    gap_pp DOUBLE, gap_lower_pp DOUBLE, gap_upper_pp DOUBLE, ratio DOUBLE,
    value DOUBLE, note_code VARCHAR, note_symbol VARCHAR, note_n INTEGER,
    small_number VARCHAR, pooled_value DOUBLE,
    change_prev_pp DOUBLE, baseline_period VARCHAR, change_base_pp DOUBLE,
    change_base_lower DOUBLE, change_base_upper DOUBLE,
    light_barometer VARCHAR, light_significance VARCHAR,
    rank_country INTEGER, rank_region INTEGER, n_ranked INTEGER,
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
    period = f'"{TIME_COLUMN}"'
    if measure.period_shift == "next_year_first_quarter":
        # The first quarter of year Y+1 describes the end of year Y.
        where.append(f"{period} LIKE '%K1'")
        period = f"CAST(CAST(left({period}, 4) AS INTEGER) - 1 AS VARCHAR)"
    expected = math.prod(len(codes) for codes in selected.values())
    # Identifiers come from the loaded table's own columns; values are bound parameters.
    sql = f"""
        SELECT "{geo}" AS area, {period} AS period,
               CASE WHEN count(value) = {expected} THEN sum(value) END AS amount,
               max(status) AS status
        FROM "{measure.raw_table}"
        WHERE {" AND ".join(where) if where else "TRUE"}
        GROUP BY ALL
    """  # noqa: S608
    return sql, params


def group_sql(con: duckdb.DuckDBPyConnection, group: Group) -> tuple[str, list[str]]:
    """SQL giving a group's num, den, rate and status by area and period."""
    if group.rate is not None:
        rate_sql, rate_params = measure_sql(con, group.rate)
        scale = float(group.rate.scale)
        if group.size is None:
            sql = f"""
                SELECT area, period, NULL::DOUBLE AS num, NULL::DOUBLE AS den,
                       amount / {scale} AS rate, status FROM ({rate_sql})
            """  # noqa: S608
            return sql, rate_params
        size_sql, size_params = measure_sql(con, group.size)
        sql = f"""
            SELECT r.area, r.period, r.amount / {scale} * s.amount AS num, s.amount AS den,
                   r.amount / {scale} AS rate, coalesce(r.status, s.status) AS status
            FROM ({rate_sql}) r LEFT JOIN ({size_sql}) s USING (area, period)
        """  # noqa: S608
        return sql, [*rate_params, *size_params]
    assert group.numerator is not None and group.denominator is not None
    num_sql, num_params = measure_sql(con, group.numerator)
    den_sql, den_params = measure_sql(con, group.denominator)
    sql = f"""
        SELECT d.area, d.period, n.amount AS num, d.amount AS den,
               CASE WHEN n.amount IS NOT NULL AND d.amount > 0 THEN n.amount / d.amount END
                   AS rate,
               coalesce(n.status, d.status) AS status
        FROM ({den_sql}) d LEFT JOIN ({num_sql}) n USING (area, period)
    """  # noqa: S608
    return sql, [*den_params, *num_params]


def _load_municipal(con: duckdb.DuckDBPyConnection, definition: CountryDefinition) -> None:
    """Temp table `municipal`: every municipality x period with both groups' figures."""
    target_sql, target_params = group_sql(con, definition.target)
    if definition.comparison is not None:
        comparison_sql, comparison_params = group_sql(con, definition.comparison)
    else:
        comparison_sql = (
            "SELECT NULL::VARCHAR AS area, NULL::VARCHAR AS period, NULL::DOUBLE AS num, "
            "NULL::DOUBLE AS den, NULL::DOUBLE AS rate, NULL::VARCHAR AS status WHERE FALSE"
        )
        comparison_params = []
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE municipal AS
        WITH t AS ({target_sql}), c AS ({comparison_sql})
        SELECT m.code AS area, m.region_code AS region, p.period,
               t.num AS t_num, t.den AS t_den, t.rate AS t_rate, t.status AS t_status,
               c.num AS c_num, c.den AS c_den, c.rate AS c_rate, c.status AS c_status
        FROM municipalities m
        JOIN (SELECT DISTINCT period FROM t) p ON TRUE
        LEFT JOIN t ON t.area = m.code AND t.period = p.period
        LEFT JOIN c ON c.area = m.code AND c.period = p.period
        WHERE m.country = ?
        """,  # noqa: S608
        [*target_params, *comparison_params, definition.country],
    )


REFERENCES_SQL = """
CREATE OR REPLACE TEMP TABLE areas AS
SELECT 'municipality' AS area_type, area, region, period,
       t_num, t_den, t_rate, t_status, c_num, c_den, c_rate, c_status,
       NULL::INTEGER AS n_areas
FROM municipal
UNION ALL
SELECT area_type, grp, region, period,
       sum(t_num), sum(t_den),
       CASE WHEN sum(t_den) > 0 THEN sum(t_num) / sum(t_den) END, NULL,
       sum(c_num), sum(c_den),
       CASE WHEN sum(c_den) > 0 THEN sum(c_num) / sum(c_den) END, NULL,
       count(*)::INTEGER
FROM (
    SELECT 'region' AS area_type, region AS grp, region, * EXCLUDE (area, region) FROM municipal
    UNION ALL
    SELECT 'national', ?, NULL, * EXCLUDE (area, region) FROM municipal
)
WHERE t_rate IS NOT NULL AND (c_rate IS NOT NULL OR NOT ?)
GROUP BY area_type, grp, region, period
"""


def _derived_sql(indicator: Indicator, settings: ComputeSettings) -> str:
    """The SELECT that turns `areas` into indicator_values rows (the statistics)."""
    higher = indicator.higher_is_better
    has_comparison = indicator.measure != "share"
    if has_comparison:
        # p1 - p2 is the gap: comparison - target when higher is better, else the reverse.
        first, second = ("c", "t") if higher is not False else ("t", "c")
        gap = f"100 * ({first}_rate - {second}_rate)"
        gap_lower = f"100 * newcombe_lower({first}_num, {first}_den, {second}_num, {second}_den)"
        gap_upper = f"100 * newcombe_upper({first}_num, {first}_den, {second}_num, {second}_den)"
    else:
        gap = gap_lower = gap_upper = "NULL::DOUBLE"
    if indicator.measure == "gap":
        headline, lower, upper, value_higher = "gap_pp", "gap_lower_pp", "gap_upper_pp", "false"
    else:
        headline, lower, upper = "100 * t_rate", "100 * t_lower", "100 * t_upper"
        value_higher = "NULL" if higher is None else ("true" if higher else "false")
    # Ranks: 1 = best; descriptive shares rank largest first.
    order = "ASC" if value_higher == "false" else "DESC"
    minimum, caution, window = int(settings.minimum), int(settings.caution), settings.pool_periods
    pooled_rate = "sum({g}_num) OVER pool / sum({g}_den) OVER pool"
    if indicator.measure == "gap":
        pooled = (
            f"100 * ({pooled_rate.format(g=first)} - {pooled_rate.format(g=second)})"
            if has_comparison
            else "NULL"
        )
    else:
        pooled = f"100 * {pooled_rate.format(g='t')}"
    return f"""
    WITH stats AS (
        SELECT *,
               wilson_lower(t_num, t_den) AS t_lower, wilson_upper(t_num, t_den) AS t_upper,
               wilson_lower(c_num, c_den) AS c_lower, wilson_upper(c_num, c_den) AS c_upper,
               {gap} AS gap_pp, {gap_lower} AS gap_lower_pp, {gap_upper} AS gap_upper_pp,
               t_rate / nullif(c_rate, 0) AS ratio,
               small_number_flag(t_den, minimum := {minimum}, caution := {caution}) AS small
        FROM areas
    ), headline AS (
        SELECT *,
               CASE WHEN small = 'withheld' THEN NULL ELSE {headline} END AS value,
               CASE WHEN small = 'withheld' THEN NULL ELSE {lower} END AS value_lower,
               CASE WHEN small = 'withheld' THEN NULL ELSE {upper} END AS value_upper,
               {pooled} AS pooled_value
        FROM stats
        WINDOW pool AS (PARTITION BY area_type, area ORDER BY period
                        ROWS BETWEEN {window - 1} PRECEDING AND CURRENT ROW)
    ), changes AS (
        SELECT h.*,
               h.value - lag(h.value) OVER (PARTITION BY h.area_type, h.area ORDER BY h.period)
                   AS change_prev_pp,
               b.period AS baseline_period,
               h.value - b.value AS change_base_pp,
               gap_change_lower(h.value, h.value_lower, h.value_upper,
                                b.value, b.value_lower, b.value_upper) AS change_base_lower,
               gap_change_upper(h.value, h.value_lower, h.value_upper,
                                b.value, b.value_lower, b.value_upper) AS change_base_upper,
               b.value AS baseline_value
        FROM headline h
        LEFT JOIN headline b ON b.area_type = h.area_type AND b.area = h.area
                            AND b.period = ?
    )
    SELECT ?, ?, ?, area_type, area, region, period, ?,
           t_num, t_den, CASE WHEN small = 'withheld' THEN NULL ELSE t_rate END,
           CASE WHEN small = 'withheld' THEN NULL ELSE t_lower END,
           CASE WHEN small = 'withheld' THEN NULL ELSE t_upper END, t_status,
           c_num, c_den, c_rate, c_lower, c_upper, c_status,
           CASE WHEN small = 'withheld' THEN NULL ELSE gap_pp END,
           CASE WHEN small = 'withheld' THEN NULL ELSE gap_lower_pp END,
           CASE WHEN small = 'withheld' THEN NULL ELSE gap_upper_pp END,
           CASE WHEN small = 'withheld' THEN NULL ELSE ratio END,
           value,
           -- The note as a code with its parameters (indicators/notes.py; words at the edge).
           CASE WHEN value IS NULL AND small = 'withheld' THEN '{WITHHELD}'
                WHEN value IS NULL AND coalesce(t_status, c_status) IS NOT NULL
                    THEN '{SUPPRESSED}'
                WHEN value IS NULL THEN '{MISSING}'
                WHEN value_lower IS NULL AND ? THEN '{RATES_ONLY}'
                WHEN small = 'caution' THEN '{CAUTION}'
           END,
           CASE WHEN value IS NULL AND small IS DISTINCT FROM 'withheld'
                THEN coalesce(t_status, c_status) END,
           CASE WHEN value IS NULL AND small = 'withheld' THEN {minimum}
                WHEN value IS NOT NULL AND small = 'caution' THEN {caution} END,
           small, pooled_value, change_prev_pp, baseline_period, change_base_pp,
           change_base_lower, change_base_upper,
           barometer_light(value, baseline_value, {value_higher}),
           significance_light(change_base_pp, change_base_lower, change_base_upper,
                              {value_higher}),
           CASE WHEN area_type = 'municipality' AND value IS NOT NULL THEN
               rank() OVER (PARTITION BY area_type, period, value IS NULL
                            ORDER BY value {order})::INTEGER END,
           CASE WHEN area_type = 'municipality' AND value IS NOT NULL THEN
               rank() OVER (PARTITION BY area_type, period, region, value IS NULL
                            ORDER BY value {order})::INTEGER END,
           CASE WHEN area_type = 'municipality' THEN
               count(value) OVER (PARTITION BY area_type, period)::INTEGER END,
           n_areas,
           NULL::DOUBLE
    FROM changes
    """  # noqa: S608


def compute_country(
    con: duckdb.DuckDBPyConnection,
    indicator: Indicator,
    definition: CountryDefinition,
    settings: ComputeSettings,
) -> None:
    """Insert one indicator's rows for one country: municipalities, regions, national."""
    _load_municipal(con, definition)
    con.execute(REFERENCES_SQL, [definition.country, definition.comparison is not None])
    con.execute(
        f"INSERT INTO indicator_values {_derived_sql(indicator, settings)}",  # noqa: S608
        [
            definition.baseline,
            indicator.id,
            definition.country,
            indicator.measure,
            definition.period_type,
            definition.target.rate is not None,
        ],
    )
    # The unweighted mean of municipal headline values, beside each weighted reference.
    con.execute(
        """
        UPDATE indicator_values AS r SET unweighted_mean = m.mean
        FROM (SELECT CASE WHEN grouping(region) = 1 THEN 'national' ELSE 'region' END AS kind,
                     coalesce(region, ?) AS area, period, avg(value) AS mean
              FROM indicator_values
              WHERE indicator = ? AND country = ? AND area_type = 'municipality'
              GROUP BY GROUPING SETS ((region, period), (period))) m
        WHERE r.indicator = ? AND r.country = ? AND r.area_type = m.kind
          AND r.area = m.area AND r.period = m.period
        """,
        [definition.country, indicator.id, definition.country, indicator.id, definition.country],
    )


def compute_all(
    con: duckdb.DuckDBPyConnection,
    indicators: Sequence[Indicator] | None = None,
    settings: ComputeSettings | None = None,
) -> None:
    """(Re)build indicator_values for every defined indicator and country."""
    install_macros(con)
    con.execute(TABLE_SQL)
    for indicator in indicators if indicators is not None else list_indicators():
        for definition in indicator.countries.values():
            compute_country(con, indicator, definition, settings or ComputeSettings())
