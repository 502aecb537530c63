"""The deck's pieces as pure functions: the slide chart (a plain dict figure) and the slides.

Sized for a projector at 1920x1080: the chart's text is at least 22 px, the slide's at least
26 px (assets/present.css). Colours as elsewhere (Okabe-Ito): the network's municipalities
blue, the national line orange and solid, the peers' average black and dashed; the lines are
named in labels at their end, so colour is never the only cue.
"""

from __future__ import annotations

from typing import Any

from dash import html

from components import ids
from components.chart import Chart
from components.charts import MUNICIPALITY_COLOUR, NATIONAL_COLOUR
from indicators.ranking import Row
from locales import _
from locales.notes import describe_missing
from locales.numbers import format_value, list_words, measure_unit, plotly_separators
from locales.words import country_name
from views.present import COUNT, COUNTY, Deck, IndicatorSlide

FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
CHART_FONT = 24  # px: axis and bar labels
SMALLEST_CHART_FONT = 22  # px: tick labels
PEER_COLOUR = "#000000"
SLIDE_SIZE = (1600, 760)  # the chart's size in exported images and PPTX slides


def build_slide_figure(slide: IndicatorSlide, lang: str, standalone: bool = False) -> dict:
    """The network's municipalities as bars with 95 % intervals, against two lines.

    `standalone` adds what an image on its own must carry: the title with the period at the
    top and the source line (with the demo label) at the bottom.
    """
    values = [r.value for r in slide.rows]
    measure = slide.indicator.measure
    # Each bar's value under its name (never on the bar, where an interval would cross it).
    names = [
        f"{bar_name(slide, r, lang)}<br><b>{format_value(r.value, measure, lang)}</b>"
        if r.value is not None
        else f"{bar_name(slide, r, lang)}<br>{_wrap(describe_missing(r.note, lang), 18)}"
        for r in slide.rows
    ]
    bars: dict[str, Any] = {
        "type": "bar",
        "x": names,
        "y": values,
        "marker": {"color": MUNICIPALITY_COLOUR},
        "name": _("Network", lang),
        "hoverinfo": "skip",
        "error_y": {
            "visible": any(r.display.plus is not None for r in slide.rows),
            "type": "data",
            "symmetric": False,
            "array": [r.display.plus for r in slide.rows],
            "arrayminus": [r.display.minus for r in slide.rows],
            "color": "#444444",
            "thickness": 2,
            "width": 8,
        },
    }
    shapes, notes = [], []
    national, peers = slide.national.value, slide.peer_average.value
    if slide.kind == COUNT:
        national = None  # the country's total is not on one municipality's scale
    if peers is not None and national is not None and abs(peers - national) < 0.05:
        peers = None  # the peers are the whole country: one line says it
    references = [
        (national, NATIONAL_COLOUR, "solid", country_name(slide.country, lang), 0),
        (peers, PEER_COLOUR, "dash", _("Peers: {peers}", lang, peers=slide.peers), 0),
    ]
    if peers is not None and national is not None:
        # Labels of close lines are pushed apart, the higher one up.
        apart = 34 if peers >= national else -34
        references[1] = (*references[1][:4], apart)
        references[0] = (*references[0][:4], -apart)
    for value, colour, dash, name, shift in references:
        if value is None:
            continue
        shapes.append(
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "y0": value,
                "y1": value,
                "line": {"color": colour, "width": 4, "dash": dash},
            }
        )
        notes.append(
            {
                "xref": "paper",
                "x": 1.01,
                "y": value,
                "xanchor": "left",
                "yanchor": "middle",
                "showarrow": False,
                "align": "left",
                "yshift": shift,
                "text": f"{_wrap(name, 20)}<br><b>{format_value(value, measure, lang)}</b>",
                "font": {
                    "size": SMALLEST_CHART_FONT,
                    "color": "#1b1b1b" if colour == PEER_COLOUR else "#7a4d00",
                },
            }
        )
    shown = [v for v in values if v is not None]
    tops = [
        *(r.upper for r in slide.rows if r.upper is not None),
        *shown,
        *(r[0] for r in references if r[0] is not None),
    ]
    low = min([0.0, *shown, *(r.lower for r in slide.rows if r.lower is not None)])
    high = max(tops) if tops else 1.0
    layout: dict[str, Any] = {
        "font": {"size": CHART_FONT, "family": FONT_FAMILY, "color": "#1b1b1b"},
        "separators": plotly_separators(lang),
        "showlegend": False,
        "bargap": 0.35,
        "margin": {"l": 110, "r": 300, "t": 30, "b": 110},
        "plot_bgcolor": "#ffffff",
        "paper_bgcolor": "#ffffff",
        "xaxis": {"tickfont": {"size": CHART_FONT}, "automargin": True},
        "yaxis": {
            "title": {"text": measure_unit(measure, lang), "font": {"size": CHART_FONT}},
            "tickfont": {"size": SMALLEST_CHART_FONT},
            "range": [low * 1.15 if low < 0 else 0, high * 1.18],
            "gridcolor": "#e5e5e5",
            "zerolinecolor": "#444444",
        },
        "shapes": shapes,
        "annotations": notes,
    }
    if standalone:
        layout["title"] = {
            "text": f"<b>{slide.title}</b><br>"
            f"<span style='font-size:{SMALLEST_CHART_FONT}px'>{slide.headline}</span>",
            "x": 0.01,
            "xanchor": "left",
            "font": {"size": 30},
        }
        layout["margin"] = {"l": 110, "r": 300, "t": 130, "b": 250}
        layout["annotations"] = [
            *notes,
            {
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": -0.2,
                "xanchor": "left",
                "yanchor": "top",
                "showarrow": False,
                "align": "left",
                "text": _wrap(slide.source, 120),
                "font": {"size": 18, "color": "#333333"},
            },
        ]
    return {"data": [bars], "layout": layout}


def bar_name(slide: IndicatorSlide, row: Row, lang: str) -> str:
    """A bar's name: the municipality, or the county with the network's municipalities in it
    (a county figure is never shown as a municipality's own)."""
    name = _wrap(row.name, 22)
    if slide.kind != COUNTY:
        return name
    members = list_words(slide.members.get(row.code, []), lang)
    return f"{name}<br><i>{_wrap(members, 26)}</i>"


def _wrap(text: str, width: int) -> str:
    """Plotly's annotations do not wrap: break a long line at spaces with <br>."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join([*lines, line])


def build_changes_section(deck: Deck, lang: str, shown: bool) -> html.Section:
    """Slide 1: what changed since the snapshot."""
    slide = deck.changes
    more = (
        html.P(
            _("… and {count} more: see the full list.", lang, count=slide.more),
            className="slide-more",
        )
        if slide.more
        else None
    )
    return html.Section(
        [
            html.H1(slide.title, className="slide-title"),
            html.Ul([html.Li(line) for line in slide.lines], className="slide-changes"),
            more,
            html.P(network_line(deck, lang), className="slide-source"),
        ],
        className="slide slide-changes-slide",
        hidden=not shown,
        **{"data-slide": "1"},  # type: ignore[arg-type]
    )


def network_line(deck: Deck, lang: str) -> str:
    """Who the deck is about."""
    names = ", ".join(m.name for m in deck.municipalities)
    text = _(
        "Network: {names} ({country}).", lang, names=names, country=country_name(deck.country, lang)
    )
    if deck.demo:
        text += " " + _("DEMO: simulated figures, not official statistics.", lang)
    return text


def build_indicator_section(
    slide: IndicatorSlide, number: int, lang: str, shown: bool
) -> html.Section:
    """One indicator's slide: title, headline, chart, source line."""
    return html.Section(
        [
            html.H1(slide.title, className="slide-title"),
            html.P(slide.headline, className="slide-headline"),
            Chart(
                figure=build_slide_figure(slide, lang),
                config={"displayModeBar": False, "staticPlot": True, "responsive": True},
                className="slide-chart",
                style={"height": "62vh"},
            ),
            html.P(slide.source, className="slide-source"),
        ],
        className="slide",
        hidden=not shown,
        **{"data-slide": str(number)},  # type: ignore[arg-type]
    )


def build_deck(deck: Deck, leave_href: str, lang: str) -> html.Div:
    """Every slide, the current one shown; assets/present.js moves between them."""
    sections = [build_changes_section(deck, lang, deck.slide == 1)]
    sections += [
        build_indicator_section(s, n, lang, deck.slide == n)
        for n, s in enumerate(deck.slides, start=2)
    ]
    return html.Div(
        [
            *sections,
            html.P(
                f"{deck.slide} / {deck.count}",
                id=ids.PRESENT_SLIDE_NUMBER,
                className="slide-number",
                **{"aria-live": "polite"},  # type: ignore[arg-type]
            ),
        ],
        id=ids.PRESENT_DECK,
        className="deck",
        lang=lang,
        tabIndex="-1",
        **deck_attributes(deck.count, leave_href),  # type: ignore[arg-type]
    )


def deck_attributes(count: int, leave_href: str) -> dict[str, str]:
    """What assets/present.js reads from the deck: the slide count and where Escape leads."""
    return {"data-count": str(count), "data-leave": leave_href, "aria-roledescription": "slides"}
