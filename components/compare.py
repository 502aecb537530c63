"""The Compare page's pieces as pure functions: figures (plain dicts), summaries, table, CSV.

Builders take a `Comparison` (views/compare.py) and the reader's language; every text goes
through the catalogue (locales/).

Colours are the app's Okabe-Ito pair, never red against green: the focus municipality is blue
(as on the municipality page) and also carries a hatch pattern, a diamond marker or a bold
"▶" label, so it stands out without colour; the national reference is orange and dashed, the
peer average black and dotted, other municipalities neutral grey. Small groups (below the
caution level) keep their colour and carry a dotted pattern, with their own legend entry.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from dash import html

from components import palette
from components.charts import MUNICIPALITY_COLOUR, NATIONAL_COLOUR, narrow_layout, wrap_lines
from indicators.ranking import (
    ABOVE_998,
    BELOW_998,
    NO_COMPARISON,
    RATES_ONLY,
    WITHIN,
    Row,
)
from locales import N_, _
from locales.numbers import format_number, format_value, ordinal, plotly_separators, pp_unit
from views.compare import (
    Comparison,
    caution_level,
    coverage_text,
    funnel_text,
    note_text,
    reference_text,
)

FOCUS_COLOUR = MUNICIPALITY_COLOUR  # Okabe-Ito blue
PEER_COLOUR = palette.PEER  # neutral context
PEER_AVERAGE_COLOUR = palette.PEER_AVERAGE
LIMIT_COLOUR = palette.LIMIT
FONT = {"size": 16, "family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"}
FOCUS_PATTERN = "/"
LEGEND_CHARS = 32  # a legend entry longer than this is broken in two
AXIS_TITLE_CHARS = 28  # on a phone, a longer axis title is broken in two
NARROW_NAME_CHARS = 14  # on a phone, longer names beside the bars are shortened
SMALL_PATTERN = "."  # small groups (below the caution level): read with caution


# --------------------------------------------------------------------------------------------
# Numbers and words
# --------------------------------------------------------------------------------------------


def unit(comparison: Comparison, lang: str) -> str:
    """The headline's unit: percentage points for gaps, % otherwise."""
    return pp_unit(lang) if comparison.indicator.measure == "gap" else "%"


def with_unit(value: float | None, comparison: Comparison, lang: str) -> str:
    """'18.3 pp' or '45.2%' in the reader's locale."""
    return format_value(value, comparison.indicator.measure, lang)


REFERENCE_SHORT = {"national": N_("National {value}"), "peer_average": N_("Peer average {value}")}


def reference_label(key: str, comparison: Comparison, lang: str) -> str:
    """'National (weighted): 18.3 pp' or '… (unweighted mean): …' or '… not available'."""
    reference = comparison.national if key == "national" else comparison.peer_average
    return reference_text(reference, key, comparison, lang)


def legend_name(text: str) -> str:
    """A long legend entry on two lines (after the colon before a value, where it has one),
    so it fits a phone's chart."""
    if len(text) <= LEGEND_CHARS:
        return text
    head, colon, value = text.rpartition(": ")
    return f"{head}:<br>{value}" if colon else wrap_lines(text, LEGEND_CHARS)


def funnel_reason_text(comparison: Comparison, lang: str) -> str:
    """Why there is no funnel plot."""
    if comparison.funnel_reason == RATES_ONLY:
        return _("Funnel plot not available: provider publishes rates only.", lang)
    return _(
        "Funnel plot not available: no national figure with group sizes for this period.", lang
    )


def scatter_reason_text(comparison: Comparison, lang: str) -> str:
    """Why there is no scatter of the two groups' rates."""
    if comparison.scatter_reason == NO_COMPARISON:
        return _("No scatter: a share has no comparison group.", lang)
    return _("No values to show for this choice.", lang)


# --------------------------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------------------------


def _base_layout(lang: str, height: int) -> dict[str, Any]:
    return {
        "height": height,
        "font": FONT,
        "separators": plotly_separators(lang),
        "plot_bgcolor": "#ffffff",
        "paper_bgcolor": "#ffffff",
        "hoverlabel": {"font": {"size": 15}},
    }


def empty_figure(message: str) -> dict[str, Any]:
    """A figure with only a centred message (a designed empty state), in shorter lines on a
    phone."""
    figure = {
        "data": [],
        "layout": {
            "height": 220,
            "xaxis": {"visible": False},
            "yaxis": {"visible": False},
            "font": FONT,
            "annotations": [
                {
                    "text": message,
                    "showarrow": False,
                    "xref": "paper",
                    "yref": "paper",
                    "x": 0.5,
                    "y": 0.5,
                    "font": {"size": 17, "color": "#333333"},
                }
            ],
        },
    }
    return narrow_layout(figure, {"annotations[0].text": wrap_lines(message, 32)})


def bar_height(count: int) -> int:
    """Pixels for a ranked chart of `count` bars: roomy when few, compact when hundreds."""
    per_bar = 26 if count <= 40 else 20 if count <= 120 else 16
    return max(340, 230 + per_bar * count)


def _tick_labels(rows: list[Row], chars: int | None = None) -> list[str]:
    """Names for the y axis; duplicates (Herøy, Våler) get their code; the focus is bold.
    `chars` shortens longer names with "…" (on a phone: "Storfjord - Omasvuotna - Omasvuono"
    would leave the bars no room)."""
    seen: dict[str, int] = {}
    for row in rows:
        seen[row.name] = seen.get(row.name, 0) + 1
    labels = []
    for row in rows:
        name = f"{row.name} ({row.code})" if seen[row.name] > 1 else row.name
        if chars and len(name) > chars:
            name = name[: chars - 1].rstrip(" -") + "…"
        labels.append(f"<b>▶ {name}</b>" if row.is_focus else name)
    return labels


def _bar_trace(rows: list[Row], name: str, style: dict[str, Any]) -> dict:
    values: list[float | None] = []
    plus: list[float | None] = []
    minus: list[float | None] = []
    custom: list[list[Any]] = []
    for row in rows:
        shown = row.display
        values.append(shown.value)
        plus.append(shown.plus)
        minus.append(shown.minus)
        if shown.plus is None:
            custom.append([row.name, row.rank])
        else:
            custom.append([row.name, row.rank, shown.lower, shown.upper])
    marker: dict[str, Any] = {"color": style["colour"], "line": {"color": "#333333", "width": 0.5}}
    if style["pattern"]:
        marker["pattern"] = {
            "shape": style["pattern"],
            "fillmode": "overlay",
            "fgcolor": "#ffffff",
            "fgopacity": 0.9,
            "size": 7,
            "solidity": 0.25,
        }
    trace: dict[str, Any] = {
        "type": "bar",
        "orientation": "h",
        "name": name,
        "y": [row.code for row in rows],
        "x": values,
        "customdata": custom,
        "marker": marker,
        "hovertemplate": style["hover"],
    }
    if any(p is not None for p in plus):
        trace["error_x"] = {
            "type": "data",
            "symmetric": False,
            "array": plus,
            "arrayminus": minus,
            "color": "#222222",
            "thickness": 1.5,
            "width": 3 if len(rows) <= 120 else 0,
        }
    return trace


def _reference_trace(value: float, codes: list[str], name: str, colour: str, dash: str) -> dict:
    """A vertical reference line across every bar, as a legend entry with the value."""
    return {
        "type": "scatter",
        "mode": "lines",
        "name": legend_name(name),
        "x": [value, value],
        "y": [codes[0], codes[-1]],
        "line": {"color": colour, "width": 3, "dash": dash},
        "hovertemplate": name + "<extra></extra>",
    }


def build_ranked_figure(comparison: Comparison, lang: str) -> dict[str, Any]:
    """Ranked horizontal bars with 95 % intervals, the focus highlighted, two reference lines."""
    rows = comparison.shown
    if not rows:
        return empty_figure(_("No values to show for this choice.", lang))
    codes = [row.code for row in rows]
    suffix = " " + unit(comparison, lang)
    hover = "<b>%{customdata[0]}</b><br>%{x:.1f}" + suffix
    if any(row.lower is not None for row in rows):
        hover += "<br>" + _("95 % interval", lang) + ": %{customdata[2]:.1f} – %{customdata[3]:.1f}"
    hover += "<br>" + _("Rank", lang) + ": %{customdata[1]}<extra></extra>"
    small = {row.code for row in comparison.cautioned}
    others = [row for row in rows if not row.is_focus and row.code not in small]
    focus = [row for row in rows if row.is_focus]
    peer_style = {"colour": PEER_COLOUR, "pattern": "", "hover": hover}
    traces = [_bar_trace(others, _("Other municipalities", lang), peer_style)]
    if focus:
        label = _("{name} (focus)", lang, name=focus[0].name)
        focus_style = {"colour": FOCUS_COLOUR, "pattern": FOCUS_PATTERN, "hover": hover}
        traces.append(_bar_trace(focus, label, focus_style))
    cautioned = [row for row in rows if not row.is_focus and row.code in small]
    if cautioned:
        # Same colour, a dotted pattern and a legend entry: marked without relying on colour.
        warning = _("Small group: read with caution", lang)
        small_style = {
            "colour": PEER_COLOUR,
            "pattern": SMALL_PATTERN,
            "hover": hover.replace("<extra>", "<br>" + warning + "<extra>"),
        }
        label = _(
            "Small groups (fewer than {n} in the target group)",
            lang,
            n=caution_level(comparison),
        )
        traces.append(_bar_trace(cautioned, legend_name(label), small_style))
    annotations = []
    lines = (
        ("national", comparison.national, NATIONAL_COLOUR, "dash"),
        ("peer_average", comparison.peer_average, PEER_AVERAGE_COLOUR, "dot"),
    )
    ends = [v for r in rows for v in (r.value, r.lower, r.upper, 0.0) if v is not None]
    for position, (key, reference, colour, dash) in enumerate(lines):
        if reference.value is None:
            continue
        label = reference_label(key, comparison, lang)
        traces.append(_reference_trace(reference.value, codes, label, colour, dash))
        annotations.append(
            {
                "x": reference.value,
                "xref": "x",
                # Centred on its line, or reaching away from the nearer edge of the chart.
                "xanchor": ANCHOR_FOR_REACH[reach(reference.value, ends)],
                "y": 1,
                "yref": "paper",
                "yanchor": "bottom",
                "yshift": 48 + 24 * position,  # above the axis title
                "text": _(REFERENCE_SHORT[key], lang, value=format_number(reference.value, lang)),
                "showarrow": False,
                "font": {"size": 15, "color": colour if key == "peer_average" else "#7a4d00"},
                "bgcolor": "rgba(255,255,255,0.85)",
            }
        )
    layout = _base_layout(lang, bar_height(len(rows)))
    layout.update(
        {
            "barmode": "overlay",
            # The legend goes under the bars (it pushes the bottom margin as it needs), so it
            # never covers the line labels above the bars or the toolbar at the top right.
            # Above the bars: the ticks, the unit and the two reference labels.
            "margin": {"l": 10, "r": 30, "t": 130, "b": 10},
            "xaxis": {
                "side": "top",
                "zeroline": True,
                "zerolinecolor": "#444444",
                "gridcolor": "#e5e5e5",
                # Per cent on the ticks; percentage points named once, under the ticks.
                **(
                    {"ticksuffix": " %"}
                    if comparison.indicator.measure != "gap"
                    else {"title": {"text": unit(comparison, lang), "standoff": 4}}
                ),
            },
            "yaxis": {
                "type": "category",
                "categoryorder": "array",
                "categoryarray": codes,
                "tickmode": "array",
                "tickvals": codes,
                "ticktext": _tick_labels(rows),
                # An explicit range: the reference lines (scatter traces) would otherwise pad
                # a category axis by 5 % at each end, a blank band over hundreds of bars.
                "range": [len(codes) - 0.5, -0.5],
                "autorange": False,
                "automargin": True,
                "tickfont": {"size": 15 if len(rows) <= 120 else 12},
            },
            "legend": {
                "orientation": "h",
                "x": 0,
                "y": -0.005,
                "yanchor": "top",
                "font": {"size": 16},
            },
            "annotations": annotations,
            "meta": {
                "view": "ranked",
                "focus": comparison.focus.code if comparison.focus else None,
            },
        }
    )
    narrow = {"yaxis.ticktext": _tick_labels(rows, NARROW_NAME_CHARS)}
    return narrow_layout({"data": traces, "layout": layout}, narrow)


def _points(rows: list[Row], x: list, y: list, name: str, focus: bool, hover: str) -> dict:
    trace: dict[str, Any] = {
        "type": "scatter",
        "mode": "markers+text" if focus else "markers",
        "name": name,
        "x": x,
        "y": y,
        "customdata": [row.name for row in rows],
        "hovertemplate": hover,
        "marker": {
            "color": FOCUS_COLOUR if focus else PEER_COLOUR,
            "size": 16 if focus else 9,
            "symbol": "diamond" if focus else "circle",
            "line": {"color": "#ffffff" if not focus else "#000000", "width": 1},
            "opacity": 1 if focus else 0.85,
        },
    }
    if focus:
        trace["text"] = [f"<b>{row.name}</b>" for row in rows]
        trace["textposition"] = "top center"
        trace["textfont"] = {"size": 16, "color": FOCUS_COLOUR}
        trace["cliponaxis"] = False  # a name above a point at the top edge stays whole
    return trace


def reach(value: float, values: list[float]) -> str:
    """Which way a label at `value` reaches so it stays inside the chart spanning `values`:
    "left" in the right third, "right" in the left third, else "center"."""
    low, high = min(values), max(values)
    where = (value - low) / (high - low) if high > low else 0.5
    return "left" if where > 2 / 3 else "right" if where < 1 / 3 else "center"


# An annotation's xanchor for a label reaching that way (its anchor is on the other side).
ANCHOR_FOR_REACH = {"left": "right", "right": "left", "center": "center"}


def _point_traces(
    rows: list[Row],
    x: Callable[[Row], Any],
    y: Callable[[Row], Any],
    hover: str,
    lang: str,
    log_x: bool = False,
) -> list[dict]:
    """The peers as grey dots and the focus as a labelled diamond, at (x(row), y(row)); the
    focus's name on the side that keeps it inside the chart (`log_x`: a log axis)."""
    others = [row for row in rows if not row.is_focus]
    focus = [row for row in rows if row.is_focus]
    traces = [
        _points(
            others,
            [x(r) for r in others],
            [y(r) for r in others],
            _("Other municipalities", lang),
            False,
            hover,
        )
    ]
    if focus:
        name = _("{name} (focus)", lang, name=focus[0].name)
        trace = _points(focus, [x(r) for r in focus], [y(r) for r in focus], name, True, hover)
        spread = [float(x(r)) for r in rows if x(r) is not None]
        if log_x:
            spread = [math.log10(v) for v in spread if v > 0]
        trace["textposition"] = [
            "top " + reach(math.log10(v) if log_x else v, spread) if spread and v else "top center"
            for v in (float(x(r)) if x(r) is not None else None for r in focus)
        ]
        traces.append(trace)
    return traces


def build_funnel_figure(comparison: Comparison, lang: str) -> dict[str, Any]:
    """Value against target-group size with 95 % and 99.8 % limits around the national value."""
    funnel = comparison.funnel
    if funnel is None:
        return empty_figure(funnel_reason_text(comparison, lang))
    placed = [row for row in comparison.valued if row.n]
    suffix = " " + unit(comparison, lang)
    hover = "<b>%{customdata}</b><br>n = %{x:,.0f}<br>%{y:.1f}" + suffix + "<extra></extra>"
    traces: list[dict[str, Any]] = []
    for level, dash, width in ((0.998, "solid", 2), (0.95, "dash", 2)):
        lower, upper = funnel.limits[level]
        name = _(
            "{level} % control limits",
            lang,
            level=format_number(100 * level, lang, 1 if level > 0.95 else 0),
        )
        for i, band in enumerate((upper, lower)):
            traces.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "name": name,
                    "legendgroup": name,
                    "showlegend": i == 0,
                    "x": funnel.n,
                    "y": band,
                    "line": {"color": LIMIT_COLOUR, "width": width, "dash": dash},
                    "hoverinfo": "skip",
                }
            )
    traces.append(
        {
            "type": "scatter",
            "mode": "lines",
            "name": legend_name(reference_label("national", comparison, lang)),
            "x": [funnel.n[0], funnel.n[-1]],
            "y": [funnel.centre, funnel.centre],
            "line": {"color": NATIONAL_COLOUR, "width": 3, "dash": "dash"},
            "hoverinfo": "skip",
        }
    )
    traces += _point_traces(
        placed, lambda r: r.n, lambda r: r.display.value, hover, lang, log_x=True
    )
    xaxis = {
        "type": "log",
        "title": {"text": _("Target group size n (log scale)", lang)},
        "gridcolor": "#e5e5e5",
    }
    yaxis = {
        "title": {"text": _("Value ({unit})", lang, unit=unit(comparison, lang))},
        "gridcolor": "#e5e5e5",
    }
    return _xy_figure(traces, xaxis, yaxis, "funnel", comparison, lang)


# Room for the legend under an x-y chart: a half-page chart on a laptop, and on a phone.
LEGEND_WIDTHS = {"wide": 540, "narrow": 330}
LEGEND_ROW_PX = 26


def legend_rows(names: list[str], width: int) -> int:
    """How many lines of text a horizontal legend of these names takes in `width` px (16 px
    text: about 9 px a character, and 45 px for the symbol and the space after it; an entry
    of two lines makes its row two lines high)."""
    lines, used, tallest = 0, 0.0, 1
    for name in names:
        parts = name.split("<br>")
        item = 45 + 9 * max(len(part) for part in parts)
        if used and used + item > width:
            lines, used, tallest = lines + tallest, 0.0, 1
        used += item
        tallest = max(tallest, len(parts))
    return lines + tallest


def _xy_figure(
    traces: list[dict[str, Any]],
    xaxis: dict[str, Any],
    yaxis: dict[str, Any],
    view: str,
    comparison: Comparison,
    lang: str,
) -> dict[str, Any]:
    """The funnel plot's or the scatter's figure: the legend at the figure's foot, under the
    x axis's ticks and title with room for its rows (so it never covers them, nor the toolbar
    at the top), narrower on a phone."""
    names = [t["name"] for t in traces if t.get("showlegend", True) and t.get("name")]

    def bottom(width: int) -> int:
        return 70 + LEGEND_ROW_PX * legend_rows(names, width)

    layout = _base_layout(lang, 520)
    layout.update(
        {
            "margin": {"l": 70, "r": 20, "t": 20, "b": bottom(LEGEND_WIDTHS["wide"])},
            "xaxis": {**xaxis, "automargin": True},
            "yaxis": yaxis,
            "legend": {
                "orientation": "h",
                "x": 0,
                "y": 0,
                "yref": "container",
                "yanchor": "bottom",
            },
            "meta": {"view": view, "focus": comparison.focus.code if comparison.focus else None},
        }
    )
    narrow = {
        "margin.b": bottom(LEGEND_WIDTHS["narrow"]),
        "margin.l": 60,
        "xaxis.nticks": 4,
        "xaxis.title.text": wrap_lines(xaxis["title"]["text"], AXIS_TITLE_CHARS),
        "yaxis.title.text": wrap_lines(yaxis["title"]["text"], AXIS_TITLE_CHARS),
    }
    return narrow_layout({"data": traces, "layout": layout}, narrow)


def build_scatter_figure(comparison: Comparison, lang: str) -> dict[str, Any]:
    """Target-group rate against comparison-group rate, with the diagonal of no gap."""
    if comparison.scatter_reason is not None:
        return empty_figure(scatter_reason_text(comparison, lang))
    placed = [
        r for r in comparison.valued if r.target_rate is not None and r.comparison_rate is not None
    ]
    low = min(min(r.target_rate or 0.0, r.comparison_rate or 0.0) for r in placed)
    high = max(max(r.target_rate or 0.0, r.comparison_rate or 0.0) for r in placed)
    pad = max((high - low) * 0.05, 1.0)
    low, high = max(low - pad, 0.0), min(high + pad, 100.0)
    hover = (
        "<b>%{customdata}</b><br>"
        + _("Target group", lang)
        + ": %{y:.1f} %<br>"
        + _("Comparison group", lang)
        + ": %{x:.1f} %<extra></extra>"
    )
    traces = [
        {
            "type": "scatter",
            "mode": "lines",
            "name": _("No gap (equal rates)", lang),
            "x": [low, high],
            "y": [low, high],
            "line": {"color": "#000000", "width": 2, "dash": "dash"},
            "hoverinfo": "skip",
        },
        *_point_traces(
            placed,
            lambda r: r.display.comparison_rate,
            lambda r: r.display.target_rate,
            hover,
            lang,
        ),
    ]
    axis = {"range": [low, high], "gridcolor": "#e5e5e5", "ticksuffix": " %"}
    return _xy_figure(
        traces,
        {**axis, "title": {"text": _("Comparison group", lang)}},
        {**axis, "title": {"text": _("Target group", lang)}},
        "scatter",
        comparison,
        lang,
    )


# --------------------------------------------------------------------------------------------
# Summaries (for everyone, and the text alternative screen readers read)
# --------------------------------------------------------------------------------------------


def summarise_ranking(comparison: Comparison, lang: str) -> str:
    """E.g. 'Ballerup ranks 12th of 29 (1 = best). National (weighted): 18.3 pp; …'."""
    shown, parts = comparison.shown, []
    order = (
        _("1 = best", lang)
        if comparison.indicator.higher_is_better is not None
        else _("1 = largest", lang)
    )
    focus = comparison.focus_row
    if focus is not None and focus.rank is not None:
        parts.append(
            _(
                "{name} ranks {ordinal} of {count} ({order}) with {value}.",
                lang,
                name=focus.name,
                ordinal=ordinal(focus.rank, lang),
                count=len(shown),
                order=order,
                value=with_unit(focus.value, comparison, lang),
            )
        )
    elif focus is not None:
        parts.append(
            _(
                "{name} has no value for this period ({note}).",
                lang,
                name=focus.name,
                note=note_text(focus, lang),
            )
        )
    elif comparison.focus is not None:
        parts.append(_("{name} is not in this group.", lang, name=comparison.focus.name))
    if shown and (focus is None or focus.rank is None):
        parts.append(
            _(
                "{count} municipalities ranked: first {first} "
                "({first_value}), last {last} ({last_value}).",
                lang,
                first=shown[0].name,
                first_value=with_unit(shown[0].value, comparison, lang),
                last=shown[-1].name,
                last_value=with_unit(shown[-1].value, comparison, lang),
                count=len(shown),
            )
        )
    caution = caution_level(comparison)
    if comparison.cautioned:
        parts.append(
            _(
                "{count} of the ranked have fewer than {n} in the target group "
                "(dotted bars): read their place with caution.",
                lang,
                count=len(comparison.cautioned),
                n=caution,
            )
        )
    if comparison.hidden:
        parts.append(
            _(
                "{count} with a value are left out of the ranking "
                "(listed below the chart, and in the table).",
                lang,
                count=len(comparison.hidden),
            )
        )
    parts.append(reference_label("national", comparison, lang) + ".")
    parts.append(coverage_text(comparison, lang))
    parts.append(reference_label("peer_average", comparison, lang) + ".")
    if not (comparison.national.weighted or comparison.peer_average.weighted):
        parts.append(
            _(
                "The provider publishes rates only, so the references are "
                "plain means of the municipalities' rates, not weighted "
                "figures.",
                lang,
            )
        )
    elif comparison.peer_average.value is not None and not comparison.peer_average.weighted:
        parts.append(
            _(
                "The provider publishes rates only, so the peer average is a "
                "plain mean of the municipalities' rates, not a weighted figure.",
                lang,
            )
        )
    if comparison.missing:
        parts.append(
            _(
                "{count} without a value are listed below the chart.",
                lang,
                count=len(comparison.missing),
            )
        )
    return " ".join(parts)


def summarise_funnel(comparison: Comparison, lang: str) -> str:
    """How many municipalities lie outside the limits, and where the focus lies."""
    if comparison.funnel is None:
        return funnel_reason_text(comparison, lang)
    placed = [row for row in comparison.valued if row.funnel]
    counts = {key: sum(1 for r in placed if r.funnel == key) for key in (ABOVE_998, BELOW_998)}
    outside_95 = sum(1 for r in placed if r.funnel != WITHIN)
    text = _(
        "{outside} of {count} municipalities lie outside the 99.8 % "
        "limits ({above} above, {below} below) and {outside95} "
        "outside the 95 % limits around the national figure of "
        "{centre}.",
        lang,
        outside=counts[ABOVE_998] + counts[BELOW_998],
        above=counts[ABOVE_998],
        below=counts[BELOW_998],
        outside95=outside_95,
        count=len(placed),
        centre=with_unit(comparison.funnel.centre, comparison, lang),
    )
    focus = comparison.focus_row
    if focus is not None and focus.funnel:
        text += " " + _(
            "{name} lies {where}.", lang, name=focus.name, where=funnel_text(focus.funnel, lang)
        )
    return text


def group_labels(comparison: Comparison, lang: str) -> str:
    """Who the scatter's two groups are, e.g. 'Target group: … Comparison group: …'."""
    definition = comparison.indicator.countries[comparison.country]
    target = definition.target.label.get(lang, "")
    parts = [_("Target group: {label}.", lang, label=target)]
    if definition.comparison is not None:
        label = definition.comparison.label.get(lang, "")
        parts.append(_("Comparison group: {label}.", lang, label=label))
    return " ".join(parts)


def summarise_scatter(comparison: Comparison, lang: str) -> str:
    """How many municipalities have the target group's rate below the comparison group's."""
    if comparison.scatter_reason is not None:
        return scatter_reason_text(comparison, lang)
    placed = [
        r for r in comparison.valued if r.target_rate is not None and r.comparison_rate is not None
    ]
    below = sum(1 for r in placed if (r.target_rate or 0.0) < (r.comparison_rate or 0.0))
    text = _(
        "In {below} of {count} municipalities the target group's "
        "rate is below the comparison group's (points under the "
        "diagonal).",
        lang,
        below=below,
        count=len(placed),
    )
    focus = next((r for r in placed if r.is_focus), None)
    if focus is not None:
        text += " " + _(
            "{name}: {target} % against {comparison} %.",
            lang,
            name=focus.name,
            target=format_number(focus.target_rate, lang),
            comparison=format_number(focus.comparison_rate, lang),
        )
    return text


# --------------------------------------------------------------------------------------------
# Missing list, table and CSV
# --------------------------------------------------------------------------------------------


def _listed(rows: list[Row], lang: str, with_value: bool, comparison: Comparison) -> html.Ul:
    items = []
    for row in rows:
        words = note_text(row, lang)
        if with_value:
            words = f"{with_unit(row.value, comparison, lang)}; {words}"
        items.append(
            html.Li(
                [html.Strong(f"{row.name} ({row.code})"), f" — {words}"],
                className="compare-focus-item" if row.is_focus else None,
            )
        )
    return html.Ul(items)


def build_missing_list(comparison: Comparison, lang: str) -> html.Div | None:
    """Municipalities of the peer group left out of the ranking (small groups hidden by the
    switch, with their values) and those without a value, with why (never drawn as 0)."""
    if not comparison.missing and not comparison.hidden:
        return None
    parts: list[Any] = []
    if comparison.hidden:
        title = _("Left out of the ranking ({count})", lang, count=len(comparison.hidden))
        parts += [html.H3(title), _listed(comparison.hidden, lang, True, comparison)]
    if comparison.missing:
        count = len(comparison.missing)
        parts += [
            html.H3(_("Without a value ({count}), not drawn", lang, count=count)),
            _listed(comparison.missing, lang, False, comparison),
        ]
    return html.Div(parts, className="compare-missing")
