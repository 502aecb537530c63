"""Benchmark: compute every indicator for every municipality and period of both countries.

Builds the demo database from the simulator (not timed), then times `compute_all` on it and
prints as its last line one JSON object: {"benchmark": "compute", "rows", "seconds", "rows_per_s"}.
Target: the whole catalogue in under 10 s on 2 cores. A benchmark, not a test.
"""

from __future__ import annotations

import json
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import duckdb

from indicators.compute import compute_all
from indicators.registry import list_indicators
from loaders.refresh import refresh_demo
from settings import Settings


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        settings = replace(Settings(), data_dir=Path(folder))
        print("building the demo database (not timed)", flush=True)
        refresh_demo(settings, progress=lambda line: print(line, flush=True))
        con = duckdb.connect(str(settings.database_path))
        try:
            timings = []
            for run in range(3):
                started = time.perf_counter()
                compute_all(con)
                timings.append(time.perf_counter() - started)
                print(f"run {run + 1}: {timings[-1]:.2f} s", flush=True)
            (rows,) = con.execute("SELECT count(*) FROM indicator_values").fetchone() or (0,)
        finally:
            con.close()
    seconds = min(timings)
    print(f"{len(list_indicators())} indicators, {rows:,} rows; best of {len(timings)} runs")
    result = {
        "benchmark": "compute",
        "rows": rows,
        "seconds": round(seconds, 3),
        "rows_per_s": round(rows / seconds),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
