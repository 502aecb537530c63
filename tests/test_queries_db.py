"""The app's read-only connection follows an atomic swap of the database file."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest

import queries.db
from errors import DatabaseMissing, DatabaseUnreadable
from queries.values import get_data_status


def swap_in_a_live_copy(demo_data_dir: Path, live: Path) -> None:
    """Replace the database file as a refresh does: a new file, marked live, moved over it."""
    replacement = live.with_name(".new.tmp")
    shutil.copy(demo_data_dir / "barometer.duckdb", replacement)
    con = duckdb.connect(str(replacement))
    con.execute("UPDATE build_info SET value = 'live' WHERE key = 'source'")
    con.close()
    os.replace(replacement, live)


def test_reads_follow_a_swapped_database(
    demo_data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    live = tmp_path / "barometer.duckdb"
    shutil.copy(demo_data_dir / "barometer.duckdb", live)
    monkeypatch.setenv("BAROMETER_DATA_DIR", str(tmp_path))
    try:
        assert get_data_status().source == "demo"
        with pytest.raises(duckdb.Error):  # the app's connection is read-only
            queries.db.connection().execute("DELETE FROM build_info")

        swap_in_a_live_copy(demo_data_dir, live)

        assert get_data_status().source == "live"
    finally:
        queries.db.close()


def test_missing_database_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BAROMETER_DATA_DIR", str(tmp_path))
    with pytest.raises(DatabaseMissing, match="barometer refresh"):
        get_data_status()


def test_closing_while_another_thread_reads_leaves_reads_working(
    demo_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A swap (or shutdown) may close the connection while another request is mid-query: the
    close waits for it instead of failing, the running query finishes, and later reads get a
    fresh connection."""
    import threading
    import time

    monkeypatch.setenv("BAROMETER_DATA_DIR", str(demo_data_dir))
    answers: list[object] = []
    started = threading.Event()

    def slow_read() -> None:
        started.set()
        try:
            answers.append(queries.db.read_frame("SELECT sum(i) AS s FROM range(1000000000) t(i)"))
        except duckdb.Error as exc:
            answers.append(exc)

    reader = threading.Thread(target=slow_read)
    try:
        queries.db.read_frame("SELECT 1")  # the shared connection exists
        reader.start()
        started.wait()
        time.sleep(0.3)  # the query is running
        queries.db.close()  # must not raise, busy or not
        assert queries.db.read_frame("SELECT 42 AS x")["x"].iloc[0] == 42
        reader.join()
        assert len(answers) == 1 and not isinstance(answers[0], Exception), answers
    finally:
        reader.join()
        queries.db.close()


def test_a_swap_during_a_running_read_serves_the_new_file(
    demo_data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reopen after a swap waits for the running read, then opens the new file (not the old
    file's instance, which DuckDB hands back while a connection to the path stays open)."""
    import threading
    import time

    live = tmp_path / "barometer.duckdb"
    shutil.copy(demo_data_dir / "barometer.duckdb", live)
    monkeypatch.setenv("BAROMETER_DATA_DIR", str(tmp_path))
    started = threading.Event()

    def slow_read() -> None:
        started.set()
        queries.db.read_frame("SELECT sum(i) AS s FROM range(1000000000) t(i)")

    reader = threading.Thread(target=slow_read)
    try:
        assert get_data_status().source == "demo"
        reader.start()
        started.wait()
        time.sleep(0.3)  # the query is running
        swap_in_a_live_copy(demo_data_dir, live)
        assert get_data_status().source == "live"
    finally:
        reader.join()
        queries.db.close()


def built_by_an_older_version(demo_data_dir: Path, path: Path) -> None:
    """A copy of the demo database as an older version of the Barometer left it: another
    schema_version, and a column this version reads gone."""
    shutil.copy(demo_data_dir / "barometer.duckdb", path)
    con = duckdb.connect(str(path))
    con.execute("UPDATE build_info SET value = '1' WHERE key = 'schema_version'")
    con.execute("ALTER TABLE municipalities DROP COLUMN region_name")
    con.close()


def test_a_database_of_another_version_is_a_clear_error_until_one_is_swapped_in(
    demo_data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    live = tmp_path / "barometer.duckdb"
    built_by_an_older_version(demo_data_dir, live)
    monkeypatch.setenv("BAROMETER_DATA_DIR", str(tmp_path))
    try:
        with pytest.raises(DatabaseUnreadable, match="barometer refresh") as caught:
            get_data_status()
        assert "schema 1; this version reads schema 2" in str(caught.value)
        assert str(tmp_path) not in caught.value.describe("da")  # the reader gets no path
        assert caught.value.describe("da").startswith("Dataene er bygget af en anden version")
        swap_in_a_live_copy(demo_data_dir, live)  # what `barometer refresh` does
        assert get_data_status().source == "live"
    finally:
        queries.db.close()


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda path: path.write_bytes(b"not a database " * 1000), "not a valid DuckDB"),
        (lambda path: duckdb.connect(str(path)).close(), "schema unknown"),  # no build_info
    ],
    ids=["not-duckdb", "not-ours"],
)
def test_a_file_that_is_no_barometer_database_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make, reason: str
) -> None:
    make(tmp_path / "barometer.duckdb")
    monkeypatch.setenv("BAROMETER_DATA_DIR", str(tmp_path))
    try:
        with pytest.raises(DatabaseUnreadable, match=reason):
            get_data_status()
    finally:
        queries.db.close()


def test_a_page_over_a_database_of_another_version_says_to_rebuild(
    demo_data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app import app
    from serving.cache import answers
    from tests.dash_requests import router_body

    built_by_an_older_version(demo_data_dir, tmp_path / "barometer.duckdb")
    monkeypatch.setenv("BAROMETER_DATA_DIR", str(tmp_path))
    answers.clear()
    client = app.server.test_client()
    try:
        for page in ("/kommune/151", "/compare", "/trend", "/map", "/about"):
            layout = client.get("/_dash-layout", headers={"Referer": f"http://localhost{page}"})
            routed = client.post("/_dash-update-component", json=router_body(page, "?lang=nb"))
            for reply in (layout, routed):
                assert reply.status_code == 200, (page, reply.data[:300])
                text = reply.get_data(as_text=True)
                assert "barometer refresh" in text, page
                assert (
                    "Binder" not in text and "Traceback" not in text and str(tmp_path) not in text
                )
            assert "Dataene er bygget av en annen versjon" in routed.get_data(as_text=True)
    finally:
        queries.db.close()
        answers.clear()


def test_serve_rebuilds_a_database_it_cannot_read(
    demo_data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """`barometer serve` builds the database again (live first; here offline: the demo data),
    as it does when there is none."""
    from cli import ensure_database
    from settings import Settings

    live = tmp_path / "barometer.duckdb"
    built_by_an_older_version(demo_data_dir, live)
    monkeypatch.setenv("BAROMETER_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("BAROMETER_DST_URL", "http://127.0.0.1:9/")  # nothing listens there
    monkeypatch.setenv("BAROMETER_SSB_URL", "http://127.0.0.1:9/")
    monkeypatch.setenv("BAROMETER_FHI_URL", "http://127.0.0.1:9/")
    monkeypatch.setenv("BAROMETER_IMDI_URL", "http://127.0.0.1:9/")
    try:
        ensure_database(Settings.from_env())
        said = capsys.readouterr().out
        assert "cannot be read by this version (schema 1; this version reads schema 2)" in said
        assert "falling back to simulated demo data" in said
        assert get_data_status().source == "demo"
        ensure_database(Settings.from_env())  # readable now: left alone
        assert "trying" not in capsys.readouterr().out
    finally:
        queries.db.close()
