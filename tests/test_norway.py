"""Norway's country groups and municipality reforms (loaders/norway.py), and how the loader
uses them: single countries summed into a group, earlier codes put under today's."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from loaders import norway
from loaders.fetch import map_municipalities, sum_country_group
from loaders.municipalities import municipality_codes

# The 27 members, by SSB's codes (500 Cyprus sits among the Asian codes).
EU = {f"{code}" for code in (101, 103, 106, 112, 113, 115, 117, 119, 121, 122, 123, 124, 126)}
EU |= {f"{code}" for code in (127, 129, 131, 132, 133, 136, 137, 144, 146, 152, 153, 157, 158)}
EU |= {"500"}


def test_country_group_1_is_the_group_1_label() -> None:
    group_1 = {c.code for c in norway.country_group("1")}
    # Nordic + EU + EFTA (Iceland, Liechtenstein, Switzerland) + UK, USA, Canada, AU, NZ.
    confirmed = EU | {"105", "128", "141", "139", "684", "612", "805", "820"}
    assert len(EU) == 27 and confirmed <= group_1
    assert group_1 - confirmed == {"102", "104"}  # Greenland, Faroe Islands: unconfirmed
    assert {c.code for c in norway.list_countries() if not c.confirmed and c.group == "1"} == {
        "102",
        "104",
    }


def test_country_group_2_and_the_rest() -> None:
    group_2 = {c.code for c in norway.country_group("2")}
    assert {"143", "148", "140", "241", "346", "452", "534", "564", "404"} <= group_2
    assert len(group_2) == 205 and not group_2 & {c.code for c in norway.country_group("1")}
    nowhere = {c.code for c in norway.list_countries() if not c.group}
    assert nowhere == {"980", "990"}  # stateless, not stated
    assert {c.code: c.names_no for c in norway.list_countries()}["156"] == (
        "Makedonia",
        "Nord-Makedonia",
    )


def test_the_changes_lead_from_2010_to_todays_municipalities() -> None:
    assert len(norway.valid_codes(2010)) == 430
    assert len(norway.valid_codes(2019)) == 422
    assert len(norway.valid_codes(2023)) == 356
    assert norway.valid_codes(2024) == frozenset(municipality_codes("NO"))
    assert norway.valid_codes(2026) == norway.valid_codes(2024)


@pytest.mark.parametrize(
    ("code", "year", "expected"),
    [
        ("3101", 2024, {"3101"}),
        ("3101", 2022, {"3001"}),  # Halden renumbered in 2024
        ("3101", 2019, {"0101"}),  # ... and in 2020
        ("1103", 2019, {"1103", "1141", "1142"}),  # Stavanger kept its code, took in two
        ("5001", 2017, {"1601", "1662"}),  # Trondheim and Klæbu before Trøndelag's codes
        ("1508", 2023, None),  # Ålesund was split in 2024: part of 1507 only
        ("1580", 2023, None),
        ("0301", 2010, {"0301"}),
    ],
)
def test_predecessors(code: str, year: int, expected: set[str] | None) -> None:
    found = norway.predecessors(code, year)
    assert (None if found is None else set(found)) == expected


def test_every_code_in_use_belongs_to_one_municipality_today() -> None:
    for year in range(2010, 2025):
        owners: dict[str, str] = {}
        for code in municipality_codes("NO"):
            for old in norway.predecessors(code, year) or ():
                assert old not in owners, f"{old} in {year}: {owners[old]} and {code}"
                owners[old] = code
        # Codes no one owns whole became part of a municipality with a split in its past
        # (Ålesund 1507 in 2023; Narvik 1805 in 2019, merged with part of Tysfjord).
        split = {b.code for b in norway.list_breaks() if b.kind == "split"}
        for old in norway.valid_codes(year) - set(owners):
            assert descendants(old, year) & split, (old, year)


def descendants(code: str, year: int) -> set[str]:
    """Today's municipalities that hold some of `code`'s land of `year`."""
    found = {code}
    for change_year in sorted({c.year for c in norway.list_changes() if c.year > year}):
        moved = [c for c in norway.list_changes() if c.year == change_year]
        found = {c.new_code for c in moved if c.old_code in found} | (
            found - {c.old_code for c in moved}
        )
    return found


def test_breaks() -> None:
    breaks = {(b.code, b.kind): b for b in norway.list_breaks()}
    alesund = breaks[("1508", "split")]
    assert alesund.comparable_from == 2024 and not alesund.counts_summed
    assert "1507 Ålesund" in alesund.reason
    stavanger = breaks[("1103", "merge")]
    assert stavanger.comparable_from == 2020 and stavanger.counts_summed
    assert "1141 Finnøy" in stavanger.reason and "1142 Rennesøy" in stavanger.reason
    assert ("3101", "merge") not in breaks and ("3101", "split") not in breaks  # renamed only
    assert ("0301", "merge") not in breaks


def test_code_spans() -> None:
    assert norway.code_span("3001") == (2020, 2023)
    assert norway.code_span("0101") == (None, 2019)
    assert norway.code_span("3101") == (2024, None)
    assert norway.code_span("0301") == (None, None)


# --- the loader's shaping ---------------------------------------------------------------------


def frame(rows: list[tuple]) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=["region", "landbakgrunn", "tid", "value", "status", "note"])
    out["value"] = out["value"].astype(float)
    return out


def test_a_country_group_sum_is_missing_when_a_part_is() -> None:
    cells = frame(
        [
            ("0301", "241", "2024", 10, None, None),
            ("0301", "346", "2024", 5, None, None),
            ("1151", "241", "2024", 2, None, None),
            ("1151", "346", "2024", np.nan, ":", None),
        ]
    )
    notes: list[str] = []
    summed = sum_country_group(cells, "landbakgrunn", "landgruppe2", notes)
    got = {r.region: (r.value, r.status) for r in summed.itertuples()}
    assert got["0301"] == (15.0, None)
    assert np.isnan(got["1151"][0]) and got["1151"][1] == ":"  # missing, never 2
    assert set(summed["landbakgrunn"]) == {"landgruppe2"}
    assert notes == ["landbakgrunn landgruppe2: the sum of 2 single-country codes"]


def regions(rows: list[tuple]) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=["region", "tid", "value", "status", "note"])
    out["value"] = out["value"].astype(float)
    return out


def test_counts_of_merged_municipalities_are_summed() -> None:
    cells = regions(
        [
            ("0", "2019", 1000, None, None),
            ("1103", "2019", 100, None, None),  # Stavanger before it took in Finnøy, Rennesøy
            ("1141", "2019", 10, None, None),
            ("1142", "2019", 5, None, None),
            ("1103", "2020", 120, None, "a note"),
            ("0101", "2019", 30, None, None),
            ("3001", "2022", 31, None, None),
            ("3101", "2022", 0, None, None),  # not yet in use: must not be read
            ("3101", "2024", 32, None, None),
            ("1507", "2023", 60, None, None),
            ("1508", "2024", 40, None, None),
            ("1580", "2024", 21, None, None),
        ]
    )
    mapped = map_municipalities(cells, "region", {"0"}, rates=False)
    got = {(r.region, r.tid): (r.value, r.status, r.note) for r in mapped.itertuples()}
    assert got[("0", "2019")] == (1000, None, None)
    assert got[("1103", "2019")] == (115, None, None)
    assert got[("1103", "2020")] == (120, None, "a note")
    assert got[("3101", "2019")][0] == 30 and got[("3101", "2022")][0] == 31
    assert got[("3101", "2024")][0] == 32
    assert got[("1508", "2024")][0] == 40 and ("1508", "2023") not in got  # split: no series
    assert all(region in municipality_codes("NO") or region == "0" for region, _ in got)


def test_rates_of_merged_municipalities_are_not_combined() -> None:
    cells = regions(
        [
            ("1103", "2019", 70.1, None, None),
            ("1141", "2019", 71.0, None, None),
            ("1142", "2019", 69.0, None, None),
            ("1103", "2020", 70.5, None, None),
            ("3001", "2022", 66.0, None, None),
        ]
    )
    mapped = map_municipalities(cells, "region", {"0"}, rates=True)
    got = {(r.region, r.tid): r.value for r in mapped.itertuples()}
    assert ("1103", "2019") not in got and got[("1103", "2020")] == 70.5
    assert got[("3101", "2022")] == 66.0  # a renamed code carries its rate over


def test_a_merger_with_a_missing_part_is_missing() -> None:
    cells = regions(
        [
            ("1103", "2019", 100, None, None),
            ("1141", "2019", np.nan, ":", None),
            ("1142", "2019", 5, None, None),
        ]
    )
    mapped = map_municipalities(cells, "region", {"0"}, rates=False)
    row = mapped[(mapped["region"] == "1103") & (mapped["tid"] == "2019")].iloc[0]
    assert np.isnan(row["value"]) and row["status"] == ":"
