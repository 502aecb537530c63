"""Figures as plain dicts (fast to build and serialise; no plotly.express on hot paths)."""

from __future__ import annotations

import math

import pandas as pd

from components import palette

# Colour-blind-safe pair (blue and a dark ochre, 3:1 on white), never red against green.
MUNICIPALITY_COLOUR = palette.FOCUS
NATIONAL_COLOUR = palette.NATIONAL


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
        "hovermode": "x unified",
        "font": {"size": 14},
        "meta": {"municipality": name},
    }
    return {"data": traces, "layout": layout}


def add_caption(figure: dict, title: str, source: str) -> dict:
    """The figure with its title and source line (provider tables, demo label) drawn inside it,
    so an image saved from the toolbar says what it shows and where it comes from.

    The title sits at the top of the figure (Plotly's `layout.title` with a `subtitle`); the
    top margin (and a fixed height) grow by the caption's lines, so nothing drawn above the
    plot (reference labels, a top axis) moves under it. "<br>" breaks a line.
    """
    layout = figure["layout"]
    extra = 22 * (title.count("<br>") + 1) + 16 * (source.count("<br>") + 1) + 12
    margin = layout.setdefault("margin", {})
    margin["t"] = margin.get("t", 80) + extra
    if "height" in layout:
        layout["height"] += extra
    layout["title"] = {
        "text": f"<b>{title}</b>",
        "subtitle": {"text": source, "font": {"size": 12, "color": "#4d4d4d"}},
        "x": 0.01,
        "xanchor": "left",
        "xref": "container",
        "y": 1,
        "yanchor": "top",
        "yref": "container",
        "pad": {"t": 6},
        "font": {"size": 15},
    }
    return figure
