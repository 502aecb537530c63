"""`barometer refresh`: fetch every source table, build a new database, swap it in.

The live database is replaced only when every table loaded and validated and the indicators
computed; otherwise it stays byte-identical and the error says which table failed and why.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from errors import BarometerError
from loaders import store
from loaders.fetch import Endpoint, LoadedTable, check_codes, fetch_table
from loaders.http import HttpClient, RateLimiter
from loaders.sources import TableSpec, load_sources
from settings import Settings

Progress = Callable[[str], None]


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

    def client(calls_per_minute: int) -> HttpClient:
        return HttpClient(
            connect_timeout=settings.connect_timeout,
            read_timeout=settings.read_timeout,
            retries=settings.retries,
            backoff_base=settings.backoff_base,
            backoff_max=settings.backoff_max,
            limiter=RateLimiter(calls=calls_per_minute, period=60.0),
            on_retry=progress,
        )

    return {
        "dst": Endpoint(
            settings.dst_base_url, settings.dst_cell_limit, client(settings.dst_calls_per_minute)
        ),
        "ssb": Endpoint(
            settings.ssb_base_url, settings.ssb_cell_limit, client(settings.ssb_calls_per_minute)
        ),
    }


def fetch_all(
    specs: list[TableSpec], endpoints: dict[str, Endpoint], lang: str, progress: Progress
) -> list[LoadedTable]:
    """Fetch every table in order, reporting each; the first failure stops the refresh."""
    loaded = []
    for number, spec in enumerate(specs, start=1):
        progress(f"[{number}/{len(specs)}] {spec.provider.upper()} {spec.table}: fetching")
        started = time.monotonic()
        table = fetch_table(spec, endpoints[spec.provider], lang, progress)
        seconds = time.monotonic() - started
        parts = len(table.provenance)
        progress(
            f"[{number}/{len(specs)}] {spec.provider.upper()} {spec.table}: "
            f"{len(table.frame):,} cells in {parts} request(s), {seconds:.1f} s, validated"
        )
        loaded.append(table)
    return loaded


def check_definition_codes(tables: list[LoadedTable]) -> None:
    """Every code an indicator definition selects must exist in its table's metadata.

    Runs before anything is written, so a renamed code at the provider fails the refresh with
    the closest codes and their labels instead of quietly producing empty values.
    """
    from indicators.registry import iter_measures, list_indicators

    loaded = {(t.spec.provider, t.spec.table): t for t in tables}
    for indicator in list_indicators():
        for where, measure in iter_measures(indicator):
            table = loaded.get((measure.provider, measure.table))
            if table is None:
                raise BarometerError(
                    f"{where}: table {measure.provider}/{measure.table} is not in sources.yml"
                )
            check_codes(table.meta, table.provenance[0].url, measure.select, where)


def refresh(
    settings: Settings,
    source: str = "live",
    progress: Progress = print,
    specs: list[TableSpec] | None = None,
) -> RefreshResult:
    """Build a new database from the providers at the settings' URLs and swap it in."""
    from indicators.compute import compute_all

    started = time.monotonic()
    specs = specs if specs is not None else load_sources()
    endpoints = make_endpoints(settings, progress)
    tables = fetch_all(specs, endpoints, settings.language, progress)
    check_definition_codes(tables)
    target = settings.database_path
    built = store.new_build_path(target)
    try:
        progress("building the database and computing indicators")
        details = {"dst_base_url": settings.dst_base_url, "ssb_base_url": settings.ssb_base_url}
        store.build_database(built, tables, source, compute_all, details)
        store.check_database(built)
        version = store.swap_in(built, target, settings.versions_dir)
    except Exception:
        store.discard(built)
        raise
    # Map boundaries (loaders/geo.py): a failed download only warns and keeps the old files.
    from loaders.geo import refresh_boundaries

    refresh_boundaries(settings, source, progress)
    cells = sum(len(t.frame) for t in tables)
    return RefreshResult(target, version, source, len(tables), cells, time.monotonic() - started)


@contextmanager
def demo_settings(settings: Settings, seed: int = 2026) -> Iterator[Settings]:
    """Settings pointing at an in-process simulator on a free loopback port."""
    from dataclasses import replace

    from simulator.server import start_simulator

    sim = start_simulator(port=0, seed=seed)
    try:
        yield replace(settings, dst_base_url=sim.dst_base, ssb_base_url=sim.ssb_base)
    finally:
        sim.stop()


def refresh_demo(settings: Settings, progress: Progress = print, seed: int = 2026) -> RefreshResult:
    """Refresh from the simulator's demo data through the same code path as a live refresh."""
    with demo_settings(settings, seed) as demo:
        progress(f"demo: simulator at {demo.dst_base_url.rsplit('/v1', 1)[0]}")
        return refresh(demo, source="demo", progress=progress)
