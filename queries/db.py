"""Read-only access to the live database, reopened when a refresh swaps in a new file.

The app never writes. A refresh replaces the file with os.replace; DuckDB keeps reading the
file it opened, so each read checks the file's identity (inode and modification time) and
reopens when it changed, closing the old connection first.

A kept snapshot (loaders/snapshots.py) is read the same way inside `with reading(path):`, which
points every read of its block (in this thread or asyncio task: a context variable) at that
file; each snapshot file has its own read-only connection, closed once its file is gone.
"""

from __future__ import annotations

import atexit
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from errors import DatabaseMissing
from settings import Settings

_lock = threading.Lock()
_state: dict[str, Any] = {"identity": None, "con": None}
# Snapshot files being read: path -> (identity, connection).
_snapshots: dict[str, tuple[tuple[str, int, int], duckdb.DuckDBPyConnection]] = {}
_reading: ContextVar[Path | None] = ContextVar("barometer_reading", default=None)


def database_path() -> Path:
    """Where the database being read is: the live one from the settings, or a snapshot's."""
    return _reading.get() or Settings.from_env().database_path


@contextmanager
def reading(path: Path) -> Iterator[None]:
    """Read from the database file at `path` (a kept snapshot) inside the block."""
    token = _reading.set(path)
    try:
        yield
    finally:
        _reading.reset(token)


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
        _close_gone_snapshots()
        if _reading.get() is not None:
            return _snapshot_connection(identity).cursor()
        if _state["con"] is None or _state["identity"] != identity:
            if _state["con"] is not None:
                _state["con"].close()
            _state.update(identity=identity, con=duckdb.connect(identity[0], read_only=True))
        return _state["con"].cursor()


def _snapshot_connection(identity: tuple[str, int, int]) -> duckdb.DuckDBPyConnection:
    known = _snapshots.get(identity[0])
    if known is None or known[0] != identity:
        if known is not None:
            known[1].close()
        _snapshots[identity[0]] = (identity, duckdb.connect(identity[0], read_only=True))
    return _snapshots[identity[0]][1]


def _close_gone_snapshots() -> None:
    """Close the connections of snapshot files pruned meanwhile (they hold the disk space)."""
    for path, (identity, con) in list(_snapshots.items()):
        try:
            stat = os.stat(path)
            current = (path, stat.st_ino, stat.st_mtime_ns)
        except FileNotFoundError:
            current = None
        if current != identity:
            con.close()
            del _snapshots[path]


def read_frame(sql: str, params: list[Any] | None = None) -> pd.DataFrame:
    """Run a read query with bound parameters and return a DataFrame."""
    cursor = connection()
    try:
        return cursor.execute(sql, params or []).df()
    finally:
        cursor.close()


def close() -> None:
    """Close the cached connections (tests, shutdown)."""
    with _lock:
        if _state["con"] is not None:
            _state["con"].close()
        _state.update(identity=None, con=None)
        for _identity, con in _snapshots.values():
            con.close()
        _snapshots.clear()


atexit.register(close)
