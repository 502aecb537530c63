"""The app's read-only connection follows an atomic swap of the database file."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest

import queries.db
from errors import DatabaseMissing
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
