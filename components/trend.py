"""The trend chart as a plain dict: lines over time, 95 % bands, the national line, events.

Pure functions, no Dash and no database: the page reads the rows (queries/trend.py) and the
texts (pages/trend.py) and passes them in. Missing periods stay None, so lines show gaps.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from components import palette
from components.charts import NATIONAL_COLOUR, narrow_layout, wrap_lines
from indicators.notes import Note

MEASURES = ("target", "comparison", "gap")
# A count indicator's one line: the number of persons (no interval; the factor keeps it whole).
COUNT = "count"
# measure -> (value column, lower column, upper column, factor to % or pp, status column)
# (the status column holds a group's provider symbol; the gap's note is the row's own note)
MEASURE_COLUMNS = {
    COUNT: ("target_num", "target_lower", "target_upper", 1.0, "target_status"),
    "target": ("target_rate", "target_lower", "target_upper", 100.0, "target_status"),
    "comparison": (
        "comparison_rate",
        "comparison_lower",
        "comparison_upper",
        100.0,
        "comparison_status",
    ),
    "gap": ("gap_pp", "gap_lower_pp", "gap_upper_pp", 1.0, None),
}
# Colours (3:1 on white, apart under colour blindness: components/palette.py), each line with
# its own dash and marker too; never red against green.
MUNICIPALITY_COLOURS = palette.LINES
MAX_MUNICIPALITIES = len(MUNICIPALITY_COLOURS)
EVENT_DASH = {"reform": "dot", "refugees": "dash", "break": "solid"}
EVENT_COLOUR = palette.EVENT


@dataclass(frozen=True)
class Series:
    """One line: values (in % or pp) per period with the 95 % interval and missing notes."""

    key: str
    name: str
    y: list[float | None]
    lower: list[float | None]
    upper: list[float | None]
    notes: list[Note | None]

    @property
    def known(self) -> int:
        return sum(v is not None for v in self.y)


@dataclass(frozen=True)
class EventMark:
    """An event placed on the chart: where, what kind, a short label and a hover text."""

    date: str
    kind: str
    label: str
    text: str


def headline_measure(indicator_measure: str) -> str:
    """The measure the indicator's headline `value` is: gap for gaps, the count for a count,
    else the target rate."""
    if indicator_measure == COUNT:
        return COUNT
    return "gap" if indicator_measure == "gap" else "target"


def available_measures(indicator_measure: str) -> tuple[str, ...]:
    """Share indicators have no comparison group, so only the target group's rate; a count
    has its number of persons only."""
    if indicator_measure == COUNT:
        return (COUNT,)
    return ("target",) if indicator_measure == "share" else MEASURES


def period_to_date(period: str) -> str:
    """A provider period as an ISO date for a date axis: "2015" -> 2015-01-01, "2015K3" ->
    2015-07-01 (the start of the quarter); the axis then spaces years and quarters truly."""
    text = str(period)
    # A window of years ("2021-2023", FHI's three-year income windows) sits at its last year.
    year = int(text[-4:]) if len(text) == 9 and text[4] == "-" else int(text[:4])
    if "K" in text or "Q" in text:
        quarter = int(text[-1])
        return date(year, 3 * quarter - 2, 1).isoformat()
    if "M" in text:
        return date(year, int(text[-2:]), 1).isoformat()
    return date(year, 1, 1).isoformat()


def _number(value: Any, factor: float = 1.0) -> float | None:
    """A finite number scaled by `factor`, or None for NULL, NaN and pd.NA."""
    if value is None or value is pd.NA:
        return None
    number = float(value)
    return None if math.isnan(number) else round(number * factor, 3)


def build_series(
    rows: pd.DataFrame, measure: str, periods: Sequence[str], key: str, name: str
) -> Series:
    """One area's rows as a Series over every period; a period without a row is a gap."""
    value_col, lower_col, upper_col, factor, status_col = MEASURE_COLUMNS[measure]
    by_period = {str(r["period"]): r for r in rows.to_dict(orient="records")}
    y: list[float | None] = []
    lower: list[float | None] = []
    upper: list[float | None] = []
    notes: list[Note | None] = []
    for period in periods:
        row = by_period.get(period)
        if row is None:
            y.append(None)
            lower.append(None)
            upper.append(None)
            notes.append(None)
            continue
        y.append(_number(row.get(value_col), factor))
        lower.append(_number(row.get(lower_col), factor))
        upper.append(_number(row.get(upper_col), factor))
        symbol = Note.symbol_only(row.get(status_col)) if status_col else None
        notes.append(symbol or Note.from_row(row))
    return Series(key, name, y, lower, upper, notes)


def build_national_series(
    rows: pd.DataFrame, measure: str, headline: str, periods: Sequence[str], names: dict[str, str]
) -> tuple[Series | None, bool]:
    """The national line and whether it is the weighted figure.

    The weighted figure when there is one: the provider's own whole-country cell (labelled
    `names["provider"]` when every period shown is one, as the rows' `reference_source`
    says) or the sum of numerators over the sum of denominators. Where neither exists, for
    the headline measure the unweighted mean of the municipalities is drawn instead, labelled
    as such. `names` holds the labels "weighted", "unweighted" and, optionally, "provider".
    """
    series = build_series(rows, measure, periods, "national", names["weighted"])
    if series.known:
        value_col = MEASURE_COLUMNS[measure][0]
        sources = rows[rows[value_col].notna()].get("reference_source", pd.Series([]))
        if "provider" in names and len(sources) and (sources == "provider_national").all():
            series = Series(
                series.key, names["provider"], series.y, series.lower, series.upper, series.notes
            )
        return series, True
    if measure != headline or "unweighted_mean" not in rows:
        return None, False
    mean = rows.assign(mean_value=rows["unweighted_mean"])
    by_period = {str(r["period"]): r["mean_value"] for r in mean.to_dict(orient="records")}
    y = [_number(by_period.get(p)) for p in periods]
    if not any(v is not None for v in y):
        return None, False
    empty: list[float | None] = [None] * len(periods)
    return Series("national", names["unweighted"], y, empty, empty, [None] * len(periods)), False


def _rgba(hex_colour: str, alpha: float) -> str:
    red, green, blue = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


def band_polygons(
    x: Sequence[str], lower: Sequence[float | None], upper: Sequence[float | None]
) -> tuple[list[str | None], list[float | None]]:
    """Closed outlines of the interval, one per run of periods with both bounds, split by None.

    A filled band across a missing period would suggest a value there; this draws none.
    """
    out_x: list[str | None] = []
    out_y: list[float | None] = []
    run: list[int] = []

    def close() -> None:
        if len(run) >= 2:
            if out_x:
                out_x.append(None)
                out_y.append(None)
            out_x.extend([x[i] for i in run] + [x[i] for i in reversed(run)])
            out_y.extend([upper[i] for i in run] + [lower[i] for i in reversed(run)])
        run.clear()

    for i in range(len(x)):
        if lower[i] is not None and upper[i] is not None:
            run.append(i)
        else:
            close()
    close()
    return out_x, out_y


def place_events(
    events: Sequence[EventMark], first: str, last: str, label_share: float = 1 / 5
) -> list[tuple[EventMark, int]]:
    """Events inside the chart's date range, each with a label row so labels do not overlap
    (`label_share`: how much of the chart's width a label takes)."""
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    span = max((end - start).days, 1)
    placed: list[tuple[EventMark, int]] = []
    row_ends: list[date] = []
    for event in sorted(events, key=lambda e: e.date):
        when = date.fromisoformat(event.date if len(event.date) > 7 else event.date + "-01")
        if not start <= when <= end:
            continue
        row = next(
            (r for r, seen in enumerate(row_ends) if (when - seen).days > span * label_share),
            len(row_ends),
        )
        if row == len(row_ends):
            row_ends.append(when)
        row_ends[row] = when
        placed.append((event, row))
    return placed


END_LABEL_CHARS = 20  # longer names are shortened at the line's end (the legend has them whole)
END_LABEL_PX = 18  # the least distance between two end labels' middles (13 px text)
HEIGHT = 480  # the chart's height before its caption (components/charts.add_caption)
AXIS_TITLE_CHARS = 30  # a longer axis title is broken into lines (it ran past the plot)


def value_span(lines: Sequence[Series], to_zero: bool) -> tuple[float, float]:
    """The value axis's range as Plotly's autorange draws it: every value and interval bound
    (and zero for a rate), with 5 % room at each end."""
    values = [v for line in lines for v in (*line.y, *line.lower, *line.upper) if v is not None]
    if not values:
        return 0.0, 1.0
    low, high = min(values), max(values)
    if to_zero:
        low, high = min(low, 0.0), max(high, 0.0)
    room = 0.05 * ((high - low) or 1.0)
    return low - room, high + room


def spread(ends: Sequence[float], gap: float, high: float) -> list[float]:
    """Label heights for line ends (sorted, lowest first): each at its line's end where it
    can be, at least `gap` apart, and below `high` (labels pushed past it move down again)."""
    placed: list[float] = []
    for y in ends:
        placed.append(max(y, placed[-1] + gap) if placed else y)
    for i in range(len(placed) - 1, -1, -1):
        ceiling = high if i == len(placed) - 1 else placed[i + 1] - gap
        placed[i] = min(placed[i], ceiling)
    return placed


def end_labels(
    lines: Sequence[tuple[Series, str]], x: Sequence[str], span: tuple[float, float], plot_px: int
) -> list[dict]:
    """Each line's name at its last value, in its colour, right of the plot; labels that
    would overlap are moved apart (a line is then read by its colour, dash and marker).

    `span` is the value axis's range and `plot_px` the plot's height, so the labels are kept
    apart by END_LABEL_PX pixels whatever the values' scale."""
    ends: list[tuple[float, str, str, str]] = []
    for line, colour in lines:
        known = [i for i, value in enumerate(line.y) if value is not None]
        if known:
            last = line.y[known[-1]]
            assert last is not None
            ends.append((last, x[known[-1]], line.name, colour))
    low, high = span
    gap = END_LABEL_PX * (high - low) / max(plot_px, 1)
    ends.sort(key=lambda end: end[0])
    placed_at = spread([end[0] for end in ends], gap, high)
    labels = []
    for y, (_value, when, name, colour) in zip(placed_at, ends, strict=True):
        short = name if len(name) <= END_LABEL_CHARS else name[: END_LABEL_CHARS - 1] + "…"
        labels.append(
            {
                "x": when,
                "xref": "x",
                "y": y,
                "yref": "y",
                "xanchor": "left",
                "xshift": 10,
                "text": short,
                "showarrow": False,
                "font": {"size": 13, "color": colour},
                "bgcolor": "rgba(255,255,255,0.85)",
                "meta": {"end_label": True},
            }
        )
    return labels


def build_trend_figure(
    series: Sequence[Series],
    national: Series | None,
    periods: Sequence[str],
    events: Sequence[EventMark],
    unit: str,
    axis_title: str,
    interval_label: str,
    quarterly: bool,
) -> dict:
    """Lines for the municipalities (with translucent 95 % bands), the national line dashed,
    and events as labelled vertical lines. `unit` is "%" or the reader's word for percentage
    points (a gap, which may be negative)."""
    x = [period_to_date(p) for p in periods]
    traces: list[dict] = []
    for number, line in enumerate(series):
        colour = MUNICIPALITY_COLOURS[number % len(MUNICIPALITY_COLOURS)]
        band_x, band_y = band_polygons(x, line.lower, line.upper)
        if band_x:
            traces.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "x": band_x,
                    "y": band_y,
                    "fill": "toself",
                    "fillcolor": _rgba(colour, 0.16),
                    "line": {"width": 0, "color": _rgba(colour, 0.0)},
                    "hoverinfo": "skip",
                    "name": f"{line.name}: {interval_label}",
                    "legendgroup": line.key,
                    "showlegend": False,
                }
            )
        traces.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": line.name,
                "x": x,
                "y": line.y,
                "line": {
                    "color": colour,
                    "width": 3,
                    "dash": palette.LINE_DASHES[number % len(palette.LINE_DASHES)],
                },
                "marker": {
                    "size": 7 if quarterly else 9,
                    "symbol": palette.LINE_MARKERS[number % len(palette.LINE_MARKERS)],
                },
                "connectgaps": False,
                "legendgroup": line.key,
                "hovertemplate": "%{y:.1f} " + unit + "<extra>" + line.name + "</extra>",
                "meta": {"code": line.key},
            }
        )
    if national is not None:
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": national.name,
                "x": x,
                "y": national.y,
                "line": {"color": NATIONAL_COLOUR, "width": 2.5, "dash": "dash"},
                "connectgaps": False,
                "hovertemplate": "%{y:.1f} " + unit + "<extra>" + national.name + "</extra>",
                "meta": {"code": "national"},
            }
        )
    shapes, annotations, numbers = [], [], []
    placed = place_events(events, x[0], x[-1]) if x else []
    # On a phone each event is its number (the list under the chart has the same numbers).
    numbered = place_events(events, x[0], x[-1], label_share=1 / 14) if x else []
    for number, (event, row) in enumerate(numbered, start=1):
        numbers.append(event_label(event, str(number), row))
    for event, row in placed:
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": event.date,
                "x1": event.date,
                "y0": 0,
                "y1": 1,
                "line": {"color": EVENT_COLOUR, "width": 1.5, "dash": EVENT_DASH[event.kind]},
            }
        )
        annotations.append(event_label(event, event.label, row))
    rows = 1 + max((row for _, row in placed), default=-1)
    narrow_rows = 1 + max((row for _, row in numbered), default=-1)
    ends = [(line, colour) for line, colour in zip(series, MUNICIPALITY_COLOURS, strict=False)]
    if national is not None:
        ends.append((national, NATIONAL_COLOUR))
    top = 24 + 22 * rows
    span = value_span([line for line, _ in ends], unit == "%")
    labels = end_labels(ends, x, span, HEIGHT - top - 110)  # the legend and ticks below
    width = max((len(a["text"]) for a in labels), default=0)
    axis_title = wrap_lines(axis_title, AXIS_TITLE_CHARS)
    left = 52 + 20 * (axis_title.count("<br>") + 1)
    layout = {
        "height": HEIGHT,
        "margin": {"l": left, "r": min(30 + 8 * width, 170), "t": top, "b": 40},
        "xaxis": {
            "type": "date",
            "hoverformat": "%Y Q%q" if quarterly else "%Y",
            "showgrid": False,
        },
        "yaxis": {
            "title": {"text": axis_title},
            # Per cent on the ticks; percentage points are named in the axis title.
            "ticksuffix": " %" if unit == "%" else "",
            "zeroline": True,
            "zerolinecolor": "#999",
            "rangemode": "tozero" if unit == "%" else "normal",
        },
        "legend": {"orientation": "h", "y": -0.12},
        "hovermode": "x unified",
        "font": {"size": 15},
        "shapes": shapes,
        "annotations": annotations + labels,
        "plot_bgcolor": "#ffffff",
        "paper_bgcolor": "#ffffff",
        "meta": {"municipalities": [s.key for s in series], "events": len(placed)},
    }
    # On a phone: events by number, the lines named in the legend only, narrow margins.
    narrow = {
        "annotations": numbers,
        "margin.l": left - 14,
        "margin.r": 12,
        "margin.t": 24 + 22 * narrow_rows,
        "xaxis.nticks": 5,
    }
    return narrow_layout({"data": traces, "layout": layout}, narrow)


def event_label(event: EventMark, text: str, row: int) -> dict:
    """An event's label above the plot, in its row (rows keep labels from overlapping)."""
    return {
        "x": event.date,
        "xref": "x",
        "y": 1,
        "yref": "paper",
        "yanchor": "bottom",
        "yshift": 4 + 22 * row,
        "text": text,
        "hovertext": event.text,
        "showarrow": False,
        "font": {"size": 13, "color": EVENT_COLOUR},
        "bgcolor": "rgba(255,255,255,0.85)",
        "meta": {"event": event.date},
    }
