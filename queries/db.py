"""Read-only access to the live database, reopened when a refresh swaps in a new file.

The app never writes. A refresh replaces the file with os.replace; DuckDB keeps reading the
file it opened, so each read checks the file's identity (inode and modification time) and
reopens when it changed, closing the old connection first.
"""

from __future__ import annotations

import atexit
import os
import threading
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from errors import DatabaseMissing
from settings import Settings

_lock = threading.Lock()
_state: dict[str, Any] = {"identity": None, "con": None}


def database_path() -> Path:
    """Where the live database is, from the settings."""
    return Settings.from_env().database_path


def database_identity() -> tuple[str, int, int]:
    """The live database file's path, inode and modification time.

    A refresh swaps in a new file (a new inode), so this changes exactly when the data does:
    the connection below reopens on it, and read caches use it as part of their key.
    """
    path = database_path()
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        raise DatabaseMissing(path) from None
    return str(path), stat.st_ino, stat.st_mtime_ns


def connection() -> duckdb.DuckDBPyConnection:
    """A cursor on a read-only connection to the current database file."""
    identity = database_identity()
    with _lock:
        if _state["con"] is None or _state["identity"] != identity:
            if _state["con"] is not None:
                _state["con"].close()
            _state.update(identity=identity, con=duckdb.connect(identity[0], read_only=True))
        return _state["con"].cursor()


def read_frame(sql: str, params: list[Any] | None = None) -> pd.DataFrame:
    """Run a read query with bound parameters and return a DataFrame."""
    cursor = connection()
    try:
        return cursor.execute(sql, params or []).df()
    finally:
        cursor.close()


def close() -> None:
    """Close the cached connection (tests, shutdown)."""
    with _lock:
        if _state["con"] is not None:
            _state["con"].close()
        _state.update(identity=None, con=None)


atexit.register(close)
