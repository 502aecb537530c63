"""Refresh against the simulator over real sockets: success, and every injected fault."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import duckdb
import pytest

from errors import BarometerError, LoadError
from loaders.refresh import refresh
from loaders.sources import load_sources
from tests.conftest import fast_settings


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def built_once(tmp_path_factory: pytest.TempPathFactory, simulator) -> Path:
    """A data folder with a complete database built from the simulator, built once."""
    folder = tmp_path_factory.mktemp("built")
    simulator.clear_faults()
    refresh(fast_settings(folder, simulator), source="demo", progress=lambda _: None)
    return folder


@pytest.fixture()
def good_database(tmp_path: Path, built_once: Path) -> Path:
    """A fresh copy of that data folder for one test."""
    shutil.copytree(built_once, tmp_path, dirs_exist_ok=True)
    return tmp_path


def test_refresh_builds_database_with_provenance(good_database: Path) -> None:
    path = good_database / "barometer.duckdb"
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = dict(con.execute("SELECT table_id, cells FROM source_tables").fetchall())
        assert set(tables) == {spec.table for spec in load_sources()}
        assert {"FOLK1E", "09817", "07459", "RAS201"} <= set(tables)
        row = con.execute(
            "SELECT provider, url, request, retrieved_at, provider_updated FROM provenance "
            "WHERE table_id = 'FOLK1E'"
        ).fetchone()
        assert row is not None
        provider, url, request, retrieved_at, updated = row
        assert provider == "dst" and url.endswith("/v1/data")
        assert '"FOLK1E"' in request and retrieved_at is not None and updated
        source = con.execute("SELECT value FROM build_info WHERE key = 'source'").fetchone()
        assert source == ("demo",)
    finally:
        con.close()
    versions = list((good_database / "versions").glob("barometer-*.duckdb"))
    assert len(versions) == 1
    assert digest(versions[0]) == digest(path)


FAULTS = [
    ("http500", {}, "HTTP 500"),
    ("http503", {}, "HTTP 503"),
    ("http429", {"retry_after": 0}, "HTTP 429"),
    ("timeout", {"seconds": 6}, "no answer within"),
    ("truncated", {}, "cut short"),
    ("invalid_json", {}, "not valid JSON-stat"),
    ("schema_drift", {}, "not in the table's metadata"),
]


@pytest.mark.parametrize(("kind", "options", "message"), FAULTS, ids=[f[0] for f in FAULTS])
@pytest.mark.parametrize("table", ["FOLK1E", "09817"])
def test_fault_leaves_old_database_untouched(
    good_database: Path, simulator, kind: str, options: dict, message: str, table: str
) -> None:
    path = good_database / "barometer.duckdb"
    before = digest(path)
    simulator.inject(kind, table=table, times=None, **options)
    try:
        with pytest.raises(LoadError) as caught:
            refresh(fast_settings(good_database, simulator), progress=lambda _: None)
    finally:
        simulator.clear_faults()
    assert message in str(caught.value)
    assert table in str(caught.value)
    assert "URL:" in str(caught.value)
    assert digest(path) == before
    leftovers = [p.name for p in good_database.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def test_transient_fault_is_retried(good_database: Path, simulator) -> None:
    simulator.inject("http503", table="FOLK1E", times=1)
    try:
        result = refresh(fast_settings(good_database, simulator), progress=lambda _: None)
    finally:
        simulator.clear_faults()
    assert result.tables == len(load_sources())


def test_cli_refresh_failure_exits_non_zero(
    good_database: Path, simulator, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    from cli import main

    path = good_database / "barometer.duckdb"
    before = digest(path)
    monkeypatch.setenv("BAROMETER_DATA_DIR", str(good_database))
    monkeypatch.setenv("BAROMETER_DST_URL", simulator.dst_base)
    monkeypatch.setenv("BAROMETER_SSB_URL", simulator.ssb_base)
    monkeypatch.setenv("BAROMETER_RETRIES", "0")
    simulator.inject("http500", table="07459", times=None)
    try:
        code = main(["refresh"])
    finally:
        simulator.clear_faults()
    assert code != 0
    assert "SSB table 07459" in capsys.readouterr().err
    assert digest(path) == before


def test_cell_limit_splits_requests(tmp_path: Path, simulator) -> None:
    from dataclasses import replace

    settings = replace(fast_settings(tmp_path, simulator), dst_cell_limit=5_000)
    result = refresh(settings, progress=lambda _: None)
    con = duckdb.connect(str(result.database), read_only=True)
    try:
        (parts,) = con.execute(
            "SELECT count(*) FROM provenance WHERE table_id = 'FOLK1E'"
        ).fetchone() or (0,)
        (cells,) = con.execute("SELECT count(*) FROM raw_dst_folk1e").fetchone() or (0,)
    finally:
        con.close()
    assert parts > 1
    assert cells > 5_000


def test_unknown_code_in_sources_names_closest(tmp_path: Path, simulator) -> None:
    specs = load_sources()
    folk = next(s for s in specs if s.table == "FOLK1E")
    broken = type(folk)(
        provider=folk.provider,
        table=folk.table,
        title=folk.title,
        variables={**folk.variables, "HERKOMST": ["26"]},
    )
    with pytest.raises(BarometerError) as caught:
        refresh(fast_settings(tmp_path, simulator), progress=lambda _: None, specs=[broken])
    text = str(caught.value)
    assert "'26'" in text and "closest" in text and "25 (" in text
    assert not (tmp_path / "barometer.duckdb").exists()


def test_unknown_code_in_a_definition_fails_before_writing(
    good_database: Path, simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dataclasses

    import indicators.registry as registry

    original = registry.list_indicators()
    share = next(i for i in original if i.id == "nonwestern_share")
    dk = share.countries["DK"]
    assert dk.target.numerator is not None
    broken_numerator = dataclasses.replace(
        dk.target.numerator, select={**dk.target.numerator.select, "HERKOMST": ["26", "35"]}
    )
    broken = dataclasses.replace(
        share,
        countries={
            **share.countries,
            "DK": dataclasses.replace(
                dk, target=dataclasses.replace(dk.target, numerator=broken_numerator)
            ),
        },
    )
    monkeypatch.setattr(registry, "list_indicators", lambda: (broken,))
    path = good_database / "barometer.duckdb"
    before = digest(path)
    with pytest.raises(LoadError) as caught:
        refresh(fast_settings(good_database, simulator), progress=lambda _: None)
    text = str(caught.value)
    assert "nonwestern_share DK target.numerator" in text
    assert "'26'" in text and "closest" in text and "25 (" in text
    assert digest(path) == before
