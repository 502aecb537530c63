"""One export: what `barometer export` and the download routes make, checked first.

    export_bytes(ExportRequest("employment_gap", "csv", municipalities=["151"], snapshot="..."))

A bad request (unknown indicator or snapshot, an empty selection, a chart or deck without the
municipalities it needs) raises ExportError with a message that says what would work, before
anything is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from errors import BarometerError
from exports.snapshot import build_package, zip_package
from exports.tables import Variant
from indicators.registry import Indicator, get_indicator, list_indicators
from loaders.municipalities import find_municipality
from locales import N_
from queries.snapshots import Snapshot, reading_snapshot
from views.params import suggest_indicators, suggest_municipalities
from views.problems import Problem
from views.snapshots import UnknownSnapshot, resolve_snapshot

FORMATS = ("csv", "xlsx", "png", "svg", "pptx")
SUFFIXES = {"csv": "zip", "xlsx": "xlsx", "png": "png", "svg": "svg", "pptx": "pptx"}
MEDIA_TYPES = {
    "zip": "application/zip",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "png": "image/png",
    "svg": "image/svg+xml",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


class ExportError(BarometerError):
    """An export that cannot be made as asked (the message says what would work)."""


@dataclass(frozen=True)
class ExportRequest:
    """What to export: an indicator id or "all", the format, and optionally municipalities,
    a snapshot (default latest), the CSV variant, peers, the language of the texts and, for a
    deck, the snapshot its first slide compares with (default: the newest pinned one)."""

    indicator: str
    format: str
    municipalities: Sequence[str] = field(default_factory=tuple)
    snapshot: str | None = None
    variant: str = "plain"
    peers: str = ""
    lang: str = "en"
    since: str | None = None


def check_indicators(wanted: str) -> list[Indicator]:
    """The indicators `wanted` names ("all" or one id); ExportError with the closest ids."""
    if wanted == "all":
        return list(list_indicators())
    indicator = get_indicator(wanted)
    if indicator is None:
        closest = suggest_indicators(wanted, list_indicators()) or [i.id for i in list_indicators()]
        raise ExportError(
            N_("unknown indicator “{wanted}”; closest: {closest} (or “all”)"),
            wanted=wanted,
            closest=", ".join(closest),
        )
    return [indicator]


def check_municipalities(codes: Sequence[str]) -> list[str]:
    """The codes, each a municipality; ExportError naming the closest for one that is not."""
    for code in codes:
        if find_municipality(code) is None:
            closest = [f"{c} {n}" for c, n in suggest_municipalities(code)]
            raise ExportError(
                N_("“{code}” is not a municipality code; closest: {closest}"),
                code=code,
                closest=", ".join(closest),
            )
    return list(dict.fromkeys(codes))


def file_stem(request: ExportRequest, snapshot: Snapshot) -> str:
    """A meaningful file name: what, which snapshot."""
    where = "-".join(request.municipalities[:4]) if request.municipalities else ""
    parts = ["barometer", request.indicator, where, snapshot.id or snapshot.name]
    if request.format == "csv" and request.variant == "spreadsheet":
        parts.append("spreadsheet")
    return "-".join(p for p in parts if p)


def export_bytes(request: ExportRequest, snapshot: Snapshot | None = None) -> tuple[bytes, str]:
    """The export's bytes and its file name; ExportError for a request that cannot be made.

    `snapshot`, when given, is read instead of the one `request.snapshot` names (a caller that
    has resolved it already, such as a download made in the background)."""
    if request.format not in FORMATS:
        raise ExportError(
            N_("unknown format “{format}”; use one of: {formats}"),
            format=request.format,
            formats=", ".join(FORMATS),
        )
    if request.variant not in ("plain", "spreadsheet"):
        raise ExportError(N_("the CSV variant is “plain” or “spreadsheet”"))
    indicators = check_indicators(request.indicator)
    codes = check_municipalities(request.municipalities)
    snapshot = snapshot or resolve_snapshot(request.snapshot)
    name = f"{file_stem(request, snapshot)}.{SUFFIXES[request.format]}"
    with reading_snapshot(snapshot):
        if request.format in ("csv", "xlsx"):
            return _tables(request, indicators, codes, snapshot), name
        return _charts(request, indicators, codes, snapshot), name


def _tables(
    request: ExportRequest, indicators: list[Indicator], codes: list[str], snapshot: Snapshot
) -> bytes:
    package = build_package(
        indicators,
        snapshot,
        codes or None,
        Variant(request.variant),
        request.lang,
        with_csv=request.format == "csv",
    )
    if package.rows == 0:
        raise ExportError(N_("no values match that selection; nothing was written"))
    if request.format == "csv":
        return zip_package(package)
    from exports.workbook import build_workbook

    return build_workbook(package, package.records, [i.id for i in indicators])


def _charts(
    request: ExportRequest, indicators: list[Indicator], codes: list[str], snapshot: Snapshot
) -> bytes:
    from views.present import Deck, read_deck

    if not codes:
        raise ExportError(
            N_("a chart or deck shows municipalities: give them (for example 151,740,751)")
        )
    if request.format != "pptx" and len(indicators) != 1:
        raise ExportError(N_("an image shows one indicator: give its id, not “all”"))
    ids = "" if request.indicator == "all" else request.indicator
    # Read inside the snapshot: its charts, and what changed since the newest pin before it.
    deck = read_deck(",".join(codes), ids, request.peers, request.since, None, request.lang)
    if isinstance(deck, Problem) and deck.kind == "snapshot":
        raise UnknownSnapshot(request.since or "", [link.label for link in deck.links])
    if not isinstance(deck, Deck):
        raise ExportError(N_("{title}: {message}"), title=deck.title, message=deck.message)
    if request.format == "pptx":
        from exports.deck import build_pptx

        return build_pptx(deck, request.lang)
    from components.present import SLIDE_SIZE, build_slide_figure
    from exports.render import render_figure

    width, height = SLIDE_SIZE
    figure = build_slide_figure(deck.slides[0], request.lang, standalone=True)
    return render_figure(figure, request.format, width, height + 200)
