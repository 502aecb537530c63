"""Reading a snapshot: the kept versions listed with their build information, and any of them
opened read-only for the queries in this package.

    with reading_snapshot(snapshot):
        frame = get_values("employment_gap")   # read from that snapshot's file

`reading_snapshot` points every read in its block (in this thread or task) at the snapshot's
file; `latest` reads the live database as usual. Read caches key on the file's identity, so
two snapshots never share a cached read. The files themselves are listed by
loaders/snapshots.py; the names a reader may give (labels, ids) are resolved with suggestions
in views/snapshots.py.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from loaders import snapshots as files
from queries.db import reading
from settings import Settings


@dataclass(frozen=True)
class Snapshot:
    """A database that can be read: the live one (`latest`) or a kept version.

    `name` is what to call it in links and text: the first pin label, else the version id,
    `latest` for the live database. `path` is None for the live database.
    """

    name: str
    id: str
    path: Path | None
    labels: tuple[str, ...]
    live: bool
    size: int
    built_at: str
    source: str

    @property
    def is_latest(self) -> bool:
        return self.path is None

    @property
    def is_demo(self) -> bool:
        return self.source == "demo"


@functools.lru_cache(maxsize=256)
def _build_info(path: str, inode: int, mtime: int) -> tuple[str, str]:
    info = files.read_build_info(Path(path))
    return info.get("built_at", ""), info.get("source", "unknown")


def _describe(version: files.Version) -> Snapshot:
    stat = version.path.stat()
    built_at, source = _build_info(str(version.path), stat.st_ino, stat.st_mtime_ns)
    name = version.labels[0] if version.labels else version.id
    return Snapshot(
        name, version.id, version.path, version.labels, version.live, version.size, built_at, source
    )


def versions_dir() -> Path:
    return Settings.from_env().versions_dir


def list_snapshots() -> list[Snapshot]:
    """Every kept version, newest first (pinned ones by label), with build time and source."""
    return [_describe(v) for v in files.list_versions(versions_dir())]


def list_pinned() -> list[Snapshot]:
    """The pinned versions, newest first."""
    return [s for s in list_snapshots() if s.labels]


def latest_snapshot() -> Snapshot:
    """The live database as a snapshot (`latest`), with its version id when it has one."""
    settings = Settings.from_env()
    live = next((v for v in files.list_versions(settings.versions_dir) if v.live), None)
    from queries.about import get_build_info

    info = get_build_info()
    size = settings.database_path.stat().st_size
    return Snapshot(
        files.LATEST,
        live.id if live else "",
        None,
        live.labels if live else (),
        True,
        size,
        info.get("built_at", ""),
        info.get("source", "unknown"),
    )


def find_snapshot(name: str) -> Snapshot | None:
    """The snapshot a name means (`latest`, a pin label, a version id), or None."""
    if name.strip().casefold() == files.LATEST:
        return latest_snapshot()
    version = files.find_version(versions_dir(), name)
    return _describe(version) if version else None


def pins_identity() -> tuple[int, int] | None:
    """The pin file's identity (modification time, size): what a page that names the pinned
    snapshots depends on besides the database (serving/cache.py keys its answers by it)."""
    try:
        stat = (versions_dir() / files.PINS).stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


def snapshot_names() -> list[str]:
    """Every name a snapshot can be called by (for suggestions)."""
    return files.snapshot_names(versions_dir())


@contextmanager
def reading_snapshot(snapshot: Snapshot | None) -> Iterator[None]:
    """Read from `snapshot` inside the block (None or latest: the live database)."""
    if snapshot is None or snapshot.path is None:
        yield
        return
    with reading(snapshot.path):
        yield
