"""Write a new DuckDB database from loaded tables and swap it in atomically.

A database is built under a temporary name beside the live one, checked, and only then moved
over it with os.replace, which is atomic on one file system: readers see the old file or the
new one, never half of either. Each successful build is also kept under data/versions/ (a hard
link, so no extra space) so that earlier versions stay addressable.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from errors import BarometerError
from loaders.fetch import LoadedTable
from loaders.municipalities import list_municipalities

SCHEMA_VERSION = "2"

SCHEMA = """
CREATE TABLE municipalities (
    country VARCHAR NOT NULL, code VARCHAR NOT NULL, name VARCHAR NOT NULL,
    region_code VARCHAR NOT NULL, region_name VARCHAR NOT NULL, PRIMARY KEY (country, code));
CREATE TABLE provenance (
    provider VARCHAR NOT NULL, table_id VARCHAR NOT NULL, part INTEGER NOT NULL,
    url VARCHAR NOT NULL, request VARCHAR NOT NULL, retrieved_at TIMESTAMP NOT NULL, -- UTC
    provider_updated VARCHAR, cells BIGINT NOT NULL,
    provider_cells BIGINT NOT NULL); -- the request's cells as the provider counts them
CREATE TABLE source_tables (
    provider VARCHAR NOT NULL, table_id VARCHAR NOT NULL, raw_table VARCHAR NOT NULL,
    title VARCHAR, provider_updated VARCHAR, cells BIGINT NOT NULL);
CREATE TABLE table_labels (  -- lang: 'en' and 'da' (Statistics Denmark) or 'nb' (Norway)
    provider VARCHAR NOT NULL, table_id VARCHAR NOT NULL, variable VARCHAR NOT NULL,
    code VARCHAR NOT NULL, lang VARCHAR NOT NULL, label VARCHAR NOT NULL);
CREATE TABLE source_titles (
    provider VARCHAR NOT NULL, table_id VARCHAR NOT NULL, lang VARCHAR NOT NULL,
    title VARCHAR NOT NULL);
CREATE TABLE source_notes (
    provider VARCHAR NOT NULL, table_id VARCHAR NOT NULL, lang VARCHAR NOT NULL,
    note VARCHAR NOT NULL);
CREATE TABLE source_codelists (
    provider VARCHAR NOT NULL, table_id VARCHAR NOT NULL, variable VARCHAR NOT NULL,
    codelist VARCHAR NOT NULL, label VARCHAR, type VARCHAR);
CREATE TABLE municipality_changes (
    country VARCHAR NOT NULL, old_code VARCHAR NOT NULL, old_name VARCHAR,
    new_code VARCHAR NOT NULL, new_name VARCHAR, change_from INTEGER NOT NULL,
    kind VARCHAR NOT NULL, source VARCHAR);
CREATE TABLE municipality_breaks (
    country VARCHAR NOT NULL, code VARCHAR NOT NULL, comparable_from VARCHAR NOT NULL,
    kind VARCHAR NOT NULL, counts_summed BOOLEAN NOT NULL, reason VARCHAR NOT NULL);
CREATE TABLE build_info (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);
"""


def build_database(
    path: Path,
    tables: list[LoadedTable],
    source: str,
    compute: Callable[[duckdb.DuckDBPyConnection], None],
    details: dict[str, str] | None = None,
) -> None:
    """Create a complete database at `path` (which must not exist yet)."""
    con = duckdb.connect(str(path))
    try:
        con.execute(SCHEMA)
        con.executemany(
            "INSERT INTO municipalities VALUES (?, ?, ?, ?, ?)",
            [
                (m.country, m.code, m.name, m.region_code, m.region_name)
                for m in list_municipalities()
            ],
        )
        for loaded in tables:
            _store_table(con, loaded)
        _store_reforms(con)
        info = {
            "source": source,
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "schema_version": SCHEMA_VERSION,
            **(details or {}),
        }
        con.executemany("INSERT INTO build_info VALUES (?, ?)", list(info.items()))
        compute(con)
        con.execute("CHECKPOINT")
    finally:
        con.close()


def _store_table(con: duckdb.DuckDBPyConnection, loaded: LoadedTable) -> None:
    spec, frame = loaded.spec, loaded.frame
    # The name comes from sources.yml (provider + table id), never from user input.
    con.register("incoming", frame)
    con.execute(f'CREATE TABLE "{spec.raw_table}" AS SELECT * FROM incoming')  # noqa: S608
    con.unregister("incoming")
    con.executemany(
        "INSERT INTO provenance VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                p.provider,
                p.table,
                n,
                p.url,
                p.request,
                p.retrieved_at.astimezone(UTC).replace(tzinfo=None),
                p.provider_updated,
                p.cells,
                p.provider_cells,
            )
            for n, p in enumerate(loaded.provenance, start=1)
        ],
    )
    # A table loaded twice (sources.yml `name`) is stored under its name, so that its requests,
    # labels and notes stay apart from the first load's.
    con.execute(
        "INSERT INTO source_tables VALUES (?, ?, ?, ?, ?, ?)",
        [
            spec.provider,
            spec.key,
            spec.raw_table,
            loaded.meta.title or spec.title,
            loaded.meta.updated or loaded.provenance[0].provider_updated,
            len(frame),
        ],
    )
    meta = loaded.meta
    labels = [
        (spec.provider, spec.key, variable, code, lang, label)
        for lang, by_variable in meta.labels.items()
        for variable, values in by_variable.items()
        if variable in spec.variables
        for code, label in values.items()
    ]
    for variable, wanted in spec.variables.items():
        if wanted.country_group is not None:  # the code the loader adds
            group = wanted.country_group
            labels += [
                (spec.provider, spec.key, variable, group.code, lang, text)
                for lang, text in group.label.items()
            ]
    _insert(con, "table_labels", labels)
    _insert(
        con,
        "source_titles",
        [(spec.provider, spec.key, lang, title) for lang, title in meta.titles.items()],
    )
    _insert(
        con,
        "source_notes",
        [
            (spec.provider, spec.key, lang, note)
            for lang, notes in meta.notes.items()
            for note in notes
        ],
    )
    _insert(
        con,
        "source_codelists",
        [
            (spec.provider, spec.key, var.code, *codelist)
            for var in meta.variables.values()
            for codelist in var.codelists
        ],
    )


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[tuple]) -> None:
    """Insert rows into one of our own tables (the name is a constant of this module).

    Through a DataFrame: DuckDB's executemany costs a quarter of a millisecond per row.
    """
    if rows:
        columns = [row[0] for row in con.execute(f"DESCRIBE {table}").fetchall()]
        incoming = pd.DataFrame(rows, columns=columns)
        con.register("incoming_rows", incoming)
        con.execute(f"INSERT INTO {table} SELECT * FROM incoming_rows")  # noqa: S608
        con.unregister("incoming_rows")


def _store_reforms(con: duckdb.DuckDBPyConnection) -> None:
    """Norway's municipality changes and the breaks they leave in today's series."""
    from loaders import norway

    _insert(
        con,
        "municipality_changes",
        [
            ("NO", c.old_code, c.old_name, c.new_code, c.new_name, c.year, c.kind, c.source)
            for c in norway.list_changes()
        ],
    )
    _insert(
        con,
        "municipality_breaks",
        [
            ("NO", b.code, str(b.comparable_from), b.kind, b.counts_summed, b.reason)
            for b in norway.list_breaks()
        ],
    )


def check_database(path: Path) -> dict[str, str]:
    """Open a built database read-only and check it is complete; return its build info."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        info = dict(con.execute("SELECT key, value FROM build_info").fetchall())
        (values,) = con.execute("SELECT count(*) FROM indicator_values").fetchone() or (0,)
    finally:
        con.close()
    if info.get("schema_version") != SCHEMA_VERSION or not values:
        raise BarometerError(f"the new database {path.name} is incomplete; nothing was replaced")
    return info


def new_build_path(target: Path) -> Path:
    """A fresh temporary name beside the target, on the same file system."""
    target.parent.mkdir(parents=True, exist_ok=True)
    return target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")


def swap_in(built: Path, target: Path, versions_dir: Path) -> Path:
    """Keep `built` as a new version, then atomically make it the live database.

    Everything that writes (the version copy, the manifest) happens before the rename, so a
    full disk fails while the old database is still live, and leaves nothing behind.
    """
    versions_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    version = versions_dir / f"barometer-{stamp}.duckdb"
    manifest = versions_dir / "current.json"
    manifest_tmp = manifest.with_suffix(".tmp")
    try:
        try:
            os.link(built, version)
        except OSError:
            shutil.copyfile(built, version)  # a file system without hard links
        payload = {"current": version.name, "live": str(target)}
        manifest_tmp.write_text(json.dumps(payload, indent=2), encoding="utf-8")
    except BaseException:
        for partial in (version, manifest_tmp):
            with contextlib.suppress(FileNotFoundError):
                partial.unlink()
        raise
    os.replace(built, target)
    os.replace(manifest_tmp, manifest)  # a rename: needs no space
    return version


def discard(path: Path) -> None:
    """Remove a half-built database (and its write-ahead log) if present."""
    for leftover in (path, path.with_name(path.name + ".wal")):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()


class WriteFailed(BarometerError):
    """The new database could not be written (full disk, permissions, I/O error)."""


def write_failed(target: Path, error: BaseException) -> WriteFailed:
    """The message for a failed write: what failed, that nothing changed, what to do."""
    reason = str(error).strip() or type(error).__name__
    needed = ""
    if target.exists():
        needed = f" (a build needs about {target.stat().st_size / 1e6:.0f} MB free there)"
    return WriteFailed(
        f"could not write the new database in {target.parent}: {reason}. "
        f"The live database {target.name} is unchanged and the partial build was removed; "
        f"free some space or fix the folder's permissions{needed}, then refresh again"
    )


def leftovers(target: Path) -> list[Path]:
    """Partial builds an interrupted refresh left beside the target (see new_build_path)."""
    folder = target.parent
    found = [*folder.glob(f".{target.name}.*.tmp"), *folder.glob(f".{target.name}.*.tmp.wal")]
    manifest_tmp = folder / "versions" / "current.tmp"
    if manifest_tmp.exists():
        found.append(manifest_tmp)
    return sorted(found)


def remove_leftovers(target: Path) -> list[Path]:
    """Delete what `leftovers` finds; call only while holding the refresh lock."""
    removed = []
    for path in leftovers(target):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            removed.append(path)
    return removed
