"""`barometer refresh`: fetch every source table, build a new database, swap it in.

The live database is replaced only when every table loaded and validated and the indicators
computed; otherwise it stays byte-identical and the error says which table failed and why.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from errors import BarometerError
from loaders import store
from loaders.fetch import Endpoint, LoadedTable, fetch_table, read_metadata
from loaders.http import HttpClient, Progress, RateLimiter
from loaders.lock import refresh_lock
from loaders.pins import check_definitions, check_table
from loaders.sources import NO_LIMIT, TableMeta, TableSpec, load_sources
from settings import Settings


@dataclass(frozen=True)
class RefreshResult:
    """What a successful refresh produced."""

    database: Path
    version: Path
    source: str
    tables: int
    cells: int
    seconds: float


def make_endpoints(settings: Settings, progress: Progress | None = None) -> dict[str, Endpoint]:
    """One HTTP client per provider, each with that provider's politeness limit."""

    return {
        provider: Endpoint(
            base_url,
            limit,
            HttpClient.patient_as(
                settings, limiter=RateLimiter(calls=calls, period=60.0), on_retry=progress
            ),
        )
        for provider, (base_url, limit, calls) in provider_setup(settings).items()
    }


def provider_setup(settings: Settings) -> dict[str, tuple[str, int, int]]:
    """Per provider: base URL, cells per request, calls per minute."""
    return {
        "dst": (settings.dst_base_url, settings.dst_cell_limit, settings.dst_calls_per_minute),
        "ssb": (settings.ssb_base_url, settings.ssb_cell_limit, settings.ssb_calls_per_minute),
        "fhi": (settings.fhi_base_url, settings.fhi_row_limit, settings.fhi_calls_per_minute),
        "imdi": (settings.imdi_base_url, NO_LIMIT, settings.imdi_calls_per_minute),
    }


def enabled_sources(settings: Settings, specs: list[TableSpec]) -> list[TableSpec]:
    """The tables to load: IMDi's are left out when BAROMETER_IMDI=off."""
    return [s for s in specs if settings.imdi_enabled or s.provider != "imdi"]


def read_all_metadata(
    specs: list[TableSpec], endpoints: dict[str, Endpoint], progress: Progress
) -> dict[tuple[str, str], TableMeta]:
    """Every table's metadata, checked against sources.yml before any data is fetched.

    Fails listing every pinned code whose label does not match (table, variable, code, the
    pattern and the label found), every absent code with the closest ones, and anything else
    the checks in loaders/pins.py find.
    """
    metas = {}
    problems: list[str] = []
    for number, spec in enumerate(specs, start=1):
        meta = read_metadata(spec, endpoints[spec.provider])
        findings = check_table(spec, meta)
        problems += [str(p) for p in findings.problems]
        progress(
            f"[{number}/{len(specs)}] {spec.provider.upper()} {spec.key}: metadata read "
            f"({', '.join(meta.labels)}), {findings.pinned} codes and labels checked"
            + (f", {len(findings.problems)} problem(s)" if findings.problems else "")
        )
        metas[(spec.provider, spec.key)] = meta
    if problems:
        shown = "\n  ".join(problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise BarometerError(
            f"the providers' metadata does not match sources.yml; nothing was written:\n  "
            f"{shown}{more}"
        )
    return metas


def fetch_all(
    specs: list[TableSpec],
    metas: dict[tuple[str, str], TableMeta],
    endpoints: dict[str, Endpoint],
    progress: Progress,
) -> list[LoadedTable]:
    """Fetch every table's data in order, reporting each; the first failure stops the refresh."""
    loaded = []
    for number, spec in enumerate(specs, start=1):
        progress(f"[{number}/{len(specs)}] {spec.provider.upper()} {spec.key}: fetching data")
        started = time.monotonic()
        meta = metas[(spec.provider, spec.key)]
        table = fetch_table(spec, meta, endpoints[spec.provider], progress)
        seconds = time.monotonic() - started
        for note in table.notes:
            progress(f"  {note}")
        progress(
            f"[{number}/{len(specs)}] {spec.provider.upper()} {spec.key}: "
            f"{len(table.frame):,} cells from {len(table.provenance)} request(s), "
            f"{seconds:.1f} s, validated"
        )
        loaded.append(table)
    return loaded


def check_definitions_pinned(specs: list[TableSpec]) -> None:
    """Every code an indicator definition selects must be pinned in sources.yml.

    Runs before any request, so a definition can never select a code whose meaning the
    refresh does not check.
    """
    problems = check_definitions(specs)
    if problems:
        raise BarometerError(
            "indicator definitions select unchecked codes:\n  " + "\n  ".join(problems)
        )


def refresh(
    settings: Settings,
    source: str = "live",
    progress: Progress = print,
    specs: list[TableSpec] | None = None,
    wait: bool = False,
) -> RefreshResult:
    """Build a new database from the providers at the settings' URLs and swap it in.

    One refresh at a time per data folder (loaders/lock.py): another one running makes this
    fail at once, or wait for it with `wait`. Holding the lock, it first removes what an
    interrupted refresh left behind.
    """
    with refresh_lock(settings.data_dir, progress, wait=wait):
        removed = store.remove_leftovers(settings.database_path)
        if removed:
            names = ", ".join(path.name for path in removed)
            progress(f"removed the leftovers of an interrupted refresh: {names}")
        return _refresh(settings, source, progress, specs)


def _refresh(
    settings: Settings, source: str, progress: Progress, specs: list[TableSpec] | None
) -> RefreshResult:
    from indicators.compute import compute_all

    started = time.monotonic()
    # The definitions are checked against the whole sources file, also when only some
    # tables are refreshed (tests pass their own specs).
    check_definitions_pinned(load_sources())
    specs = specs if specs is not None else load_sources()
    left_out = [s for s in specs if s not in enabled_sources(settings, specs)]
    if left_out:
        progress(
            f"IMDi is switched off (BAROMETER_IMDI=off): {len(left_out)} table(s) left out, and "
            "the indicators built on them"
        )
        specs = enabled_sources(settings, specs)
    endpoints = make_endpoints(settings, progress)
    metas = read_all_metadata(specs, endpoints, progress)
    tables = fetch_all(specs, metas, endpoints, progress)
    target = settings.database_path
    built = store.new_build_path(target)
    try:
        progress("building the database and computing indicators")
        details = {
            "dst_base_url": settings.dst_base_url,
            "ssb_base_url": settings.ssb_base_url,
            "fhi_base_url": settings.fhi_base_url,
            "imdi_base_url": settings.imdi_base_url,
            "imdi": "on" if settings.imdi_enabled else "off",
        }
        store.build_database(built, tables, source, compute_all, details)
        store.check_database(built)
        version = store.swap_in(built, target, settings.versions_dir)
    except (OSError, duckdb.IOException) as exc:  # a full disk, permissions, I/O
        store.discard(built)
        raise store.write_failed(target, exc) from exc
    except BaseException:  # also Ctrl+C: never leave a partial build behind
        store.discard(built)
        raise
    prune_versions(settings, progress)
    # Map boundaries (loaders/geo.py): a failed download only warns and keeps the old files.
    from loaders.geo import refresh_boundaries

    refresh_boundaries(settings, source, progress)
    cells = sum(len(t.frame) for t in tables)
    return RefreshResult(target, version, source, len(tables), cells, time.monotonic() - started)


def prune_versions(settings: Settings, progress: Progress) -> None:
    """Keep the newest versions, the pinned ones and the live one; remove the rest.

    Runs after a successful swap, under the refresh lock. A failure only warns: the new
    database is live already, and the next refresh prunes again.
    """
    from loaders.snapshots import KEEP, SnapshotError, prune

    try:
        removed = prune(settings.versions_dir)
    except (OSError, SnapshotError) as exc:
        progress(f"warning: old versions were not pruned: {exc}")
        return
    if removed:
        progress(
            f"removed {len(removed)} old version(s) (keeping the newest {KEEP} and every "
            "pinned one): " + ", ".join(path.name for path in removed)
        )


@contextmanager
def demo_settings(
    settings: Settings, seed: int = 2026, release: str = "current"
) -> Iterator[Settings]:
    """Settings pointing at an in-process simulator on a free loopback port."""

    from simulator.releases import get_release
    from simulator.server import start_simulator

    sim = start_simulator(port=0, seed=seed, release=get_release(release))
    try:
        yield sim.aim(settings)
    finally:
        sim.stop()


def refresh_demo(
    settings: Settings,
    progress: Progress = print,
    seed: int = 2026,
    wait: bool = False,
    release: str = "current",
) -> RefreshResult:
    """Refresh from the simulator's demo data through the same code path as a live refresh.

    `release` "previous" loads the simulator's earlier release of Statistics Denmark's tables
    (simulator/releases.py), so that a later demo refresh has something to change.
    """
    with demo_settings(settings, seed, release) as demo:
        progress(f"demo: simulator at {demo.dst_base_url.rsplit('/v1', 1)[0]}")
        return refresh(demo, source="demo", progress=progress, wait=wait)
