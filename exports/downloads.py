"""Download files for policymakers, made once per snapshot (served at `/files/<snapshot>/<name>`
by serving/downloads.py).

`<snapshot>` is `latest`, a pin label or a version id; `<name>` is `all` or an indicator id,
then `.zip` (the data package), `-spreadsheet.zip` (for Danish/Norwegian spreadsheets) or
`.xlsx`. A link naming a version id never changes what it serves: the stable link to cite.

A file is made at its first request (exports/run.py), written whole into
`<data folder>/exports/<version id>-<software version>/` and served from there afterwards,
with its SHA-256 beside it (the download page shows it).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from exports.files import write_file
from exports.run import ExportRequest, export_bytes
from indicators.registry import get_indicator
from queries.snapshots import Snapshot
from settings import Settings

ROUTE = "/files"
_NAME = re.compile(r"^(?P<what>[a-z0-9_]+)(?P<sheet>-spreadsheet)?\.(?P<ext>zip|xlsx)$")
_locks: dict[Path, threading.Lock] = {}
_locks_guard = threading.Lock()


@dataclass(frozen=True)
class FileInfo:
    """A download file that has been made: where, how big, its checksum."""

    path: Path
    size: int
    sha256: str


def file_names(indicator: str) -> list[str]:
    """The files made for `all` or an indicator id."""
    return [f"{indicator}.zip", f"{indicator}-spreadsheet.zip", f"{indicator}.xlsx"]


def parse_name(name: str) -> ExportRequest | None:
    """The export a file name stands for; None for a name we do not make."""
    match = _NAME.match(name)
    if match is None:
        return None
    what = match["what"]
    if what != "all" and get_indicator(what) is None:
        return None
    if match["ext"] == "xlsx" and match["sheet"]:
        return None
    fmt = "csv" if match["ext"] == "zip" else "xlsx"
    return ExportRequest(what, fmt, variant="spreadsheet" if match["sheet"] else "plain")


def cache_dir(snapshot: Snapshot) -> Path:
    """Where a snapshot's files are kept: one folder per version and software version."""
    version = importlib.metadata.version("integration-barometer")
    return Settings.from_env().data_dir / "exports" / f"{snapshot.id or 'live'}-{version}"


def made(snapshot: Snapshot, name: str) -> FileInfo | None:
    """The file if it has been made already (for the download page), else None."""
    path = cache_dir(snapshot) / name
    checksum = path.with_name(path.name + ".sha256")
    if not path.exists() or not checksum.exists():
        return None
    return FileInfo(path, path.stat().st_size, checksum.read_text("utf-8").strip())


def make(snapshot: Snapshot, name: str, request: ExportRequest) -> FileInfo:
    """The file, made now if it was not (one maker per file; others wait for it)."""
    path = cache_dir(snapshot) / name
    with _locks_guard:
        lock = _locks.setdefault(path, threading.Lock())
    with lock:
        found = made(snapshot, name)
        if found is not None:
            return found
        asked = ExportRequest(
            request.indicator,
            request.format,
            (),
            snapshot.name if not snapshot.is_latest else None,
            request.variant,
        )
        data = export_bytes(asked)[0]
        digest = hashlib.sha256(data).hexdigest()
        write_file(path, lambda: data)
        write_file(path.with_name(path.name + ".sha256"), lambda: (digest + "\n").encode())
        return FileInfo(path, len(data), digest)
