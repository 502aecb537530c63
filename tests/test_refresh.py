"""Refresh against the strict simulator over real sockets.

One full refresh is the point of most tests here (what the database holds, every request
within the providers' limits); the faults are tried on one small table through `fetch_table`,
and only the failures that must leave a database untouched run a whole refresh.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from errors import BarometerError, LoadError
from loaders.fetch import Endpoint, fetch_table, read_metadata
from loaders.refresh import make_endpoints, refresh
from loaders.sources import CELL_LIMITS, SourceSpec, TableSpec, load_sources
from simulator.server import RequestRecord, Simulator, start_simulator
from tests.conftest import digest, fast_settings, query


@pytest.fixture(scope="module")
def built_once(demo_build) -> tuple[Path, list[RequestRecord], list[str]]:
    """A data folder with a complete database built from the simulator, the requests it
    took and the progress lines it printed (the session's one demo build, see conftest)."""
    return demo_build.data_dir, demo_build.requests, demo_build.lines


@pytest.fixture()
def good_database(tmp_path: Path, built_once: tuple) -> Path:
    """A fresh copy of that data folder for one test."""
    shutil.copytree(built_once[0], tmp_path, dirs_exist_ok=True)
    return tmp_path


Query = Callable[..., list[tuple]]


@pytest.fixture(scope="module")
def db(built_once: tuple) -> Query:
    """Rows of a query (SQL, parameters) on that database."""
    return lambda sql, params=None: query(built_once[0], sql, params)


# --- a whole refresh --------------------------------------------------------------------------


def test_refresh_builds_database_with_provenance(built_once: tuple, db: Query) -> None:
    folder = built_once[0]
    tables = dict(db("SELECT table_id, cells FROM source_tables"))
    assert set(tables) == {spec.key for spec in load_sources()}
    ((provider, url, request, retrieved_at, updated),) = db(
        "SELECT provider, url, request, retrieved_at, provider_updated FROM provenance "
        "WHERE table_id = 'KY038'",
    )
    assert provider == "dst" and url.endswith("/v1/data")
    assert json.loads(request)["table"] == "KY038" and retrieved_at is not None and updated
    assert db("SELECT value FROM build_info WHERE key = 'source'") == [("demo",)]
    versions = list((folder / "versions").glob("barometer-*.duckdb"))
    assert len(versions) == 1 and digest(versions[0]) == digest(folder / "barometer.duckdb")


def test_every_request_stays_within_the_documented_limits(built_once: tuple, db: Query) -> None:
    folder, records, lines = built_once
    # (A request an earlier test held with a timeout fault may finish during this refresh: it
    # carries its fault and is not this refresh's.)
    records = [r for r in records if r.fault is None]
    data = [r for r in records if r.endpoint == "data"]
    assert data and all(r.status == 200 for r in records)
    assert all(r.cells is not None and r.cells <= CELL_LIMITS[r.provider] for r in data)
    # The database keeps each request's cells as the provider counts them, as the log does
    # (the log may hold a request twice: a slow answer on a busy machine is asked again).
    # A table loaded twice is stored under its name (FOLK1E_MEN_15_29) and asked for by its id.
    # IMDi's one download per file is its metadata and its data: its rows are its cells.
    asked_as = {spec.key: spec.table for spec in load_sources()}
    stored = db("SELECT table_id, provider_cells FROM provenance ORDER BY table_id")
    stored = [(asked_as[t], c) for t, c in stored]
    downloads = [r for r in records if r.provider == "imdi"]
    logged = {(r.table, r.cells) for r in data + downloads}
    assert set(stored) <= logged and {t for t, _ in stored} == {t for t, _ in logged}
    # IMDi's files are downloaded when their metadata is read, before any data, and not again
    # (a slow answer may be asked for twice).
    assert {r.table for r in downloads} == {s.table for s in load_sources() if s.provider == "imdi"}
    assert all(records.index(r) < records.index(data[0]) for r in downloads)
    assert all(r.status == 200 for r in downloads)
    folk = [c for t, c in db("SELECT table_id, provider_cells FROM provenance") if t == "FOLK1E"]
    assert len(folk) == 8 and max(folk) == 945_000
    assert "  request 1/8: 945,000 cells (189,000 rows x 5 fields) of 1,000,000" in lines
    # Metadata first, for every table, in both languages; data only after all of it.
    first_data = records.index(data[0])
    assert {
        (r.table, r.query.get("lang", [None])[0] if r.provider == "ssb" else r.body["lang"])
        for r in records[:first_data]
        if r.provider in ("dst", "ssb")
    } >= {("FOLK1E", "da"), ("11607", "no"), ("11607", "en")}
    assert {r.table for r in records[:first_data] if r.provider == "fhi"} == {"583"}


def test_labels_titles_and_notes_in_both_languages(db: Query) -> None:
    langs = dict(
        db(
            "SELECT provider, list(DISTINCT lang ORDER BY lang) FROM "
            "table_labels GROUP BY provider",
        )
    )
    assert langs == {"dst": ["da", "en"], "ssb": ["en", "nb"], "fhi": ["nb"], "imdi": ["nb"]}
    titles = db("SELECT lang, title FROM source_titles WHERE table_id = '11607'")
    assert dict(titles)["nb"].startswith("11607: Sysselsatte (registerbasert)")
    group = dict(
        db(
            "SELECT lang, label FROM table_labels WHERE table_id = '09817' "
            "AND code = 'landgruppe2'",
        )
    )
    assert group == {
        "en": "Country group 2 (sum of single countries)",
        "nb": "Landgruppe 2 (sum av enkeltland)",
    }
    notes = db("SELECT note FROM source_notes WHERE table_id = 'FOLK1E' AND lang = 'da'")
    assert ("Simulated footnote: figures are invented demo data.",) in notes
    # A free-text note on a cell that has a value is kept, and the cell is not missing.
    ((value, status, note),) = db(
        "SELECT value, status, note FROM raw_ssb_11607 WHERE region = '0' AND tid = '2015' "
        "AND landbakgrunn = 'abc'",
    )
    assert value == pytest.approx(63.7) and status is None and note.startswith("Break in")


def test_the_national_cells_are_loaded_for_every_table(db: Query) -> None:
    for spec in load_sources():
        if spec.source.level == "k":
            continue  # IMDi's municipal files have no row for the whole country
        geo = "region" if spec.provider != "dst" else "omraade"
        geo = "bopomr" if spec.table == "LIGEUB1" else geo
        national = {"dst": "000"}.get(spec.provider, "0")
        (count,) = db(
            f'SELECT count(*) FROM "{spec.raw_table}" WHERE {geo} = ?',  # noqa: S608
            [national],
        )[0]
        assert count > 0, spec.table


def test_norway_compares_country_group_2_with_the_population_excluding_immigrants(
    db: Query,
) -> None:
    labels = dict(
        db(
            "SELECT code, label FROM table_labels WHERE table_id = '11607' "
            "AND variable = 'Landbakgrunn' AND lang = 'nb'",
        )
    )
    assert labels["abc"] == "Befolkningen eksklusive innvandrere"
    assert labels["eee"].startswith("Europa utenom EU/EFTA og Storbritannia, Afrika, Asia")
    rows = db(
        "SELECT v.target_rate, v.comparison_rate, e.value, a.value FROM indicator_values v "
        "JOIN raw_ssb_11607 e ON e.region = v.area AND e.tid = v.period AND e.landbakgrunn = 'eee' "
        "JOIN raw_ssb_11607 a ON a.region = v.area AND a.tid = v.period AND a.landbakgrunn = 'abc' "
        "WHERE v.indicator = 'employment_gap' AND v.country = 'NO' AND v.area = '0301'",
    )
    assert len(rows) == 16  # 2010-2025: Oslo's code never changed
    for target, comparison, eee, abc in rows:
        assert target == pytest.approx(eee / 100) and comparison == pytest.approx(abc / 100)


def test_country_group_2_keeps_immigrants_and_born_here_apart(db: Query) -> None:
    got = dict(
        db(
            "SELECT innvandrkat, value FROM raw_ssb_09817 WHERE region = '0301' "
            "AND tid = '2024' AND landbakgrunn = 'landgruppe2'",
        )
    )
    assert set(got) == {"B", "C"} and got["B"] > got["C"] > 0
    (landbakgrunn,) = db("SELECT list(DISTINCT landbakgrunn) FROM raw_ssb_09817")[0]
    assert landbakgrunn == ["landgruppe2"]


def test_earlier_municipality_codes_are_under_todays(db: Query) -> None:
    regions = {r for (r,) in db("SELECT DISTINCT region FROM raw_ssb_07459")}
    assert "3001" not in regions and "0101" not in regions and "3101" in regions
    halden = dict(db("SELECT tid, value FROM raw_ssb_07459 WHERE region = '3101'"))
    assert len(halden) == 17 and all(v > 0 for v in halden.values())  # 2010-2026, renamed twice
    alesund = {t for (t,) in db("SELECT tid FROM raw_ssb_07459 WHERE region = '1508'")}
    assert alesund == {"2024", "2025", "2026"}  # split from 1507 in 2024: no earlier series
    stavanger = {t for (t,) in db("SELECT tid FROM raw_ssb_11607 WHERE region = '1103'")}
    assert min(stavanger) == "2020"  # rates of a merger cannot be combined
    breaks = db(
        "SELECT code, comparable_from, kind, counts_summed FROM "
        "municipality_breaks WHERE code IN ('1508', '1103') ORDER BY code",
    )
    assert breaks == [("1103", "2020", "merge", True), ("1508", "2024", "split", False)]
    (changes,) = db("SELECT count(*) FROM municipality_changes")[0]
    assert changes == 516


# --- failures that must leave the database as it was -----------------------------------------


def test_a_failing_table_leaves_the_database_untouched(
    good_database: Path, simulator: Simulator
) -> None:
    path = good_database / "barometer.duckdb"
    before = digest(path)
    simulator.inject("http500", table="FOLK1E", times=None)
    try:
        with pytest.raises(LoadError) as caught:
            refresh(replace(fast_settings(good_database, simulator), retries=0), progress=print)
    finally:
        simulator.clear_faults()
    assert "DST table FOLK1E" in str(caught.value) and "HTTP 500" in str(caught.value)
    assert "URL:" in str(caught.value)
    assert digest(path) == before
    assert [p.name for p in good_database.iterdir() if p.name.endswith(".tmp")] == []


def test_cli_refresh_failure_exits_non_zero(
    good_database: Path, simulator: Simulator, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    from cli import main

    path = good_database / "barometer.duckdb"
    before = digest(path)
    monkeypatch.setenv("BAROMETER_DATA_DIR", str(good_database))
    monkeypatch.setenv("BAROMETER_DST_URL", simulator.dst_base)
    monkeypatch.setenv("BAROMETER_SSB_URL", simulator.ssb_base)
    monkeypatch.setenv("BAROMETER_RETRIES", "0")
    simulator.inject("http500", table="07459", endpoint="metadata", times=None)
    try:
        code = main(["refresh"])
    finally:
        simulator.clear_faults()
    assert code != 0
    assert "SSB table 07459: metadata: HTTP 500" in capsys.readouterr().err
    assert digest(path) == before


def test_an_unknown_code_in_sources_names_the_closest_before_any_data(
    tmp_path: Path, simulator: Simulator
) -> None:
    folk = next(s for s in load_sources() if s.table == "FOLK1E")
    entry = folk.source.model_dump(exclude_defaults=True)
    entry["variables"]["HERKOMST"]["codes"]["26"] = {"en": "Immigrants"}
    broken = TableSpec(SourceSpec.model_validate(entry))
    with pytest.raises(BarometerError) as caught:
        refresh(fast_settings(tmp_path, simulator), progress=lambda _: None, specs=[broken])
    text = str(caught.value)
    assert "DST FOLK1E HERKOMST 26: code not in the table; closest:" in text
    assert "25 (Immigrants from non-western countries)" in text
    assert not (tmp_path / "barometer.duckdb").exists()


# --- one table through fetch_table: faults, retries, refusals -----------------------------------


@pytest.fixture(scope="module")
def ky038(simulator: Simulator) -> Iterator[tuple[TableSpec, Endpoint, object]]:
    """KY038 (one request of 25,056 cells), an endpoint with quick retries, its metadata."""
    spec = next(s for s in load_sources() if s.table == "KY038")
    settings = replace(fast_settings(Path("unused"), simulator), retries=1, read_timeout=0.5)
    endpoint = make_endpoints(settings)["dst"]
    yield spec, endpoint, read_metadata(spec, endpoint)


def test_a_transient_fault_is_retried(simulator: Simulator, ky038: tuple) -> None:
    spec, endpoint, meta = ky038
    simulator.inject("http503", table="KY038", times=1)
    try:
        table = fetch_table(spec, meta, endpoint)
    finally:
        simulator.clear_faults()
    assert len(table.frame) == 116 * 2 * 18


def frame_of(table) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    columns = list(table.frame.columns)
    return table.frame.sort_values(columns[:-3]).reset_index(drop=True)


@pytest.mark.parametrize(("provider", "table"), [("dst", "KY038"), ("ssb", "11607")])
def test_a_request_refused_as_too_large_is_asked_again_in_halves(
    simulator: Simulator, provider: str, table: str
) -> None:
    spec = next(s for s in load_sources() if s.table == table)
    settings = fast_settings(Path("unused"), simulator)
    normal_endpoint = make_endpoints(settings)[provider]
    meta = read_metadata(spec, normal_endpoint)
    expected = fetch_table(spec, meta, normal_endpoint)
    # A provider stricter than its documentation: our plan's one request is refused.
    with start_simulator(dst_cell_limit=10_000, ssb_cell_limit=10_000) as strict:
        strict_settings = fast_settings(Path("unused"), strict)
        endpoint = make_endpoints(strict_settings)[provider]
        lines: list[str] = []
        got = fetch_table(spec, meta, endpoint, progress=lines.append)
        statuses = [r.status for r in strict.requests]
    assert statuses[0] == 400 and statuses.count(200) == len(got.provenance) >= 2
    assert any("refused as too large" in line for line in lines)
    assert all(p.provider_cells <= 10_000 for p in got.provenance)
    pd.testing.assert_frame_equal(frame_of(got), frame_of(expected))
