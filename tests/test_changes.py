"""What changed between two snapshots: indicators/changes.py on hand-made rows, and the view
and command against two snapshots built from the simulator (tests/conftest.py's
meeting_data_dir: the previous release pinned, then the current one)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from cli import main
from indicators.changes import (
    BEYOND_INTERVAL,
    LIGHT,
    NEW_PERIOD,
    RANK,
    REVISED,
    compare_snapshots,
    rank_within,
)
from indicators.registry import get_indicator
from loaders.municipalities import find_municipality
from simulator import dst
from simulator.releases import CURRENT, PREVIOUS
from tests.conftest import MEETING
from views.changes import ChangesView, describe_change, read_view, summary
from views.problems import Problem

GAP = get_indicator("employment_gap")


def rows(*records: tuple) -> pd.DataFrame:
    """Municipal rows: (municipality, period, value, lower, upper, light)."""
    return pd.DataFrame(
        [
            {
                "country": "DK",
                "municipality": code,
                "name": f"M{code}",
                "period": period,
                "value": value,
                "gap_lower_pp": lower,
                "gap_upper_pp": upper,
                "light_barometer": light,
                "light_significance": None,
            }
            for code, period, value, lower, upper, light in records
        ]
    )


# --- the comparison on rows made by hand ------------------------------------------------------


def test_each_kind_of_change_on_hand_made_rows() -> None:
    assert GAP is not None
    before = rows(
        ("1", "2021", 10.0, 8.0, 12.0, "better"),
        ("2", "2021", 5.0, 4.0, 6.0, "worse"),
        ("3", "2021", None, None, None, None),  # withheld then
    )
    after = rows(
        ("1", "2021", 10.0, 8.0, 12.0, "better"),  # unchanged
        ("2", "2021", 5.5, 4.5, 6.5, "worse"),  # revised
        ("3", "2021", 7.0, 6.0, 8.0, "better"),  # published now
        ("1", "2022", 12.5, 11.0, 14.0, "better"),  # new; beyond 8-12
        ("2", "2022", 6.4, 5.0, 7.0, "unchanged"),  # new; within 4-6? no: 6.4 > 6.0
        ("3", "2022", None, None, None, None),  # new period, withheld
    )
    changes = compare_snapshots(GAP, before, after, ["1", "2", "3"])
    found = {(c.kind, c.municipality): c for c in changes}
    assert {k for k, _ in found if k == NEW_PERIOD} and [
        (c.municipality, c.new) for c in changes if c.kind == NEW_PERIOD
    ] == [("1", 12.5), ("2", 6.4), ("3", None)]
    assert (found[(REVISED, "2")].old, found[(REVISED, "2")].new) == (5.0, 5.5)
    assert (found[(REVISED, "3")].old, found[(REVISED, "3")].new) == (None, 7.0)
    assert (REVISED, "1") not in found
    # latest then: 1 -> 10.0 [8, 12] (2021), 2 -> 5.0 [4, 6], 3 none; now 12.5, 6.4, 7.0 (2021)
    assert found[(BEYOND_INTERVAL, "1")].lower == 8.0 and found[(BEYOND_INTERVAL, "1")].new == 12.5
    assert found[(BEYOND_INTERVAL, "2")].new == 6.4
    assert (BEYOND_INTERVAL, "3") not in found  # nothing to compare with
    # ranks (smaller gap first): then 2 (5.0) 1st, 1 (10.0) 2nd; now 2 (6.4), 3 (7.0), 1 (12.5)
    assert (found[(RANK, "1")].old, found[(RANK, "1")].new, found[(RANK, "1")].of) == (2, 3, 3)
    assert (RANK, "2") not in found
    light = found[(LIGHT, "2")]
    assert (light.old_light, light.new_light, light.rule) == ("worse", "unchanged", "barometer")
    assert (LIGHT, "1") not in found


def test_a_period_other_municipalities_had_is_not_new() -> None:
    before = rows(("1", "2021", 10.0, 8.0, 12.0, None), ("2", "2021", None, None, None, None))
    after = rows(("1", "2021", 10.0, 8.0, 12.0, None), ("2", "2021", 9.0, 8.0, 10.0, None))
    changes = compare_snapshots(GAP, before, after, ["2"])
    assert [c.kind for c in changes] == [REVISED]  # appeared, but 2021 is not a new period


def test_counts_and_county_figures_change_but_are_never_ranked() -> None:
    """A count of persons is a volume and a county figure is no municipality's: revisions and
    new periods are reported, ranks are not compared."""
    participants, county_share = (
        get_indicator("intro_participants"),
        get_indicator("intro_work_education"),
    )
    assert participants is not None and county_share is not None

    def norwegian(*records: tuple) -> pd.DataFrame:
        frame = rows(*records)
        frame["country"] = "NO"
        return frame

    before = norwegian(
        ("0301", "2023", 6000.0, None, None, None), ("4601", "2023", 1500.0, None, None, None)
    )
    after = norwegian(
        ("0301", "2023", 6100.0, None, None, None),  # revised
        ("4601", "2023", 1400.0, None, None, None),  # revised
        ("0301", "2024", 900.0, None, None, None),  # new, and now below Bergen
        ("4601", "2024", 1000.0, None, None, None),
    )
    kinds = [c.kind for c in compare_snapshots(participants, before, after, ["0301", "4601"])]
    assert kinds == [NEW_PERIOD, NEW_PERIOD, REVISED, REVISED]  # no RANK though the order flips
    counties = norwegian(
        ("03", "2024", 69.0, None, None, None), ("46", "2024", 62.0, None, None, None)
    )
    moved = norwegian(
        ("03", "2024", 60.0, None, None, None), ("46", "2024", 64.0, None, None, None)
    )
    found = compare_snapshots(county_share, counties, moved, ["0301", "4601", "03", "46"])
    assert [(c.kind, c.municipality) for c in found] == [(REVISED, "03"), (REVISED, "46")]


def test_ties_share_the_better_rank() -> None:
    latest = {("DK", c): {"value": v} for c, v in [("a", 1.0), ("b", 2.0), ("c", 2.0), ("d", 3)]}
    assert rank_within(latest, {"a", "b", "c", "d"}, ascending=True) == {
        "a": (1, 4),
        "b": (2, 4),
        "c": (2, 4),
        "d": (4, 4),
    }
    assert rank_within(latest, {"b", "d"}, ascending=False) == {"d": (1, 2), "b": (2, 2)}


# --- the simulator's two releases -------------------------------------------------------------


def test_the_previous_release_holds_back_a_period_and_has_preliminary_figures() -> None:
    current, previous = dst.DstApi(2026, 10**9), dst.DstApi(2026, 10**9, PREVIOUS)
    assert current.tables["RAS201"].variables[-1].ids[-1] == "2023"
    assert previous.tables["RAS201"].variables[-1].ids[-1] == "2022"
    assert previous.tables["RAS201"].updated.startswith("2023-")
    final = dst.TABLES["RAS201"].leaves(2026)
    early = previous.tables["RAS201"].leaves(2026)
    assert early.shape[-1] == final.shape[-1] - 1
    var = {v.code: v for v in dst.TABLES["RAS201"].variables}
    at = {code: var[code].parts[value][0] for code, value in [("SOCIO", "0"), ("HERKOMST", "25")]}
    area = var["OMRÅDE"].parts["151"][0]
    year = var["Tid"].parts["2022"][0]
    outside = var["SOCIO"].parts["55"][0]
    employed = final[area, at["SOCIO"], at["HERKOMST"], :, :, year]
    assert np.array_equal(
        early[area, at["SOCIO"], at["HERKOMST"], :, :, year], np.rint(employed * 0.85)
    )
    # the persons taken off are counted outside the labour force: the population is the same
    assert early[area, :, :, :, :, year].sum() == final[area, :, :, :, :, year].sum()
    assert early[area, outside, ..., year].sum() > final[area, outside, ..., year].sum()
    untouched = var["OMRÅDE"].parts["101"][0]
    assert np.array_equal(early[untouched], final[untouched, ..., :-1])
    assert CURRENT.revisions == ()


# --- the view against two snapshots -----------------------------------------------------------


def stored(path: Path, indicator: str, area: str, period: str, column: str = "value") -> object:
    con = duckdb.connect(str(path), read_only=True)
    try:
        found = con.execute(
            f"SELECT {column} FROM indicator_values WHERE indicator = ? AND area = ? "  # noqa: S608
            "AND period = ? AND area_type = 'municipality'",
            [indicator, area, period],
        ).fetchone()
    finally:
        con.close()
    return found[0] if found else None


def pinned_file(data_dir: Path) -> Path:
    from loaders.snapshots import find_version

    version = find_version(data_dir / "versions", MEETING)
    assert version is not None
    return version.path


def test_the_view_finds_the_new_period_the_revision_and_the_flipped_light(
    meeting_env: Path,
) -> None:
    view = read_view(MEETING, "latest", "151,740,751", "employment_gap", "en")
    assert isinstance(view, ChangesView)
    live, old = meeting_env / "barometer.duckdb", pinned_file(meeting_env)
    by = {(c.kind, c.municipality, c.rule): c for c in view.changes}
    new = by[(NEW_PERIOD, "151", None)]
    assert new.period == "2023" and new.new == pytest.approx(
        stored(live, "employment_gap", "151", "2023")
    )
    assert stored(old, "employment_gap", "151", "2023") is None
    revised = by[(REVISED, "151", None)]
    assert revised.period == "2022"
    assert revised.old == pytest.approx(stored(old, "employment_gap", "151", "2022"))
    assert revised.new == pytest.approx(stored(live, "employment_gap", "151", "2022"))
    assert revised.old > revised.new + 5  # 15 % of the employed missing widened the gap
    flip = by[(LIGHT, "151", "barometer")]
    assert flip.old_light == stored(old, "employment_gap", "151", "2022", "light_barometer")
    assert flip.new_light == stored(live, "employment_gap", "151", "2023", "light_barometer")
    assert (flip.old_light, flip.new_light) == ("unchanged", "better")
    beyond = by[(BEYOND_INTERVAL, "151", None)]
    assert not beyond.lower <= beyond.new <= beyond.upper
    # Aarhus untouched but for its small revision; no light of Aarhus flips
    assert (REVISED, "751", None) in by and (LIGHT, "751", "barometer") not in by
    # Norway's tables are the same in both releases: nothing changes there
    oslo = read_view(MEETING, None, "0301", None, "en")
    assert isinstance(oslo, ChangesView) and oslo.changes == ()
    assert summary(oslo, "en") == "Nothing changed for these municipalities and indicators."


def test_sentences_carry_the_numbers_in_the_readers_language(meeting_env: Path) -> None:
    view = read_view(MEETING, None, "151", "employment_gap", "da")
    assert isinstance(view, ChangesView)
    revised = next(c for c in view.changes if c.kind == REVISED)
    danish = describe_change(revised, GAP, "da")
    english = describe_change(revised, GAP, "en")
    assert "Ballerup" in danish and "procentpoint" in danish and "revised" not in danish
    old = f"{revised.old:.1f}"
    assert old in english and old.replace(".", ",") in danish
    assert summary(view, "en").startswith("1 new figure, 1 revised, 1 beyond its interval")


def test_unknown_names_get_suggestions_not_errors(meeting_env: Path) -> None:
    wrong = read_view("Netwrk meeting 2026", None, "151", None, "en")
    assert isinstance(wrong, Problem) and wrong.kind == "snapshot"
    assert wrong.links[0].label == MEETING and "from=Network+meeting+2026-05" in wrong.links[0].href
    assert read_view(MEETING, "nope", None, None, "en").kind == "snapshot"
    assert read_view(MEETING, None, "999", None, "en").kind == "municipality"
    assert read_view(MEETING, None, None, "employment", "en").kind == "indicator"


def test_a_municipality_stands_for_its_county_in_county_figures(meeting_env: Path) -> None:
    from views.changes import county_codes

    county_share = get_indicator("intro_work_education")
    assert county_share is not None
    bergen, baerum, ballerup = (find_municipality(c) for c in ("4601", "3201", "151"))
    # Bergen: Hordaland (12) until 2019, Vestland (46) since; Bærum: Akershus (02), then
    # Viken (30) from 2020 (the 2024 figures are for the counties of 2023)
    assert county_codes(county_share, [bergen]) == ["12", "46"]
    assert county_codes(county_share, [baerum]) == ["02", "30"]
    assert county_codes(county_share, [ballerup]) == []  # Denmark has no such figure
    assert county_codes(GAP, [bergen]) == []  # published per municipality


def test_without_a_pin_there_is_nothing_to_compare_with(demo_env: Path) -> None:
    view = read_view(None, None, "151", None, "en")
    assert isinstance(view, Problem) and "barometer snapshot pin" in view.message


def test_the_command_prints_the_same_sentences(meeting_env: Path, capsys) -> None:
    assert main(["changes", "--municipalities", "151", "--indicators", "employment_gap"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"What changed since “{MEETING}”")
    assert "Ballerup: Employment gap for 2022 was revised from " in out
    assert main(["changes", "--from", "Netwrk"]) == 1
    assert f"Did you mean: {MEETING}" in capsys.readouterr().err


def test_a_kept_version_this_version_cannot_read_is_said_so(
    meeting_data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A version pinned before an upgrade that changed the database's schema: the page says
    the kept version cannot be read, and offers no refresh (none rebuilds a kept version)."""
    import shutil

    import queries.db

    folder = tmp_path / "data"
    shutil.copytree(meeting_data_dir, folder)
    con = duckdb.connect(str(pinned_file(folder)))
    con.execute("UPDATE build_info SET value = '1' WHERE key = 'schema_version'")
    con.close()
    monkeypatch.setenv("BAROMETER_DATA_DIR", str(folder))
    try:
        view = read_view(MEETING, None, "151", None, "da")
        assert isinstance(view, Problem) and view.kind == "snapshot"
        assert view.message.startswith("Denne gemte version af dataene er bygget af en anden")
        assert "refresh" not in view.message and str(folder) not in view.message
    finally:
        queries.db.close()
