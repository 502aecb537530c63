"""Shared fixtures: the reference folder, a running simulator, a demo database."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from settings import Settings

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared beside the checkout (or BAROMETER_SHARED)."""
    path = Path(os.environ.get("BAROMETER_SHARED", ROOT.parent / "shared"))
    if not path.is_dir():
        pytest.fail(f"reference folder {path} not found; set BAROMETER_SHARED")
    return path


@pytest.fixture(scope="session")
def simulator() -> Iterator:
    """One simulator for the session (no rate limit); tests that inject faults clear them."""
    from simulator.server import start_simulator

    sim = start_simulator(port=0, seed=2026, ssb_calls_per_minute=None)
    yield sim
    sim.stop()


def fast_settings(data_dir: Path, sim) -> Settings:
    """Settings aimed at the simulator with short timeouts and quick retries."""
    return replace(
        Settings(),
        dst_base_url=sim.dst_base,
        ssb_base_url=sim.ssb_base,
        data_dir=data_dir,
        connect_timeout=2.0,
        read_timeout=3.0,
        retries=2,
        backoff_base=0.01,
        backoff_max=0.2,
        ssb_calls_per_minute=10_000,
        dst_calls_per_minute=10_000,
    )


@pytest.fixture(scope="session")
def demo_data_dir(tmp_path_factory: pytest.TempPathFactory, simulator) -> Path:
    """A data folder holding a database refreshed from the simulator's demo data."""
    from loaders.refresh import refresh

    data_dir = tmp_path_factory.mktemp("demo-data")
    refresh(fast_settings(data_dir, simulator), source="demo", progress=lambda _: None)
    return data_dir


@pytest.fixture()
def demo_env(demo_data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the query layer at the demo database for one test."""
    import queries.db

    monkeypatch.setenv("BAROMETER_DATA_DIR", str(demo_data_dir))
    yield demo_data_dir
    queries.db.close()
