"""The first indicator, end to end on demo data: hand-computed checks."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from tests.conftest import query


def test_ballerup_2021k2_is_14_05_percent(demo_data_dir: Path) -> None:
    # Recorded real case (FOLK1E, Ballerup integration strategy): non-Western immigrants 4,317
    # and descendants 2,582 out of 49,110 residents.
    rows = query(
        demo_data_dir,
        "SELECT target_num, target_den, target_rate FROM indicator_values "
        "WHERE indicator = 'nonwestern_share' AND area = '151' AND period = '2021K2'",
    )
    assert rows == [(4317 + 2582, 49110, pytest.approx((4317 + 2582) / 49110))]
    assert round(100 * rows[0][2], 2) == 14.05


def test_national_figure_is_weighted_not_unweighted(demo_data_dir: Path) -> None:
    municipal = query(
        demo_data_dir,
        "SELECT target_num, target_den FROM indicator_values WHERE indicator = "
        "'nonwestern_share' AND country = 'DK' AND area_type = 'municipality' "
        "AND period = '2021K2'",
    )
    assert len(municipal) == 98
    weighted = sum(n for n, _ in municipal) / sum(d for _, d in municipal)
    unweighted = sum(n / d for n, d in municipal) / len(municipal)
    ((national, mean, n_areas, source),) = query(
        demo_data_dir,
        "SELECT target_rate, unweighted_mean, n_areas, reference_source FROM indicator_values "
        "WHERE indicator = 'nonwestern_share' AND country = 'DK' AND area_type = 'national' "
        "AND period = '2021K2'",
    )
    # The national figure is Statistics Denmark's own whole-country cell (OMRÅDE 000), which
    # also counts Christiansø: the weighted sum of the 98 municipalities is a hair below it.
    ((provider,),) = query(
        demo_data_dir,
        "SELECT sum(value) FILTER (WHERE herkomst IN ('25', '35')) "
        "/ sum(value) FILTER (WHERE herkomst = 'TOT') FROM raw_dst_folk1e "
        "WHERE omraade = '000' AND alder = 'IALT' AND tid = '2021K2'",
    )
    assert source == "provider_national"
    assert national == pytest.approx(provider)
    assert national == pytest.approx(weighted, abs=1e-3)
    assert mean == pytest.approx(100 * unweighted)  # headline values are in %
    assert n_areas == 98
    assert abs(weighted - unweighted) > 1e-4  # the two differ, so the test can tell them apart


def test_region_figure_is_weighted_over_its_municipalities(demo_data_dir: Path) -> None:
    municipal = query(
        demo_data_dir,
        "SELECT target_num, target_den FROM indicator_values WHERE indicator = "
        "'nonwestern_share' AND country = 'DK' AND area_type = 'municipality' "
        "AND period = '2021K2' AND region = '084'",
    )
    ((rate, n_areas, source),) = query(
        demo_data_dir,
        "SELECT target_rate, n_areas, reference_source FROM indicator_values "
        "WHERE indicator = 'nonwestern_share' AND country = 'DK' AND area_type = 'region' "
        "AND area = '084' AND period = '2021K2'",
    )
    assert rate == pytest.approx(sum(n for n, _ in municipal) / sum(d for _, d in municipal))
    assert (n_areas, source) == (len(municipal), "sum_of_municipalities")


def test_christianso_and_regions_are_not_municipalities(demo_data_dir: Path) -> None:
    areas = {
        row[0]
        for row in query(
            demo_data_dir,
            "SELECT DISTINCT area FROM indicator_values WHERE area_type = 'municipality' "
            "AND country = 'DK'",
        )
    }
    assert len(areas) == 98
    assert not areas & {"411", "000", "084"}


def test_suppressed_cells_stay_missing(demo_data_dir: Path) -> None:
    # 09817 publishes every count; 11607 withholds the rates of small groups (":").
    suppressed = query(
        demo_data_dir,
        "SELECT region, tid, status FROM raw_ssb_11607 WHERE value IS NULL "
        "AND landbakgrunn = 'eee' AND region <> '0' LIMIT 1",
    )
    assert suppressed, "the demo data should suppress some small Norwegian cells"
    region, period, status = suppressed[0]
    ((rate, symbol),) = query(
        demo_data_dir,
        "SELECT target_rate, target_status FROM indicator_values "
        "WHERE indicator = 'employment_rate' AND area = ? AND period = ?",
        [region, period],
    )
    assert rate is None
    assert symbol == status == ":"


def test_norwegian_share_matches_raw_cells(demo_data_dir: Path) -> None:
    # Oslo's latest year by hand: (immigrants + Norwegian-born, country group 2) / population.
    ((period,),) = query(demo_data_dir, "SELECT max(tid) FROM raw_ssb_09817")
    parts = query(
        demo_data_dir,
        "SELECT value FROM raw_ssb_09817 WHERE region = '0301' AND tid = ? "
        "AND landbakgrunn = 'landgruppe2'",
        [period],
    )
    ((population,),) = query(
        demo_data_dir,
        "SELECT value FROM raw_ssb_07459 WHERE region = '0301' AND tid = ?",
        [period],
    )
    expected = sum(p for (p,) in parts) / population
    ((rate,),) = query(
        demo_data_dir,
        "SELECT target_rate FROM indicator_values WHERE indicator = 'nonwestern_share' "
        "AND area = '0301' AND period = ?",
        [period],
    )
    assert len(parts) == 2
    assert rate == pytest.approx(expected)


def test_values_command_json(demo_env: Path, capsys) -> None:
    from cli import main

    code = main(
        [
            "values",
            "nonwestern_share",
            "--municipality",
            "151",
            "--period",
            "2021K2",
            "--format",
            "json",
        ]
    )
    assert code == 0
    records = json.loads(capsys.readouterr().out)
    assert len(records) == 1
    record = records[0]
    assert record["indicator"] == "nonwestern_share"
    assert record["municipality"] == "151" and record["period"] == "2021K2"
    assert math.isclose(record["value"], 100 * 6899 / 49110)  # in %
    assert math.isclose(record["target_rate"], 6899 / 49110)


def test_values_command_unknown_indicator(demo_env: Path, capsys) -> None:
    from cli import main

    assert main(["values", "no_such_thing"]) == 1
    assert "unknown indicator" in capsys.readouterr().err


def test_ballerup_others_differ_from_danish_origin(demo_data_dir: Path) -> None:
    # "All others" = everyone not in the target group; Danish origin is a smaller group.
    cells = dict(
        query(
            demo_data_dir,
            "SELECT herkomst, value FROM raw_dst_folk1e WHERE omraade = '151' "
            "AND tid = '2021K2' AND alder = 'IALT'",
        )
    )
    others = cells["TOT"] - cells["25"] - cells["35"]
    assert others == 49110 - 4317 - 2582 == 42211
    assert cells["1"] == 40272
    assert others - cells["1"] == 1939  # persons of Western origin (1,589 + 350)
