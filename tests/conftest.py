"""Shared fixtures: the sample files, a running simulator, one demo database per session.

The suite reads nothing outside the checkout: an audit hook (PEP 578) refuses every file a test
opens or lists beside the checkout (the reference folder ../shared included), and the test that
did it fails, naming the file. Sample files live under tests/fixtures/ (see its README).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from settings import Settings

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"

# --- nothing outside the checkout --------------------------------------------------------------

_CHECKOUT = str(ROOT) + os.sep
_BESIDE = str(ROOT.parent) + os.sep
_TEMP = str(Path(tempfile.gettempdir()).resolve()) + os.sep
_WATCHED = {"open", "os.listdir", "os.scandir", "glob.glob"}
read_outside: list[str] = []


def outside_the_checkout(path: Any) -> bool:
    """Whether a path is beside the checkout (under its parent folder, not in it, not temp)."""
    if isinstance(path, int) or path is None:
        return False
    try:
        where = os.path.abspath(os.fsdecode(path)) + os.sep
    except (TypeError, ValueError):
        return False
    return where.startswith(_BESIDE) and not where.startswith((_CHECKOUT, _TEMP))


def _audit(event: str, args: tuple) -> None:
    if event in _WATCHED and args and outside_the_checkout(args[0]):
        path = os.fsdecode(args[0])
        read_outside.append(path)
        raise PermissionError(
            f"tests read only the checkout: {path} is outside it "
            "(carry the file under tests/fixtures/ with its source and licence)"
        )


sys.addaudithook(_audit)


@pytest.fixture(autouse=True)
def _reads_only_the_checkout() -> Iterator[None]:
    """Fail the test that read a file outside the checkout (also from a server thread)."""
    before = len(read_outside)
    yield
    if len(read_outside) > before:
        pytest.fail(f"read outside the checkout: {read_outside[before:]}")


@pytest.fixture(scope="session")
def simulator() -> Iterator:
    """One simulator for the session (no rate limit); tests that inject faults clear them."""
    from simulator.server import start_simulator

    sim = start_simulator(port=0, seed=2026, ssb_calls_per_minute=None)
    yield sim
    sim.stop()


def quick_settings(data_dir: Path, **changes: Any) -> Settings:
    """Settings for a test: this data folder, short timeouts and quick retries (or `changes`)."""
    quick = {
        "connect_timeout": 2.0,
        "read_timeout": 3.0,
        "retries": 2,
        "backoff_base": 0.01,
        "backoff_max": 0.2,
    }
    return replace(Settings(), data_dir=data_dir, **{**quick, **changes})


def fast_settings(data_dir: Path, sim) -> Settings:
    """Settings aimed at the simulator with short timeouts and quick retries."""
    unlimited = {f"{p}_calls_per_minute": 10_000 for p in ("dst", "ssb", "fhi", "imdi")}
    return sim.aim(quick_settings(data_dir, **unlimited))


def source(key: str):  # type: ignore[no-untyped-def]
    """The table of sources.yml loaded under `key` (its name, else its table id)."""
    from loaders.sources import load_sources

    return next(s for s in load_sources() if s.key == key)


def query(data_dir: Path, sql: str, params: list | None = None) -> list[tuple]:
    """Rows of a query on a data folder's database (read only)."""
    import duckdb

    con = duckdb.connect(str(data_dir / "barometer.duckdb"), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def value_codes(**codes: str) -> dict[str, str]:
    """PxWebApi 2 query parameters selecting codes: Region="0301" is valueCodes[Region]=0301."""
    return {f"valueCodes[{name}]": value for name, value in codes.items()}


def ssb_get(sim, table: str, params: dict | None = None, part: str = "data", **codes: str):  # type: ignore[no-untyped-def]
    """GET a table's data (or metadata) from the simulated Statistics Norway as JSON-stat 2.0:
    `params`, and valueCodes[name] for each of `codes`."""
    import requests

    query = {"lang": "no", "outputFormat": "json-stat2", **(params or {}), **value_codes(**codes)}
    return requests.get(f"{sim.ssb_base}/tables/{table}/{part}", params=query, timeout=60)


def digest(path: Path) -> str:
    """A file's SHA-256: "byte-identical" checked."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def text_of(component: Any, separator: str = " ") -> str:
    """All the text in a Dash component tree, joined by `separator`."""
    if component is None:
        return ""
    if isinstance(component, str | int | float):
        return str(component)
    if isinstance(component, list | tuple):
        return separator.join(text_of(c, separator) for c in component)
    if isinstance(component, dict):  # an element of a Plain's tree (components/plain.py)
        return text_of(component.get("c"), separator)
    if hasattr(component, "tree"):  # a Plain
        return text_of(component.tree, separator)
    return text_of(getattr(component, "children", None), separator)


@dataclass(frozen=True)
class DemoBuild:
    """The session's one demo refresh: its data folder, the requests it made, what it printed."""

    data_dir: Path
    requests: list
    lines: list[str]


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory: pytest.TempPathFactory, simulator) -> DemoBuild:
    """One full refresh from the simulator's demo data for the whole session.

    Tests that change a data folder copy it first (tests/test_refresh.py's good_database).
    """
    from loaders.refresh import refresh

    data_dir = tmp_path_factory.mktemp("demo-data")
    simulator.clear_faults()
    simulator.clear_requests()
    lines: list[str] = []
    refresh(fast_settings(data_dir, simulator), source="demo", progress=lines.append)
    return DemoBuild(data_dir, simulator.requests, lines)


@pytest.fixture(scope="session")
def demo_data_dir(demo_build: DemoBuild) -> Path:
    """A data folder holding a database refreshed from the simulator's demo data."""
    return demo_build.data_dir


def reading_folder(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point the query layer at a data folder for one test; close its connections after."""
    import queries.db

    monkeypatch.setenv("BAROMETER_DATA_DIR", str(data_dir))
    yield data_dir
    queries.db.close()


@pytest.fixture()
def demo_env(demo_data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point the query layer at the demo database for one test, with no answers kept from
    another test (one may have changed a page's code: tests/test_errors.py)."""
    from serving.cache import answers

    answers.clear()
    yield from reading_folder(demo_data_dir, monkeypatch)


@pytest.fixture()
def client(demo_env: Path):
    """A test client of the whole app on the demo database."""
    from app import app

    return app.server.test_client()


@pytest.fixture()
def page_logic_bug(client, monkeypatch: pytest.MonkeyPatch) -> None:
    """The municipality picker's callback fails as a bug in a page's logic would (the app is
    imported by `client` first); `monkeypatch.undo()` mends it."""

    def bug(*_args: object) -> str:
        raise AttributeError("a bug in the page's logic")

    monkeypatch.setattr(sys.modules["pages.municipality"], "next_href", bug)


MEETING = "Network meeting 2026-05"


@pytest.fixture(scope="session")
def meeting_data_dir(tmp_path_factory: pytest.TempPathFactory, simulator) -> Path:
    """A data folder with two snapshots: the simulator's previous release, pinned as
    MEETING, then the current release (live). Between them (simulator/releases.py): a new
    period in every Statistics Denmark table, and revised 2022 employment figures for
    Ballerup (151), Silkeborg (740) and Aarhus (751) that turn traffic lights."""
    from loaders.refresh import refresh
    from loaders.snapshots import pin
    from simulator.releases import PREVIOUS
    from simulator.server import start_simulator

    data_dir = tmp_path_factory.mktemp("meeting-data")
    with start_simulator(port=0, ssb_calls_per_minute=None, release=PREVIOUS) as earlier:
        refresh(fast_settings(data_dir, earlier), source="demo", progress=lambda _: None)
    pin(data_dir, MEETING, progress=lambda _: None)
    simulator.clear_faults()
    refresh(fast_settings(data_dir, simulator), source="demo", progress=lambda _: None)
    return data_dir


@pytest.fixture()
def meeting_env(meeting_data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point the query layer at the two-snapshot data folder for one test."""
    yield from reading_folder(meeting_data_dir, monkeypatch)


@pytest.fixture()
def own_data(demo_data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A copy of the demo data folder this test may swap files in, and a client on it."""
    from app import app
    from serving.cache import answers

    folder = tmp_path / "data"
    shutil.copytree(demo_data_dir, folder)
    monkeypatch.setenv("BAROMETER_DATA_DIR", str(folder))
    answers.clear()
    yield folder, app.server.test_client()
    import queries.db

    queries.db.close()
