"""Benchmark: the Compare page's main callback for every Norwegian municipality, against a floor.

Uses the database in BAROMETER_DATA_DIR when it holds one, otherwise builds the demo database
in a temporary folder (not timed). Runs the app in-process (Flask test client, no socket) and
posts to `/_dash-update-component` the request body the browser sends when the period control
changes: output, outputs, inputs, state and changedPropIds read from `/_dash-dependencies`.
The view is nonwestern_share for Norway, peers=all: 357 municipalities (bars with intervals,
the missing ones listed), a funnel plot and the table.

The floor is a trivial callback registered only here that returns, precomputed, exactly what
the main callback returned (the same figures, table and options: a response of the same
size), so floor and main differ only by the work the callback does. The floor of just the
ranked figure (357 bars) is printed too, for reference.

Prints progress and, as its last line, one JSON object:
{"benchmark": "callbacks", "p50_ms", "p95_ms", "floor_p95_ms", "ratio"} with
ratio = p95 / floor_p95. Target: ratio <= 2. A benchmark, not a test.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from benchmarks.harness import percentile

RUNS = int(os.environ.get("BENCH_RUNS", "50"))
WARMUP = 5
MAIN_OUTPUT = "compare-bar.figure"


def ensure_database(folder: Path) -> Path:
    """The data folder to use: BAROMETER_DATA_DIR if it holds a database, else a new demo one."""
    wanted = os.environ.get("BAROMETER_DATA_DIR")
    if wanted and (Path(wanted) / "barometer.duckdb").exists():
        print(f"reusing the database in {wanted}", flush=True)
        return Path(wanted)
    from loaders.refresh import refresh_demo
    from settings import Settings

    settings = replace(Settings(), data_dir=folder)
    print(f"building the demo database in {folder} (not timed)", flush=True)
    refresh_demo(settings, progress=lambda line: print(line, flush=True))
    os.environ["BAROMETER_DATA_DIR"] = str(folder)
    return folder


def split_outputs(output: str) -> list[dict[str, str]]:
    """'..a.b...c.d..' (Dash's multi-output id) as [{"id": "a", "property": "b"}, ...]."""
    parts = output.strip(".").split("...")
    found = []
    for part in parts:
        component, _, prop = part.rpartition(".")
        found.append({"id": component, "property": prop})
    return found


def request_body(dependency: dict[str, Any], values: dict[str, Any], changed: str) -> dict:
    """The body the renderer posts for a dependency, with the given input and state values."""

    def items(kind: str) -> list[dict[str, Any]]:
        return [
            {
                "id": d["id"],
                "property": d["property"],
                "value": values[f"{d['id']}.{d['property']}"],
            }
            for d in dependency.get(kind, [])
        ]

    outputs: Any = split_outputs(dependency["output"])
    if not dependency["output"].startswith(".."):
        outputs = outputs[0]  # a single output is sent as one object, not a list
    return {
        "output": dependency["output"],
        "outputs": outputs,
        "inputs": items("inputs"),
        "state": items("state"),
        "changedPropIds": [changed],
        "parsedChangedPropsIds": [changed],
    }


def post(client: Any, body: dict) -> tuple[float, bytes]:
    started = time.perf_counter()
    reply = client.post("/_dash-update-component", json=body)
    elapsed = (time.perf_counter() - started) * 1000
    if reply.status_code != 200:
        sys.exit(f"callback failed with HTTP {reply.status_code}: {reply.data[:500]!r}")
    return elapsed, reply.data


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        ensure_database(Path(folder))
        run()


def run() -> None:
    from dash import Input, Output

    from app import app
    from queries.compare import list_periods

    # The floors: trivial callbacks returning precomputed values (filled in below).
    precomputed: dict[str, Any] = {}
    period = list_periods("nonwestern_share", "NO")[0]
    values = {
        "compare-indicator.value": "nonwestern_share",
        "compare-period.value": period,
        "compare-country.value": "NO",
        "compare-focus.value": None,
        "compare-peers.value": "all",
        "compare-group-members.value": [],
        "compare-group-name.value": "My group",
        "compare-lang.data": "en",
        "bench-floor-input.value": period,
    }
    client = app.server.test_client()

    # Dash freezes the callback list at the first request: register the floors first. Their
    # outputs mirror the main callback's (ids prefixed), read from the callback map.
    from pages.compare import OUTPUTS  # loaded by the app's page registry

    outputs = [
        Output(f"bench-floor-{i}", str(o.component_property))
        for i, o in enumerate(OUTPUTS.values())
    ]

    @app.callback(*outputs, Input("bench-floor-input", "value"), prevent_initial_call=True)
    def floor_everything(_: Any) -> tuple:
        return precomputed["all"]

    @app.callback(
        Output("bench-floor-figure", "figure"),
        Input("bench-floor-input", "value"),
        prevent_initial_call=True,
    )
    def floor_figure(_: Any) -> dict:
        return precomputed["figure"]

    dependencies = client.get("/_dash-dependencies").get_json()
    main = next(d for d in dependencies if MAIN_OUTPUT in d["output"])
    floor = next(d for d in dependencies if d["output"].startswith("..bench-floor-0."))
    figure_floor = next(d for d in dependencies if d["output"] == "bench-floor-figure.figure")
    shape = split_outputs(main["output"])
    main_body = request_body(main, values, "compare-period.value")
    floor_body = request_body(floor, values, "bench-floor-input.value")
    figure_body = request_body(figure_floor, values, "bench-floor-input.value")

    _, data = post(client, main_body)
    response = json.loads(data)["response"]
    # Outputs with allow_duplicate carry a suffix in the property name ("href@<hash>").
    precomputed["all"] = tuple(response[o["id"]][o["property"].split("@")[0]] for o in shape)
    figure = response["compare-bar"]["figure"]
    precomputed["figure"] = figure
    bars = sum(len(t["y"]) for t in figure["data"] if t["type"] == "bar")
    missing = len(response["compare-table"]["data"]) - bars
    print(
        f"compare view: nonwestern_share, NO, {period}, peers=all: {bars} bars + {missing} "
        f"listed as missing = {bars + missing} municipalities; response {len(data):,} bytes",
        flush=True,
    )
    _, floor_data = post(client, floor_body)
    _, figure_data = post(client, figure_body)
    print(
        f"floor response {len(floor_data):,} bytes; figure-only floor {len(figure_data):,} bytes",
        flush=True,
    )

    for _ in range(WARMUP):
        post(client, main_body)
        post(client, floor_body)
        post(client, figure_body)
    timings: dict[str, list[float]] = {"main": [], "floor": [], "figure": []}
    bodies = {"main": main_body, "floor": floor_body, "figure": figure_body}
    for run_number in range(1, RUNS + 1):
        for name, body in bodies.items():  # interleaved, so drift hits all alike
            timings[name].append(post(client, body)[0])
        if run_number % 10 == 0 or run_number == RUNS:
            print(
                f"run {run_number}/{RUNS}: main {timings['main'][-1]:.1f} ms, "
                f"floor {timings['floor'][-1]:.1f} ms, figure floor {timings['figure'][-1]:.1f} ms",
                flush=True,
            )

    # For reference: the same request with the per-database read cache emptied first (every
    # request reads DuckDB), as after a refresh or for a view nobody has asked for yet.
    from queries import compare as compare_queries

    cold = []
    for _ in range(10):
        compare_queries.clear_read_cache()
        cold.append(post(client, main_body)[0])
    print(f"main without cached reads: p50 {percentile(cold, 50):.1f} ms", flush=True)

    p50, p95 = percentile(timings["main"], 50), percentile(timings["main"], 95)
    floor_p95 = percentile(timings["floor"], 95)
    figure_p95 = percentile(timings["figure"], 95)
    print(
        f"main p50 {p50:.1f} ms, p95 {p95:.1f} ms (mean {statistics.mean(timings['main']):.1f}); "
        f"floor p50 {percentile(timings['floor'], 50):.1f} ms, p95 {floor_p95:.1f} ms; "
        f"figure-only floor p95 {figure_p95:.1f} ms (ratio to it {p95 / figure_p95:.2f})",
        flush=True,
    )
    result = {
        "benchmark": "callbacks",
        "p50_ms": round(p50, 2),
        "p95_ms": round(p95, 2),
        "floor_p95_ms": round(floor_p95, 2),
        "ratio": round(p95 / floor_p95, 2),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
