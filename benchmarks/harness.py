"""What the serving benchmarks share: a demo data folder, `barometer serve` as a child process,
its workers' memory, headless Chromium, and a list of pages to visit.

Everything runs on 127.0.0.1; nothing reaches the internet.
"""

from __future__ import annotations

import functools
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
SHARED_GEO = Path(os.environ.get("BAROMETER_SHARED", ROOT.parent / "shared")) / "data" / "geo"
GEO_FILES = {"DK": "dk_kommuner_dagi.geojson", "NO": "no_kommuner_2024_S.geojson"}
BAROMETER = [sys.executable, "-c", "import sys, cli; sys.exit(cli.main())"]

# One URL per page, with the parameters a first visitor gets (docs/PAGES.md).
PAGES = {
    "home": "/",
    "municipality": "/kommune/151",
    "municipality_no": "/kommune/0301",
    "compare": "/compare",
    "compare_no": "/compare?country=NO&indicator=nonwestern_share",
    "trend": "/trend",
    "map": "/map",
    "indicators": "/indicator",
    "indicator": "/indicator/employment_gap",
    "about": "/about",
    "changes": "/changes",
    "present": "/present?municipalities=151,153,159",
    "download": "/download",
}

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def say(line: str) -> None:
    print(line, flush=True)


def percentile(samples: list[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation, like numpy's default."""
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def load_average() -> str:
    """The machine's 1, 5 and 15 minute load averages (the machine is shared)."""
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "unknown"
    return f"{one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def build_demo_data(folder: Path, boundaries: bool = True) -> bool:
    """A demo database in `folder`; with boundaries from ../shared/data/geo when it is there.

    Returns whether the map has boundaries.
    """
    from loaders.refresh import refresh_demo
    from settings import Settings

    settings = replace(Settings(), data_dir=folder)
    say(f"building the demo database in {folder} (not timed)")
    refresh_demo(settings, progress=lambda _: None)
    if not boundaries or not all((SHARED_GEO / name).exists() for name in GEO_FILES.values()):
        say(f"no boundary files from {SHARED_GEO}: the map draws the ones shipped with the project")
        return False
    from loaders.geo import refresh_boundaries

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(SHARED_GEO))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_port}"
        geo = replace(
            settings,
            geo_dk_url=f"{base}/{GEO_FILES['DK']}",
            geo_no_url=f"{base}/{GEO_FILES['NO']}",
        )
        results = refresh_boundaries(geo, "demo", progress=lambda _: None)
    finally:
        server.shutdown()
        server.server_close()
    return all(results.values())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(data_dir: Path, *args: str) -> Iterator[tuple[str, subprocess.Popen, str]]:
    """`barometer serve` on a free loopback port until the block ends (the benchmarks and
    tests/test_serving.py).

    Yields the URL, the process and the server's own description of itself ("gunicorn on
    ... (3 worker processes x 4 threads)"); its output goes to `serve-<port>.log` beside the
    data folder. A server that does not start raises RuntimeError with the log's end.
    """
    port = free_port()
    log = open(data_dir.parent / f"serve-{port}.log", "w")  # noqa: SIM115 (closed below)
    child = subprocess.Popen(
        [*BAROMETER, "serve", "--host", "127.0.0.1", "--port", str(port), *args],
        cwd=ROOT,
        env={**os.environ, "BAROMETER_DATA_DIR": str(data_dir)},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                requests.get(f"{url}/_favicon.ico", timeout=5)
                break
            except requests.ConnectionError:
                if child.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    text = Path(log.name).read_text()[-3000:]
                    raise RuntimeError(f"the server did not start:\n{text}") from None
                time.sleep(0.2)
        first = Path(log.name).read_text().splitlines()
        described = next((line for line in first if line.startswith("serving with")), "")
        say(described)
        yield url, child, described
    finally:
        child.send_signal(signal.SIGTERM)
        try:
            child.wait(timeout=30)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        log.close()


def child_pids(pid: int) -> list[int]:
    """The direct children of a process (gunicorn's workers), from /proc."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def peak_rss_mb(pid: int) -> float:
    """A process's peak resident memory (VmHWM) in MB, or 0 where /proc has none."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time the processes have used so far (from /proc/<pid>/stat)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / os.sysconf("SC_CLK_TCK")


def chromium_path() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    raise SystemExit("Chromium is needed (apt-get install chromium)")


def launch_chromium(playwright: Any) -> Any:
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
