"""One generic computation, driven by the definitions, writing the `indicator_values` table.

`indicator_values` holds one row per indicator, country, area and period. Rates are 0-1,
gaps and changes are percentage points (pp).

Its columns are documented in docs/DATA.md (a test checks that every column is listed). The
rules are those of ../shared/docs/INDICATORS.md, "Rules made precise":

* Missing cells never count as zero, and a withheld row (target group below the minimum)
  carries no rate, gap, ratio, interval or pooled value: only the provider's counts.
* Pooled values sum counts only over periods where every count they need is published.
* Each group's reference is that group's own sum of numerators over sum of denominators; the
  national figure is the provider's own whole-country cell where it is published.
* A municipality split (or, in rate tables, merged) by a reform has a break: no change,
  pooled value, baseline comparison or traffic light reaches across it.
* A group published as a rate only gets the small-number rule from an approximate size.

Added for Norway's further sources (issue 13): a group whose provider publishes persons and
their percentage but not the base (IMDi) gets the base derived from the two, labelled
approximate (`derived_base`); a count indicator (measure `count`: a number of persons, such as
introduction programme participants) has its count as the headline; an indicator published
per county only (`geography: county`) is stored per county as published, never per
municipality (`compute_counties`); a table published on today's municipalities for every
period (FHI) has no reform breaks; a definition whose provider is switched off
(BAROMETER_IMDI=off) is left out.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb

from indicators import notes
from indicators.registry import (
    CountryDefinition,
    DefinitionError,
    Group,
    Indicator,
    Measure,
    list_indicators,
)
from indicators.stats import CAUTION_N_DEFAULT, MIN_N_DEFAULT, install_macros
from loaders.sources import column_name, load_sources

GEO_COLUMNS = ("omraade", "bopomr", "region")
TIME_COLUMN = "tid"
VALUE_COLUMNS = ("value", "status", "note")
# The provider's whole-country cell: Statistics Denmark's OMRÅDE/BOPOMR 000, Statistics
# Norway's Region 0 (docs/DATA.md, "raw_<provider>_<table>").
NATIONAL_CODES = {"DK": "000", "NO": "0"}
PROVIDER_NATIONAL, SUM_OF_MUNICIPALITIES = "provider_national", "sum_of_municipalities"


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
    target_lower DOUBLE, target_upper DOUBLE, target_status VARCHAR, target_size_approx DOUBLE,
    comparison_num DOUBLE, comparison_den DOUBLE, comparison_rate DOUBLE,
    comparison_lower DOUBLE, comparison_upper DOUBLE, comparison_status VARCHAR,
    gap_pp DOUBLE, gap_lower_pp DOUBLE, gap_upper_pp DOUBLE, ratio DOUBLE,
    value DOUBLE, note_code VARCHAR, note_symbol VARCHAR, note_n INTEGER,
    small_number VARCHAR, pooled_value DOUBLE, comparable_from VARCHAR,
    change_prev_pp DOUBLE, baseline_period VARCHAR, change_base_pp DOUBLE,
    change_base_lower DOUBLE, change_base_upper DOUBLE,
    light_barometer VARCHAR, light_significance VARCHAR,
    rank_country INTEGER, rank_region INTEGER, n_ranked INTEGER, rank_caution BOOLEAN,
    n_areas INTEGER, target_missing INTEGER, comparison_missing INTEGER,
    reference_source VARCHAR, unweighted_mean DOUBLE)
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
    can never turn into a smaller number or a zero. Period shifts:

    * `next_year_first_quarter`: year Y is read from the first quarter of Y+1 (1 January);
    * `next_year`: year Y is read from the yearly table's Y+1 (1 January of the next year);
    * `mean_of_quarters`: year Y is the mean of its four quarters (K1..K4), and only a year
      with all four quarters published has a value (an average population, for person-years);
    * `same_year_first_quarter`: year Y is read from its own first quarter (1 January of Y).
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
    expected = math.prod(len(codes) for codes in selected.values())
    amount = f"CASE WHEN count(value) = {expected} THEN sum(value) END"
    if measure.period_shift == "next_year_first_quarter":
        # The first quarter of year Y+1 describes the end of year Y.
        where.append(f"{period} LIKE '%K1'")
        period = f"CAST(CAST(left({period}, 4) AS INTEGER) - 1 AS VARCHAR)"
    elif measure.period_shift == "next_year":
        period = f"CAST(CAST({period} AS INTEGER) - 1 AS VARCHAR)"
    elif measure.period_shift == "same_year_first_quarter":
        where.append(f"{period} LIKE '%K1'")
        period = f"left({period}, 4)"
    elif measure.period_shift == "mean_of_quarters":
        # Every cell of each of the four quarters, or no value (a missing quarter is missing).
        where.append(f"{period} SIMILAR TO '[0-9]{{4}}K[1-4]'")
        amount = (
            f"CASE WHEN count(value) = {4 * expected} AND count(DISTINCT {period}) = 4 "
            "THEN sum(value) / 4 END"
        )
        period = f"left({period}, 4)"
    # Identifiers come from the loaded table's own columns; values are bound parameters.
    sql = f"""
        SELECT "{geo}" AS area, {period} AS period, {amount} AS amount, max(status) AS status
        FROM "{measure.raw_table}"
        WHERE {" AND ".join(where) if where else "TRUE"}
        GROUP BY ALL
    """  # noqa: S608
    return sql, params


def group_sql(con: duckdb.DuckDBPyConnection, group: Group) -> tuple[str, list[str]]:
    """SQL giving a group's num, den, rate, status and approximate size by area and period.

    A count group's periods are its numerator's: a period whose denominator is not published
    (for example a year before the population table starts) is there, without a rate. A group
    published as a rate has no counts; its `size` measure, if any, is an approximate group
    size used for the small-number rule only (never as a denominator or for an interval).

    Persons and a published rate (IMDi): the base is persons / rate, exact but for the rounding
    of the published percentage; none when the rate is 0 (nothing to derive it from). A
    numerator alone is a count: no base, no rate.
    """
    if group.derived:
        assert group.numerator is not None and group.rate is not None
        num_sql, num_params = measure_sql(con, group.numerator)
        rate_sql, rate_params = measure_sql(con, group.rate)
        scale = float(group.rate.scale)
        sql = f"""
            SELECT n.area, n.period, n.amount AS num,
                   CASE WHEN r.amount > 0 THEN n.amount / (r.amount / {scale}) END AS den,
                   r.amount / {scale} AS rate,
                   coalesce(n.status, r.status) AS status, NULL::DOUBLE AS size
            FROM ({num_sql}) n LEFT JOIN ({rate_sql}) r USING (area, period)
        """  # noqa: S608
        return sql, [*num_params, *rate_params]
    if group.rate is None and group.denominator is None:
        assert group.numerator is not None
        num_sql, num_params = measure_sql(con, group.numerator)
        sql = f"""
            SELECT area, period, amount AS num, NULL::DOUBLE AS den, NULL::DOUBLE AS rate,
                   status, NULL::DOUBLE AS size
            FROM ({num_sql})
        """  # noqa: S608
        return sql, num_params
    if group.rate is not None:
        rate_sql, rate_params = measure_sql(con, group.rate)
        scale = float(group.rate.scale)
        if group.size is None:
            sql = f"""
                SELECT area, period, NULL::DOUBLE AS num, NULL::DOUBLE AS den,
                       amount / {scale} AS rate, status, NULL::DOUBLE AS size
                FROM ({rate_sql})
            """  # noqa: S608
            return sql, rate_params
        size_sql, size_params = measure_sql(con, group.size)
        sql = f"""
            SELECT r.area, r.period, NULL::DOUBLE AS num, NULL::DOUBLE AS den,
                   r.amount / {scale} AS rate, r.status, s.amount AS size
            FROM ({rate_sql}) r LEFT JOIN ({size_sql}) s USING (area, period)
        """  # noqa: S608
        return sql, [*rate_params, *size_params]
    assert group.numerator is not None and group.denominator is not None
    num_sql, num_params = measure_sql(con, group.numerator)
    den_sql, den_params = measure_sql(con, group.denominator)
    sql = f"""
        SELECT n.area, n.period, n.amount AS num, d.amount AS den,
               CASE WHEN n.amount IS NOT NULL AND d.amount > 0 THEN n.amount / d.amount END
                   AS rate,
               coalesce(n.status, d.status) AS status, NULL::DOUBLE AS size
        FROM ({num_sql}) n LEFT JOIN ({den_sql}) d USING (area, period)
    """  # noqa: S608
    return sql, [*num_params, *den_params]


_NO_GROUP = (
    "SELECT NULL::VARCHAR AS area, NULL::VARCHAR AS period, NULL::DOUBLE AS num, "
    "NULL::DOUBLE AS den, NULL::DOUBLE AS rate, NULL::VARCHAR AS status, "
    "NULL::DOUBLE AS size WHERE FALSE"
)


def _load_breaks(con: duckdb.DuckDBPyConnection, definition: CountryDefinition) -> None:
    """Temp table `breaks` (code, comparable_from): the reforms that cut this definition's series.

    A split cuts every series; a merger cuts a series only where the parts' counts were not
    summed, which is always the case in a table of published rates (docs/DATA.md,
    `municipality_breaks`).
    """
    con.execute("CREATE OR REPLACE TEMP TABLE breaks (code VARCHAR, comparable_from VARCHAR)")
    if not _columns(con, "municipality_breaks") or _on_todays_borders(definition):
        return
    uses_rates = any(
        group is not None and group.rate is not None
        for group in (definition.target, definition.comparison)
    )
    con.execute(
        """
        INSERT INTO breaks
        SELECT DISTINCT code, comparable_from FROM municipality_breaks
        WHERE country = ? AND (NOT coalesce(counts_summed, FALSE) OR ?)
        """,
        [definition.country, uses_rates],
    )


def _measures(definition: CountryDefinition) -> list[Measure]:
    groups = [g for g in (definition.target, definition.comparison) if g is not None]
    parts = ("numerator", "denominator", "rate", "size")
    return [m for g in groups for m in (getattr(g, p) for p in parts) if m is not None]


def _on_todays_borders(definition: CountryDefinition) -> bool:
    """Whether every table of the definition is published on today's municipalities for every
    period (sources.yml `borders: today`, FHI): then no reform cuts its series."""
    borders = {(s.provider, s.key): s.source.borders for s in load_sources()}
    return all(borders.get((m.provider, m.table)) == "today" for m in _measures(definition))


def _load_municipal(con: duckdb.DuckDBPyConnection, definition: CountryDefinition) -> None:
    """Temp tables `grp_t`, `grp_c` (each group by area, the provider's national cell too) and
    `municipal`: every municipality x period with both groups' figures and its break."""
    target_sql, target_params = group_sql(con, definition.target)
    con.execute(f"CREATE OR REPLACE TEMP TABLE grp_t AS {target_sql}", target_params)  # noqa: S608
    if definition.comparison is not None:
        comparison_sql, comparison_params = group_sql(con, definition.comparison)
    else:
        comparison_sql, comparison_params = _NO_GROUP, []
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE grp_c AS {comparison_sql}",  # noqa: S608
        comparison_params,
    )
    _load_breaks(con, definition)
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE municipal AS
        SELECT m.code AS area, m.region_code AS region, p.period,
               t.num AS t_num, t.den AS t_den, t.rate AS t_rate, t.status AS t_status,
               t.size AS t_size,
               c.num AS c_num, c.den AS c_den, c.rate AS c_rate, c.status AS c_status,
               (SELECT max(b.comparable_from) FROM breaks b
                WHERE b.code = m.code AND b.comparable_from <= p.period) AS comparable_from
        FROM municipalities m
        JOIN (SELECT DISTINCT period FROM grp_t) p ON TRUE
        LEFT JOIN grp_t t ON t.area = m.code AND t.period = p.period
        LEFT JOIN grp_c c ON c.area = m.code AND c.period = p.period
        WHERE m.country = ?
        """,
        [definition.country],
    )


# Each group's reference on its own: a municipality counts for a group when that group's
# numerator and denominator are both published there, whatever the other group's cells say.
# The national row takes the provider's whole-country cells instead when every group has one
# published (they include municipal cells the provider suppressed).
REFERENCES_SQL = """
CREATE OR REPLACE TEMP TABLE areas AS
WITH scoped AS (
    SELECT 'region' AS area_type, region AS grp, region, * EXCLUDE (area, region) FROM municipal
    UNION ALL
    SELECT 'national', $national_area, NULL, * EXCLUDE (area, region) FROM municipal
), sums AS (
    SELECT area_type, grp AS area, region, period,
           sum(t_num) FILTER (WHERE t_num IS NOT NULL AND (t_den IS NOT NULL OR $count))
               AS t_num,
           sum(t_den) FILTER (WHERE t_num IS NOT NULL AND t_den IS NOT NULL) AS t_den,
           sum(c_num) FILTER (WHERE c_num IS NOT NULL AND c_den IS NOT NULL) AS c_num,
           sum(c_den) FILTER (WHERE c_num IS NOT NULL AND c_den IS NOT NULL) AS c_den,
           count(*)::INTEGER AS n_areas,
           (count(*) FILTER (WHERE CASE WHEN $count THEN t_num IS NULL ELSE t_rate IS NULL END))
               ::INTEGER AS t_missing,
           CASE WHEN $has_comparison
                THEN (count(*) FILTER (WHERE c_rate IS NULL))::INTEGER END AS c_missing
    FROM scoped
    GROUP BY area_type, grp, region, period
), cells AS (
    -- Either group's whole-country cell may exist without the other's (IMDi's municipal files
    -- have none; Statistics Norway's 11607 has one).
    SELECT coalesce(t.period, c.period) AS period, t.num AS t_num, t.den AS t_den,
           t.rate AS t_rate, c.num AS c_num, c.den AS c_den, c.rate AS c_rate
    FROM (SELECT * FROM grp_t WHERE area = $national_cell) t
    FULL JOIN (SELECT * FROM grp_c WHERE area = $national_cell) c ON c.period = t.period
), referenced AS (
    SELECT s.*, k.t_num AS k_t_num, k.t_den AS k_t_den, k.t_rate AS k_t_rate,
           k.c_num AS k_c_num, k.c_den AS k_c_den, k.c_rate AS k_c_rate,
           s.area_type = 'national' AND (k.t_rate IS NOT NULL OR ($count AND k.t_num IS NOT NULL))
               AND (k.c_rate IS NOT NULL OR NOT $has_comparison) AS provider
    FROM sums s LEFT JOIN cells k ON k.period = s.period AND s.area_type = 'national'
), chosen AS (
    -- A group published as rates only has no sum to fall back on: its national figure is the
    -- provider's cell even where the other group's is a sum of municipalities ("mixed").
    SELECT *,
           provider OR (area_type = 'national' AND $t_rates_only AND k_t_rate IS NOT NULL)
               AS t_cell,
           provider OR (area_type = 'national' AND $c_rates_only AND k_c_rate IS NOT NULL)
               AS c_cell
    FROM referenced
)
SELECT 'municipality' AS area_type, area, region, period,
       t_num, t_den, t_rate, t_status, t_size, c_num, c_den, c_rate, c_status, comparable_from,
       NULL::INTEGER AS n_areas, NULL::INTEGER AS t_missing, NULL::INTEGER AS c_missing,
       NULL::VARCHAR AS reference_source
FROM municipal
UNION ALL
SELECT area_type, area, region, period,
       CASE WHEN t_cell THEN k_t_num ELSE t_num END,
       CASE WHEN t_cell THEN k_t_den ELSE t_den END,
       CASE WHEN t_cell THEN k_t_rate WHEN t_den > 0 THEN t_num / t_den END,
       NULL, NULL,
       CASE WHEN c_cell THEN k_c_num ELSE c_num END,
       CASE WHEN c_cell THEN k_c_den ELSE c_den END,
       CASE WHEN c_cell THEN k_c_rate WHEN c_den > 0 THEN c_num / c_den END,
       NULL, NULL,
       n_areas, t_missing, c_missing,
       CASE WHEN provider THEN 'provider_national'
            WHEN t_cell OR c_cell THEN 'mixed'
            ELSE 'sum_of_municipalities' END
FROM chosen
"""


def _derived_sql(
    indicator: Indicator, definition: CountryDefinition, settings: ComputeSettings
) -> str:
    """The SELECT that turns `areas` into indicator_values rows (the statistics)."""
    higher = indicator.higher_is_better
    count = indicator.measure == "count"
    has_comparison = indicator.measure not in ("share", "count")
    target = definition.target
    rates_only = target.rates_only
    # Whether the target group has any size to apply the small-number rule to (a count has
    # none: it is a number of persons, not a share of a group).
    sized = (not rates_only or target.size is not None) and not count
    groups = [g for g in (target, definition.comparison) if g is not None]
    derived = any(g.derived for g in groups)
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
    elif count:
        headline, lower, upper, value_higher = "t_num", "NULL::DOUBLE", "NULL::DOUBLE", "NULL"
    else:
        headline, lower, upper = "100 * t_rate", "100 * t_lower", "100 * t_upper"
        value_higher = "NULL" if higher is None else ("true" if higher else "false")
    # Ranks: 1 = best; descriptive shares rank largest first.
    order = "ASC" if value_higher == "false" else "DESC"
    minimum, caution, window = int(settings.minimum), int(settings.caution), settings.pool_periods
    # A period counts in a pool only when every count the pooled value needs is published.
    poolable = "t_num IS NOT NULL AND t_den IS NOT NULL"
    if indicator.measure == "gap":
        poolable += " AND c_num IS NOT NULL AND c_den IS NOT NULL"
    pooled_rate = "safe_rate(p_{g}_num, p_{g}_den)"
    if indicator.measure == "gap":
        pooled = f"100 * ({pooled_rate.format(g=first)} - {pooled_rate.format(g=second)})"
    else:
        pooled = f"100 * {pooled_rate.format(g='t')}"
    withheld = "small = 'withheld'"

    def shown(expression: str) -> str:
        return f"CASE WHEN {withheld} THEN NULL ELSE {expression} END"

    def finite(expression: str) -> str:
        return f"finite({expression})"

    return f"""
    WITH stats AS (
        SELECT *,
               coalesce(comparable_from, '') AS segment,
               wilson_lower(t_num, t_den) AS t_lower, wilson_upper(t_num, t_den) AS t_upper,
               wilson_lower(c_num, c_den) AS c_lower, wilson_upper(c_num, c_den) AS c_upper,
               {gap} AS gap_pp, {gap_lower} AS gap_lower_pp, {gap_upper} AS gap_upper_pp,
               t_rate / nullif(c_rate, 0) AS ratio,
               small_number_flag(coalesce(t_den, t_size), minimum := {minimum},
                                 caution := {caution}) AS small,
               {poolable} AS poolable
        FROM areas
    ), headline AS (
        SELECT *,
               {shown(headline)} AS value,
               {shown(lower)} AS value_lower,
               {shown(upper)} AS value_upper,
               sum(CASE WHEN poolable THEN t_num END) OVER pool AS p_t_num,
               sum(CASE WHEN poolable THEN t_den END) OVER pool AS p_t_den,
               sum(CASE WHEN poolable THEN c_num END) OVER pool AS p_c_num,
               sum(CASE WHEN poolable THEN c_den END) OVER pool AS p_c_den
        FROM stats
        WINDOW pool AS (PARTITION BY area_type, area, segment ORDER BY period
                        ROWS BETWEEN {window - 1} PRECEDING AND CURRENT ROW)
    ), checked AS (
        SELECT *,
               -- Ranked and lit only with a value and a group known not to be too small
               -- (a reference row has no approximate size: the rule is for municipalities).
               value IS NOT NULL
                   AND (small IS NOT NULL OR NOT {sized} OR area_type <> 'municipality')
                   AS rankable,
               CASE WHEN value IS NOT NULL AND p_t_den >= {minimum} THEN {pooled} END
                   AS pooled_value
        FROM headline
    ), changes AS (
        SELECT h.*,
               h.value - lag(h.value) OVER (PARTITION BY h.area_type, h.area, h.segment
                                            ORDER BY h.period) AS change_prev_pp,
               $baseline AS baseline_period,
               -- Compared with the baseline only after it, in the same unbroken series.
               h.period > b.period AND h.rankable AND b.rankable AS comparable,
               b.value AS b_value, b.value_lower AS b_lower, b.value_upper AS b_upper
        FROM checked h
        LEFT JOIN checked b ON b.area_type = h.area_type AND b.area = h.area
                           AND b.period = $baseline AND b.segment = h.segment
    ), compared AS (
        SELECT *,
               CASE WHEN comparable THEN value - b_value END AS change_base_pp,
               CASE WHEN comparable THEN gap_change_lower(value, value_lower, value_upper,
                                                           b_value, b_lower, b_upper)
               END AS change_base_lower,
               CASE WHEN comparable THEN gap_change_upper(value, value_lower, value_upper,
                                                           b_value, b_lower, b_upper)
               END AS change_base_upper,
               area_type = 'municipality' AND rankable AND NOT {count} AS ranked
        FROM changes
    )
    SELECT $indicator, $country, $measure, area_type, area, region, period, $period_type,
           {finite("t_num")}, {finite("t_den")}, {finite(shown("t_rate"))},
           {finite(shown("t_lower"))}, {finite(shown("t_upper"))}, t_status, {finite("t_size")},
           {finite("c_num")}, {finite("c_den")}, {finite(shown("c_rate"))},
           {finite(shown("c_lower"))}, {finite(shown("c_upper"))}, c_status,
           {finite(shown("gap_pp"))}, {finite(shown("gap_lower_pp"))},
           {finite(shown("gap_upper_pp"))}, {finite(shown("ratio"))},
           {finite("value")},
           -- The note as a code with its parameters (indicators/notes.py; words at the edge).
           CASE WHEN value IS NULL AND {withheld} THEN '{notes.WITHHELD}'
                WHEN value IS NULL AND coalesce(t_status, c_status) IS NOT NULL
                    THEN '{notes.SUPPRESSED}'
                WHEN value IS NULL THEN '{notes.MISSING}'
                -- A derived base is approximate on every row that has one (the caution and
                -- the break keep their own columns).
                WHEN small = 'caution' AND {derived} THEN '{notes.DERIVED_CAUTION}'
                WHEN small = 'caution' THEN '{notes.CAUTION}'
                WHEN {derived} AND t_den IS NOT NULL THEN '{notes.DERIVED_BASE}'
                WHEN comparable_from IS NOT NULL
                     AND (period = comparable_from OR $baseline < comparable_from)
                    THEN '{notes.BREAK}'
                WHEN NOT rankable THEN '{notes.SIZE_UNKNOWN}'
                WHEN t_size IS NOT NULL THEN '{notes.APPROXIMATE_N}'
                WHEN value_lower IS NULL AND {rates_only} THEN '{notes.RATES_ONLY}'
           END,
           CASE WHEN value IS NULL AND small IS DISTINCT FROM 'withheld'
                THEN coalesce(t_status, c_status) END,
           CASE WHEN value IS NULL AND {withheld} THEN {minimum}
                WHEN value IS NOT NULL AND {derived} AND t_den IS NOT NULL
                    THEN round(t_den)::INTEGER
                WHEN value IS NOT NULL AND small = 'caution' THEN {caution}
                WHEN value IS NOT NULL AND t_size IS NOT NULL THEN round(t_size)::INTEGER
           END,
           small, {finite("pooled_value")}, comparable_from,
           {finite("change_prev_pp")}, baseline_period, {finite("change_base_pp")},
           {finite("change_base_lower")}, {finite("change_base_upper")},
           CASE WHEN comparable THEN barometer_light(value, b_value, {value_higher}) END,
           CASE WHEN comparable THEN significance_light(change_base_pp, change_base_lower,
                                                        change_base_upper, {value_higher})
           END,
           CASE WHEN ranked THEN
               rank() OVER (PARTITION BY area_type, period, ranked
                            ORDER BY value {order})::INTEGER END,
           CASE WHEN ranked THEN
               rank() OVER (PARTITION BY area_type, period, region, ranked
                            ORDER BY value {order})::INTEGER END,
           CASE WHEN area_type = 'municipality' THEN
               sum(ranked::INTEGER) OVER (PARTITION BY area_type, period)::INTEGER END,
           CASE WHEN ranked THEN small = 'caution' END,
           n_areas, t_missing, c_missing, reference_source,
           NULL::DOUBLE
    FROM compared
    """  # noqa: S608


def _insert_rows(
    con: duckdb.DuckDBPyConnection,
    indicator: Indicator,
    definition: CountryDefinition,
    settings: ComputeSettings,
) -> None:
    """The statistics of the temp table `areas`, inserted into indicator_values."""
    con.execute(
        f"INSERT INTO indicator_values {_derived_sql(indicator, definition, settings)}",  # noqa: S608
        {
            "baseline": definition.baseline,
            "indicator": indicator.id,
            "country": definition.country,
            "measure": indicator.measure,
            "period_type": definition.period_type,
        },
    )


def compute_country(
    con: duckdb.DuckDBPyConnection,
    indicator: Indicator,
    definition: CountryDefinition,
    settings: ComputeSettings,
) -> None:
    """Insert one indicator's rows for one country: municipalities, regions, national."""
    _load_municipal(con, definition)
    national = NATIONAL_CODES[definition.country]
    con.execute(
        REFERENCES_SQL,
        {
            "national_area": definition.country,
            "national_cell": national,
            "has_comparison": definition.comparison is not None,
            "count": indicator.measure == "count",
            "t_rates_only": definition.target.rates_only,
            "c_rates_only": definition.comparison is not None and definition.comparison.rates_only,
        },
    )
    _insert_rows(con, indicator, definition, settings)
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


# The provider's county codes: two digits; 99 is "Ukjent fylke" (county not known), not one.
COUNTY_AREAS = """
CREATE OR REPLACE TEMP TABLE areas AS
SELECT CASE WHEN area = $cell THEN 'national' ELSE 'county' END AS area_type,
       CASE WHEN area = $cell THEN $country ELSE area END AS area,
       CASE WHEN area = $cell THEN NULL ELSE area END AS region,
       period, num AS t_num, den AS t_den, rate AS t_rate, status AS t_status, size AS t_size,
       NULL::DOUBLE AS c_num, NULL::DOUBLE AS c_den, NULL::DOUBLE AS c_rate,
       NULL::VARCHAR AS c_status, NULL::VARCHAR AS comparable_from,
       NULL::INTEGER AS n_areas, NULL::INTEGER AS t_missing, NULL::INTEGER AS c_missing,
       CASE WHEN area = $cell THEN 'provider_national' END AS reference_source
FROM grp_t
WHERE (area = $cell OR (length(area) = 2 AND area <> '99'))
  AND status IS DISTINCT FROM '.'
"""


def compute_counties(
    con: duckdb.DuckDBPyConnection,
    indicator: Indicator,
    definition: CountryDefinition,
    settings: ComputeSettings,
) -> None:
    """Insert an indicator the provider publishes per county only: a row per county as the
    provider publishes it (area_type "county", the county's code of that year: counties were
    merged in 2020 and split in 2024) and the provider's whole-country figure. There are no
    municipal rows, so no municipality is ever shown a county's figure as its own. A county
    the provider lists for a year in which it did not exist ("." since loaders/imdi.py) has
    no row."""
    target_sql, params = group_sql(con, definition.target)
    con.execute(f"CREATE OR REPLACE TEMP TABLE grp_t AS {target_sql}", params)  # noqa: S608
    con.execute(
        COUNTY_AREAS,
        {"cell": NATIONAL_CODES[definition.country], "country": definition.country},
    )
    _insert_rows(con, indicator, definition, settings)


def _switched_off(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Providers the build left out on purpose (build_info: imdi = off)."""
    if not _columns(con, "build_info"):
        return set()
    rows = con.execute("SELECT key FROM build_info WHERE value = 'off'").fetchall()
    return {key for (key,) in rows}


def compute_all(
    con: duckdb.DuckDBPyConnection,
    indicators: Sequence[Indicator] | None = None,
    settings: ComputeSettings | None = None,
) -> None:
    """(Re)build indicator_values for every defined indicator and country.

    A country definition whose tables a switched-off provider would have given is left out;
    any other table that is not loaded is an error."""
    install_macros(con)
    con.execute(TABLE_SQL)
    off = _switched_off(con)
    for indicator in indicators if indicators is not None else list_indicators():
        for definition in indicator.countries.values():
            absent = [m for m in _measures(definition) if not _columns(con, m.raw_table)]
            if absent and all(m.provider in off for m in absent):
                continue
            compute = compute_counties if definition.geography == "county" else compute_country
            compute(con, indicator, definition, settings or ComputeSettings())
