"""Refresh faults on the writing side: a full disk, a killed refresh, two refreshes at once.

The write failures are real: a small tmpfs filled by the build (ENOSPC; needs root, as in CI),
a file size limit (RLIMIT_FSIZE, EFBIG) on a refresh in a child process, and a killed child
leaving its partial build. Only the hard-link/copy fallback of the version copy is a test
double, since no file system here refuses hard links.
"""

from __future__ import annotations

import errno
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from loaders import store
from loaders.lock import LOCK_NAME, RefreshRunning
from loaders.refresh import refresh
from tests.conftest import ROOT, fast_settings
from tests.test_refresh import digest


@pytest.fixture(scope="module")
def built_once(tmp_path_factory: pytest.TempPathFactory, simulator) -> Path:
    folder = tmp_path_factory.mktemp("built-faults")
    simulator.clear_faults()
    refresh(fast_settings(folder, simulator), source="demo", progress=lambda _: None)
    return folder


@pytest.fixture()
def good_database(tmp_path: Path, built_once: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(built_once, folder)
    return folder


def snapshot(folder: Path) -> dict[str, str]:
    """Every file in the data folder (recursively) with its digest; the lock file aside."""
    return {
        str(path.relative_to(folder)): digest(path)
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != LOCK_NAME
    }


def child_env(folder: Path, simulator) -> dict[str, str]:
    """Environment for a `barometer refresh` child aimed at the session's simulator."""
    return {
        **os.environ,
        "BAROMETER_DATA_DIR": str(folder),
        "BAROMETER_DST_URL": simulator.dst_base,
        "BAROMETER_SSB_URL": simulator.ssb_base,
        "BAROMETER_FHI_URL": simulator.fhi_base,
        "BAROMETER_IMDI_URL": simulator.imdi_base,
        "BAROMETER_RETRIES": "0",
        "BAROMETER_SSB_CALLS_PER_MINUTE": "10000",
        "BAROMETER_DST_CALLS_PER_MINUTE": "10000",
        "BAROMETER_FHI_CALLS_PER_MINUTE": "10000",
        "BAROMETER_IMDI_CALLS_PER_MINUTE": "10000",
    }


BAROMETER = [sys.executable, "-c", "import sys, cli; sys.exit(cli.main())"]


def test_full_disk_fails_with_message_and_changes_nothing(
    good_database: Path, simulator, tmp_path: Path
) -> None:
    """A tmpfs with room for the live database and a few MB more: the build runs out."""
    mount = tmp_path / "small-disk"
    mount.mkdir()
    size_mb = (good_database / "barometer.duckdb").stat().st_size * 2 // 1_000_000 + 4
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_mb}m", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.strip()}")
    try:
        shutil.copytree(good_database, mount, dirs_exist_ok=True)
        before = snapshot(mount)
        with pytest.raises(store.WriteFailed) as caught:
            refresh(fast_settings(mount, simulator), progress=lambda _: None)
        text = str(caught.value)
        assert "No space left on device" in text
        assert "barometer.duckdb is unchanged" in text and "free some space" in text
        assert snapshot(mount) == before  # nothing new, nothing changed, no partial build
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def limit_file_size(limit: int) -> None:
    """In the child: writes past `limit` bytes fail with EFBIG instead of killing it."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_write_limit_ends_cli_refresh_with_message(good_database: Path, simulator) -> None:
    before = snapshot(good_database)
    limit = (good_database / "barometer.duckdb").stat().st_size // 3
    done = subprocess.run(
        [*BAROMETER, "refresh"],
        cwd=ROOT,
        env=child_env(good_database, simulator),
        preexec_fn=lambda: limit_file_size(limit),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1, done.stderr[-2000:]
    assert "error: could not write the new database" in done.stderr
    assert "File too large" in done.stderr and "is unchanged" in done.stderr
    assert "Traceback" not in done.stderr
    assert snapshot(good_database) == before


def test_failed_version_copy_leaves_no_partial_version(
    good_database: Path, simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No hard links (another file system) and then a full disk while copying the version."""

    def no_link(src: Path, dst: Path) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    def full_copy(src: Path, dst: Path) -> None:
        Path(dst).write_bytes(b"half a database")  # what a full disk leaves
        raise OSError(errno.ENOSPC, "No space left on device", str(dst))

    before = snapshot(good_database)
    monkeypatch.setattr(store.os, "link", no_link)
    monkeypatch.setattr(store.shutil, "copyfile", full_copy)
    with pytest.raises(store.WriteFailed) as caught:
        refresh(fast_settings(good_database, simulator), progress=lambda _: None)
    assert "No space left on device" in str(caught.value)
    assert snapshot(good_database) == before


def wait_for(check, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.02)


def test_killed_refresh_leftovers_are_removed_by_the_next(good_database: Path, simulator) -> None:
    live = good_database / "barometer.duckdb"
    before = digest(live)
    child = subprocess.Popen(
        [*BAROMETER, "refresh"],
        cwd=ROOT,
        env=child_env(good_database, simulator),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        # Kill it once the partial build has data in it (mid-build).
        wait_for(
            lambda: any(p.stat().st_size > 1_000_000 for p in store.leftovers(live)),
            240,
            "the refresh to start writing its build",
        )
    finally:
        child.kill()
        child.wait()
    left = store.leftovers(live)
    assert left, "the killed refresh should have left its partial build"
    assert digest(live) == before
    assert (good_database / LOCK_NAME).read_text().startswith(f"{child.pid} ")

    said: list[str] = []
    refresh(fast_settings(good_database, simulator), progress=said.append)
    assert store.leftovers(live) == []
    assert all(not path.exists() for path in left)
    assert any(f"PID {child.pid}" in line and "taking over" in line for line in said)
    assert any("removed the leftovers" in line for line in said)
    assert digest(live) != before


@pytest.fixture()
def lock_holder(good_database: Path) -> Iterator[subprocess.Popen]:
    """Another process holding the data folder's refresh lock until it is killed."""
    script = (
        "import sys, time; from pathlib import Path; from loaders.lock import refresh_lock\n"
        "with refresh_lock(Path(sys.argv[1]), print):\n"
        "    print('locked', flush=True); time.sleep(120)\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", script, str(good_database)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    yield holder
    holder.kill()
    holder.wait()


def test_second_refresh_exits_with_message_while_one_runs(
    good_database: Path, simulator, lock_holder: subprocess.Popen, monkeypatch, capsys
) -> None:
    from cli import main

    before = snapshot(good_database)
    with pytest.raises(RefreshRunning) as caught:
        refresh(fast_settings(good_database, simulator), progress=lambda _: None)
    assert f"PID {lock_holder.pid}" in str(caught.value) and "--wait" in str(caught.value)

    for name, value in child_env(good_database, simulator).items():
        monkeypatch.setenv(name, value)
    assert main(["refresh"]) == 1
    assert "another refresh of" in capsys.readouterr().err
    assert snapshot(good_database) == before


def test_waiting_refresh_runs_after_the_first(
    good_database: Path, simulator, lock_holder: subprocess.Popen
) -> None:
    said: list[str] = []
    live = good_database / "barometer.duckdb"
    before = digest(live)
    releaser = subprocess.Popen(  # the running refresh finishes in a second
        [sys.executable, "-c", f"import os, time; time.sleep(1); os.kill({lock_holder.pid}, 9)"]
    )
    try:
        refresh(fast_settings(good_database, simulator), progress=said.append, wait=True)
    finally:
        releaser.wait()
    assert any("waiting for the refresh already running" in line for line in said)
    assert digest(live) != before


def test_lock_of_a_dead_process_is_taken_over(good_database: Path, simulator) -> None:
    (good_database / LOCK_NAME).write_text("999999999 2026-01-01T00:00:00+00:00\n")
    said: list[str] = []
    refresh(fast_settings(good_database, simulator), progress=said.append)
    assert any("taking over" in line and "PID 999999999" in line for line in said)
    assert (good_database / LOCK_NAME).read_text() == ""  # released: nobody is refreshing
