"""The statistics layer: each rule in Python and as a DuckDB macro, with the arithmetic shown."""

from __future__ import annotations

import math
from statistics import NormalDist

import duckdb
import numpy as np
import pandas as pd
import pytest

from indicators import stats
from indicators.stats import (
    CAUTION_N_DEFAULT,
    MIN_N_DEFAULT,
    Z95,
    barometer_light,
    funnel_limits,
    gap_change_interval,
    newcombe_interval,
    round_half_away,
    round_pp,
    significance_light,
    small_number_flag,
    wilson_interval,
)


@pytest.fixture()
def con() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    stats.install_macros(connection)
    return connection


def sql_one(con: duckdb.DuckDBPyConnection, expression: str, params: list | None = None):
    row = con.execute(f"SELECT {expression}", params or []).fetchone()  # noqa: S608 (test-only)
    assert row is not None
    return row[0] if len(row) == 1 else row


# --------------------------------------------------------------------------------------------
# Wilson and Newcombe
# --------------------------------------------------------------------------------------------


def test_constants() -> None:
    assert NormalDist().inv_cdf(0.975) == pytest.approx(Z95, abs=1e-12)
    assert (MIN_N_DEFAULT, CAUTION_N_DEFAULT) == (20, 80)


def test_wilson_by_hand(con: duckdb.DuckDBPyConnection) -> None:
    # 8 of 20: p = 0.4. Wilson: (p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)
    z, x, n = Z95, 8, 20
    p = x / n
    z2 = z * z  # 3.841459
    denominator = 1 + z2 / n  # 1 + 0.192073 = 1.192073
    centre = (p + z2 / (2 * n)) / denominator  # (0.4 + 0.096036) / 1.192073 = 0.416113
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
    #       1.959964 * sqrt(0.012 + 0.002401) / 1.192073 = 1.959964 * 0.120004 / 1.192073 = 0.197306
    assert centre == pytest.approx(0.416113, abs=1e-6)
    assert half == pytest.approx(0.197306, abs=1e-6)
    assert (centre - half, centre + half) == pytest.approx((0.2188, 0.6134), abs=5e-5)

    assert wilson_interval(x, n) == pytest.approx((centre - half, centre + half), abs=1e-12)
    from_sql = sql_one(con, "wilson_lower(8, 20), wilson_upper(8, 20)")
    assert from_sql == pytest.approx((centre - half, centre + half), abs=1e-12)


def test_wilson_edges_stay_inside_zero_one(con: duckdb.DuckDBPyConnection) -> None:
    # 0/10: the lower bound is exactly 0, the upper bound z²/(n + z²) = 3.841459 / 13.841459.
    assert wilson_interval(0, 10) == pytest.approx((0.0, 3.841459 / 13.841459), abs=1e-6)
    assert wilson_interval(10, 10) == pytest.approx((1 - 3.841459 / 13.841459, 1.0), abs=1e-6)
    assert sql_one(con, "wilson_lower(0, 10), wilson_upper(10, 10)") == (0.0, 1.0)


NEWCOMBE_CHECKS = [
    # (x1, n1, x2, n2, lower, upper) from Newcombe (1998), method 10
    (56, 70, 48, 80, 0.0524, 0.3339),
    (9, 10, 3, 10, 0.1705, 0.8090),
    (5, 56, 0, 29, -0.0381, 0.1926),
]


@pytest.mark.parametrize(("x1", "n1", "x2", "n2", "lower", "upper"), NEWCOMBE_CHECKS)
def test_newcombe_check_values_python(x1, n1, x2, n2, lower, upper) -> None:
    low, high = newcombe_interval(x1, n1, x2, n2)
    assert round(low, 4) == lower
    assert round(high, 4) == upper


@pytest.mark.parametrize(("x1", "n1", "x2", "n2", "lower", "upper"), NEWCOMBE_CHECKS)
def test_newcombe_check_values_sql(con, x1, n1, x2, n2, lower, upper) -> None:
    low, high = sql_one(
        con,
        "newcombe_lower($1, $2, $3, $4), newcombe_upper($1, $2, $3, $4)",
        [x1, n1, x2, n2],
    )
    assert round(low, 4) == lower
    assert round(high, 4) == upper


def test_newcombe_first_check_value_by_hand() -> None:
    # 56/70 vs 48/80: d = 0.8 - 0.6 = 0.2000, built from the two Wilson intervals.
    # 56/70: centre (0.8 + 0.027439) / 1.054878 = 0.784399, half 1.959964 * 0.049817 / 1.054878
    l1, u1 = wilson_interval(56, 70)  # 0.784399 -/+ 0.092565 = 0.6918 to 0.8770
    l2, u2 = wilson_interval(48, 80)  # 0.4905 to 0.7004
    assert (round(l1, 4), round(u1, 4), round(l2, 4), round(u2, 4)) == (
        0.6918,
        0.8770,
        0.4905,
        0.7004,
    )
    d = 0.8 - 0.6
    lower = d - math.sqrt((0.8 - l1) ** 2 + (u2 - 0.6) ** 2)
    upper = d + math.sqrt((u1 - 0.8) ** 2 + (0.6 - l2) ** 2)
    assert round(d, 4) == 0.2
    assert newcombe_interval(56, 70, 48, 80) == pytest.approx((lower, upper), abs=1e-12)


def test_python_and_sql_agree_on_many_counts(con: duckdb.DuckDBPyConnection) -> None:
    rng = np.random.default_rng(7)
    n1 = rng.integers(1, 3000, 300)
    n2 = rng.integers(1, 3000, 300)
    x1 = rng.integers(0, n1 + 1)
    x2 = rng.integers(0, n2 + 1)
    frame = pd.DataFrame({"x1": x1, "n1": n1, "x2": x2, "n2": n2})
    con.register("counts", frame)
    got = con.sql(
        "SELECT wilson_lower(x1, n1), wilson_upper(x1, n1), "
        "newcombe_lower(x1, n1, x2, n2), newcombe_upper(x1, n1, x2, n2) FROM counts"
    ).fetchnumpy()
    values = list(got.values())
    np.testing.assert_allclose(values[0], wilson_interval(x1, n1)[0], atol=1e-12)
    np.testing.assert_allclose(values[1], wilson_interval(x1, n1)[1], atol=1e-12)
    np.testing.assert_allclose(values[2], newcombe_interval(x1, n1, x2, n2)[0], atol=1e-12)
    np.testing.assert_allclose(values[3], newcombe_interval(x1, n1, x2, n2)[1], atol=1e-12)


def test_impossible_counts_fail_loudly(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(ValueError, match="0 <= x <= n"):
        wilson_interval(5, 4)
    with pytest.raises(ValueError, match="0 <= x <= n"):
        newcombe_interval(1, 10, -1, 10)
    with pytest.raises(duckdb.Error, match="0 <= x <= n"):
        sql_one(con, "wilson_lower(5, 4)")


# --------------------------------------------------------------------------------------------
# Missing values: a suppressed cell stays missing, never 0
# --------------------------------------------------------------------------------------------


def test_missing_counts_stay_missing_in_python() -> None:
    for x, n in [(None, 10), (np.nan, 10), (3, None), (3, np.nan), (0, 0), (pd.NA, 10)]:
        low, high = wilson_interval(x, n)
        assert math.isnan(low) and math.isnan(high), (x, n)
    assert all(math.isnan(v) for v in newcombe_interval(5, 10, None, 20))

    # Arrays: only the suppressed cell is missing, its neighbours are computed.
    x = pd.Series([8, None, 0], dtype="Int64")
    n = pd.Series([20, 20, 0], dtype="Int64")
    low, high = wilson_interval(x, n)
    assert isinstance(low, np.ndarray)
    assert low[0] == pytest.approx(0.2188, abs=5e-5)
    assert np.isnan(low[1:]).all() and np.isnan(high[1:]).all()


def test_missing_counts_stay_missing_in_sql(con: duckdb.DuckDBPyConnection) -> None:
    row = sql_one(
        con,
        "wilson_lower(NULL, 10), wilson_upper(3, NULL), wilson_lower(0, 0), "
        "newcombe_lower(5, 10, NULL, 20), newcombe_upper(5, 10, 3, 0), "
        "gap_change_upper(NULL, 0.0, 0.2, 0.1, 0.0, 0.2), round_pp(NULL), "
        "barometer_light(NULL, 40, true), significance_light(0.1, NULL, 0.2, true), "
        "small_number_flag(NULL)",
    )
    assert row == (None,) * 10


def test_finite_turns_nan_and_infinity_into_null(con: duckdb.DuckDBPyConnection) -> None:
    row = sql_one(
        con,
        "finite('nan'::DOUBLE), finite('inf'::DOUBLE), finite(-'inf'::DOUBLE), "
        "finite(NULL::DOUBLE), finite(0.0 / 0.0), finite(2.5)",
    )
    assert row == (None, None, None, None, None, 2.5)


def test_missing_lights_and_flags_in_python() -> None:
    assert barometer_light(None, 40, True) is None
    assert barometer_light(41, np.nan, True) is None
    assert significance_light(0.1, pd.NA, 0.2, True) is None
    assert small_number_flag(None) is None
    assert small_number_flag(np.nan) is None
    assert all(math.isnan(v) for v in gap_change_interval(np.nan, 0.0, 0.2, 0.1, 0.0, 0.2))


# --------------------------------------------------------------------------------------------
# Change of a gap between two periods
# --------------------------------------------------------------------------------------------


def test_gap_change_interval_by_hand(con: duckdb.DuckDBPyConnection) -> None:
    # Gap = comparison - target (employment, higher is better), baseline and now independent.
    # Baseline: 7000/10000 - 1000/2500 = 0.70 - 0.40 = 0.30; now: 7200/10000 - 1300/2500 = 0.20.
    g0, g1 = 0.70 - 0.40, 0.72 - 0.52
    l0, u0 = newcombe_interval(7000, 10000, 1000, 2500)
    l1, u1 = newcombe_interval(7200, 10000, 1300, 2500)
    # MOVER: D = g1 - g0 = -0.10
    d = g1 - g0
    lower = d - math.sqrt((g1 - l1) ** 2 + (u0 - g0) ** 2)
    upper = d + math.sqrt((u1 - g1) ** 2 + (g0 - l0) ** 2)
    assert gap_change_interval(g1, l1, u1, g0, l0, u0) == pytest.approx((lower, upper))
    assert upper < 0  # the gap has closed, distinguishably

    # Combining the two Newcombe intervals equals combining the four Wilson intervals at once.
    wa1, wb1, wa0, wb0 = (
        wilson_interval(7200, 10000),
        wilson_interval(1300, 2500),
        wilson_interval(7000, 10000),
        wilson_interval(1000, 2500),
    )
    flat_lower = d - math.sqrt(
        (0.72 - wa1[0]) ** 2 + (wb1[1] - 0.52) ** 2 + (wa0[1] - 0.70) ** 2 + (0.40 - wb0[0]) ** 2
    )
    assert lower == pytest.approx(flat_lower, abs=1e-12)

    from_sql = sql_one(
        con,
        "gap_change_lower($1, $2, $3, $4, $5, $6), gap_change_upper($1, $2, $3, $4, $5, $6)",
        [g1, l1, u1, g0, l0, u0],
    )
    assert from_sql == pytest.approx((lower, upper), abs=1e-12)


# --------------------------------------------------------------------------------------------
# Rounding and traffic lights
# --------------------------------------------------------------------------------------------


def test_rounding_is_half_away_from_zero_like_duckdb(con: duckdb.DuckDBPyConnection) -> None:
    values = [0.5, 1.5, 2.5, -0.5, -2.5, 48.5, 0.49999999999999994, -0.49999999999999994]
    expected = [1.0, 2.0, 3.0, -1.0, -3.0, 49.0, 0.0, -0.0]
    assert [round_half_away(v) for v in values] == expected
    assert [sql_one(con, "round($1::DOUBLE)", [v]) for v in values] == expected
    # Python's own round() is half-to-even, which is why we do not use it.
    assert round(2.5) == 2


def test_round_pp_ignores_float_noise(con: duckdb.DuckDBPyConnection) -> None:
    # 57/200 is 28.5 % on paper but 28.499999999999996 in binary; snapped, it rounds to 29.
    pct = 57 / 200 * 100
    assert pct < 28.5
    assert round_pp(pct) == 29.0
    assert sql_one(con, "round_pp(57 / 200 * 100)") == 29.0


def test_round_pp_agrees_with_sql_on_many_values(con: duckdb.DuckDBPyConnection) -> None:
    rng = np.random.default_rng(11)
    halves = np.arange(-2000, 2001) / 2  # every .0 and .5 from -1000 to 1000
    shares = np.arange(0, 401) / 400 * 100  # k/400 in percent: many exact halves
    noisy = rng.uniform(-100, 100, 2000)
    values = np.concatenate([halves, shares, noisy])
    con.register("vals", pd.DataFrame({"v": values}))
    from_sql = con.sql("SELECT round_pp(v) AS r FROM vals").fetchnumpy()["r"]
    np.testing.assert_array_equal(np.asarray(round_pp(values)), from_sql)


LIGHT_CASES = [
    # (value %, baseline %, higher_is_better, barometer light, unrounded change)
    (49.4, 48.6, True, "unchanged", +0.8),  # 49 vs 49: the +0.8 pp rise does not show
    (48.6, 48.4, True, "better", +0.2),  # 49 vs 48: a +0.2 pp rise shows as better
    (48.6, 48.4, False, "worse", +0.2),  # the same rise, lower is better
    (-0.5, 0.4, False, "better", -0.9),  # -1 vs 0 (half away from zero), a gap closing
]


@pytest.mark.parametrize(("value", "baseline", "higher", "light", "change"), LIGHT_CASES)
def test_barometer_light_is_decided_by_rounding(
    con, value, baseline, higher, light, change
) -> None:
    assert value - baseline == pytest.approx(change)
    assert barometer_light(value, baseline, higher) == light
    assert sql_one(con, "barometer_light($1, $2, $3)", [value, baseline, higher]) == light


@pytest.mark.parametrize(("target_n", "significance"), [(25, "unchanged"), (2500, "better")])
def test_barometer_and_significance_rules_disagree_for_small_n(
    con: duckdb.DuckDBPyConnection, target_n: int, significance: str
) -> None:
    # Employment gap (comparison - target, lower is better) falls from 30 pp to 20 pp:
    # baseline 700/1000 - 40 % of target_n, now 720/1000 - 52 % of target_n.
    x0, x1 = round(0.40 * target_n), round(0.52 * target_n)
    g0, g1 = 0.70 - x0 / target_n, 0.72 - x1 / target_n
    assert (round(100 * g0, 9), round(100 * g1, 9)) == (30.0, 20.0)

    # Barometer: 30 -> 20 whole points, lower is better -> better whatever the group size.
    assert barometer_light(100 * g1, 100 * g0, False) == "better"

    # Significance: the gap change's interval covers 0 with 25 persons, not with 2,500.
    l0, u0 = newcombe_interval(700, 1000, x0, target_n)
    l1, u1 = newcombe_interval(720, 1000, x1, target_n)
    lower, upper = gap_change_interval(g1, l1, u1, g0, l0, u0)
    assert significance_light(g1 - g0, lower, upper, False) == significance

    in_sql = sql_one(
        con,
        "barometer_light(100 * g1, 100 * g0, false), "
        "significance_light(g1 - g0, gap_change_lower(g1, l1, u1, g0, l0, u0), "
        "gap_change_upper(g1, l1, u1, g0, l0, u0), false) "
        "FROM (SELECT 0.72 - $2 / $1 AS g1, newcombe_lower(720, 1000, $2, $1) AS l1, "
        "newcombe_upper(720, 1000, $2, $1) AS u1, 0.70 - $3 / $1 AS g0, "
        "newcombe_lower(700, 1000, $3, $1) AS l0, newcombe_upper(700, 1000, $3, $1) AS u0)",
        [target_n, x1, x0],
    )
    assert in_sql == ("better", significance)


@pytest.mark.parametrize(
    ("change", "lower", "upper", "higher", "light"),
    [
        (0.05, 0.01, 0.09, True, "better"),
        (0.05, 0.01, 0.09, False, "worse"),
        (-0.05, -0.09, -0.01, True, "worse"),
        (-0.05, -0.09, -0.01, False, "better"),
        (0.05, -0.01, 0.11, True, "unchanged"),
        (0.0, 0.0, 0.1, True, "unchanged"),  # touching 0 is not excluding it
    ],
)
def test_significance_light(con, change, lower, upper, higher, light) -> None:
    assert significance_light(change, lower, upper, higher) == light
    assert sql_one(con, "significance_light($1, $2, $3, $4)", [change, lower, upper, higher]) == (
        light
    )


# --------------------------------------------------------------------------------------------
# Small numbers
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "flag"), [(0, "withheld"), (19, "withheld"), (20, "caution"), (79, "caution"), (80, "ok")]
)
def test_small_number_flag_boundaries(con: duckdb.DuckDBPyConnection, n: int, flag: str) -> None:
    assert small_number_flag(n) == flag
    assert sql_one(con, "small_number_flag($1)", [n]) == flag


def test_small_number_thresholds_are_settings(con: duckdb.DuckDBPyConnection) -> None:
    assert small_number_flag(49, minimum=50, caution=100) == "withheld"
    assert small_number_flag(99, minimum=50, caution=100) == "caution"
    assert sql_one(con, "small_number_flag(49, minimum := $1, caution := $2)", [50, 100]) == (
        "withheld"
    )
    with pytest.raises(ValueError, match="must not exceed"):
        small_number_flag(10, minimum=100, caution=50)
    with pytest.raises(duckdb.Error, match="must not exceed"):
        sql_one(con, "small_number_flag(10, minimum := 100, caution := 50)")


# --------------------------------------------------------------------------------------------
# Funnel limits
# --------------------------------------------------------------------------------------------


def test_funnel_limits_normal_approximation() -> None:
    # p0 = 0.5, n = 100: standard error sqrt(0.25 / 100) = 0.05.
    assert funnel_limits(0.5, 100, 0.95) == pytest.approx((0.5 - Z95 * 0.05, 0.5 + Z95 * 0.05))
    z998 = 3.090232306167813  # NormalDist().inv_cdf(0.999)
    assert funnel_limits(0.5, 100, 0.998) == pytest.approx((0.5 - z998 * 0.05, 0.5 + z998 * 0.05))

    lower, upper = funnel_limits(0.1, np.array([0, 4, 400]))
    assert np.isnan(lower[0]) and np.isnan(upper[0])
    assert lower[1] == 0.0  # 0.1 - 1.96 * 0.15 is below 0: clipped
    assert upper[2] == pytest.approx(0.1 + Z95 * 0.015)
    with pytest.raises(ValueError, match="level"):
        funnel_limits(0.5, 100, 95)
