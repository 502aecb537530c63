"""Golden values for the generic computation, on a small hand-made table (arithmetic visible)."""

from __future__ import annotations

import math

import duckdb
import pytest

from indicators.compute import compute_all
from indicators.registry import parse_definition
from tests.test_compute_rules import assert_summed

LANG = {"en": "x", "da": "x", "nb": "x"}

# municipality: {period: (target employed, target n, comparison employed, comparison n)}
CASES = {
    "101": {"2012": (48, 80, 56, 70), "2013": (48, 80, 56, 70)},  # Newcombe's first check pair
    "147": {"2012": (9, 10, 30, 40), "2013": (9, 10, 30, 40)},  # n = 10 < 20: withheld
    "151": {"2012": (300, 600, 8000, 10000), "2013": (300, 600, 8000, 10000)},
    "153": {"2012": (40, 90, 70, 100), "2013": (None, 90, 70, 100)},  # suppressed in 2013
    "155": {"2012": (496, 1000, 700, 1000), "2013": (506, 1000, 700, 1000)},  # rounding case
}


def employment_gap(higher_is_better: bool = True) -> dict:
    def measure(origin: str, socio: list[str]) -> dict:
        return {"table": "dst/TEST", "select": {"HERKOMST": [origin], "SOCIO": socio}}

    return {
        "id": "employment_gap",
        "title": LANG,
        "description": LANG,
        "unit": "percent",
        "higher_is_better": higher_is_better,
        "measure": "gap",
        "sources": ["https://www.statbank.dk/TEST"],
        "countries": {
            "DK": {
                "period_type": "year",
                "reference_date": "end of November",
                "age_band": "25-64",
                "baseline": "2012",
                "target": {
                    "label": LANG,
                    "numerator": measure("25", ["0"]),
                    "denominator": measure("25", ["0", "1"]),
                },
                "comparison": {
                    "label": LANG,
                    "numerator": measure("999", ["0"]),
                    "denominator": measure("999", ["0", "1"]),
                },
            }
        },
    }


@pytest.fixture()
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE municipalities (country VARCHAR, code VARCHAR, name VARCHAR, "
        "region_code VARCHAR, region_name VARCHAR)"
    )
    for code in CASES:
        con.execute("INSERT INTO municipalities VALUES ('DK', ?, ?, '084', 'H')", [code, code])
    con.execute(
        "CREATE TABLE raw_dst_test (omraade VARCHAR, herkomst VARCHAR, socio VARCHAR, "
        "tid VARCHAR, value DOUBLE, status VARCHAR)"
    )
    rows = []
    for code, periods in CASES.items():
        for period, (t_x, t_n, c_x, c_n) in periods.items():
            t_rest = None if t_x is None else t_n - t_x
            rows += [
                (code, "25", "0", period, t_x, ":" if t_x is None else None),
                (code, "25", "1", period, t_rest, ":" if t_x is None else None),
                (code, "999", "0", period, c_x, None),
                (code, "999", "1", period, c_n - c_x, None),
            ]
    con.executemany("INSERT INTO raw_dst_test VALUES (?, ?, ?, ?, ?, ?)", rows)
    compute_all(con, [parse_definition(employment_gap(), "test.yml")])
    return con


def row(con: duckdb.DuckDBPyConnection, area: str, period: str = "2013") -> dict:
    cursor = con.execute(
        "SELECT * FROM indicator_values WHERE area = ? AND period = ?", [area, period]
    )
    names = [d[0] for d in cursor.description]
    (values,) = cursor.fetchall()
    return dict(zip(names, values, strict=True))


def test_gap_and_newcombe_interval(con: duckdb.DuckDBPyConnection) -> None:
    r = row(con, "101")
    # comparison 56/70 = 0.8, target 48/80 = 0.6: gap = 100 * (0.8 - 0.6) = 20 pp behind
    assert r["gap_pp"] == pytest.approx(20.0)
    assert r["value"] == pytest.approx(20.0)
    # Newcombe (1998) check value for 56/70 vs 48/80: 0.0524 to 0.3339
    assert r["gap_lower_pp"] == pytest.approx(5.24, abs=0.005)
    assert r["gap_upper_pp"] == pytest.approx(33.39, abs=0.005)
    assert r["ratio"] == pytest.approx(0.6 / 0.8)
    assert r["small_number"] == "ok"


def test_weighted_national_differs_from_unweighted_mean(con: duckdb.DuckDBPyConnection) -> None:
    national = row(con, "DK")
    # No whole-country cell in this table: each group's sums over the municipalities where
    # that group is published. 153's target is suppressed in 2013, its comparison is not.
    target = (48 + 9 + 300 + 506) / (80 + 10 + 600 + 1000)
    comparison = (56 + 30 + 8000 + 70 + 700) / (70 + 40 + 10000 + 100 + 1000)
    assert_summed(national, target, comparison, 100 * (comparison - target), (5, 1, 0))
    # Plain mean of the shown municipal gaps (147 withheld, 153 missing): 101, 151, 155.
    unweighted = (20.0 + 100 * (0.8 - 0.5) + 100 * (0.7 - 0.506)) / 3
    assert national["unweighted_mean"] == pytest.approx(unweighted)
    assert abs(national["gap_pp"] - unweighted) > 1


def test_suppressed_cell_stays_missing(con: duckdb.DuckDBPyConnection) -> None:
    r = row(con, "153")
    assert r["target_num"] is None and r["target_rate"] is None
    assert r["value"] is None and r["gap_pp"] is None
    assert r["target_status"] == ":"
    assert (r["note_code"], r["note_symbol"], r["note_n"]) == ("suppressed", ":", None)
    assert r["rank_country"] is None


def test_small_group_is_withheld(con: duckdb.DuckDBPyConnection) -> None:
    r = row(con, "147")
    assert r["small_number"] == "withheld"  # target n = 10 < 20
    assert r["value"] is None and r["target_rate"] is None and r["gap_pp"] is None
    assert (r["note_code"], r["note_symbol"], r["note_n"]) == ("withheld", None, 20)
    # Withheld means withheld: no rate, interval, gap, ratio or pooled value of either group
    # (its two periods of 10 pool to 20, the minimum, yet there is none); the counts stay.
    derived = [
        "target_lower", "target_upper", "comparison_rate", "comparison_lower",
        "comparison_upper", "gap_lower_pp", "gap_upper_pp", "ratio", "pooled_value",
        "change_prev_pp", "change_base_pp", "light_barometer", "rank_country",
    ]  # fmt: skip
    assert {key: r[key] for key in derived} == dict.fromkeys(derived)
    assert (r["target_num"], r["target_den"], r["comparison_num"]) == (9, 10, 30)


def test_caution_flag_and_pooled_value(con: duckdb.DuckDBPyConnection) -> None:
    r = row(con, "101")  # target n = 80: not below the caution level of 80
    assert r["small_number"] == "ok"
    r = row(con, "153", "2012")  # target n = 90 in 2012
    assert r["small_number"] == "ok"
    # pooled over 2012-2013 for 101: identical periods, so the pooled gap equals the gap
    assert row(con, "101")["pooled_value"] == pytest.approx(20.0)


def test_rounding_decides_barometer_light_significance_disagrees(
    con: duckdb.DuckDBPyConnection,
) -> None:
    r = row(con, "155")
    # 2012: 100 * (700/1000 - 496/1000) = 20.4 -> rounds to 20
    # 2013: 100 * (700/1000 - 506/1000) = 19.4 -> rounds to 19: one point smaller, "better"
    assert r["change_base_pp"] == pytest.approx(19.4 - 20.4)
    assert r["light_barometer"] == "better"
    # -1.0 pp with n = 1000 per group: the change's interval covers 0, so "unchanged"
    assert r["change_base_lower"] < 0 < r["change_base_upper"]
    assert r["light_significance"] == "unchanged"


def test_ranks_smallest_gap_first(con: duckdb.DuckDBPyConnection) -> None:
    # Shown gaps in 2013: 155 -> 19.4, 101 -> 20.0, 151 -> 30.0
    ranks = {code: row(con, code)["rank_country"] for code in ("155", "101", "151")}
    assert ranks == {"155": 1, "101": 2, "151": 3}
    assert row(con, "101")["n_ranked"] == 3
    # None of them is below the caution level (101 has exactly 80).
    assert {row(con, code)["rank_caution"] for code in ranks} == {False}


def test_baseline_row_has_no_change(con: duckdb.DuckDBPyConnection) -> None:
    r = row(con, "155", "2012")  # the baseline period itself
    assert r["baseline_period"] == "2012" and r["value"] == pytest.approx(20.4)
    compared = ["change_base_pp", "change_base_lower", "change_base_upper"]
    lights = ["light_barometer", "light_significance"]
    assert {key: r[key] for key in compared + lights} == dict.fromkeys(compared + lights)


def test_wilson_interval_of_target_rate(con: duckdb.DuckDBPyConnection) -> None:
    r = row(con, "101")
    p, n, z = 48 / 80, 80, 1.959963984540054
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    assert r["target_lower"] == pytest.approx(centre - half)
    assert r["target_upper"] == pytest.approx(centre + half)


def test_every_column_is_documented(con: duckdb.DuckDBPyConnection) -> None:
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[1] / "docs" / "DATA.md").read_text()
    columns = [d[0] for d in con.execute("SELECT * FROM indicator_values").description]
    missing = [c for c in columns if c not in docs]
    assert missing == []
