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
import logging
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from errors import DatabaseMissing, DatabaseUnreadable, PinnedVersionUnreadable
from loaders.store import SCHEMA_VERSION
from settings import Settings

log = logging.getLogger(__name__)
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
            _close(_state["con"])  # first: DuckDB would hand the old file's instance back
            _state.update(identity=None, con=None)  # stays so if the new file is unreadable
            _state.update(identity=identity, con=open_readable(identity[0]))
        return _state["con"].cursor()


def open_readable(path: str, pinned: bool = False) -> duckdb.DuckDBPyConnection:
    """A read-only connection to a database this version of the Barometer can read.

    A file built by another version (its build_info names another schema_version, or none)
    would fail later on some query with DuckDB's own message about a missing column or table;
    a file that is not a DuckDB database fails to open. Both end here in DatabaseUnreadable,
    whose message says to rebuild (PinnedVersionUnreadable for a kept version: `pinned`).
    """
    unreadable = PinnedVersionUnreadable if pinned else DatabaseUnreadable
    try:
        con = duckdb.connect(path, read_only=True)
    except duckdb.IOException as exc:
        if not os.path.exists(path):
            raise DatabaseMissing(path) from None
        raise unreadable(path, str(exc)) from None
    try:
        rows = con.execute(
            "SELECT value FROM build_info WHERE key = ?", ["schema_version"]
        ).fetchall()
    except duckdb.CatalogException:
        rows = []  # no build_info table: not a database the Barometer built
    found = rows[0][0] if rows else None
    if found != SCHEMA_VERSION:
        _close(con)
        raise unreadable(
            path, f"schema {found or 'unknown'}; this version reads schema {SCHEMA_VERSION}"
        )
    return con


def _snapshot_connection(identity: tuple[str, int, int]) -> duckdb.DuckDBPyConnection:
    known = _snapshots.get(identity[0])
    if known is None or known[0] != identity:
        _close(known[1] if known else None)
        _snapshots.pop(identity[0], None)
        _snapshots[identity[0]] = (identity, open_readable(identity[0], pinned=True))
    return _snapshots[identity[0]][1]


def _close(con: duckdb.DuckDBPyConnection | None) -> None:
    """Close a connection, waiting for reads still running on its cursors in other threads.

    DuckDB refuses to close a connection whose cursor is mid-query (it raises instead of
    waiting), and while any connection to a path stays open, connecting to the same path again
    hands back the same database instance: the file a swap has just replaced. So the old
    connection must really be closed before the new file is opened. Reads take milliseconds;
    new reads wait on the lock meanwhile. After a minute the connection is left to be freed
    with its last cursor and the fact is logged.
    """
    if con is None:
        return
    deadline = time.monotonic() + 60
    while True:
        try:
            con.close()
            return
        except duckdb.Error:
            if time.monotonic() > deadline:
                log.warning("a database connection stayed busy for a minute; left open")
                return
            time.sleep(0.01)


def _close_gone_snapshots() -> None:
    """Close the connections of snapshot files pruned meanwhile (they hold the disk space)."""
    for path, (identity, con) in list(_snapshots.items()):
        try:
            stat = os.stat(path)
            current = (path, stat.st_ino, stat.st_mtime_ns)
        except FileNotFoundError:
            current = None
        if current != identity:
            del _snapshots[path]
            _close(con)


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
        _close(_state["con"])
        _state.update(identity=None, con=None)
        for _identity, con in _snapshots.values():
            _close(con)
        _snapshots.clear()


atexit.register(close)
