"""Figures as plain dicts (fast to build and serialise; no plotly.express on hot paths)."""

from __future__ import annotations

import math

import pandas as pd

# Colour-blind-safe pair (Okabe-Ito blue and orange), never red against green.
MUNICIPALITY_COLOUR = "#0072B2"
NATIONAL_COLOUR = "#E69F00"


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
