"""Golden values for the indicators issue 13 added: each definition file as it is, computed on
a small hand-made raw table with the loader's own column names and codes; every expected
number is worked out in the test."""

from __future__ import annotations

import duckdb
import pytest

from indicators.compute import compute_all
from indicators.registry import get_indicator
from tests.test_compute_new_sources import WILSON_40_OF_70
from tests.test_compute_rules import get, municipalities


def raw(con: duckdb.DuckDBPyConnection, name: str, rows: list[dict]) -> None:
    """A raw table from dicts (every row the same keys), with value and status."""
    columns = [c for c in rows[0] if c not in ("value", "status")]
    con.execute(
        f"CREATE TABLE {name} ("  # noqa: S608 (test names)
        + ", ".join(f'"{c}" VARCHAR' for c in columns)
        + ", value DOUBLE, status VARCHAR)"
    )
    marks = ", ".join("?" for _ in range(len(columns) + 2))
    con.executemany(
        f"INSERT INTO {name} VALUES ({marks})",  # noqa: S608
        [[*(r[c] for c in columns), r["value"], r.get("status")] for r in rows],
    )


def computed(
    indicator_id: str, country: str, areas: dict[str, str], **tables: list[dict]
) -> duckdb.DuckDBPyConnection:
    """The indicator's definition file computed for `country`'s municipalities `areas` (code:
    region) from the raw tables given as name=rows."""
    con = duckdb.connect()
    municipalities(con, country, areas)
    for name, rows in tables.items():
        raw(con, name, rows)
    found = get_indicator(indicator_id)
    assert found is not None
    compute_all(con, [found])
    return con


def test_crime_proxy_men_15_29() -> None:
    guilty = [
        {"omraade": "101", "koen": "M", "alder": "15-29", "herkomst1": o, "tid": "2021",
         "value": v}
        for o, v in (("6", 60), ("1", 36))
    ]  # fmt: skip
    men = []
    for age in range(15, 30):
        for origin in ("1", "24", "25", "34", "35"):
            persons = 40 if origin == "1" else 10  # 15 x 40 = 600 Danish, 15 x 4 x 10 = 600
            for quarter in ("2021K1", "2021K2"):
                men.append(
                    {"omraade": "101", "koen": "1", "alder": str(age), "herkomst": origin,
                     "tid": quarter, "value": persons if quarter.endswith("K1") else 999}
                )  # fmt: skip
    tables = {"raw_dst_strafna6": guilty, "raw_dst_folk1e_men_15_29": men}
    con = computed("crime_proxy_men_15_29", "DK", {"101": "084"}, **tables)
    r = get(con, "crime_proxy_men_15_29", "101", "2021")
    # 60 of 600 foreign-origin men (10 %) against 36 of 600 of Danish origin (6 %): the
    # target group is 4 points behind (lower is better), Wilson and Newcombe intervals beside.
    assert (r["target_num"], r["target_den"]) == (60, 600)
    assert (r["comparison_num"], r["comparison_den"]) == (36, 600)
    assert r["value"] == pytest.approx(4.0)
    assert r["gap_lower_pp"] < 4.0 < r["gap_upper_pp"] and r["note_code"] is None


def test_employment_rate_0_4_years() -> None:
    employed = [
        {"enhet": e, "tid": "2024", "region": "0301", "botid_i_norge": b, "verdensregion": "2",
         "value": v}
        for e, b, v in (
            ("personer", "0_4", 40), ("prosent", "0_4", 57.1),
            ("personer", "10+", 300), ("prosent", "10+", 60),
        )
    ]  # fmt: skip
    rest = [
        {"region": r, "alder": "15-74", "kjonn": "0", "landbakgrunn": "abc",
         "contentscode": "Sysselsatte2", "tid": "2024", "value": v}
        for r, v in (("0301", 63.3), ("0", 65.9))
    ]  # fmt: skip
    tables = {"raw_imdi_sysselsatte_botid_land": employed, "raw_ssb_11607": rest}
    con = computed("employment_rate_0_4_years", "NO", {"0301": "03"}, **tables)
    r = get(con, "employment_rate_0_4_years", "0301", "2024")
    # 40 employed at 57.1 %: a group of 40 / 0.571 = 70.05, so the 10+ band is not counted.
    assert r["value"] == pytest.approx(57.1) and r["target_den"] == pytest.approx(70.0525, abs=1e-4)
    assert (r["target_lower"], r["target_upper"]) == pytest.approx(WILSON_40_OF_70, abs=1e-6)
    assert r["comparison_rate"] == pytest.approx(0.633) and r["gap_pp"] == pytest.approx(6.2)
    # A group of about 70, under the caution level, and its size is derived: both said.
    assert (r["note_code"], r["note_n"], r["small_number"]) == ("derived_caution", 70, "caution")
    assert get(con, "employment_rate_0_4_years", "NO", "2024")["comparison_rate"] == (
        pytest.approx(0.659)
    )


def test_intro_participants() -> None:
    participants = [
        {"enhet": "personer", "tid": t, "region": r, "kjoenn": "alle", "value": v,
         "status": ":" if v is None else None}
        for r, t, v in (("0301", "2023", 6512), ("0301", "2024", 7792),
                        ("3101", "2023", None), ("3101", "2024", 85))
    ]  # fmt: skip
    areas = {"0301": "03", "3101": "31"}
    con = computed("intro_participants", "NO", areas, raw_imdi_intro_deltakere=participants)
    assert get(con, "intro_participants", "0301", "2024")["value"] == 7792
    assert get(con, "intro_participants", "3101", "2023")["note_code"] == "suppressed"
    national = get(con, "intro_participants", "NO", "2023")
    assert (national["value"], national["target_missing"]) == (6512, 1)
    assert get(con, "intro_participants", "NO", "2024")["value"] == 7792 + 85


def test_intro_work_education() -> None:
    shares = [
        {"enhet": "prosent", "tid": "2024", "region": r, "kjoenn": "alle",
         "avslutningsaar_for_introduksjonsprogrammet": "1",
         "arbeidssituasjon_etter_avsluttet_avbrutt_introduksjonsprogram": "arbutd",
         "value": v, "status": s}
        for r, v, s in (("0", 67, None), ("03", 65, None), ("30", 67, None), ("40", None, "."))
    ]  # fmt: skip
    con = computed(
        "intro_work_education", "NO", {"0301": "03"}, raw_imdi_intro_status_arbutd_avslutta=shares
    )
    rows = con.execute(
        "SELECT area_type, area, value FROM indicator_values ORDER BY area_type, area"
    ).fetchall()
    assert rows == [("county", "03", 65.0), ("county", "30", 67.0), ("national", "NO", 67.0)]


def test_persistent_low_income() -> None:
    rates = [
        {"region": r, "tid": "2021-2023", "alder": "25_120", "innvkat": k, "maal": "ant_eu60",
         "measure_type": "RATE", "value": v}
        for r, k, v in (("4003", "2", 27.3787313432836), ("4003", "20", 7.37580513807655),
                        ("0", "2", 20.2915559571029), ("0", "20", 6.13595399647258))
    ]  # fmt: skip
    con = computed("persistent_low_income", "NO", {"4003": "40"}, raw_fhi_583=rates)
    r = get(con, "persistent_low_income", "4003", "2021-2023")
    # 27.38 % of immigrants against 7.38 % of everyone else: 20.0 points behind.
    assert r["value"] == pytest.approx(27.3787313432836 - 7.37580513807655)
    assert r["note_code"] == "rates_only" and r["gap_lower_pp"] is None
    national = get(con, "persistent_low_income", "NO", "2021-2023")
    assert national["value"] == pytest.approx(20.2915559571029 - 6.13595399647258)
    assert national["reference_source"] == "provider_national"
