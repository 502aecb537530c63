"""Figures as plain dicts (fast to build and serialise; no plotly.express on hot paths)."""

from __future__ import annotations

import math
import textwrap
from typing import Any

import pandas as pd

from components import palette

# Colour-blind-safe pair (blue and a dark ochre, 3:1 on white), never red against green.
MUNICIPALITY_COLOUR = palette.FOCUS
NATIONAL_COLOUR = palette.NATIONAL
SERIES_HEIGHT = 450  # px, the municipality page's chart over time (before its caption)


def _percent(values: pd.Series) -> list[float | None]:
    """Values already in % (or pp), with missing ones as None so the line shows a gap."""
    return [None if v is None or math.isnan(v) else round(float(v), 2) for v in values]


def build_series_figure(
    series: pd.DataFrame,
    name: str,
    national_label: str,
    axis_title: str = "% of residents",
    unit: str = "%",
) -> dict:
    """A municipality's values over time beside the national figure.

    `unit` is "%" for rates and shares (the axis then starts at zero) or the word for
    percentage points for gaps, which may be negative. Missing or suppressed periods are gaps
    in the line, never zeros.
    """
    periods = series["period"].tolist()
    is_percent = unit == "%"
    hover = "%{x}: %{y:.2f} " + unit + "<extra>"
    traces = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": name,
            "x": periods,
            "y": _percent(series["value"]),
            "line": {"color": MUNICIPALITY_COLOUR, "width": 3},
            "marker": {"symbol": "circle", "size": 8},
            "hovertemplate": hover + name + "</extra>",
            "connectgaps": False,
        },
        {
            "type": "scatter",
            "mode": "lines",
            "name": national_label,
            "x": periods,
            "y": _percent(series["national"]),
            "line": {"color": NATIONAL_COLOUR, "width": 2, "dash": "dash"},
            "hovertemplate": hover + national_label + "</extra>",
        },
    ]
    layout = {
        "margin": {"l": 60, "r": 20, "t": 30, "b": 50},
        "yaxis": {
            "title": {"text": axis_title},
            "rangemode": "tozero" if is_percent else "normal",
            "ticksuffix": " %" if is_percent else "",
        },
        "xaxis": {"type": "category", "nticks": 12},
        "legend": {"orientation": "h", "y": -0.2},
        # Without a height of its own a responsive chart is drawn 450 px tall in its 420 px box
        # (assets/style.css), and on a phone its legend covered "Show the numbers" below it.
        "height": SERIES_HEIGHT,
        "hovermode": "x unified",
        "font": {"size": 14},
        "meta": {"municipality": name},
    }
    return {"data": traces, "layout": layout}


# A chart drawn narrower than this (a phone) takes its narrow layout (assets/charts.js).
NARROW_BELOW = 560
# What fits on a line of a chart's title (15 px bold) and source (12 px) on a phone (a chart
# about 360 px wide).
NARROW_TITLE_CHARS = 34
NARROW_SOURCE_CHARS = 50


def narrow_layout(figure: dict, updates: dict[str, Any]) -> dict:
    """The figure with changes for a narrow chart, as Plotly.relayout takes them (dotted
    paths: "margin.r", "annotations"), kept in `layout.meta.narrow`: assets/charts.js applies
    them where the chart is narrower than NARROW_BELOW px and puts the wide values back when
    it grows. Later updates of the same path win."""
    meta = figure["layout"].setdefault("meta", {})
    meta.setdefault("narrow", {}).update(updates)
    meta["narrow_below"] = NARROW_BELOW
    return figure


def wrap_lines(text: str, width: int) -> str:
    """`text` broken at spaces into lines of at most `width` characters ("<br>" between them;
    a line already broken stays broken there)."""
    lines = [
        "<br>".join(textwrap.wrap(part, width, break_long_words=False, break_on_hyphens=False))
        for part in text.split("<br>")
    ]
    return "<br>".join(lines)


def _caption_height(title: str, source: str) -> tuple[int, int]:
    """The room a caption takes above the plot (px) and how far Plotly lifts its title.

    Anchored at the top, Plotly lifts a title of several lines by about half a line (its first
    line was cut off at the figure's edge): it gets that much more room above.
    """
    lines = title.count("<br>") + 1
    lift = 12 if lines > 1 else 0
    return 22 * lines + 16 * (source.count("<br>") + 1) + 12 + lift, lift


def add_caption(figure: dict, title: str, source: str, title_chars: int | None = None) -> dict:
    """The figure with its title and source line (provider tables, demo label) drawn inside it,
    so an image saved from the toolbar says what it shows and where it comes from.

    The title sits at the top of the figure (Plotly's `layout.title` with a `subtitle`); the
    top margin (and a fixed height) grow by the caption's lines, so nothing drawn above the
    plot (reference labels, a top axis) moves under it. "<br>" breaks a line; `title_chars`
    breaks the title's lines at that length (a chart half a page wide). On a phone the
    caption's lines are shorter (narrow_layout).
    """
    layout = figure["layout"]
    margin = layout.setdefault("margin", {})
    top, height = margin.get("t", 80), layout.get("height")
    # (a figure's height is its graph's, whatever its width: dcc.Graph sizes a responsive
    # chart by its box, so a narrow layout changes what is inside, not the height)
    narrow_top = layout.get("meta", {}).get("narrow", {}).get("margin.t", top)
    title = wrap_lines(title, title_chars) if title_chars else title
    extra, lift = _caption_height(title, source)
    margin["t"] = top + extra
    if height is not None:
        layout["height"] = height + extra
    layout["title"] = {
        "text": f"<b>{title}</b>",
        "subtitle": {"text": source, "font": {"size": 12, "color": "#4d4d4d"}},
        "x": 0.01,
        "xanchor": "left",
        "xref": "container",
        "y": 1,
        "yanchor": "top",
        "yref": "container",
        "pad": {"t": 6 + lift},
        "font": {"size": 15},
    }
    short_title = wrap_lines(title, NARROW_TITLE_CHARS)
    short_source = wrap_lines(source, NARROW_SOURCE_CHARS)
    extra, lift = _caption_height(short_title, short_source)
    updates = {
        "title.text": f"<b>{short_title}</b>",
        "title.subtitle.text": short_source,
        "title.pad.t": 6 + lift,
        "margin.t": narrow_top + extra,
    }
    return narrow_layout(figure, updates)
