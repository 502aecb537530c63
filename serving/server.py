"""The server process behind `barometer serve`: gunicorn, waitress where gunicorn cannot run.

Workers and threads for the machine (the rule, measured on 2 cores with benchmarks/load.py):
- gunicorn: `cores + 1` worker processes (at least 2), each with 4 threads (gthread worker).
  A callback's work is mostly Python holding the GIL, so processes, not threads, use the cores;
  the extra process covers the moments one waits on DuckDB or a slow client, and the threads let
  a process overlap those waits. Each worker holds its own read-only DuckDB connection and
  caches (benchmarks/load.py prints the peak memory per worker).
- waitress (Windows, where gunicorn's fork and fcntl are missing): one process, so
  `4 * (cores + 1)` threads for the same number of requests in flight.
`--workers`/`--threads` (or BAROMETER_WORKERS/BAROMETER_THREADS) override the rule.

`--debug` runs Dash's development server instead (reloader, dev tools, tracebacks in the
browser): never in production.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Any

THREADS_PER_WORKER = 4


def available_cores() -> int:
    """Cores this process may run on (the CPU affinity mask where the OS has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


@dataclass(frozen=True)
class ServerPlan:
    """How the dashboard will be served."""

    kind: str  # "gunicorn", "waitress" or "development"
    host: str
    port: int
    workers: int
    threads: int
    access_log: bool = False

    @property
    def address(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    def describe(self) -> str:
        if self.kind == "gunicorn":
            shape = f"{self.workers} worker processes x {self.threads} threads"
        elif self.kind == "waitress":
            shape = f"{self.threads} threads"
        else:
            shape = "debug mode, one process: never in production"
        return f"{self.kind} on http://{self.address}/ ({shape})"


def gunicorn_available() -> bool:
    """gunicorn needs fork and fcntl: not on Windows."""
    if sys.platform == "win32":
        return False
    try:
        import gunicorn  # noqa: F401
    except ImportError:
        return False
    return True


def plan_server(
    host: str,
    port: int,
    debug: bool = False,
    server: str = "auto",
    workers: int | None = None,
    threads: int | None = None,
    access_log: bool = False,
) -> ServerPlan:
    """Choose the server and its size from the machine, the options and the environment."""
    env_workers = os.environ.get("BAROMETER_WORKERS")
    env_threads = os.environ.get("BAROMETER_THREADS")
    cores = available_cores()
    workers = workers or (int(env_workers) if env_workers else max(2, cores + 1))
    threads = threads or (int(env_threads) if env_threads else THREADS_PER_WORKER)
    if workers < 1 or threads < 1:
        raise ValueError("workers and threads must be at least 1")
    if debug:
        return ServerPlan("development", host, port, 1, 1)
    kind = server if server != "auto" else ("gunicorn" if gunicorn_available() else "waitress")
    if kind == "waitress":
        return ServerPlan("waitress", host, port, 1, workers * threads, access_log)
    return ServerPlan("gunicorn", host, port, workers, threads, access_log)


def gunicorn_options(plan: ServerPlan) -> dict[str, Any]:
    """gunicorn settings (https://docs.gunicorn.org/en/stable/settings.html)."""
    options: dict[str, Any] = {
        "bind": [plan.address],
        "workers": plan.workers,
        "threads": plan.threads,
        "worker_class": "gthread",
        # Import the app once in the master and fork: workers start in milliseconds and share
        # the imported code's memory. The database is opened lazily, in each worker.
        "preload_app": True,
        "timeout": 60,
        "graceful_timeout": 30,
        "keepalive": 5,
        "errorlog": "-",
        "accesslog": "-" if plan.access_log else None,
        "proc_name": "barometer",
        # gunicorn >= 25.1 opens a control socket in the user's home by default: two servers
        # (replicas, a benchmark beside a running one) would share it.
        "control_socket_disable": True,
    }
    if os.path.isdir("/dev/shm"):
        options["worker_tmp_dir"] = "/dev/shm"  # heartbeat files off a slow or full disk
    return options


def run_gunicorn(plan: ServerPlan) -> None:
    from gunicorn.app.base import BaseApplication

    class Barometer(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in gunicorn_options(plan).items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return prepared_app()

    Barometer(prog="barometer serve").run()


def prepared_app() -> Any:
    """The WSGI app with its static files compressed ahead (see compression.precompress)."""
    import time

    from app import app
    from queries.db import close
    from serving.compression import precompress

    read_catalogues()
    started = time.monotonic()
    packed = precompress(app)
    close()  # nothing should have opened the database; never hand a connection to a fork
    print(
        f"compressed the static files ahead: {packed / 1e6:.1f} MB in "
        f"{time.monotonic() - started:.1f} s",
        flush=True,
    )
    return app.server


def read_catalogues() -> None:
    """Read the files each worker would otherwise read at its first request, once, before the
    fork: the indicator catalogue, sources.yml (checked entry by entry: 120 ms) and events.yml.
    They change only with the code; the workers share what is read here."""
    from indicators.registry import list_indicators, list_unavailable
    from queries.about import stored_tables
    from queries.trend import load_events

    list_indicators()
    list_unavailable()
    stored_tables()  # and with it loaders.sources.shipped_sources()
    load_events()


def run_waitress(plan: ServerPlan) -> None:
    import waitress

    server = prepared_app()
    # ident: the Server header names no software (waitress sends its own name by default).
    waitress.serve(server, host=plan.host, port=plan.port, threads=plan.threads, ident="")


def run_development(plan: ServerPlan) -> None:
    from werkzeug.serving import WSGIRequestHandler

    from app import app

    class QuietHandler(WSGIRequestHandler):
        """Werkzeug's handler without its and Python's versions in the Server header."""

        def version_string(self) -> str:
            return "barometer"

    app.run(
        host=plan.host,
        port=plan.port,
        debug=True,
        dev_tools_disable_version_check=True,  # it would ask a server on the internet
        request_handler=QuietHandler,
    )


def run(plan: ServerPlan) -> None:
    """Serve until stopped (Ctrl+C or SIGTERM)."""
    {"gunicorn": run_gunicorn, "waitress": run_waitress, "development": run_development}[plan.kind](
        plan
    )
