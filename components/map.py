"""The choropleth map as a plain dict, and the join of values to municipalities.

Drawn with plotly's `choropleth` (d3-geo, SVG) from our own GeoJSON: no tile server, no token,
nothing fetched from the internet. The GeoJSON goes by URL (served by the map page and cached
by the browser) so the figure itself stays small.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from indicators.notes import Note

# Viridis: sequential, colour-blind safe, and no grey in it (cividis has one in the middle,
# which would look like a missing municipality).
COLOUR_SCALE = "Viridis"
MISSING_COLOUR = "#d4d4d4"
BORDER_COLOUR = "#ffffff"
# plotly's geo subplot downloads a world base map from cdn.plot.ly unless told otherwise,
# even when no base layer is drawn; the map page serves an empty one at this path instead.
EMPTY_TOPOLOGY = {"type": "Topology", "objects": {}, "arcs": []}
PROJECTIONS = {
    "DK": {"type": "mercator"},
    "NO": {"type": "conic conformal", "parallels": [63, 69]},  # a rotation breaks fitbounds
}
# Norway is tall and narrow: a taller map shows it larger at the same width.
HEIGHTS = {"DK": 680, "NO": 860}
MAP_COLUMNS = ["code", "name", "region_name", "value", "note", "small_number", "on_map"]


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _number(value: Any) -> float | None:
    return None if _missing(value) else float(value)


def build_map_frame(
    values: pd.DataFrame, municipalities: pd.DataFrame, boundary_codes: set[str] | frozenset[str]
) -> pd.DataFrame:
    """One row per municipality of the country, whether or not it has a value or a boundary.

    `values` is queries.values.get_values for one indicator, country and period;
    `municipalities` the country's municipalities (code, name, region_name). A municipality
    with no row in `values` gets value None and note None (not published for the period).
    `note` holds the row's Note (indicators/notes.py) or None.
    """
    by_code = {str(r["municipality"]): r for r in values.to_dict(orient="records")}
    rows = []
    for m in municipalities.to_dict(orient="records"):
        code = str(m["code"])
        row = by_code.get(code, {})
        value = row.get("value")
        rows.append(
            {
                "code": code,
                "name": str(m["name"]),
                "region_name": str(m.get("region_name") or ""),
                "value": _number(value),
                "note": Note.from_row(row),
                "small_number": None
                if _missing(row.get("small_number"))
                else str(row["small_number"]),
                "on_map": code in boundary_codes,
            }
        )
    return pd.DataFrame(rows, columns=MAP_COLUMNS)


def build_map_figure(
    frame: pd.DataFrame,
    geojson_url: str,
    country: str,
    unit: str,
    labels: dict[str, str],
    notes: list[str],
) -> dict:
    """A choropleth of the values, missing municipalities in grey with their note on hover.

    `labels` holds "colourbar" (the unit's name) and "missing" (legend entry for grey);
    `notes` the hover note per row of `frame` (already in the page's language).
    """
    shown = frame.assign(hover_note=notes)
    shown = shown[shown["on_map"]]
    known = shown[shown["value"].notna()]
    unknown = shown[shown["value"].isna()]
    traces: list[dict] = []
    if not known.empty:
        traces.append(
            {
                "type": "choropleth",
                "geojson": geojson_url,
                "locations": known["code"].tolist(),
                "z": [round(float(v), 2) for v in known["value"]],
                "customdata": [
                    [name, note]
                    for name, note in zip(known["name"], known["hover_note"], strict=True)
                ],
                "colorscale": COLOUR_SCALE,
                "zmin": float(known["value"].min()),
                "zmax": float(known["value"].max()),
                "marker": {"line": {"color": BORDER_COLOUR, "width": 0.5}},
                "colorbar": {
                    "title": {"text": labels["colourbar"]},
                    # Per cent on the ticks; a gap's unit is in the colour bar's title.
                    "ticksuffix": " %" if unit == "%" else "",
                    "thickness": 18,
                    "len": 0.8,
                },
                "hovertemplate": "<b>%{customdata[0]}</b> (%{location})<br>%{z:.1f} "
                + unit
                + "%{customdata[1]}<extra></extra>",
                "name": labels["colourbar"],
                "showlegend": False,
            }
        )
    if not unknown.empty:
        traces.append(
            {
                "type": "choropleth",
                "geojson": geojson_url,
                "locations": unknown["code"].tolist(),
                "z": [0] * len(unknown),
                "customdata": [
                    [name, note]
                    for name, note in zip(unknown["name"], unknown["hover_note"], strict=True)
                ],
                "colorscale": [[0, MISSING_COLOUR], [1, MISSING_COLOUR]],
                "showscale": False,
                "marker": {"line": {"color": "#8a8a8a", "width": 0.6}},
                "hovertemplate": "<b>%{customdata[0]}</b> (%{location})%{customdata[1]}"
                "<extra></extra>",
                "name": labels["missing"],
                "showlegend": True,
            }
        )
    layout = {
        "geo": {
            "visible": False,
            "fitbounds": "locations",
            "projection": PROJECTIONS.get(country, {"type": "mercator"}),
            "bgcolor": "rgba(0,0,0,0)",
        },
        "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
        "height": HEIGHTS.get(country, 720),
        "legend": {"x": 0.01, "y": 0.02, "bgcolor": "rgba(255,255,255,0.8)"},
        "font": {"size": 15},
        "dragmode": False,
        "paper_bgcolor": "#ffffff",
        "meta": {"country": country, "with_value": len(known), "without_value": len(unknown)},
    }
    return {"data": traces, "layout": layout}
