"""The `barometer` command: doctor, refresh, serve, simulate, values, snapshot, changes, export."""

from __future__ import annotations

import argparse
import json
import logging
import math
import sys
from dataclasses import replace

from errors import BarometerError
from settings import BadSetting, Settings

log = logging.getLogger("barometer")


def cmd_refresh(args: argparse.Namespace) -> int:
    from loaders.refresh import refresh, refresh_demo

    settings = Settings.from_env()
    if args.demo:
        result = refresh_demo(settings, seed=args.seed, wait=args.wait, release=args.release)
    elif args.release != "current":
        raise BarometerError("--release chooses the simulator's release: use it with --demo")
    else:
        result = refresh(settings, wait=args.wait)
    print(
        f"refreshed {result.database} ({result.source} data): {result.tables} tables, "
        f"{result.cells:,} cells in {result.seconds:.1f} s; version kept as {result.version.name}"
    )
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    from loaders.doctor import render, run_doctor

    report = run_doctor(Settings.from_env())
    if args.json:
        json.dump(report.as_json(), sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        print(render(report))
    return 0 if report.ok else 1


def ensure_database(settings: Settings) -> None:
    """Build a database if there is none, or if this version cannot read the one there (built
    by another version): live first, the simulator's demo data offline."""
    from errors import DatabaseUnreadable
    from loaders.refresh import refresh, refresh_demo
    from queries.db import open_readable

    if settings.database_path.exists():
        try:
            open_readable(str(settings.database_path)).close()
            return
        except DatabaseUnreadable as exc:
            print(f"the database cannot be read by this version ({exc.reason}): building it again")
    else:
        print("no database yet")
    print("trying the live providers")
    quick = replace(settings, connect_timeout=5.0, read_timeout=60.0, retries=0)
    try:
        refresh(quick)
    except BarometerError as exc:
        print(f"live refresh failed ({exc}); falling back to simulated demo data")
        refresh_demo(settings)


def cmd_serve(args: argparse.Namespace) -> int:
    from serving.server import plan_server, run

    plan = plan_server(
        args.host,
        args.port,
        debug=args.debug,
        server=args.server,
        workers=args.workers,
        threads=args.threads,
        access_log=args.access_log,
    )
    settings = Settings.from_env()
    ensure_database(settings)
    print(f"serving with {plan.describe()} (Ctrl+C to stop)", flush=True)
    run(plan)
    return 0


def cmd_simulate(args: argparse.Namespace) -> int:
    from simulator.releases import get_release
    from simulator.server import run

    run(port=args.port, seed=args.seed, release=get_release(args.release))
    return 0


def cmd_snapshot(args: argparse.Namespace) -> int:
    from loaders import snapshots

    settings = Settings.from_env()
    if args.action == "pin":
        version = snapshots.pin(settings.data_dir, args.label, args.version)
        print(f"pinned {version.id} as “{' '.join(args.label.split())}”")
    elif args.action == "unpin":
        found = snapshots.unpin(settings.data_dir, args.label)
        print(
            f"unpinned “{found.label}” ({found.version}); it is now kept while among the "
            f"newest {snapshots.KEEP} versions"
        )
    else:
        print(render_snapshots(settings))
    return 0


def cmd_changes(args: argparse.Namespace) -> int:
    from locales import _, normalise_language
    from views.changes import (
        KIND_HEADINGS,
        ChangesView,
        describe_change,
        heading,
        read_view,
        summary,
    )

    lang = normalise_language(args.lang)
    view = read_view(args.before, args.after, args.municipalities, args.indicators, lang)
    if not isinstance(view, ChangesView):
        links = ", ".join(link.label for link in view.links)
        closest = f" ({view.links_intro} {links})" if links else ""
        raise BarometerError(f"{view.title}: {view.message}{closest}")
    print(heading(view, lang))
    print(summary(view, lang))
    indicators = {i.id: i for i in view.indicators}
    for kind, changes in view.by_kind().items():
        if changes:
            print(f"\n{_(KIND_HEADINGS[kind], lang)}")
            for change in changes:
                print(f"  {describe_change(change, indicators[change.indicator], lang)}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    import time
    from pathlib import Path

    from exports.files import write_file
    from exports.run import ExportRequest, export_bytes

    codes = [c.strip() for c in (args.municipalities or "").split(",") if c.strip()]
    request = ExportRequest(
        args.indicator,
        args.format,
        codes,
        args.snapshot,
        "spreadsheet" if args.spreadsheet else "plain",
        args.peers or "",
        args.lang,
        args.since,
    )
    started = time.monotonic()
    target = Path(args.output)
    size = write_file(target, lambda: export_bytes(request)[0])
    print(f"wrote {target} ({size:,} bytes) in {time.monotonic() - started:.1f} s")
    return 0


def render_snapshots(settings: Settings) -> str:
    """`barometer snapshot list`: label, id, built, source, size and SHA-256 of each version."""
    from loaders import snapshots

    return snapshots.render_list(settings.versions_dir)


def _json_value(value: object) -> object:
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def cmd_values(args: argparse.Namespace) -> int:
    from indicators.registry import get_indicator, list_indicators
    from queries.values import get_values

    if get_indicator(args.indicator) is None:
        known = ", ".join(i.id for i in list_indicators())
        raise BarometerError(f"unknown indicator {args.indicator!r}; known: {known}")
    frame = get_values(args.indicator, args.municipality, args.period, args.country)
    if frame.empty:
        raise BarometerError("no values match that indicator, municipality and period")
    if args.format == "json":
        records = [
            {key: _json_value(value) for key, value in row.items()}
            for row in frame.to_dict(orient="records")
        ]
        json.dump(records, sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        frame.to_csv(sys.stdout, index=False)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="barometer", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    doctor = commands.add_parser(
        "doctor", help="check the providers: tables, codes and labels, request plans (no writes)"
    )
    doctor.add_argument("--json", action="store_true", help="machine-readable output")
    doctor.set_defaults(func=cmd_doctor)

    refresh = commands.add_parser("refresh", help="fetch provider tables, rebuild the database")
    refresh.add_argument("--demo", action="store_true", help="load from the built-in simulator")
    refresh.add_argument("--seed", type=int, default=2026, help="demo data seed")
    refresh.add_argument(
        "--wait", action="store_true", help="if a refresh is running, wait for it, then refresh"
    )
    refresh.add_argument(
        "--release",
        choices=["current", "previous"],
        default="current",
        help="with --demo: the simulator's current release, or the one before it (older "
        "Statistics Denmark periods and preliminary figures) [current]",
    )
    refresh.set_defaults(func=cmd_refresh)

    serve = commands.add_parser("serve", help="run the dashboard")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on [127.0.0.1]")
    serve.add_argument("--port", type=int, default=8050)
    serve.add_argument(
        "--debug", action="store_true", help="Dash's development server (never in production)"
    )
    serve.add_argument(
        "--server",
        choices=["auto", "gunicorn", "waitress"],
        default="auto",
        help="production server [auto: gunicorn, waitress where gunicorn cannot run]",
    )
    serve.add_argument("--workers", type=int, help="worker processes [cores + 1, at least 2]")
    serve.add_argument("--threads", type=int, help="threads per worker [4]")
    serve.add_argument("--access-log", action="store_true", help="log every request")
    serve.set_defaults(func=cmd_serve)

    simulate = commands.add_parser("simulate", help="run the provider simulator")
    simulate.add_argument("--port", type=int, default=8765)
    simulate.add_argument("--seed", type=int, default=2026)
    simulate.add_argument("--release", choices=["current", "previous"], default="current")
    simulate.set_defaults(func=cmd_simulate)

    snapshot = commands.add_parser(
        "snapshot", help="pin, unpin and list the kept versions of the database"
    )
    actions = snapshot.add_subparsers(dest="action", required=True)
    pin = actions.add_parser("pin", help="keep a version under a label (the live one by default)")
    pin.add_argument("label", help='for example "Network meeting 2026-11"')
    pin.add_argument("--version", help="a version id or label from `snapshot list` [the live one]")
    unpin = actions.add_parser("unpin", help="remove a label; the version may then be pruned")
    unpin.add_argument("label")
    actions.add_parser("list", help="label, id, built, source, size and checksum of each")
    snapshot.set_defaults(func=cmd_snapshot)

    changes = commands.add_parser(
        "changes", help="what changed between two snapshots (since the last meeting)"
    )
    changes.add_argument(
        "--from", dest="before", help="a pinned label or version id [the newest pinned one]"
    )
    changes.add_argument("--to", dest="after", default="latest", help="[latest]")
    changes.add_argument("--municipalities", help="codes, e.g. 151,740,751 [all]")
    changes.add_argument("--indicators", help="ids, e.g. employment_gap [all]")
    changes.add_argument("--lang", default="en", choices=["en", "da", "nb"])
    changes.set_defaults(func=cmd_changes)

    export = commands.add_parser(
        "export", help="write a data package, workbook, chart image or deck to a file"
    )
    export.add_argument("--indicator", required=True, help="an indicator id, or all")
    export.add_argument("--format", required=True, choices=["csv", "xlsx", "png", "svg", "pptx"])
    export.add_argument("--output", required=True, help="the file to write (written whole)")
    export.add_argument("--municipalities", help="codes, e.g. 151,740,751 (charts and decks)")
    export.add_argument("--snapshot", help="a pinned label or version id [latest]")
    export.add_argument(
        "--spreadsheet", action="store_true", help="csv: for Danish/Norwegian spreadsheets"
    )
    export.add_argument("--peers", help="charts and decks: the peer group [region]")
    export.add_argument(
        "--from", dest="since", help="decks: what changed since this snapshot [the newest pinned]"
    )
    export.add_argument("--lang", default="en", choices=["en", "da", "nb"])
    export.set_defaults(func=cmd_export)

    values = commands.add_parser("values", help="print computed indicator values")
    values.add_argument("indicator")
    values.add_argument("--municipality", help="municipality code, e.g. 151 or 0301")
    values.add_argument("--period", help="period code, e.g. 2021K2 or 2024")
    values.add_argument("--country", choices=["DK", "NO"])
    values.add_argument("--format", choices=["csv", "json"], default="csv")
    values.set_defaults(func=cmd_values)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `barometer` console command."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except (BarometerError, BadSetting) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
