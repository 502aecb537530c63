"""Export sizes and times: every format, on the database of BAROMETER_DATA_DIR (build one with
`barometer refresh --demo` first).

    uv run python -m benchmarks.exports [--municipalities 151,740,751] [--repeat 3]

Prints one line per format and variant: bytes, and the seconds of each run. The data package
(both CSV variants) and the workbook hold every indicator; an image shows one indicator for the
municipalities; the deck has a slide per indicator of their country. The first image or deck of
a process includes starting Chromium; later ones find it warm. Last, the whole download
catalogue of the latest data (every indicator and all at once, three files each), made as the
download page makes it, into a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from exports.render import stop
from exports.run import FORMATS, ExportRequest, export_bytes

IMAGES = ("png", "svg")


def requests(codes: list[str]) -> list[ExportRequest]:
    """One request per format (and CSV variant): tables of everything, charts of `codes`."""
    found = []
    for fmt in FORMATS:
        if fmt in IMAGES:
            found.append(ExportRequest("employment_gap", fmt, codes))
        elif fmt == "pptx":
            found.append(ExportRequest("all", fmt, codes))
        else:
            found.append(ExportRequest("all", fmt))
    csv = found[FORMATS.index("csv")]
    found.insert(1, replace(csv, variant="spreadsheet"))
    return found


def measure_catalogue() -> None:
    """The whole download catalogue of the latest data, made into a temporary folder (the data
    folder's own download files are left alone)."""
    from exports.downloads import catalogue_names, make, parse_name, shelf
    from views.snapshots import resolve_snapshot

    place = shelf(resolve_snapshot("latest"))
    with tempfile.TemporaryDirectory() as folder:
        place = replace(place, folder=Path(folder))
        started = time.perf_counter()
        sizes = []
        for name in catalogue_names():
            request = parse_name(name)
            assert request is not None
            sizes.append(make(place, name, request).size)
        seconds = time.perf_counter() - started
    print(
        f"catalogue: {len(sizes)} files, {sum(sizes):,} bytes in {seconds:.1f} s "
        f"(largest {max(sizes):,} bytes)",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--municipalities", default="151,740,751,730,746,615")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"database: {os.environ.get('BAROMETER_DATA_DIR', 'data')}/barometer.duckdb")
    for request in requests(args.municipalities.split(",")):
        seconds, size = [], 0
        for _ in range(args.repeat):
            started = time.perf_counter()
            data, _name = export_bytes(request)
            seconds.append(time.perf_counter() - started)
            size = len(data)
        runs = ", ".join(f"{s:.2f}" for s in seconds)
        what = f"{request.format:5} {request.indicator:15} {request.variant:12}"
        print(f"{what} {size:>10,} bytes  seconds: {runs}", flush=True)
    measure_catalogue()
    stop()


if __name__ == "__main__":
    main()
