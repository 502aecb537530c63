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

        replacement = tmp_path / ".new.tmp"
        shutil.copy(demo_data_dir / "barometer.duckdb", replacement)
        con = duckdb.connect(str(replacement))
        con.execute("UPDATE build_info SET value = 'live' WHERE key = 'source'")
        con.close()
        os.replace(replacement, live)

        assert get_data_status().source == "live"
    finally:
        queries.db.close()


def test_missing_database_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BAROMETER_DATA_DIR", str(tmp_path))
    with pytest.raises(DatabaseMissing, match="barometer refresh"):
        get_data_status()
