"""The rules of "Rules made precise" on the demo database, recomputed here from the raw tables.

The cases the issue found (Samsø's cash benefit pooled over suppressed years, Frederiksberg's
withheld 4/8 with a pooled 50.0, the national employment gap moved by one missing cell,
Norway's small groups ranked and lit, the 2024 split of Ålesund and Haram) are checked as
rules, against figures computed independently from the provider cells, not as frozen numbers:
the simulator's demo data may change.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from indicators.compute import compute_all
from indicators.registry import get_indicator
from tests.test_compute_rules import DERIVED, assert_no_nan

MINIMUM, CAUTION = 20, 80


@pytest.fixture(scope="module")
def demo(demo_data_dir: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(demo_data_dir / "barometer.duckdb"), read_only=True)
    yield con
    con.close()


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cursor = con.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


# --- Samsø: pooling over published periods only, the year's average population --------------


def samso_by_hand(con: duckdb.DuckDBPyConnection) -> dict[str, tuple]:
    """Per year: (recipients or None, mean 16-64 population of the four quarters or None)."""
    recipients = dict(
        con.execute(
            "SELECT tid, value FROM raw_dst_ky038 WHERE omraade = '741' AND ydelsestype = '10000' "
            "AND herkomst1 = '9' AND herkomst = '0'"
        ).fetchall()
    )
    cells = con.execute(
        "SELECT tid, alder, herkomst, value FROM raw_dst_folk1e WHERE omraade = '741' "
        "AND herkomst IN ('25', '35') AND alder NOT IN ('IALT')"
    ).fetchall()
    quarters: dict[str, dict[str, list]] = {}
    for tid, age, _, value in cells:
        if 16 <= int(age) <= 64:
            quarters.setdefault(tid[:4], {}).setdefault(tid, []).append(value)
    population = {}
    for year, by_quarter in quarters.items():
        complete = len(by_quarter) == 4 and all(
            len(v) == 49 * 2 and None not in v for v in by_quarter.values()
        )
        population[year] = sum(sum(v) for v in by_quarter.values()) / 4 if complete else None
    return {year: (recipients[year], population.get(year)) for year in recipients}


def test_samso_cash_benefit_pools_published_years_only(demo: duckdb.DuckDBPyConnection) -> None:
    hand = samso_by_hand(demo)
    stored = {
        r["period"]: r
        for r in rows(
            demo,
            "SELECT * FROM indicator_values WHERE indicator = 'cash_benefit_share' "
            "AND area = '741'",
        )
    }
    years = sorted(hand)
    assert years == sorted(stored)
    published = {y for y, (x, n) in hand.items() if x is not None and n is not None}
    # The demo must have what the rule is about: a suppressed year between or beside
    # published ones inside a three-year window.
    assert published and set(years) - published
    windows_with_gaps = 0
    for i, year in enumerate(years):
        row, (x, n) = stored[year], hand[year]
        assert row["target_num"] == x
        assert row["target_den"] == pytest.approx(n) if n is not None else row["target_den"] is None
        window = [y for y in years[max(0, i - 2) : i + 1] if y in published]
        if year not in published or n < MINIMUM:
            assert row["value"] is None and row["pooled_value"] is None, year
            continue
        windows_with_gaps += len(window) < len(years[max(0, i - 2) : i + 1])
        assert row["value"] == pytest.approx(100 * x / n), year
        pooled = 100 * sum(hand[y][0] for y in window) / sum(hand[y][1] for y in window)
        assert row["pooled_value"] == pytest.approx(pooled), year
    assert windows_with_gaps > 0, "no published year has a suppressed year in its window"
    assert "2007" in stored and stored["2007"]["target_den"] is None  # FOLK1E starts in 2008


# --- Frederiksberg: withheld means withheld ----------------------------------------------------


def test_frederiksberg_withheld_rows_show_only_counts(demo: duckdb.DuckDBPyConnection) -> None:
    withheld = rows(
        demo,
        "SELECT * FROM indicator_values WHERE indicator = 'youth_education_20_24' "
        "AND area = '147' AND small_number = 'withheld' ORDER BY period",
    )
    assert withheld, "the demo data should have Frederiksberg's small 20-24 group"
    for row in withheld:
        assert row["target_den"] < MINIMUM and row["target_num"] is not None
        assert {key: row[key] for key in DERIVED} == dict.fromkeys(DERIVED), row["period"]
        assert (row["note_code"], row["note_n"]) == ("withheld", MINIMUM)


def test_withheld_rows_carry_nothing_derived_anywhere(demo: duckdb.DuckDBPyConnection) -> None:
    checks = " OR ".join(f"{key} IS NOT NULL" for key in DERIVED)
    leaks = demo.execute(
        f"SELECT indicator, area, period FROM indicator_values "  # noqa: S608
        f"WHERE small_number = 'withheld' AND ({checks}) LIMIT 5"
    ).fetchall()
    assert leaks == []
    ((withheld,),) = demo.execute(
        "SELECT count(*) FROM indicator_values WHERE small_number = 'withheld'"
    ).fetchall()
    assert withheld > 0


def test_values_command_shows_no_rate_for_a_withheld_row(demo_env: Path, capsys) -> None:
    from cli import main

    con = duckdb.connect(str(demo_env / "barometer.duckdb"), read_only=True)
    ((period,),) = con.execute(
        "SELECT min(period) FROM indicator_values WHERE indicator = 'youth_education_20_24' "
        "AND area = '147' AND small_number = 'withheld'"
    ).fetchall()
    con.close()
    args = ["values", "youth_education_20_24", "--municipality", "147", "--period", period]
    assert main([*args, "--format", "json"]) == 0
    (record,) = json.loads(capsys.readouterr().out)
    for key in DERIVED:
        assert record.get(key) is None, key
    assert record["target_num"] is not None and record["target_den"] < MINIMUM
    assert record["note_code"] == "withheld"


# --- References: each group on its own, the provider's national cell ---------------------------


def national_gap_from_cells(con: duckdb.DuckDBPyConnection, period: str) -> float:
    """Employment gap 25-64 from RAS201's whole-country cells (area 000), by hand."""
    ages = "('25-29','30-34','35-39','40-44','45-49','50-54','55-59','60-64')"
    sql = f"""
        SELECT sum(value) FILTER (WHERE socio = '0') / sum(value)
        FROM raw_dst_ras201 WHERE omraade = '000' AND tid = ? AND herkomst IN ({{}})
          AND socio IN ('0', '50', '55') AND alder IN {ages}
    """  # noqa: S608
    ((target,),) = con.execute(sql.format("'25', '35'"), [period]).fetchall()
    ((comparison,),) = con.execute(sql.format("'999'"), [period]).fetchall()
    return 100 * (comparison - target)


def test_national_gap_is_the_providers_and_survives_a_missing_cell(
    demo_data_dir: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "copy.duckdb"
    shutil.copy(demo_data_dir / "barometer.duckdb", copy)
    con = duckdb.connect(str(copy))
    try:
        before = rows(
            con,
            "SELECT area, target_rate, comparison_rate, value, reference_source, target_missing "
            "FROM indicator_values WHERE indicator = 'employment_gap' AND country = 'DK' "
            "AND period = '2019' AND area_type <> 'municipality'",
        )
        national = next(r for r in before if r["area"] == "DK")
        assert national["reference_source"] == "provider_national"
        assert national["value"] == pytest.approx(national_gap_from_cells(con, "2019"))
        # Suppress one target cell of Ballerup (region 084), as the experiment did.
        con.execute(
            "UPDATE raw_dst_ras201 SET value = NULL WHERE omraade = '151' "
            "AND tid = '2019' AND herkomst = '25' AND socio = '0' AND alder = '25-29'"
        )
        indicator = get_indicator("employment_gap")
        assert indicator is not None
        compute_all(con, [indicator])
        after = {
            r["area"]: r
            for r in rows(
                con,
                "SELECT area, target_rate, comparison_rate, value, target_missing, "
                "comparison_missing FROM indicator_values WHERE indicator = 'employment_gap' "
                "AND country = 'DK' AND period = '2019' AND area IN ('DK', '084', '151')",
            )
        }
    finally:
        con.close()
    assert after["151"]["value"] is None
    assert after["DK"]["value"] == pytest.approx(national["value"])  # unchanged
    assert after["DK"]["target_missing"] == national["target_missing"] + 1
    region = next(r for r in before if r["area"] == "084")
    # The region's comparison group still counts Ballerup; only its target group lost it.
    assert after["084"]["comparison_rate"] == pytest.approx(region["comparison_rate"])
    assert after["084"]["target_rate"] != pytest.approx(region["target_rate"])
    assert (after["084"]["target_missing"], after["084"]["comparison_missing"]) == (1, 0)


# --- Norway: small groups in a rates-only table, the 2024 split ---------------------------------


def test_norway_employment_never_ranks_or_lights_a_small_group(
    demo: duckdb.DuckDBPyConnection,
) -> None:
    stored = rows(
        demo,
        """
        SELECT v.period, v.area, v.value, v.small_number, v.rank_country, v.rank_caution,
               v.light_barometer, v.target_size_approx, s.value AS size
        FROM indicator_values v
        LEFT JOIN raw_ssb_09817 s
          ON s.region = v.area AND s.innvandrkat = 'B' AND s.landbakgrunn = 'landgruppe2'
         AND s.contentscode = 'Personer1'
         AND s.tid = CAST(CAST(v.period AS INTEGER) + 1 AS VARCHAR)
        WHERE v.indicator = 'employment_gap' AND v.country = 'NO'
          AND v.area_type = 'municipality'
        """,
    )
    cautioned = 0
    for row in stored:
        size = row["size"]
        if row["value"] is not None:  # (years without a published rate carry no size)
            assert row["target_size_approx"] == size
        if size is None or size < MINIMUM:
            assert row["rank_country"] is None and row["light_barometer"] is None
            assert row["value"] is None or size is None
        elif size < CAUTION and row["rank_country"] is not None:
            assert row["rank_caution"] is True and row["small_number"] == "caution"
            cautioned += 1
        elif row["rank_country"] is not None:
            assert row["rank_caution"] is False
    assert cautioned > 0, "the demo data should rank some small groups, marked"


def test_split_municipalities_have_no_change_across_2024(demo: duckdb.DuckDBPyConnection) -> None:
    split = rows(
        demo,
        "SELECT * FROM indicator_values WHERE country = 'NO' AND area IN ('1508', '1580') "
        "AND period >= '2024'",
    )
    assert {r["area"] for r in split} == {"1508", "1580"}
    for row in split:
        assert row["comparable_from"] == "2024"
        assert row["change_base_pp"] is None and row["light_barometer"] is None
        assert row["light_significance"] is None
        if row["period"] == "2024":
            assert row["change_prev_pp"] is None
        if row["value"] is not None and row["small_number"] != "caution":
            assert row["note_code"] == "break"
    ((breaks,),) = demo.execute(
        "SELECT count(*) FROM municipality_breaks WHERE code IN ('1508', '1580') "
        "AND kind = 'split' AND comparable_from = '2024'"
    ).fetchall()
    assert breaks == 2


def test_no_nan_in_the_demo_values(demo: duckdb.DuckDBPyConnection) -> None:
    assert_no_nan(demo)
