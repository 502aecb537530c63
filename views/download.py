"""The download page: `/download?snapshot=&lang=`: the whole catalogue as citable files.

For the latest data or a pinned snapshot: every indicator, and all at once, as the data
package (zip), the package for spreadsheets and the workbook, with size and SHA-256 once a
file has been made, and a stable link naming the snapshot's version.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from exports.downloads import ROUTE, FileInfo, file_names, made
from indicators.registry import list_indicators
from locales import _
from queries.snapshots import Snapshot, list_pinned
from views.params import with_query
from views.problems import Problem
from views.snapshots import UnknownSnapshot, resolve_snapshot, unknown_snapshot

PATH = "/download"


@dataclass(frozen=True)
class FileLink:
    """One file on the page: what it holds, its address, its stable address, if made: size."""

    what: str
    kind: str
    href: str
    stable_href: str
    info: FileInfo | None


@dataclass(frozen=True)
class DownloadView:
    snapshot: Snapshot
    choices: list[Snapshot]
    files: list[FileLink]


def download_href(snapshot: str | None, lang: str) -> str:
    return with_query(PATH, {"snapshot": snapshot, "lang": lang if lang != "en" else None})


def file_href(snapshot: str, name: str) -> str:
    return f"{ROUTE}/{quote(snapshot, safe='')}/{name}"


def read_view(snapshot_name: str | None, lang: str) -> DownloadView | Problem:
    """The files of a snapshot (latest by default), or the closest snapshots."""
    try:
        snapshot = resolve_snapshot(snapshot_name)
    except UnknownSnapshot as exc:
        return unknown_snapshot(exc.name, lambda n: download_href(n, lang), lang)
    kinds = [
        _("Data package (CSV, zip)", lang),
        _("For spreadsheets (CSV, zip)", lang),
        _("Workbook (XLSX)", lang),
    ]
    name = "latest" if snapshot.is_latest else snapshot.name
    whats = [("all", _("All indicators", lang))] + [
        (i.id, i.title_in(lang)) for i in list_indicators()
    ]
    files = [
        FileLink(
            title,
            kind,
            file_href(name, file),
            file_href(snapshot.id, file) if snapshot.id else "",
            made(snapshot, file),
        )
        for what, title in whats
        for kind, file in zip(kinds, file_names(what), strict=True)
    ]
    return DownloadView(snapshot, list_pinned(), files)
