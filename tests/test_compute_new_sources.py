"""Golden tests for the computations issue 13 added, each on a small table built here with the
expected numbers worked out by hand:

* a base derived from persons and per cent (IMDi), with its approximate interval and note;
* a count (introduction programme participants): the national figure a sum of the published
  municipalities, never ranked;
* a county figure (work or education after the programme): rows per county as published,
  none per municipality;
* a population of the same year's first quarter (the crime proxy's base) and Newcombe's check
  values for the gap;
* three-year windows on today's borders (FHI): no reform break;
* a switched-off provider's indicator is left out, any other missing table is an error.
"""

from __future__ import annotations

import duckdb
import pytest

from errors import BarometerError
from indicators.compute import compute_all
from indicators.registry import Indicator, parse_definition
from tests.test_compute_rules import LANG, assert_no_nan, get, municipalities, table

# Wilson 95 % intervals written out (z = 1.959964): p = 0.571 of n = 40 / 0.571 = 70.0525
WILSON_40_OF_70 = (0.454402, 0.680216)
# p = 0.64 of n = 128 / 0.64 = 200
WILSON_128_OF_200 = (0.571415, 0.703308)
# the two together: 168 of 270.0525 = 0.622101
WILSON_NATIONAL = (0.562942, 0.677836)


def country(spec: dict, **extra: object) -> dict:
    return {
        "period_type": "year",
        "reference_date": "x",
        "age_band": "x",
        "baseline": "2020",
        **extra,
        **spec,
    }


def indicator(indicator_id: str, measure: str, spec: dict, **top: object) -> dict:
    return {
        "id": indicator_id,
        "title": LANG,
        "description": LANG,
        "unit": "percent",
        "higher_is_better": True,
        "measure": measure,
        "sources": ["https://example.org/test"],
        "countries": {"NO": spec},
        **top,
    }


def select(**codes: str) -> dict[str, list[str]]:
    return {k: [v] for k, v in codes.items()}


# --- a base derived from persons and per cent -------------------------------------------------


@pytest.fixture(scope="module")
def derived() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    municipalities(con, "NO", {"0301": "03", "1103": "11", "1106": "11", "1108": "11"})
    employed = [  # (region, enhet, tid, value); None is IMDi's ":"
        ("0301", "personer", "2021", 40), ("0301", "prosent", "2021", 57.1),
        ("1103", "personer", "2021", 128), ("1103", "prosent", "2021", 64),
        ("1106", "personer", "2021", 0), ("1106", "prosent", "2021", 0),  # 0 %: no base
        ("1108", "personer", "2021", 7), ("1108", "prosent", "2021", None),  # hidden share
    ]  # fmt: skip
    table(con, "raw_imdi_emp", ["region", "enhet", "tid"], employed)
    rest = [(r, "abc", "2021", v) for r, v in (("0301", 70.0), ("1103", 66.0), ("0", 65.9))]
    table(con, "raw_ssb_rest", ["region", "landbakgrunn", "tid"], rest)
    definition = indicator(
        "emp",
        "rate",
        country(
            {
                "target": {
                    "label": LANG,
                    "numerator": {"table": "imdi/emp", "select": select(enhet="personer")},
                    "rate": {"table": "imdi/emp", "select": select(enhet="prosent"), "scale": 100},
                },
                "comparison": {
                    "label": LANG,
                    "rate": {
                        "table": "ssb/rest",
                        "select": select(landbakgrunn="abc"),
                        "scale": 100,
                    },
                },
            }
        ),
    )
    compute_all(con, [parse_definition(definition, "emp.yml")])
    return con


def test_the_base_is_persons_over_per_cent(derived: duckdb.DuckDBPyConnection) -> None:
    r = get(derived, "emp", "0301", "2021")
    assert r["target_num"] == 40 and r["target_den"] == pytest.approx(40 / 0.571)
    assert r["target_rate"] == pytest.approx(0.571)  # the published per cent, as published
    assert (r["target_lower"], r["target_upper"]) == pytest.approx(WILSON_40_OF_70, abs=1e-6)
    assert r["value"] == pytest.approx(57.1)
    # A group of about 70 is under the caution level (80): a caution about a derived size.
    assert (r["note_code"], r["note_n"], r["small_number"]) == ("derived_caution", 70, "caution")
    # The comparison is published as a rate only: no interval, and the gap has none.
    assert r["comparison_rate"] == pytest.approx(0.70) and r["comparison_lower"] is None
    assert r["gap_pp"] == pytest.approx(70.0 - 57.1) and r["gap_lower_pp"] is None
    r = get(derived, "emp", "1103", "2021")
    assert r["target_den"] == pytest.approx(200)
    assert (r["target_lower"], r["target_upper"]) == pytest.approx(WILSON_128_OF_200, abs=1e-6)
    # Marked approximate, with the derived size (200) as its parameter.
    assert (r["note_code"], r["note_n"], r["small_number"]) == ("derived_base", 200, "ok")


def test_no_base_can_be_derived_from_0_or_a_hidden_share(
    derived: duckdb.DuckDBPyConnection,
) -> None:
    zero = get(derived, "emp", "1106", "2021")
    # 0 % of an unknown group: the rate is published, its size is not known.
    assert zero["target_num"] == 0 and zero["target_den"] is None and zero["value"] == 0
    assert zero["target_lower"] is None and zero["note_code"] == "size_unknown"
    assert zero["rank_country"] is None
    hidden = get(derived, "emp", "1108", "2021")
    assert hidden["value"] is None and hidden["target_den"] is None
    assert (hidden["note_code"], hidden["note_symbol"]) == ("suppressed", ":")


def test_references_sum_persons_and_derived_bases(derived: duckdb.DuckDBPyConnection) -> None:
    national = get(derived, "emp", "NO", "2021")
    # Only 0301 and 1103 have both persons and a base: 168 of 270.05.
    assert national["target_num"] == 168
    assert national["target_den"] == pytest.approx(40 / 0.571 + 200)
    assert national["target_rate"] == pytest.approx(168 / (40 / 0.571 + 200))
    assert (national["target_lower"], national["target_upper"]) == pytest.approx(
        WILSON_NATIONAL, abs=1e-6
    )
    # The comparison has no counts to sum: its national figure is the provider's own cell.
    assert national["comparison_rate"] == pytest.approx(0.659)
    assert national["reference_source"] == "mixed"
    # 1108 has no rate (hidden); 1106's 0 % is a rate, with no base to add.
    assert (national["n_areas"], national["target_missing"]) == (4, 1)
    assert_no_nan(derived)


# --- a count --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def participants() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    municipalities(con, "NO", {"0301": "03", "1103": "11", "1106": "11"})
    rows = [
        ("0301", "alle", "2020", 500), ("0301", "alle", "2021", 650),
        ("1103", "alle", "2020", 120), ("1103", "alle", "2021", 90),
        ("1106", "alle", "2020", None), ("1106", "alle", "2021", 12),  # None: hidden (1-4)
    ]  # fmt: skip
    table(con, "raw_imdi_intro", ["region", "kjoenn", "tid"], rows)
    compute_all(con, [participants_counted_from("imdi/intro")])
    return con


def participants_counted_from(table_name: str) -> Indicator:
    """A count indicator: the persons of `table_name` (IMDi's participants file)."""
    numerator = {"table": table_name, "select": select(kjoenn="alle")}
    spec = country({"target": {"label": LANG, "numerator": numerator}})
    definition = indicator("intro", "count", spec, unit="persons", higher_is_better=None)
    return parse_definition(definition, "intro.yml")


def test_a_count_is_its_own_headline(participants: duckdb.DuckDBPyConnection) -> None:
    r = get(participants, "intro", "0301", "2021")
    assert (r["value"], r["target_num"], r["target_den"], r["target_rate"]) == (
        650,
        650,
        None,
        None,
    )
    assert r["note_code"] is None and r["rank_country"] is None and r["light_barometer"] is None
    assert r["change_prev_pp"] == 150 and r["target_lower"] is None
    hidden = get(participants, "intro", "1106", "2020")
    assert hidden["value"] is None and hidden["note_code"] == "suppressed"


def test_a_counts_national_figure_sums_what_is_published(
    participants: duckdb.DuckDBPyConnection,
) -> None:
    # 2020: 500 + 120, with 1106 hidden (said: one municipality without a figure).
    national = get(participants, "intro", "NO", "2020")
    assert national["value"] == 620 and national["target_missing"] == 1
    assert national["reference_source"] == "sum_of_municipalities"
    assert get(participants, "intro", "NO", "2021")["value"] == 650 + 90 + 12
    region = get(participants, "intro", "11", "2021")
    assert (region["value"], region["n_areas"]) == (102, 2)
    ((ranked,),) = participants.execute(
        "SELECT count(rank_country) FROM indicator_values"
    ).fetchall()
    assert ranked == 0


# --- a county figure ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def county() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    municipalities(con, "NO", {"0301": "03", "3301": "33"})
    rows = [  # (region, tid, value, status): "." where the county did not exist
        ("0", "2023", 64.0, None), ("0", "2024", 67.0, None),
        ("03", "2023", 62.0, None), ("03", "2024", 65.0, None),
        ("30", "2023", 63.0, None), ("30", "2024", 66.0, None),  # Viken: the 2023 cohort
        ("33", "2023", None, "."), ("33", "2024", None, "."),  # Buskerud: not before 2024
        ("99", "2024", 50.0, None),  # "Ukjent fylke" is no county
    ]  # fmt: skip
    con.execute(
        "CREATE TABLE raw_imdi_status (region VARCHAR, tid VARCHAR, enhet VARCHAR, "
        "value DOUBLE, status VARCHAR)"
    )
    con.executemany(
        "INSERT INTO raw_imdi_status VALUES (?, ?, 'prosent', ?, ?)",
        [(r, t, v, s) for r, t, v, s in rows],
    )
    definition = indicator(
        "status",
        "share",
        country(
            {
                "target": {
                    "label": LANG,
                    "rate": {
                        "table": "imdi/status",
                        "select": select(enhet="prosent"),
                        "scale": 100,
                    },
                }
            },
            geography="county",
            baseline="2023",
        ),
    )
    compute_all(con, [parse_definition(definition, "status.yml")])
    return con


def test_a_county_figure_is_stored_per_county_as_published(
    county: duckdb.DuckDBPyConnection,
) -> None:
    rows = county.execute(
        "SELECT area_type, area, period, value, note_code FROM indicator_values "
        "ORDER BY area_type, area, period"
    ).fetchall()
    assert rows == [
        ("county", "03", "2023", pytest.approx(62.0), "rates_only"),
        ("county", "03", "2024", pytest.approx(65.0), "rates_only"),
        ("county", "30", "2023", pytest.approx(63.0), "rates_only"),
        ("county", "30", "2024", pytest.approx(66.0), "rates_only"),
        ("national", "NO", "2023", pytest.approx(64.0), "rates_only"),
        ("national", "NO", "2024", pytest.approx(67.0), "rates_only"),
    ]
    # No municipality is given its county's figure; Oslo's change since the baseline.
    assert get(county, "status", "03", "2024")["change_base_pp"] == pytest.approx(3.0)
    assert get(county, "status", "NO", "2024")["reference_source"] == "provider_national"


# --- the crime proxy's shape: a population of the same year's first quarter -------------------


def test_same_year_first_quarter_and_newcombes_check_values() -> None:
    con = duckdb.connect()
    municipalities(con, "DK", {"101": "084"})
    guilty = [("101", "6", "2021", 56), ("101", "1", "2021", 48)]
    table(con, "raw_dst_guilty", ["omraade", "herkomst1", "tid"], guilty)
    # Men by age and origin each quarter; only 2021K1 is the base of 2021.
    men = [("101", "15", "24", q, 40) for q in ("2021K1", "2021K2")]
    men += [("101", "16", "35", "2021K1", 30), ("101", "16", "35", "2022K1", 99)]
    men += [("101", "15", "1", "2021K1", 50), ("101", "16", "1", "2021K1", 30)]
    table(con, "raw_dst_men", ["omraade", "alder", "herkomst", "tid"], men)

    def group(origin: str, bases: list[str]) -> dict:
        return {
            "label": LANG,
            "numerator": {"table": "dst/guilty", "select": {"herkomst1": [origin]}},
            "denominator": {
                "table": "dst/men",
                "select": {"alder": ["15", "16"], "herkomst": bases},
                "period_shift": "same_year_first_quarter",
            },
        }

    definition = {
        "id": "crime",
        "title": LANG,
        "description": LANG,
        "unit": "percent",
        "higher_is_better": False,
        "measure": "gap",
        "sources": ["https://example.org/test"],
        "countries": {
            "DK": {
                "period_type": "year",
                "reference_date": "x",
                "age_band": "15-16",
                "baseline": "2021",
                "target": group("6", ["24", "35"]),
                "comparison": group("1", ["1"]),
            }
        },
    }
    # The sum over ages and origins needs every cell: 24 at 16 is missing for 2021K1, so
    # give it: 0 persons.
    con.execute("INSERT INTO raw_dst_men VALUES ('101', '16', '24', '2021K1', 0, NULL)")
    con.execute("INSERT INTO raw_dst_men VALUES ('101', '15', '35', '2021K1', 0, NULL)")
    compute_all(con, [parse_definition(definition, "crime.yml")])
    r = get(con, "crime", "101", "2021")
    # 56 of 40 + 30 = 70 against 48 of 50 + 30 = 80: Newcombe's (1998) first example.
    assert (r["target_num"], r["target_den"], r["comparison_den"]) == (56, 70, 80)
    assert r["gap_pp"] == pytest.approx(20.0)
    assert (r["gap_lower_pp"], r["gap_upper_pp"]) == pytest.approx((5.24, 33.39), abs=0.01)
    ((years,),) = con.execute("SELECT list(DISTINCT period) FROM indicator_values").fetchall()
    assert years == ["2021"]  # 2022K1 alone has no guilty count: no 2022 row


# --- three-year windows on today's borders -----------------------------------------------------


def test_windows_on_todays_borders_have_no_reform_break() -> None:
    con = duckdb.connect()
    municipalities(con, "NO", {"1508": "15"})
    con.execute(
        "CREATE TABLE municipality_breaks (country VARCHAR, code VARCHAR, "
        "comparable_from VARCHAR, kind VARCHAR, counts_summed BOOLEAN, reason VARCHAR)"
    )
    con.execute(
        "INSERT INTO municipality_breaks VALUES ('NO', '1508', '2024', 'split', false, 'x')"
    )
    cells = []
    for window, (imm, rest) in {"2020-2022": (20.0, 6.0), "2021-2023": (18.0, 6.5)}.items():
        cells += [("1508", window, "2", imm), ("1508", window, "20", rest)]
    # fhi/583: the real table name, which sources.yml says is published on today's borders.
    table(con, "raw_fhi_583", ["region", "tid", "innvkat"], cells)

    def rate(code: str) -> dict:
        return {"table": "fhi/583", "select": {"innvkat": [code]}, "scale": 100}

    definition = indicator(
        "low",
        "gap",
        country(
            {
                "target": {"label": LANG, "rate": rate("2")},
                "comparison": {"label": LANG, "rate": rate("20")},
            },
            period_type="three_years",
            baseline="2020-2022",
        ),
        higher_is_better=False,
    )
    compute_all(con, [parse_definition(definition, "low.yml")])
    r = get(con, "low", "1508", "2021-2023")
    assert r["value"] == pytest.approx(18.0 - 6.5) and r["comparable_from"] is None
    assert r["note_code"] == "rates_only" and r["change_base_pp"] == pytest.approx(11.5 - 14.0)


# --- a switched-off provider -------------------------------------------------------------------


def test_a_switched_off_providers_indicator_is_left_out() -> None:
    con = duckdb.connect()
    municipalities(con, "NO", {"0301": "03"})
    definition = participants_counted_from("imdi/gone")
    with pytest.raises(BarometerError, match="imdi/gone was not loaded"):
        compute_all(con, [definition])
    con.execute("CREATE TABLE build_info (key VARCHAR, value VARCHAR)")
    con.execute("INSERT INTO build_info VALUES ('imdi', 'off')")
    compute_all(con, [definition])
    assert con.execute("SELECT count(*) FROM indicator_values").fetchone() == (0,)
