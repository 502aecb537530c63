"""Golden tests for the rules of ../shared/docs/INDICATORS.md, "Rules made precise".

Each rule on a small table built here, with every expected number worked out by hand in the
test: pooling over published periods only, withheld means withheld, each group's reference on
its own (and the provider's whole-country cell), a reform break, a rates-only group judged by
an approximate size, the year's average population (mean of four quarters), no change on the
baseline row, no NaN, and caution marks on ranks.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import duckdb
import pytest

from indicators.compute import compute_all
from indicators.registry import parse_definition

LANG = {"en": "x", "da": "x", "nb": "x"}
PERIODS = ["2014", "2015", "2016", "2017", "2018"]
DERIVED = [
    "target_rate",
    "target_lower",
    "target_upper",
    "comparison_rate",
    "comparison_lower",
    "comparison_upper",
    "gap_pp",
    "gap_lower_pp",
    "gap_upper_pp",
    "ratio",
    "value",
    "pooled_value",
    "change_prev_pp",
    "change_base_pp",
    "change_base_lower",
    "change_base_upper",
    "light_barometer",
    "light_significance",
    "rank_country",
    "rank_region",
]


def definition(
    indicator_id: str,
    measure: str,
    country: str,
    target: dict,
    comparison: dict | None,
    baseline: str = "2014",
    higher_is_better: bool | None = False,
) -> dict:
    spec = {
        "period_type": "year",
        "reference_date": "1 January",
        "age_band": "all ages",
        "baseline": baseline,
        "target": {"label": LANG, **target},
    }
    if comparison is not None:
        spec["comparison"] = {"label": LANG, **comparison}
    return {
        "id": indicator_id,
        "title": LANG,
        "description": LANG,
        "unit": "percent",
        "higher_is_better": higher_is_better,
        "measure": measure,
        "sources": ["https://example.org/test"],
        "countries": {country: spec},
    }


def counts(origin: str, shift: str | None = None) -> dict:
    """Numerator from table NUM, denominator from table DEN, for one origin code."""
    den = {"table": "dst/DEN", "select": {"HERKOMST": [origin]}}
    if shift:
        den["period_shift"] = shift
    return {"numerator": {"table": "dst/NUM", "select": {"HERKOMST": [origin]}}, "denominator": den}


def table(con: duckdb.DuckDBPyConnection, name: str, columns: list[str], rows: Iterable) -> None:
    """A raw table: the given columns, then value and status (":" where the value is None)."""
    names = ", ".join(f"{c} VARCHAR" for c in columns)
    con.execute(f"CREATE TABLE {name} ({names}, value DOUBLE, status VARCHAR)")
    marks = ", ".join("?" for _ in range(len(columns) + 2))
    cells = [(*keys, value, ":" if value is None else None) for *keys, value in rows]
    con.executemany(f"INSERT INTO {name} VALUES ({marks})", cells)  # noqa: S608 (test names)


def municipalities(con: duckdb.DuckDBPyConnection, country: str, codes: dict[str, str]) -> None:
    con.execute(
        "CREATE TABLE municipalities (country VARCHAR, code VARCHAR, name VARCHAR, "
        "region_code VARCHAR, region_name VARCHAR)"
    )
    con.executemany(
        "INSERT INTO municipalities VALUES (?, ?, ?, ?, ?)",
        [(country, code, code, region, region) for code, region in codes.items()],
    )


def assert_summed(row: dict, target: float, comparison: float, gap: float, counted: tuple) -> None:
    """A reference row summed over its municipalities: each group's rate, the gap (pp) and
    (n_areas, target_missing, comparison_missing)."""
    rates = (row["target_rate"], row["comparison_rate"], row["gap_pp"])
    assert rates == pytest.approx((target, comparison, gap))
    assert row["reference_source"] == "sum_of_municipalities"
    assert (row["n_areas"], row["target_missing"], row["comparison_missing"]) == counted


def get(con: duckdb.DuckDBPyConnection, indicator: str, area: str, period: str) -> dict:
    cursor = con.execute(
        "SELECT * FROM indicator_values WHERE indicator = ? AND area = ? AND period = ?",
        [indicator, area, period],
    )
    names = [d[0] for d in cursor.description]
    (values,) = cursor.fetchall()
    return dict(zip(names, values, strict=True))


def assert_no_nan(con: duckdb.DuckDBPyConnection) -> None:
    """No DOUBLE column of indicator_values holds NaN or an infinity (NULL instead)."""
    doubles = [
        name
        for name, kind in con.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = 'indicator_values'"
        ).fetchall()
        if kind == "DOUBLE"
    ]
    checks = " + ".join(f"count(*) FILTER (WHERE isnan({c}) OR isinf({c}))" for c in doubles)
    ((bad,),) = con.execute(f"SELECT {checks} FROM indicator_values").fetchall()  # noqa: S608
    assert bad == 0


# --------------------------------------------------------------------------------------------
# Denmark-like counts: pooling, withheld, references
# --------------------------------------------------------------------------------------------

# municipality -> period -> (target num, target den, comparison num, comparison den);
# None is a cell the provider suppressed (":"). Denominators come from another table (as
# KY038 over FOLK1E), so a suppressed numerator leaves its denominator published.
CASES = {
    # 2016's target numerator suppressed in the middle of the series (the Samsø shape).
    "101": {"2014": (10, 50, 100, 1000), "2015": (12, 60, 100, 1000),
            "2016": (None, 62, 100, 1000), "2017": (15, 70, 100, 1000),
            "2018": (9, 40, 100, 1000)},
    # 4/8 every year: withheld, though three years pool to 24 (the Frederiksberg shape).
    "147": {p: (4, 8, 200, 1000) for p in PERIODS},
    # The comparison numerator suppressed in 2015: a pooled gap needs both groups.
    "151": {"2014": (30, 100, 200, 1000), "2015": (40, 100, None, 1000),
            "2016": (50, 100, 300, 1000), "2017": (50, 100, 300, 1000),
            "2018": (50, 100, 300, 1000)},
    # 2017's target cell suppressed beside a published comparison cell.
    "153": {"2014": (100, 400, 500, 2000), "2015": (100, 400, 500, 2000),
            "2016": (100, 400, 500, 2000), "2017": (None, 400, 600, 2000),
            "2018": (100, 400, 500, 2000)},
    # A group of 0: no rate, and no NaN anywhere.
    "155": {p: (0, 0, 100, 1000) for p in PERIODS},
}  # fmt: skip
REGIONS = {"101": "084", "147": "084", "151": "084", "153": "085", "155": "085"}
# The provider's whole-country cells (area 000): larger than the municipal sums (they count
# what it suppressed below national level); in 2018 its target numerator is suppressed.
NATIONAL = {p: (900, 3000, 9000, 30000) for p in PERIODS[:-1]} | {"2018": (None, 3000, 9000, 30000)}


def dk_database(with_national: bool) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    municipalities(con, "DK", REGIONS)
    cases = dict(CASES) | ({"000": NATIONAL} if with_national else {})
    num, den = [], []
    for area, periods in cases.items():
        for period, (t_x, t_n, c_x, c_n) in periods.items():
            num += [(area, "25", period, t_x), (area, "999", period, c_x)]
            den += [(area, "25", period, t_n), (area, "999", period, c_n)]
    table(con, "raw_dst_num", ["omraade", "herkomst", "tid"], num)
    table(con, "raw_dst_den", ["omraade", "herkomst", "tid"], den)
    rate = definition("share_rate", "rate", "DK", counts("25"), counts("999"))
    gap = definition("share_gap", "gap", "DK", counts("25"), counts("999"))
    compute_all(con, [parse_definition(rate, "rate.yml"), parse_definition(gap, "gap.yml")])
    return con


@pytest.fixture(scope="module")
def dk() -> duckdb.DuckDBPyConnection:
    return dk_database(with_national=False)


@pytest.fixture(scope="module")
def dk_national() -> duckdb.DuckDBPyConnection:
    return dk_database(with_national=True)


def test_pooling_skips_a_suppressed_middle_period(dk: duckdb.DuckDBPyConnection) -> None:
    pooled = {p: get(dk, "share_rate", "101", p)["pooled_value"] for p in PERIODS}
    # 2016's own cell is suppressed: no value, no pooled value.
    assert get(dk, "share_rate", "101", "2016")["value"] is None
    assert pooled["2016"] is None
    # Windows of three periods, counting only periods with numerator and denominator
    # published: 2017 pools 2015 and 2017, not 12 + 15 over 60 + 62 + 70.
    assert pooled["2014"] == pytest.approx(100 * 10 / 50)
    assert pooled["2015"] == pytest.approx(100 * (10 + 12) / (50 + 60))
    assert pooled["2017"] == pytest.approx(100 * (12 + 15) / (60 + 70))
    assert pooled["2018"] == pytest.approx(100 * (15 + 9) / (70 + 40))


def test_pooled_gap_uses_periods_where_both_groups_are_published(
    dk: duckdb.DuckDBPyConnection,
) -> None:
    # 151 in 2016 pools 2014 and 2016 (2015's comparison is suppressed), for both groups.
    target = (30 + 50) / (100 + 100)
    comparison = (200 + 300) / (1000 + 1000)
    r = get(dk, "share_gap", "151", "2016")
    assert r["pooled_value"] == pytest.approx(100 * (target - comparison))
    # 2015 itself has no gap (the comparison is suppressed) and so no pooled gap...
    assert get(dk, "share_gap", "151", "2015")["pooled_value"] is None
    # ...while the rate indicator, which needs only the target, pools 2014 and 2015.
    assert get(dk, "share_rate", "151", "2015")["pooled_value"] == pytest.approx(
        100 * (30 + 40) / 200
    )


@pytest.mark.parametrize("indicator", ["share_rate", "share_gap"])
def test_withheld_row_carries_nothing_derived(dk: duckdb.DuckDBPyConnection, indicator) -> None:
    for period in PERIODS:
        r = get(dk, indicator, "147", period)
        assert r["small_number"] == "withheld"
        assert (r["note_code"], r["note_n"]) == ("withheld", 20)
        # Three periods of 8 pool to 24 (above the minimum): still no pooled value.
        assert {key: r[key] for key in DERIVED} == dict.fromkeys(DERIVED), period
        # The provider's published counts stay, for both groups.
        assert (r["target_num"], r["target_den"]) == (4, 8)
        assert (r["comparison_num"], r["comparison_den"]) == (200, 1000)
        assert r["rank_caution"] is None and r["comparable_from"] is None


def test_reference_of_each_group_on_its_own(dk: duckdb.DuckDBPyConnection) -> None:
    national = get(dk, "share_gap", "DK", "2017")
    # 153's target is suppressed in 2017; its comparison (600/2000) still counts.
    target = (15 + 4 + 50 + 0) / (70 + 8 + 100 + 0)
    comparison = (100 + 200 + 300 + 600 + 100) / (1000 + 1000 + 1000 + 2000 + 1000)
    # Five municipalities; the target group has no rate in 153 (suppressed) and 155 (0 of 0).
    assert_summed(national, target, comparison, 100 * (target - comparison), (5, 2, 0))
    region = get(dk, "share_gap", "084", "2017")
    target, comparison = (15 + 4 + 50) / (70 + 8 + 100), (100 + 200 + 300) / 3000
    assert_summed(region, target, comparison, 100 * (target - comparison), (3, 0, 0))
    # Region 085's target group is 155's 0 persons (153 is suppressed): a reference row follows
    # the small-number rule too, and keeps only the counts.
    region = get(dk, "share_gap", "085", "2017")
    assert (region["small_number"], region["target_den"], region["target_missing"]) == (
        "withheld",
        0,
        2,
    )
    assert (region["comparison_num"], region["comparison_den"]) == (600 + 100, 2000 + 1000)
    assert region["comparison_rate"] is None and region["value"] is None


def test_provider_national_cell_is_the_national_figure(
    dk_national: duckdb.DuckDBPyConnection,
) -> None:
    r = get(dk_national, "share_gap", "DK", "2017")
    assert r["reference_source"] == "provider_national"
    assert (r["target_num"], r["target_den"]) == (900, 3000)
    assert r["target_rate"] == pytest.approx(0.3)
    assert r["gap_pp"] == pytest.approx(100 * (0.3 - 0.3))
    assert r["target_missing"] == 2  # still said: two municipalities lack a target rate
    # 000 is the country's figure, never a municipality or part of a region.
    ((rows,),) = dk_national.execute(
        "SELECT count(*) FROM indicator_values WHERE area = '000'"
    ).fetchall()
    assert rows == 0
    # 2018: the provider's own target cell is suppressed, so both groups are municipal sums.
    r = get(dk_national, "share_gap", "DK", "2018")
    assert r["reference_source"] == "sum_of_municipalities"
    assert r["target_rate"] == pytest.approx((9 + 4 + 50 + 100 + 0) / (40 + 8 + 100 + 400 + 0))


def test_no_nan_is_stored(dk: duckdb.DuckDBPyConnection) -> None:
    r = get(dk, "share_rate", "155", "2017")  # 0 of 0
    assert r["target_rate"] is None and r["pooled_value"] is None
    assert_no_nan(dk)


def test_caution_marks_on_ranks_and_no_change_on_the_baseline(
    dk: duckdb.DuckDBPyConnection,
) -> None:
    ranked = dk.execute(
        "SELECT area, rank_country, rank_caution, small_number, n_ranked FROM indicator_values "
        "WHERE indicator = 'share_rate' AND area_type = 'municipality' AND period = '2018' "
        "ORDER BY area"
    ).fetchall()
    # Lower is better: 151 50/100 = 50 % (n 100), 101 9/40 = 22.5 % (n 40, caution),
    # 153 100/400 = 25 % (n 400); 147 withheld and 155 (0 of 0) have no rank.
    assert ranked == [
        ("101", 1, True, "caution", 3),
        ("147", None, None, "withheld", 3),
        ("151", 3, False, "ok", 3),
        ("153", 2, False, "ok", 3),
        ("155", None, None, "withheld", 3),
    ]
    baseline = get(dk, "share_rate", "153", "2014")
    assert baseline["value"] == pytest.approx(25.0)
    for key in ("change_base_pp", "change_base_lower", "change_base_upper", "light_barometer"):
        assert baseline[key] is None, key
    later = get(dk, "share_rate", "153", "2016")
    assert later["change_base_pp"] == pytest.approx(0.0)
    assert later["change_base_lower"] < 0 < later["change_base_upper"]
    assert later["light_barometer"] == later["light_significance"] == "unchanged"


# --------------------------------------------------------------------------------------------
# Norway-like: a published rate with an approximate size, reform breaks
# --------------------------------------------------------------------------------------------

YEARS = [str(y) for y in range(2015, 2026)]
NO_MUNICIPALITIES = {"0301": "03", "1508": "15", "1577": "15", "1580": "15", "1804": "18"}
# Approximate sizes (all ages, 1 January) by year: read for year Y from Y+1.
SIZES = {
    "0301": {str(y): 10.0 if y == 2017 else 25.0 for y in range(2015, 2027)},
    "1508": {str(y): 500.0 + y - 2015 for y in range(2015, 2027)},
    "1577": {str(y): 300.0 for y in range(2015, 2027)},
    "1580": {str(y): 50.0 for y in range(2015, 2027)},
    # 1804: no size at all.
}
BREAKS = [
    ("NO", "1508", "2024", "split", False),
    ("NO", "1580", "2024", "split", False),
    ("NO", "1577", "2020", "merge", True),
]


def no_rate(area: str, year: str) -> tuple[float, float]:
    """(target %, comparison %) employed, invented but easy to follow."""
    offset = {"0301": 0, "1508": 2, "1577": 4, "1580": 6, "1804": 8, "0": 1}[area]
    return 50.0 + offset + (int(year) - 2015), 70.0


@pytest.fixture(scope="module")
def no() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    municipalities(con, "NO", NO_MUNICIPALITIES)
    rates, sizes, counts_rows = [], [], []
    for area in [*NO_MUNICIPALITIES, "0"]:
        for year in YEARS:  # rows before a split kept, as if a loader had not cut them
            target, comparison = no_rate(area, year)
            rates += [(area, "eee", year, target), (area, "abc", year, comparison)]
            # 1508's count doubles at the split, so a pool across it would show.
            count = 80.0 if area == "1508" and year >= "2024" else 40.0
            counts_rows += [(area, "B", year, count), (area, "ALL", year, 400.0)]
        for year, size in SIZES.get(area, {}).items():
            sizes.append((area, "B", year, size))
    table(con, "raw_ssb_rates", ["region", "landbakgrunn", "tid"], rates)
    table(con, "raw_ssb_sizes", ["region", "innvandrkat", "tid"], sizes)
    table(con, "raw_ssb_counts", ["region", "innvandrkat", "tid"], counts_rows)
    con.execute(
        "CREATE TABLE municipality_breaks (country VARCHAR, code VARCHAR, "
        "comparable_from VARCHAR, kind VARCHAR, counts_summed BOOLEAN, reason VARCHAR)"
    )
    con.executemany("INSERT INTO municipality_breaks VALUES (?, ?, ?, ?, ?, 'test')", BREAKS)

    def rate(code: str) -> dict:
        return {"table": "ssb/RATES", "select": {"Landbakgrunn": [code]}, "scale": 100}

    size = {
        "table": "ssb/SIZES",
        "select": {"InnvandrKat": ["B"]},
        "period_shift": "next_year",
    }
    gap = definition(
        "employment_gap",
        "gap",
        "NO",
        {"rate": rate("eee"), "size": size},
        {"rate": rate("abc")},
        baseline="2015",
        higher_is_better=True,
    )
    share = definition(
        "counted_share",
        "share",
        "NO",
        {
            "numerator": {"table": "ssb/COUNTS", "select": {"InnvandrKat": ["B"]}},
            "denominator": {"table": "ssb/COUNTS", "select": {"InnvandrKat": ["ALL"]}},
        },
        None,
        baseline="2015",
        higher_is_better=True,
    )
    compute_all(con, [parse_definition(gap, "gap.yml"), parse_definition(share, "share.yml")])
    return con


def test_rates_only_group_judged_by_its_approximate_size(no: duckdb.DuckDBPyConnection) -> None:
    # 1508 in 2016: 70 - 53 = 17 pp, size read from 2017 (502), no interval.
    r = get(no, "employment_gap", "1508", "2016")
    assert r["value"] == pytest.approx(17.0)
    assert r["target_size_approx"] == 502
    assert (r["note_code"], r["note_n"], r["small_number"]) == ("approximate_n", 502, "ok")
    assert r["target_lower"] is None and r["gap_lower_pp"] is None and r["pooled_value"] is None
    assert r["target_num"] is None and r["target_den"] is None  # no counts are invented
    # 0301 in 2016 is read against the 2017 size, 10: withheld, not ranked, not lit.
    r = get(no, "employment_gap", "0301", "2016")
    assert (r["small_number"], r["note_code"], r["note_n"]) == ("withheld", "withheld", 20)
    assert {key: r[key] for key in DERIVED} == dict.fromkeys(DERIVED)
    # ...while its 2017 (size of 2018: 25) is shown, ranked and marked for caution.
    r = get(no, "employment_gap", "0301", "2017")
    assert (r["small_number"], r["note_code"], r["note_n"]) == ("caution", "caution", 80)
    assert r["rank_country"] is not None and r["rank_caution"] is True
    assert r["change_base_pp"] == pytest.approx((70 - 52) - (70 - 50))
    # The gap narrowed from 20 to 18 pp: better; the significance rule needs an interval.
    assert r["light_barometer"] == "better" and r["light_significance"] is None
    # 1804 has no size at all: its published rate is shown, but never ranked or lit.
    r = get(no, "employment_gap", "1804", "2017")
    assert r["value"] == pytest.approx(70 - 60)
    assert (r["note_code"], r["small_number"]) == ("size_unknown", None)
    assert r["rank_country"] is None and r["light_barometer"] is None


def test_rates_only_national_figure_is_the_providers(no: duckdb.DuckDBPyConnection) -> None:
    r = get(no, "employment_gap", "NO", "2020")
    assert r["reference_source"] == "provider_national"
    assert r["value"] == pytest.approx(70 - 56)  # region 0's own rates
    assert r["target_lower"] is None and r["note_code"] == "rates_only"
    # Lit by the barometer rule against 2015 (70 - 51 = 19 pp): 14 pp is better.
    assert r["light_barometer"] == "better" and r["light_significance"] is None
    region = get(no, "employment_gap", "15", "2020")
    assert region["value"] is None and region["reference_source"] == "sum_of_municipalities"
    # The region's plain mean of its municipal gaps in 2020 (1508: 13, 1577: 11, 1580: 9).
    assert region["unweighted_mean"] == pytest.approx((13 + 11 + 9) / 3)


def test_split_municipality_is_not_compared_across_its_break(
    no: duckdb.DuckDBPyConnection,
) -> None:
    before, first, after = (get(no, "employment_gap", "1508", p) for p in ("2023", "2024", "2025"))
    assert before["comparable_from"] is None
    assert before["change_base_pp"] == pytest.approx((70 - 60) - (70 - 52))
    assert before["light_barometer"] == "better"
    assert first["comparable_from"] == after["comparable_from"] == "2024"
    # No change since the previous period across the split, no baseline comparison, no light.
    assert first["value"] == pytest.approx(70 - 61)
    assert first["change_prev_pp"] is None
    for key in ("change_base_pp", "change_base_lower", "light_barometer", "light_significance"):
        assert first[key] is None and after[key] is None, key
    # Within the new series the change from year to year is there: 9 -> 8 pp.
    assert after["change_prev_pp"] == pytest.approx(-1.0)
    assert (first["note_code"], after["note_code"]) == ("break", "break")


def test_change_within_the_unbroken_series(no: duckdb.DuckDBPyConnection) -> None:
    r = get(no, "counted_share", "1508", "2025")
    assert r["comparable_from"] == "2024"
    assert r["change_prev_pp"] == pytest.approx(0.0)  # 80/400 both years, after the split
    first = get(no, "counted_share", "1508", "2024")
    assert first["change_prev_pp"] is None  # not 20 - 10 across the split
    # Pooled values stay on one side of the break: 2024 pools 2024 alone (not 160/1200).
    assert first["pooled_value"] == pytest.approx(20.0)
    assert r["pooled_value"] == pytest.approx(20.0)


def test_merger_breaks_rate_tables_but_not_summed_counts(no: duckdb.DuckDBPyConnection) -> None:
    # 1577 was merged in 2020: its parts' rates cannot be summed, so the rate series breaks...
    rate = get(no, "employment_gap", "1577", "2022")
    assert (rate["comparable_from"], rate["note_code"]) == ("2020", "break")
    assert rate["change_base_pp"] is None and rate["light_barometer"] is None
    assert rate["change_prev_pp"] == pytest.approx(-1.0)  # 2021 -> 2022, both after the merger
    # ...while a count table, where the parts were summed, runs on unbroken.
    counted = get(no, "counted_share", "1577", "2022")
    assert counted["comparable_from"] is None
    assert counted["change_base_pp"] == pytest.approx(0.0)
    assert_no_nan(no)


# --------------------------------------------------------------------------------------------
# The year's average population: mean of four quarters
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def person_years() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    municipalities(con, "DK", {"741": "085"})
    num = [("741", "25", year, 10.0) for year in ("2007", "2008", "2009", "2010")]
    quarters = {
        "2008": [100, 104, 108, 112],
        "2009": [120, None, 124, 126],
        "2010": [130, 131, 132],
    }
    den = [
        ("741", "25", f"{year}K{q}", float(v) if v is not None else None)
        for year, values in quarters.items()
        for q, v in enumerate(values, start=1)
    ]
    table(con, "raw_dst_num", ["omraade", "herkomst", "tid"], num)
    table(con, "raw_dst_den", ["omraade", "herkomst", "tid"], den)
    spec = definition("cash", "share", "DK", counts("25", "mean_of_quarters"), None, "2008")
    compute_all(con, [parse_definition(spec, "cash.yml")])
    return con


def test_denominator_is_the_mean_of_four_quarters(person_years: duckdb.DuckDBPyConnection) -> None:
    r = get(person_years, "cash", "741", "2008")
    assert r["target_den"] == pytest.approx((100 + 104 + 108 + 112) / 4)
    assert r["value"] == pytest.approx(100 * 10 / 106)
    # 2007: recipients published, no quarter of that year: no rate.
    r = get(person_years, "cash", "741", "2007")
    assert r["target_num"] == 10 and r["target_den"] is None
    assert (r["value"], r["note_code"]) == (None, "missing")
    # 2009: one quarter suppressed; 2010: only three quarters published. Neither has a value.
    r = get(person_years, "cash", "741", "2009")
    assert (r["target_den"], r["note_code"], r["note_symbol"]) == (None, "suppressed", ":")
    r = get(person_years, "cash", "741", "2010")
    assert (r["target_den"], r["value"], r["note_code"]) == (None, None, "missing")
    assert not math.isnan(get(person_years, "cash", "741", "2008")["target_lower"])
