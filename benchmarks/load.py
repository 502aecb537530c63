"""Benchmark: a room full of users while the database is replaced twice.

1. Builds a demo database in a temporary folder (not timed) and starts `barometer serve`
   (gunicorn, the machine's default workers and threads) on 127.0.0.1.
2. Records the requests a real browser (headless Chromium) makes for each page in
   harness.PAGES: the page, /_dash-layout, /_dash-dependencies and the page's callback, then
   those of picking another option in the page's first two dropdowns (the page's callbacks,
   and the new view they lead to), with their bodies. Static files (bundles, assets,
   boundaries) are left out: browsers keep them for a year (serving/headers.py), so a room of
   returning users does not ask for them.
3. Load, 60 s: 50 users, each replaying a random page's requests one after another with a
   think time of 1-3 s between requests (about 25 requests a second offered in all), while
   `barometer refresh --demo` replaces the database twice (different seeds). Every response
   carries X-Barometer-Data (the database's build time): the versions users saw are counted.
4. One user alone, 30 s, same mix, think time 0.05-0.15 s (alone, the pause only spaces
   requests; a short one gives enough samples for a p95).
5. Capacity, 20 s: as many users as the server has threads, no think time: requests a second.

Bounded: at most 50 user threads, each phase stops at its deadline (the load phase lasts 60 s,
or until 5 s after the second refresh ended if that is later, at most 3 x 60 s: on a busy
machine a refresh can take longer), 30 s timeout per request, loopback only. Errors are
transport failures and any status but 200/204.

Prints progress and, as its last line:
{"benchmark": "load", "users": 50, "requests", "errors", "p95_ms", "single_user_p95_ms",
 "ratio", "capacity_rps", "versions_seen", "peak_rss_mb_per_worker"}
ratio = p95 under load / p95 alone; versions_seen = how many of the two new databases users
were served. Targets (issue 12): errors 0, ratio <= 3, capacity >= 100 requests/s, both new
versions seen, <= 300 MB per worker. A benchmark, not a test.
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import requests

from benchmarks.harness import (
    BAROMETER,
    PAGES,
    ROOT,
    build_demo_data,
    child_pids,
    cpu_seconds,
    launch_chromium,
    load_average,
    peak_rss_mb,
    percentile,
    say,
    serving,
)

USERS = 50
LOAD_SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "60"))
ALONE_SECONDS = float(os.environ.get("BENCH_ALONE_SECONDS", "30"))
CAPACITY_SECONDS = float(os.environ.get("BENCH_CAPACITY_SECONDS", "20"))
REFRESH_AT = (0.15, 0.55)  # fractions of the load phase at which a refresh starts
AFTER_LAST = 5.0  # seconds the users go on after the last refresh ended
TIMEOUT = 30
INTERACTIONS = 2  # dropdowns changed per page after it loads
STATIC = ("/_dash-component-suites/", "/assets/", "/_favicon.ico", "/_barometer/")


@dataclass(frozen=True)
class Call:
    """One recorded request: method, path with query, and the JSON body of a callback."""

    method: str
    path: str
    body: bytes | None = None

    @property
    def label(self) -> str:
        """The page path, or the callback's first output for a callback."""
        if self.body is None:
            return f"{self.method} {self.path}"
        try:
            output = json.loads(self.body)["output"].strip(".").split("...")[0]
        except (ValueError, KeyError, AttributeError):
            output = "?"
        return f"callback {output.split('@')[0]}"


@dataclass
class Tally:
    """What one phase measured, filled by many threads."""

    latencies: list[float] = field(default_factory=list)
    by_label: dict[str, list[float]] = field(default_factory=dict)
    errors: Counter = field(default_factory=Counter)
    versions: list[tuple[float, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, label: str, seconds: float, problem: str | None, version: str | None) -> None:
        with self.lock:
            self.latencies.append(seconds * 1000)
            self.by_label.setdefault(label, []).append(seconds * 1000)
            if problem:
                self.errors[problem] += 1
            if version:
                self.versions.append((time.monotonic(), version))


def record_visits(url: str) -> dict[str, list[Call]]:
    """The dynamic requests Chromium makes for each page, in order."""
    from playwright.sync_api import sync_playwright

    visits: dict[str, list[Call]] = {}
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        context = browser.new_context(viewport={"width": 1600, "height": 1000})
        page = context.new_page()
        for name, path in PAGES.items():
            calls: list[Call] = []

            def keep(request, calls=calls) -> None:
                parsed = urlparse(request.url)
                if parsed.netloc != urlparse(url).netloc or parsed.path.startswith(STATIC):
                    return
                target = parsed.path + (f"?{parsed.query}" if parsed.query else "")
                body = request.post_data_buffer if request.method == "POST" else None
                calls.append(Call(request.method, target, body))

            page.on("request", keep)
            page.goto(url + path)
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(300)
            # Then what a user does next: pick another option in the page's first dropdowns
            # (each change runs the page's callbacks, and those that follow a URL change).
            controls = page.eval_on_selector_all(
                "button.dash-dropdown[id]", "buttons => buttons.map(b => b.id)"
            )
            for control in controls[:INTERACTIONS]:
                try:
                    page.click(f"#{control}", timeout=5000)
                    options = page.get_by_role("option")
                    if options.count() > 1:
                        options.nth(1).click(timeout=5000)
                    else:
                        page.keyboard.press("Escape")
                    page.wait_for_load_state("networkidle")
                    page.wait_for_timeout(300)
                except Exception as exc:  # a control that cannot be used this way: say so
                    say(f"{name}: could not use #{control}: {str(exc).splitlines()[0]}")
            page.remove_listener("request", keep)
            visits[name] = calls
        browser.close()
    return visits


def send(session: requests.Session, url: str, call: Call, tally: Tally) -> None:
    started = time.perf_counter()
    problem = version = None
    try:
        if call.method == "POST":
            reply = session.post(
                url + call.path,
                data=call.body,
                headers={"Content-Type": "application/json"},
                timeout=TIMEOUT,
            )
        else:
            reply = session.get(url + call.path, timeout=TIMEOUT)
        if reply.status_code not in (200, 204):
            problem = f"HTTP {reply.status_code} {call.method} {call.path.split('?')[0]}"
        version = reply.headers.get("X-Barometer-Data")
    except requests.RequestException as exc:
        problem = f"{type(exc).__name__} {call.method} {call.path.split('?')[0]}"
    tally.add(call.label, time.perf_counter() - started, problem, version)


def user(
    url: str,
    visits: dict[str, list[Call]],
    tally: Tally,
    deadline: list[float],
    think: tuple[float, float],
    seed: int,
) -> None:
    """Replay random pages until deadline[0] (which may move), pausing `think` seconds."""
    rng = random.Random(seed)
    names = sorted(visits)
    with requests.Session() as session:
        # Users arrive spread over the first think time, not all in the same millisecond.
        time.sleep(rng.uniform(0, think[1]))
        while time.monotonic() < deadline[0]:
            for call in visits[rng.choice(names)]:
                if time.monotonic() >= deadline[0]:
                    return
                send(session, url, call, tally)
                if think[1] > 0:
                    time.sleep(rng.uniform(*think))


def run_users(
    url: str,
    visits: dict[str, list[Call]],
    count: int,
    seconds: float,
    think: tuple[float, float],
    deadline: list[float] | None = None,
) -> tuple[Tally, float]:
    """`count` users for `seconds` (or until `deadline[0]`, which another thread may move)."""
    tally = Tally()
    started = time.monotonic()
    deadline = deadline or [started + seconds]
    threads = [
        threading.Thread(target=user, args=(url, visits, tally, deadline, think, n), daemon=True)
        for n in range(min(count, USERS))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(0.0, deadline[0] - time.monotonic()) + TIMEOUT + 5)
    return tally, time.monotonic() - started


def refresher(
    data_dir: Path,
    starts: list[float],
    done: list[tuple[float, str]],
    deadline: list[float],
    cap: float,
) -> None:
    """Run `barometer refresh --demo` at the given times (each after the one before); record
    when each ended, and keep the users going until AFTER_LAST seconds after the last (on a
    busy machine a refresh can outlast the phase), but not past `cap`."""
    planned_end = deadline[0]
    deadline[0] = cap  # until the refreshes are done
    for number, at in enumerate(starts, start=1):
        time.sleep(max(0.0, at - time.monotonic()))
        began = time.monotonic()
        finished = subprocess.run(
            [*BAROMETER, "refresh", "--demo", "--seed", str(2026 + number)],
            cwd=ROOT,
            env={**os.environ, "BAROMETER_DATA_DIR": str(data_dir)},
            capture_output=True,
            text=True,
        )
        status = "ok" if finished.returncode == 0 else finished.stderr.strip()[-300:]
        say(f"refresh {number}: {time.monotonic() - began:.1f} s, {status}")
        done.append((time.monotonic(), status))
    deadline[0] = min(cap, max(planned_end, time.monotonic() + AFTER_LAST))


def database_version(url: str) -> str:
    return requests.get(f"{url}/_dash-layout", timeout=TIMEOUT).headers["X-Barometer-Data"]


def main() -> None:
    say(f"load average before: {load_average()}")
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder) / "data"
        build_demo_data(data_dir, boundaries=False)
        with serving(data_dir) as (url, server, described):
            assert urlparse(url).hostname == "127.0.0.1"
            visits = record_visits(url)
            calls = sum(len(v) for v in visits.values())
            say(
                f"recorded {calls} requests over {len(visits)} pages: "
                + ", ".join(f"{name} {len(v)}" for name, v in visits.items())
            )
            run_users(url, visits, 4, 5, (0.0, 0.0))  # warm every worker's caches
            first_version = database_version(url)

            say(f"load: {USERS} users, {LOAD_SECONDS:.0f} s, think time 1-3 s, 2 refreshes")
            begin = time.monotonic()
            starts = [begin + LOAD_SECONDS * f for f in REFRESH_AT]
            ended: list[tuple[float, str]] = []
            deadline = [begin + LOAD_SECONDS]
            cap = begin + 3 * LOAD_SECONDS
            swaps = threading.Thread(
                target=refresher, args=(data_dir, starts, ended, deadline, cap)
            )
            swaps.start()
            while deadline[0] != cap:  # the refresher has taken charge of the deadline
                time.sleep(0.01)
            loaded, seconds = run_users(
                url, visits, USERS, LOAD_SECONDS, (1.0, 3.0), deadline=deadline
            )
            swaps.join()
            say(f"load average during: {load_average()}")
            seen = {version for _, version in loaded.versions}
            new_versions = seen - {first_version}
            served_after = [v for t, v in loaded.versions if ended and t > ended[-1][0]]
            say(
                f"load: {len(loaded.latencies)} requests in {seconds:.1f} s "
                f"({len(loaded.latencies) / seconds:.1f}/s), p50 "
                f"{percentile(loaded.latencies, 50):.0f} ms, p95 "
                f"{percentile(loaded.latencies, 95):.0f} ms, max {max(loaded.latencies):.0f} ms; "
                f"errors {sum(loaded.errors.values())} {dict(loaded.errors)}; "
                f"versions seen {len(seen)} ({len(new_versions)} new); "
                f"after the last refresh: {sorted(set(served_after))}"
            )

            slowest = sorted(loaded.by_label.items(), key=lambda item: -percentile(item[1], 95))
            say(
                "load, slowest requests (p95): "
                + "; ".join(f"{label} {percentile(ms, 95):.0f} ms" for label, ms in slowest[:6])
            )

            alone, seconds = run_users(url, visits, 1, ALONE_SECONDS, (0.05, 0.15))
            costly = sorted(alone.by_label.items(), key=lambda item: -percentile(item[1], 50))
            say(
                "alone, slowest requests (p50): "
                + "; ".join(f"{label} {percentile(ms, 50):.0f} ms" for label, ms in costly[:6])
            )
            say(
                f"alone: {len(alone.latencies)} requests, p50 "
                f"{percentile(alone.latencies, 50):.0f} ms, p95 "
                f"{percentile(alone.latencies, 95):.0f} ms; errors {sum(alone.errors.values())}"
            )

            workers = child_pids(server.pid)
            shape = re.search(r"(\d+) worker processes x (\d+) threads", described)
            width = int(shape.group(1)) * int(shape.group(2)) if shape else 2 * len(workers)
            used = cpu_seconds(workers)
            full, seconds = run_users(url, visits, width, CAPACITY_SECONDS, (0.0, 0.0))
            used = cpu_seconds(workers) - used
            capacity = len(full.latencies) / seconds
            say(
                f"capacity: {width} users without pauses: {len(full.latencies)} requests in "
                f"{seconds:.1f} s = {capacity:.1f}/s, p50 {percentile(full.latencies, 50):.0f} ms,"
                f" errors {sum(full.errors.values())} {dict(full.errors)}; load average "
                f"{load_average()}"
            )
            # The machine is shared: what the workers got of it, and what that buys per core.
            available = seconds * (os.cpu_count() or 1)
            say(
                f"capacity: the workers used {used:.1f} CPU s of {available:.0f}"
                f" = {1000 * used / max(1, len(full.latencies)):.1f} ms of CPU per request "
                f"({len(full.latencies) / max(used, 1e-9):.0f} requests per CPU second)"
            )
            peaks = [peak_rss_mb(pid) for pid in workers]
            say(
                f"workers {len(workers)}: peak memory "
                + ", ".join(f"{peak:.0f} MB" for peak in peaks)
            )
            say(f"load average after: {load_average()}")

    p95 = percentile(loaded.latencies, 95)
    alone_p95 = percentile(alone.latencies, 95)
    result = {
        "benchmark": "load",
        "users": USERS,
        "requests": len(loaded.latencies),
        "errors": sum(sum(t.errors.values()) for t in (loaded, alone, full)),
        "p95_ms": round(p95, 1),
        "single_user_p95_ms": round(alone_p95, 1),
        "ratio": round(p95 / alone_p95, 2),
        "capacity_rps": round(capacity, 1),
        "versions_seen": len(new_versions),
        "peak_rss_mb_per_worker": round(max(peaks), 1) if peaks else None,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
