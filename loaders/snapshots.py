"""Snapshots: the versions every refresh keeps, pinned under a label, pruned to a few.

Every successful refresh keeps its database as a version under `<data>/versions/`
(loaders/store.py: `barometer-<UTC stamp>.duckdb`, a hard link of the live file, and
`current.json` naming the live one). A version pinned under a label ("Network meeting 2026-11")
stays until it is unpinned; of the others the newest `KEEP` are kept and older ones are removed
after each successful swap. The live version is never removed.

Pins are data beside the versions, `pins.json`, written whole to a temporary file and renamed
over the old one, so a reader sees the old list or the new one:

    {"pins": [{"label": "Network meeting 2026-11",
               "version": "barometer-20261101T080000000000Z.duckdb",
               "pinned_at": "2026-11-01T08:05:00+00:00"}]}

A snapshot is named by a pin label, by its version id (the stamp: `20261101T080000000000Z`),
or `latest` for the live database. Pinning, unpinning and pruning take the data folder's
refresh lock (loaders/lock.py), so they never race a refresh.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from errors import BarometerError
from loaders.lock import refresh_lock

KEEP = 8
PINS = "pins.json"
CURRENT = "current.json"
LATEST = "latest"
MAX_LABEL = 80
_VERSION = re.compile(r"^barometer-(\d{8}T\d{6}\d*Z)\.duckdb$")


class SnapshotError(BarometerError):
    """A snapshot command that cannot be carried out (the message says why and what to do)."""


@dataclass(frozen=True)
class Pin:
    """A label given to a version."""

    label: str
    version: str  # the version's file name
    pinned_at: str


@dataclass(frozen=True)
class Version:
    """One kept database: its file, id, size, whether it is live and its pin labels."""

    path: Path
    id: str
    size: int
    live: bool
    labels: tuple[str, ...]

    @property
    def pinned(self) -> bool:
        return bool(self.labels)

    @property
    def created(self) -> datetime:
        """When the version was swapped in (from its stamp, UTC)."""
        return datetime.strptime(self.id[:15], "%Y%m%dT%H%M%S").replace(tzinfo=UTC)


def version_id(name: str) -> str | None:
    """The id of a version file name (its stamp), or None for any other file."""
    match = _VERSION.match(name)
    return match.group(1) if match else None


def read_pins(versions_dir: Path) -> list[Pin]:
    """The pins, oldest first; none when the file is absent. A damaged file is an error."""
    path = versions_dir / PINS
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [Pin(str(p["label"]), str(p["version"]), str(p["pinned_at"])) for p in data["pins"]]
    except FileNotFoundError:
        return []
    except (ValueError, KeyError, TypeError) as exc:
        raise SnapshotError(
            f"{path} is damaged ({exc}); fix or remove it (the versions themselves are intact)"
        ) from None


def write_pins(versions_dir: Path, pins: list[Pin]) -> None:
    """Write the pins whole under a temporary name, then rename it over the old file."""
    versions_dir.mkdir(parents=True, exist_ok=True)
    path = versions_dir / PINS
    temporary = path.with_name(f".{PINS}.{os.getpid()}.tmp")
    payload = {"pins": [p.__dict__ for p in pins]}
    try:
        temporary.write_text(json.dumps(payload, indent=2, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()


def live_version(versions_dir: Path) -> str | None:
    """The file name of the live version, from current.json (None before the first refresh)."""
    try:
        data = json.loads((versions_dir / CURRENT).read_text(encoding="utf-8"))
        return str(data["current"])
    except (FileNotFoundError, ValueError, KeyError, TypeError):
        return None


def list_versions(versions_dir: Path) -> list[Version]:
    """Every kept version, newest first, with its pin labels."""
    if not versions_dir.is_dir():
        return []
    pins = read_pins(versions_dir)
    live = live_version(versions_dir)
    found = []
    for path in versions_dir.iterdir():
        stamp = version_id(path.name)
        if stamp is None:
            continue
        try:
            size = path.stat().st_size
        except FileNotFoundError:  # pruned meanwhile
            continue
        labels = tuple(p.label for p in pins if p.version == path.name)
        found.append(Version(path, stamp, size, path.name == live, labels))
    return sorted(found, key=lambda v: v.id, reverse=True)


def _norm(label: str) -> str:
    return " ".join(label.split()).casefold()


def find_version(versions_dir: Path, name: str) -> Version | None:
    """The version a pin label, a version id or a version file name names; None if none."""
    wanted = _norm(name)
    versions = list_versions(versions_dir)
    for version in versions:  # a label first: it is what people type
        if any(_norm(label) == wanted for label in version.labels):
            return version
    for version in versions:
        if wanted in (version.id.casefold(), version.path.name.casefold()):
            return version
    return None


def snapshot_names(versions_dir: Path) -> list[str]:
    """Every name a snapshot can be given by: `latest`, the pin labels, the version ids."""
    versions = list_versions(versions_dir)
    return [LATEST, *(label for v in versions for label in v.labels), *(v.id for v in versions)]


def check_label(label: str, versions: list[Version]) -> str:
    """A label as it will be stored (spaces collapsed); SnapshotError when it cannot be one."""
    cleaned = " ".join(label.split())
    if not cleaned:
        raise SnapshotError("a snapshot label cannot be empty")
    if len(cleaned) > MAX_LABEL:
        raise SnapshotError(f"a snapshot label has at most {MAX_LABEL} characters")
    if any(not ch.isprintable() for ch in cleaned):
        raise SnapshotError("a snapshot label cannot hold control characters")
    if cleaned.casefold() == LATEST or any(cleaned.casefold() == v.id.casefold() for v in versions):
        raise SnapshotError(f"“{cleaned}” names a snapshot already; choose another label")
    return cleaned


Progress = Callable[[str], None]


def pin(
    data_dir: Path, label: str, version: str | None = None, progress: Progress = print
) -> Version:
    """Pin a version (the live one unless `version` names another) under `label`."""
    versions_dir = data_dir / "versions"
    with refresh_lock(data_dir, progress, wait=True):
        versions = list_versions(versions_dir)
        cleaned = check_label(label, versions)
        pins = read_pins(versions_dir)
        taken = next((p for p in pins if _norm(p.label) == _norm(cleaned)), None)
        if taken is not None:
            raise SnapshotError(
                f"“{taken.label}” is pinned already (to {taken.version}); "
                "unpin it first or choose another label"
            )
        if version is None:
            target = next((v for v in versions if v.live), None)
            if target is None:
                raise SnapshotError(
                    "there is no live version to pin yet; run `barometer refresh` first"
                )
        else:
            target = find_version(versions_dir, version)
            if target is None:
                raise SnapshotError(
                    f"no version “{version}”; `barometer snapshot list` shows the kept ones"
                )
        now = datetime.now(UTC).isoformat(timespec="seconds")
        write_pins(versions_dir, [*pins, Pin(cleaned, target.path.name, now)])
    return find_version(versions_dir, cleaned) or target


def unpin(data_dir: Path, label: str, progress: Progress = print) -> Pin:
    """Remove a pin; its version is then kept only while it is among the newest KEEP."""
    versions_dir = data_dir / "versions"
    with refresh_lock(data_dir, progress, wait=True):
        pins = read_pins(versions_dir)
        found = next((p for p in pins if _norm(p.label) == _norm(label)), None)
        if found is None:
            known = ", ".join(f"“{p.label}”" for p in pins) or "none"
            raise SnapshotError(f"no pin “{label}”; pinned: {known}")
        write_pins(versions_dir, [p for p in pins if p is not found])
    return found


def prune(versions_dir: Path, keep: int = KEEP) -> list[Path]:
    """Remove the versions beyond the newest `keep` that are neither pinned nor live.

    Call it holding the refresh lock, after a successful swap (loaders/refresh.py). Returns
    what was removed. A pin naming a file that is gone is left alone (and listed as missing).
    """
    removed = []
    for number, version in enumerate(list_versions(versions_dir)):
        if number < keep or version.pinned or version.live:
            continue
        for path in (version.path, version.path.with_name(version.path.name + ".wal")):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                if path == version.path:
                    removed.append(path)
        # the download files made from it (exports/downloads.py) go with it
        for made in (versions_dir.parent / "exports").glob(f"{version.id}-*"):
            shutil.rmtree(made, ignore_errors=True)
    return removed


def file_checksum(path: Path) -> str:
    """The SHA-256 of a file, in hex."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_build_info(path: Path) -> dict[str, str]:
    """A database file's build information (source, built_at, ...), read-only."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        return dict(con.execute("SELECT key, value FROM build_info").fetchall())
    finally:
        con.close()


def render_list(versions_dir: Path) -> str:
    """The kept versions as a table, newest first: label, id, built, source, size, SHA-256."""
    versions = list_versions(versions_dir)
    if not versions:
        return "no versions kept yet: run `barometer refresh`"
    rows = [("LABEL", "ID", "BUILT", "SOURCE", "SIZE", "SHA-256")]
    for version in versions:
        info = read_build_info(version.path)
        label = " ".join([", ".join(version.labels), "(live)" * version.live]).strip()
        rows.append(
            (
                label or "-",
                version.id,
                info.get("built_at", "?"),
                info.get("source", "?"),
                f"{version.size / 1e6:.1f} MB",
                file_checksum(version.path),
            )
        )
    widths = [max(len(row[n]) for row in rows) for n in range(len(rows[0]))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.append(f"{len(versions)} version(s) kept: the newest {KEEP} and every pinned one")
    return "\n".join(lines)
