"""`barometer values` returns every catalogue indicator for both countries, with references."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import pytest

from indicators.registry import list_indicators

CASES = [(i.id, country) for i in list_indicators() for country in i.countries]


@pytest.mark.parametrize(("indicator", "country"), CASES, ids=[f"{i}-{c}" for i, c in CASES])
def test_values_for_every_indicator_and_country(
    demo_env: Path, capsys, indicator: str, country: str
) -> None:
    from cli import main

    assert main(["values", indicator, "--country", country, "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert records, "no rows"
    assert {r["country"] for r in records} == {country}
    shown = [r for r in records if r["value"] is not None]
    assert len(shown) > 0.5 * len(records)
    found = next(i for i in list_indicators() if i.id == indicator)
    definition = found.countries[country]
    rates_only = definition.target.rates_only
    for record in shown[:50]:
        assert set(record) >= {"indicator", "municipality", "period", "value"}
        if definition.geography == "county":
            # A county figure: county rows only, beside the provider's whole-country figure.
            assert record["area_type"] == "county" and record["national_value"] is not None
            assert record["note_code"] == "rates_only" and record["region_value"] is None
        elif found.measure == "count":
            # A number of persons: the count is the headline; no rate, no interval, no rank.
            assert record["value"] == record["target_num"] and record["target_rate"] is None
            assert record["rank_country"] is None and record["national_value"] is not None
        elif definition.target.derived:
            # A base derived from persons and per cent: an interval, marked approximate.
            if record["target_den"] is not None:
                assert record["note_code"] in {"derived_base", "derived_caution"}
                assert record["target_lower"] <= record["target_rate"] <= record["target_upper"]
            else:  # 0 %: no base to derive
                assert record["note_code"] in {"break", "size_unknown"}
        elif rates_only:
            # No interval; judged by an approximate size (or read with care, or after a break).
            assert record["note_code"] in {"approximate_n", "caution", "break", "rates_only"}
            assert record["target_lower"] is None
            assert record["national_unweighted_mean"] is not None
            # The provider's own whole-country rate is the national figure.
            assert record["national_value"] is not None
        else:
            assert record["national_value"] is not None and record["region_value"] is not None
            lower, upper = record["target_lower"], record["target_upper"]
            assert lower <= record["target_rate"] <= upper
        if record["gap_pp"] is not None and record["gap_lower_pp"] is not None:
            assert record["gap_lower_pp"] <= record["gap_pp"] <= record["gap_upper_pp"]
        assert not (isinstance(record["value"], float) and math.isnan(record["value"]))


def test_values_csv_keeps_missing_cells_empty(demo_env: Path, capsys) -> None:
    from cli import main

    assert main(["values", "nonwestern_share", "--country", "NO", "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    header = rows[0]
    value_at, note_at = header.index("value"), header.index("note_symbol")
    code_at = header.index("note_code")
    missing = [row for row in rows[1:] if row[value_at] == ""]
    # Norwegian municipality-years without a value: before a split (no series to carry over).
    assert missing, "demo data has Norwegian municipality-years without a value"
    assert all(row[code_at] in {"suppressed", "missing"} for row in missing)
    assert all(row[note_at] in {":", "..", ""} for row in missing)
    assert not any(row[value_at] in {"0", "0.0"} for row in missing)
