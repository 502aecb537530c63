"""`barometer doctor`: check an installation against the configured providers; write nothing.

For each source table: can the provider be reached, can its metadata be read (in English and
the provider's language), does every code we select exist with the label sources.yml pins,
does the request plan stay within the provider's limits (cells per request as the provider
counts them), and what are the newest period and the provider's update time. Statistics
Norway states its own limits at /config (PxWebApi 2, ConfigResponse: maxDataCells,
maxCallsPerTimeWindow, timeWindow); the plan uses the smaller of that and our setting.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace

from errors import BarometerError, LoadError
from loaders import ssb
from loaders.fetch import Endpoint, plan_table, read_metadata
from loaders.http import HttpClient, HttpError, RateLimiter
from loaders.pins import check_definitions, check_table
from loaders.refresh import provider_setup
from loaders.sources import KNOWN_PROVIDERS, NO_LIMIT, TableSpec, load_sources
from settings import Settings

NAMES = {
    "dst": "Statistics Denmark",
    "ssb": "Statistics Norway",
    "fhi": "Norwegian Institute of Public Health",
    "imdi": "Directorate of Integration and Diversity",
}


@dataclass
class TableCheck:
    provider: str
    table: str
    reachable: bool = False
    metadata: list[str] = field(default_factory=list)  # the languages read
    pinned: int = 0  # codes whose labels were checked
    requests: int = 0
    largest: int = 0  # the largest request's cells as the provider counts them
    limit: int = 0
    newest: str | None = None
    updated: str | None = None
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.reachable and not self.problems


@dataclass
class ProviderCheck:
    provider: str
    base_url: str
    reachable: bool = True
    enabled: bool = True  # IMDi can be switched off (BAROMETER_IMDI=off)
    error: str | None = None
    limits: dict[str, int] = field(default_factory=dict)
    tables: list[TableCheck] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        if not self.enabled:
            return True
        return self.reachable and not self.error and all(t.ok for t in self.tables)


@dataclass
class Report:
    providers: list[ProviderCheck]
    problems: list[str] = field(default_factory=list)  # not tied to one table

    @property
    def ok(self) -> bool:
        return not self.problems and all(p.ok for p in self.providers)

    def as_json(self) -> dict:
        return {
            "ok": self.ok,
            "problems": self.problems,
            "providers": [
                {
                    **{k: v for k, v in asdict(p).items() if k != "tables"},
                    "ok": p.ok,
                    "tables": [{**asdict(t), "ok": t.ok} for t in p.tables],
                }
                for p in self.providers
            ],
        }


def _client(settings: Settings, calls_per_minute: int) -> HttpClient:
    """Patient enough for a slow answer, quick to say a provider cannot be reached."""
    return HttpClient.patient_as(
        settings,
        connect_timeout=min(settings.connect_timeout, 10.0),
        read_timeout=min(settings.read_timeout, 60.0),
        retries=min(settings.retries, 1),
        backoff_max=min(settings.backoff_max, 5.0),
        limiter=RateLimiter(calls=calls_per_minute, period=60.0),
    )


def run_doctor(settings: Settings, specs: list[TableSpec] | None = None) -> Report:
    """Check every source table against its provider; nothing is written anywhere."""
    # The definitions are checked against the whole sources file, also when only some tables
    # are (as a refresh does).
    report = Report(providers=[], problems=check_definitions(load_sources()))
    specs = specs if specs is not None else load_sources()
    setup = provider_setup(settings)
    for provider in KNOWN_PROVIDERS:
        if not any(s.provider == provider for s in specs):
            continue
        base_url, limit, calls = setup[provider]
        check = ProviderCheck(provider, base_url)
        report.providers.append(check)
        if provider == "imdi" and not settings.imdi_enabled:
            check.enabled = False
            continue
        endpoint = Endpoint(base_url, limit, _client(settings, calls))
        if provider == "ssb":
            endpoint = _ssb_limits(check, endpoint, calls)
            if not check.reachable:
                continue
        for spec in (s for s in specs if s.provider == provider):
            table = _check_table(spec, endpoint)
            check.tables.append(table)
            if not table.reachable and not _answered(table):
                # The provider itself cannot be reached: one line for it, not one per table.
                check.reachable = False
                check.error = table.problems[0] if table.problems else "no answer"
                check.tables = []
                break
    return report


def _answered(table: TableCheck) -> bool:
    """Whether the provider answered at all (an HTTP error is an answer)."""
    return any("HTTP " in p for p in table.problems)


def _ssb_limits(check: ProviderCheck, endpoint: Endpoint, calls: int) -> Endpoint:
    """Read Statistics Norway's own limits; plan with the smaller of theirs and ours."""
    try:
        config = ssb.fetch_config(endpoint.client, endpoint.base_url)
    except HttpError as exc:
        if exc.status is None:
            check.reachable, check.error = False, exc.reason
        return endpoint
    except ValueError:
        return endpoint
    stated = {
        key: int(config[key])
        for key in ("maxDataCells", "maxCallsPerTimeWindow", "timeWindow")
        if isinstance(config.get(key), int)
    }
    check.limits = stated
    allowed, window = stated.get("maxCallsPerTimeWindow"), stated.get("timeWindow")
    if allowed and window and calls * window > allowed * 60:
        check.error = (
            f"we would make {calls} calls a minute; the provider allows {allowed} per {window} s "
            "(lower BAROMETER_SSB_CALLS_PER_MINUTE)"
        )
    cells = stated.get("maxDataCells") or endpoint.cell_limit
    return replace(endpoint, cell_limit=min(endpoint.cell_limit, cells))


def _check_table(spec: TableSpec, endpoint: Endpoint) -> TableCheck:
    check = TableCheck(spec.provider, spec.key, limit=endpoint.cell_limit)
    try:
        meta = read_metadata(spec, endpoint)
    except LoadError as exc:
        check.problems.append(exc.reason)
        return check
    check.reachable = True
    check.metadata = list(meta.labels)
    check.updated = meta.updated
    time = meta.time_variable
    if time is not None and meta.variables[time].values:
        check.newest = list(meta.variables[time].values)[-1]
        if spec.provider == "fhi":  # FHI's periods are read by their labels ("2021-2023")
            check.newest = meta.variables[time].values[check.newest]
    findings = check_table(spec, meta)
    check.pinned = findings.pinned
    check.problems += [str(p) for p in findings.problems]
    check.notes += findings.notes
    if findings.problems:
        return check  # a plan over codes that do not exist means nothing
    try:
        plan = plan_table(spec, meta, endpoint.cell_limit)
    except BarometerError as exc:
        check.problems.append(f"request plan: {exc}")
        return check
    check.requests = len(plan.parts)
    check.largest = max(part.cells for part in plan.parts)
    check.limit = plan.limit
    if check.largest > plan.limit:
        check.problems.append(
            f"a request of {check.largest:,} cells exceeds the limit of {endpoint.cell_limit:,}"
        )
    return check


def _largest(t: TableCheck) -> str:
    if not t.requests:
        return "-"
    if t.limit >= NO_LIMIT:
        return f"{t.largest:,} (whole file)"
    return f"{t.largest:,} of {t.limit:,}"


def render(report: Report) -> str:
    """The report as one table, then problems and notes, then a verdict."""
    lines = []
    rows = [
        (
            "provider",
            "table",
            "metadata",
            "codes",
            "requests",
            "largest request",
            "newest",
            "updated",
            "result",
        )
    ]
    offline = []
    for provider in report.providers:
        name = f"{provider.provider.upper()} ({NAMES[provider.provider]}, {provider.base_url})"
        if not provider.enabled:
            offline.append(f"{name}: switched off (BAROMETER_IMDI=off); its tables are not loaded")
            continue
        if not provider.reachable:
            error = (
                (provider.error or "no answer")
                .removeprefix("metadata: ")
                .removeprefix("download: ")
            )
            offline.append(f"{name}: unreachable: {error}")
            continue
        for t in provider.tables:
            rows.append(
                (
                    t.provider.upper(),
                    t.table,
                    ", ".join(t.metadata) if t.reachable else "unreadable",
                    f"{t.pinned} checked" if t.reachable else "-",
                    str(t.requests) if t.requests else "-",
                    _largest(t),
                    t.newest or "-",
                    t.updated or "-",
                    "ok" if t.ok else f"{len(t.problems)} problem(s)",
                )
            )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    if len(rows) > 1:
        lines += [
            "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
            for row in rows
        ]
    lines += offline
    for provider in report.providers:
        if provider.limits:
            limits = provider.limits
            lines.append(
                f"{provider.provider.upper()} states its limits: "
                f"{limits.get('maxDataCells', 0):,} cells per request, "
                f"{limits.get('maxCallsPerTimeWindow', 0)} calls per "
                f"{limits.get('timeWindow', 0)} s"
            )
    problems = report.problems + [
        f"{p.provider.upper()}: {p.error}" for p in report.providers if p.reachable and p.error
    ]
    problems += [p for pr in report.providers for t in pr.tables for p in t.problems]
    notes = [n for pr in report.providers for t in pr.tables for n in t.notes]
    if problems:
        lines += ["", "Problems:"] + [f"  {p}" for p in problems]
    if notes:
        lines += ["", "Notes:"] + [f"  {n}" for n in notes]
    tables = sum(len(p.tables) for p in report.providers)
    lines.append("")
    if report.ok:
        lines.append(f"All well: {tables} tables checked; `barometer refresh` can run.")
    else:
        unreachable = sum(p.enabled and not p.reachable for p in report.providers)
        lines.append(
            f"Not ready: {len(problems)} problem(s), {unreachable} provider(s) unreachable. "
            "Nothing was written."
        )
        if unreachable:
            lines.append(
                "Without internet, `barometer refresh --demo` builds a database from simulated "
                "figures; BAROMETER_DST_URL, BAROMETER_SSB_URL, BAROMETER_FHI_URL and "
                "BAROMETER_IMDI_URL point at other servers."
            )
    return "\n".join(lines)
