"""The download page: `/download?snapshot=&lang=`: the whole catalogue as citable files.

For the latest data or a pinned snapshot: every indicator, and all at once, as the data
package (zip), the package for spreadsheets and the workbook, with size and SHA-256 once a
file has been made, and a stable link naming the snapshot's version.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

from exports.downloads import EXPORT_ROUTE, ROUTE, FileInfo, Shelf, file_names, made, shelf
from indicators.registry import list_indicators
from locales import N_, _
from queries.snapshots import Snapshot, list_pinned
from views.params import with_query
from views.problems import Problem
from views.snapshots import UnknownSnapshot, resolve_snapshot, unknown_snapshot

PATH = "/download"


@dataclass(frozen=True)
class FileLink:
    """One file: its kind, its stable address (by version id), and once made its size and
    checksum."""

    kind: str
    name: str
    href: str
    info: FileInfo | None


@dataclass(frozen=True)
class CatalogueRow:
    """All indicators, or one: its files (data package, for spreadsheets, workbook)."""

    what: str
    title: str
    files: list[FileLink]


@dataclass(frozen=True)
class DownloadView:
    """A snapshot's catalogue, the snapshots to choose from, and the page's stable address."""

    snapshot: Snapshot
    choices: list[Snapshot]
    rows: list[CatalogueRow]
    stable_page: str
    shelf: Shelf  # where its files are kept

    @property
    def files(self) -> list[FileLink]:
        return [f for row in self.rows for f in row.files]


KINDS = (
    N_("Data package (CSV, zip)"),
    N_("For spreadsheets (CSV, zip)"),
    N_("Workbook (XLSX)"),
)


def download_href(snapshot: str | None, lang: str) -> str:
    return with_query(PATH, {"snapshot": snapshot, "lang": lang if lang != "en" else None})


def export_href(
    fmt: str,
    indicator: str,
    municipalities: Sequence[str],
    peers: str = "",
    since: str | None = None,
    lang: str = "en",
) -> str:
    """The address of one export made at the request (a chart image, a deck, a selection)."""
    query = {
        "format": fmt,
        "indicator": indicator,
        "municipalities": ",".join(municipalities),
        "peers": peers,
        "from": since,
        "lang": lang if lang != "en" else None,
    }
    return with_query(EXPORT_ROUTE, query, safe=",:~")


def file_href(snapshot: str, name: str) -> str:
    return f"{ROUTE}/{quote(snapshot, safe='')}/{name}"


def read_view(snapshot_name: str | None, lang: str) -> DownloadView | Problem:
    """The files of a snapshot (latest by default), or the closest snapshots.

    Each file is linked by the snapshot's version id, so a link cited today serves the same
    bytes tomorrow (`/files/latest/<name>` follows the newest data)."""
    try:
        snapshot = resolve_snapshot(snapshot_name)
    except UnknownSnapshot as exc:
        return unknown_snapshot(exc.name, lambda n: download_href(n, lang), lang)
    stable = snapshot.id or "latest"
    place = shelf(snapshot)
    whats = [("all", _("All indicators", lang))]
    whats += [(i.id, i.title_in(lang)) for i in list_indicators()]
    rows = [
        CatalogueRow(
            what,
            title,
            [
                FileLink(_(kind, lang), name, file_href(stable, name), made(place, name))
                for kind, name in zip(KINDS, file_names(what), strict=True)
            ],
        )
        for what, title in whats
    ]
    return DownloadView(snapshot, list_pinned(), rows, download_href(stable, lang), place)
