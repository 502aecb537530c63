"""Download files for policymakers: `/files/<snapshot>/<name>`, made once per snapshot.

`<snapshot>` is `latest`, a pin label or a version id; `<name>` is `all` or an indicator id,
then `.zip` (the data package), `-spreadsheet.zip` (for Danish/Norwegian spreadsheets) or
`.xlsx`. A link naming a version id never changes what it serves: the stable link to cite.

A file is made at its first request (exports/run.py), written whole into
`<data folder>/exports/<version id>-<software version>/` and served from there afterwards,
with its SHA-256 beside it (the download page shows it). A bad request (unknown snapshot or
indicator, a name we do not make) is answered 404 with a sentence saying what exists; nothing
partial is ever served.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import logging
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import flask

from errors import BarometerError
from exports.files import write_file
from exports.run import MEDIA_TYPES, ExportRequest, export_bytes
from indicators.registry import get_indicator, list_indicators
from queries.snapshots import Snapshot
from settings import Settings

log = logging.getLogger(__name__)
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


def _answer(status: int, text: str) -> flask.Response:
    return flask.Response(text + "\n", status=status, mimetype="text/plain")


def serve_file(snapshot_name: str, name: str) -> flask.Response:
    """The route: the file, or a 404 saying what exists."""
    from views.snapshots import UnknownSnapshot, resolve_snapshot

    request = parse_name(name)
    if request is None:
        ids = ", ".join(["all", *(i.id for i in list_indicators())])
        return _answer(
            404,
            f"There is no file “{name}”. Files are <what>.zip (data package), "
            f"<what>-spreadsheet.zip or <what>.xlsx, where <what> is one of: {ids}.",
        )
    try:
        snapshot = resolve_snapshot(snapshot_name)
        info = make(snapshot, name, request)
    except UnknownSnapshot as exc:
        return _answer(404, str(exc))
    except BarometerError as exc:
        return _answer(400, str(exc))
    download = f"barometer-{snapshot.id or 'latest'}-{name}"
    response = flask.send_file(
        info.path,
        mimetype=MEDIA_TYPES[name.rsplit(".", 1)[1]],
        as_attachment=True,
        download_name=download,
        etag=info.sha256,
        conditional=True,
    )
    response.headers["X-Checksum-SHA256"] = info.sha256
    return response


def register(server: flask.Flask) -> None:
    """Add the route to the app's Flask server."""
    server.add_url_rule(f"{ROUTE}/<path:snapshot_name>/<name>", "barometer_files", serve_file)
