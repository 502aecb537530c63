"""Benchmark: our JSON-stat decoder against pyjstat on a 1,000,000-cell SSB-shaped answer.

Run with ``uv run python -m benchmarks.decode``. Prints progress lines, then as its last line
one JSON object with the timings, the speedup and our peak memory (tracemalloc).
Both decoders are timed from the JSON text, so parsing is included for both.
"""

from __future__ import annotations

import json
import math
import time
import tracemalloc
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pyjstat.pyjstat as pyjstat

from loaders.jsonstat import decode

# Shaped like an SSB json-stat2 answer (e.g. table 11607): 400 x 10 x 2 x 5 x 1 x 25 cells.
SHAPE = {"Region": 400, "Alder": 10, "Kjonn": 2, "Landbakgrunn": 5, "ContentsCode": 1, "Tid": 25}
MISSING_SHARE = 0.03
SYMBOLS = ["..", ":", ".", "...", "-"]
OUR_RUNS = 5
SEED = 20240601


def build_dataset(seed: int = SEED) -> str:
    """A seeded JSON-stat 2.0 dataset as JSON text, with nulls and a status object for them."""
    rng = np.random.default_rng(seed)
    categories = {
        "Region": [f"{3001 + i:04d}" for i in range(SHAPE["Region"])],
        "Alder": [f"{15 + 5 * i}-{19 + 5 * i}" for i in range(SHAPE["Alder"])],
        "Kjonn": ["1", "2"],
        "Landbakgrunn": ["zzz", "eee", "a15", "b11", "c20"],
        "ContentsCode": ["Sysselsatte2"],
        "Tid": [str(2000 + i) for i in range(SHAPE["Tid"])],
    }
    dimension = {
        dim: {
            "label": dim.lower(),
            "category": {
                "index": {code: i for i, code in enumerate(codes)},
                "label": {code: f"{dim} {code}" for code in codes},
            },
        }
        for dim, codes in categories.items()
    }
    cells = math.prod(SHAPE.values())
    values: list[Any] = np.round(rng.uniform(0, 100, cells), 1).tolist()
    missing = np.sort(rng.choice(cells, int(cells * MISSING_SHARE), replace=False))
    symbols = rng.choice(SYMBOLS, missing.size)
    for position in missing.tolist():
        values[position] = None
    dataset = {
        "version": "2.0",
        "class": "dataset",
        "label": "11607: Sysselsatte (benchmark data, not real numbers)",
        "source": "Statistisk sentralbyrå",
        "updated": "2024-06-01T06:00:00Z",
        "role": {"time": ["Tid"], "metric": ["ContentsCode"], "geo": ["Region"]},
        "id": list(SHAPE),
        "size": list(SHAPE.values()),
        "dimension": dimension,
        "value": values,
        "status": {str(p): str(s) for p, s in zip(missing.tolist(), symbols, strict=True)},
    }
    return json.dumps(dataset, ensure_ascii=False)


def decode_with_pyjstat(text: str) -> pd.DataFrame:
    """The reference: pyjstat's documented way to get a DataFrame from JSON-stat text."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return pyjstat.Dataset.read(text).write("dataframe")


def timed(function: Callable[[str], pd.DataFrame], text: str) -> tuple[float, pd.DataFrame]:
    start = time.perf_counter()
    result = function(text)
    return time.perf_counter() - start, result


def peak_mb(function: Callable[[str], pd.DataFrame], text: str) -> float:
    """Peak traced allocation while decoding, in MB (the input text itself not counted)."""
    tracemalloc.start()
    try:
        function(text)
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def main() -> None:
    print("building a 1,000,000-cell JSON-stat 2.0 dataset ...", flush=True)
    text = build_dataset()
    print(f"  {len(text) / 1e6:.1f} MB of JSON text", flush=True)

    ours_times = []
    ours = pd.DataFrame()
    for run in range(OUR_RUNS):
        del ours  # free the previous result first, so each run starts from the same state
        seconds, ours = timed(decode, text)
        ours_times.append(seconds)
        print(f"ours run {run + 1}: {seconds:.3f} s", flush=True)
    ours_s = min(ours_times)

    print("pyjstat (one run, slow) ...", flush=True)
    pyjstat_s, theirs = timed(decode_with_pyjstat, text)
    print(f"pyjstat: {pyjstat_s:.3f} s", flush=True)

    our_values = ours["value"].to_numpy()
    their_values = pd.to_numeric(theirs["value"]).to_numpy(dtype=np.float64)
    same_sum = math.isclose(np.nansum(our_values), np.nansum(their_values), rel_tol=1e-12)
    same_cells = bool(np.array_equal(our_values, their_values, equal_nan=True))
    print(f"values agree: sum {same_sum}, cell by cell {same_cells}", flush=True)
    symbols = ours["status"].value_counts().to_dict()
    print(f"status symbols kept: {symbols}", flush=True)

    ours_peak_mb = peak_mb(decode, text)
    print(f"our peak memory: {ours_peak_mb:.1f} MB", flush=True)

    print(
        json.dumps(
            {
                "benchmark": "decode",
                "cells": len(ours),
                "ours_s": round(ours_s, 3),
                "pyjstat_s": round(pyjstat_s, 3),
                "speedup": round(pyjstat_s / ours_s, 1),
                "ours_peak_mb": round(ours_peak_mb, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
