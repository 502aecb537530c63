"""Export sizes and times: every format for all indicators, on the database of
BAROMETER_DATA_DIR (build one with `barometer refresh --demo` first).

    uv run python -m benchmarks.exports [--municipalities 151,740,751] [--repeat 3]

Prints one line per format: bytes, and the seconds of each run (the first image or deck
includes starting Chromium; later ones find it warm). Charts and the deck need municipalities.
"""

from __future__ import annotations

import argparse
import time

from exports.render import stop
from exports.run import ExportRequest, export_bytes

CASES = [
    ("csv", "all", "plain"),
    ("csv", "all", "spreadsheet"),
    ("xlsx", "all", "plain"),
    ("png", "employment_gap", "plain"),
    ("svg", "employment_gap", "plain"),
    ("pptx", "all", "plain"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--municipalities", default="151,740,751,730,746,615")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    codes = args.municipalities.split(",")
    for fmt, indicator, variant in CASES:
        request = ExportRequest(
            indicator, fmt, codes if fmt in ("png", "svg", "pptx") else (), variant=variant
        )
        seconds, size = [], 0
        for _ in range(args.repeat):
            started = time.perf_counter()
            data, _name = export_bytes(request)
            seconds.append(time.perf_counter() - started)
            size = len(data)
        runs = ", ".join(f"{s:.2f}" for s in seconds)
        print(f"{fmt:5} {indicator:15} {variant:12} {size:>10,} bytes  seconds: {runs}", flush=True)
    stop()


if __name__ == "__main__":
    main()
