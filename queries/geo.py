"""Municipality boundaries for the map page, read once per process.

The project ships simplified boundaries for both countries (loaders/boundaries/, built by
scripts/build_boundaries.py), so the map draws on first start, offline included; a refresh
that downloaded newer ones stores them in data/geo/ (loaders/geo.py), and those come first.
Each read checks the file's identity (inode, modification time, size) and reloads only when a
refresh replaced it, so the page never parses a large file on a hot path, and a new file is
picked up without a restart. A stored file that cannot be read is logged and passed over for
the shipped one: the reader gets a map, never a path.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from loaders.geo import GeoError, boundary_path, shipped_boundary_path
from loaders.municipalities import COUNTRIES
from settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Boundaries:
    """One country's stored boundaries: the GeoJSON text as served, and its codes."""

    country: str
    path: Path
    content: bytes
    codes: frozenset[str]
    version: str  # a short hash of the content: part of the URL, so browsers cache it safely


_lock = threading.Lock()
_cache: dict[Path, tuple[tuple[int, int, int], Boundaries]] = {}


def _identity(path: Path) -> tuple[int, int, int] | None:
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


def read_boundaries(country: str, path: Path) -> Boundaries:
    """Parse a stored boundary file; GeoError says how to repair a broken one."""
    content = path.read_bytes()
    try:
        data = json.loads(content)
        codes = frozenset(str(feature["id"]) for feature in data["features"])
    except (ValueError, KeyError, TypeError) as exc:
        raise GeoError(
            f"the boundary file {path} could not be read ({exc!r}); run `barometer refresh` "
            "to download it again"
        ) from exc
    version = hashlib.sha256(content).hexdigest()[:12]
    return Boundaries(country, path, content, codes, version)


def get_boundaries(country: str, data_dir: Path | None = None) -> Boundaries | None:
    """The country's boundaries: the refreshed ones, else the shipped ones (None: neither)."""
    folder = data_dir if data_dir is not None else Settings.from_env().data_dir
    for path in (boundary_path(folder, country), shipped_boundary_path(country)):
        identity = _identity(path)
        if identity is None:
            continue
        with _lock:
            cached = _cache.get(path)
            if cached is not None and cached[0] == identity:
                return cached[1]
        try:
            boundaries = read_boundaries(country, path)
        except (GeoError, OSError) as exc:
            log.warning("%s boundaries passed over: %s", country, exc)
            continue
        with _lock:
            _cache[path] = (identity, boundaries)
        return boundaries
    return None


def boundaries_identity() -> tuple[tuple[int, int, int] | None, ...]:
    """The identity of each country's stored boundary file (None where there is none).

    With the database's identity, it says which data a page is drawn from (serving/cache.py).
    """
    folder = Settings.from_env().data_dir
    return tuple(_identity(boundary_path(folder, country)) for country in sorted(COUNTRIES))


def clear_cache() -> None:
    """Forget every loaded file (tests)."""
    with _lock:
        _cache.clear()
