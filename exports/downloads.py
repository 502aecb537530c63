"""Download files for policymakers, made once per snapshot (served at `/files/<snapshot>/<name>`
by serving/downloads.py).

`<snapshot>` is `latest`, a pin label or a version id; `<name>` is `all` or an indicator id,
then `.zip` (the data package), `-spreadsheet.zip` (for Danish/Norwegian spreadsheets) or
`.xlsx`. A link naming a version id never changes what it serves: the stable link to cite.

A file is made once (exports/run.py), written whole into
`<data folder>/exports/<version id>-<software version>/` and served from there afterwards,
with its SHA-256 beside it (the download page shows it): in the background as soon as the
download page is first shown for a snapshot (`prepare`), or at its first request, whichever
comes first. Pruning a version removes its folder (loaders/snapshots.py).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import logging
import multiprocessing
import os
import re
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from exports.files import write_file
from exports.run import ExportRequest, export_bytes
from indicators.registry import get_indicator, list_indicators
from queries.snapshots import Snapshot, find_snapshot
from settings import Settings

ROUTE = "/files"
EXPORT_ROUTE = "/export"  # one export made at the request (serving/downloads.py)
_NAME = re.compile(r"^(?P<what>[a-z0-9_]+)(?P<sheet>-spreadsheet)?\.(?P<ext>zip|xlsx)$")
_locks: dict[Path, threading.Lock] = {}
_locks_guard = threading.Lock()
log = logging.getLogger(__name__)


class FileInfo(NamedTuple):
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


@dataclass(frozen=True)
class Shelf:
    """Where one snapshot's files are kept, with the snapshot fixed to its version file.

    The latest data is read from its version file (a hard link of the live database): a
    refresh swapping in newer data while the files are made must not put those in this
    version's folder. One folder per version and software version.
    """

    snapshot: Snapshot
    folder: Path

    def path(self, name: str) -> Path:
        return self.folder / name


def shelf(snapshot: Snapshot) -> Shelf:
    """The shelf of a snapshot (`latest` included), resolved now, once."""
    if snapshot.is_latest and snapshot.id:
        snapshot = find_snapshot(snapshot.id) or snapshot
    version = importlib.metadata.version("integration-barometer")
    folder = Settings.from_env().data_dir / "exports" / f"{snapshot.id or 'live'}-{version}"
    return Shelf(snapshot, folder)


def made(place: Shelf, name: str) -> FileInfo | None:
    """The file if it has been made already (for the download page), else None."""
    path = place.path(name)
    checksum = path.with_name(path.name + ".sha256")
    if not path.exists() or not checksum.exists():
        return None
    return FileInfo(path, path.stat().st_size, checksum.read_text("utf-8").strip())


def make(place: Shelf, name: str, request: ExportRequest) -> FileInfo:
    """The file, made now if it was not (one maker per file; others wait for it)."""
    path = place.path(name)
    with _locks_guard:
        lock = _locks.setdefault(path, threading.Lock())
    with lock:
        found = made(place, name)
        if found is not None:
            return found
        data = export_bytes(request, place.snapshot)[0]
        digest = hashlib.sha256(data).hexdigest()
        write_file(path, lambda: data)
        write_file(path.with_name(path.name + ".sha256"), lambda: (digest + "\n").encode())
        return FileInfo(path, len(data), digest)


def catalogue_names() -> list[str]:
    """Every file of the catalogue: all indicators at once, then each indicator."""
    return [
        name for what in ["all", *(i.id for i in list_indicators())] for name in file_names(what)
    ]


_preparing: set[Path] = set()


def prepare(place: Shelf) -> bool:
    """Start making the catalogue files not made yet, one after another in a child process
    watched by a background thread (once per process and folder; one process at a time where
    the system has file locks);
    True while some are still to be made.

    The download page calls it, so the files, their sizes and checksums are ready moments
    after the first reader looks, and every download afterwards is served at once.
    """
    missing = [name for name in catalogue_names() if made(place, name) is None]
    if not missing:
        return False
    with _locks_guard:
        if place.folder in _preparing:
            return True
        _preparing.add(place.folder)
    worker = threading.Thread(
        target=_prepare, args=(place, missing), name="prepare-downloads", daemon=True
    )
    worker.start()
    return True


def _prepare(place: Shelf, names: list[str]) -> None:
    """Make the files in a child process and wait for it (this runs in a background thread).

    Making the catalogue (the workbook of all indicators alone is about 8 MB of openpyxl work)
    grew a serving worker's memory for good: 672 MB against about 240 MB for the others in the
    load benchmark. A child gives its memory back when it ends, and runs at a lower priority
    than the answers to readers. "spawn" starts a fresh interpreter: forking a worker that has
    threads and open database connections is not safe.
    """
    try:
        child = multiprocessing.get_context("spawn").Process(
            target=_make_files, args=(place, names), name="prepare-downloads", daemon=True
        )
        child.start()
        child.join()
        if child.exitcode:
            log.warning(
                "preparing the download files of %s ended with exit code %s",
                place.snapshot.name,
                child.exitcode,
            )
    except Exception:  # the file is made at its first download instead, failing there loudly
        log.warning(
            "preparing the download files of %s stopped", place.snapshot.name, exc_info=True
        )
    finally:
        with _locks_guard:
            _preparing.discard(place.folder)


def _make_files(place: Shelf, names: list[str]) -> None:
    """In the child: each file not made yet, one after another (one process per folder)."""
    if hasattr(os, "nice"):
        os.nice(10)
    try:
        place.folder.mkdir(parents=True, exist_ok=True)
        with _only_process(place.folder / ".preparing.lock") as mine:
            for name in names if mine else []:
                request = parse_name(name)
                if request is not None:
                    make(place, name, request)
    except Exception:  # the file is made at its first download instead, failing there loudly
        log.warning(
            "preparing the download files of %s stopped", place.snapshot.name, exc_info=True
        )


@contextmanager
def _only_process(path: Path) -> Iterator[bool]:
    """Whether this process holds the lock file (another may be preparing the same folder)."""
    if sys.platform == "win32":  # waitress serves from one process: the thread guard suffices
        yield True
        return
    import fcntl

    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            mine = True
        except BlockingIOError:
            mine = False
        try:
            yield mine
        finally:
            if mine:
                fcntl.flock(handle, fcntl.LOCK_UN)
