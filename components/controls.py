"""Dash controls in the reader's language: graph config (Plotly's locale) and dropdowns.

Every chart and every dropdown of the app is made here, so the toolbar, the number format of
the axes and the dropdowns' own words ("Search", "2 selected") follow the `?lang=` of the URL.

Plotly's locale: `assets/plotly-locale-da.js` and `-no.js` (served by Dash from assets/, not a
CDN) register month names and formats; `graph_config` selects the locale through the graph's
config (`locale`) and adds the toolbar's words from our catalogue and Babel's separators
(`locales`, which Plotly reads before its registered locales). See Plotly's config options
`locale` and `locales` (plotly.js src/plot_api/plot_config.js) and dcc.Graph's `config` prop.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from dash import dcc, html

from locales import N_, _
from locales.numbers import plotly_separators

# Plotly's names for our languages (it calls Norwegian bokmål "no").
PLOTLY_LOCALES = {"en": "en", "da": "da", "nb": "no"}
# The words of Plotly's toolbar and messages that our charts can show (Plotly's own English
# is the key of its dictionary, and our msgid).
PLOTLY_WORDS = (
    N_("Autoscale"),
    N_("Box Select"),
    N_("Compare data on hover"),
    N_("Double-click on legend to isolate one trace"),
    N_("Double-click to zoom back out"),
    N_("Download plot"),
    N_("Download plot as a PNG"),
    N_("Image download succeeded"),
    N_("Lasso Select"),
    N_("Pan"),
    N_("Preparing image - this may take a few seconds"),
    N_("Reset"),
    N_("Reset axes"),
    N_("Reset view"),
    N_("Reset views"),
    N_("Show closest data on hover"),
    N_("Sorry, there was a problem downloading your image!"),
    N_("Toggle Spike Lines"),
    N_("Toggle show closest data on hover"),
    N_("Zoom"),
    N_("Zoom in"),
    N_("Zoom out"),
)


@cache
def _plotly_locale(lang: str) -> dict[str, Any]:
    separators = plotly_separators(lang)
    return {
        "dictionary": {word: _(word, lang) for word in PLOTLY_WORDS},
        "format": {"decimal": separators[0], "thousands": separators[1]},
    }


# Toolbar buttons that do nothing useful on our charts, and the one that offers to upload the
# chart to a third-party service ("Share chart...": sendChartToCloud in plotly.js 3, which
# `showSendToCloud: false` already leaves out; sendDataToCloud in older releases).
REMOVED_BUTTONS = ["sendChartToCloud", "sendDataToCloud", "select2d", "lasso2d"]


def graph_config(lang: str, filename: str | None = None, **options: Any) -> dict[str, Any]:
    """A chart's config (components/chart.py) in the reader's language: locale, toolbar words,
    no Plotly logo, no upload to a third-party service, and a saved image named after what it
    shows.

    `filename` names the PNG the toolbar's camera saves (plotly.js's `toImageButtonOptions`:
    format, filename, width, height, scale; src/plot_api/plot_config.js). The image is drawn
    at 1600x900 at double scale, large enough for a slide.
    """
    config: dict[str, Any] = {
        "displaylogo": False,
        "responsive": True,
        "showSendToCloud": False,
        "showEditInChartStudio": False,
        "modeBarButtonsToRemove": REMOVED_BUTTONS,
        "toImageButtonOptions": {
            "format": "png",
            "filename": filename or "integration-barometer",
            "scale": 2,
        },
        **options,
    }
    if lang != "en":
        name = PLOTLY_LOCALES[lang]
        config.update(locale=name, locales={name: _plotly_locale(lang)})
    return config


def file_name(*parts: str | None) -> str:
    """A file name from its parts: "compare", "employment_gap", "DK", "2023" ->
    "compare-employment_gap-DK-2023" (characters a file system dislikes become "-")."""
    words = [str(part) for part in parts if part]
    text = "-".join(words) or "integration-barometer"
    return "".join(c if c.isalnum() or c in "-_." else "-" for c in text)


def dropdown_labels(lang: str) -> dcc.Dropdown.Labels:
    """The words dcc.Dropdown shows itself (search box, select all, "2 selected", ...)."""
    return {
        "select_all": _("Select All", lang),
        "deselect_all": _("Deselect All", lang),
        "selected_count": _("{num_selected} selected", lang),
        "search": _("Search", lang),
        "clear_search": _("Clear search", lang),
        "clear_selection": _("Clear selection", lang),
        "no_options_found": _("No options found", lang),
    }


def build_dropdown(lang: str, **props: Any) -> dcc.Dropdown:
    """A dcc.Dropdown with its own words in the reader's language (Dash 4's `labels` prop).

    A multi-select gets the class `no-select-all`: Dash 4 renders a "Select All" button in
    every multi-select (no prop removes it), which in a municipality picker would choose
    hundreds at once; assets/style.css hides it.
    """
    if props.get("multi"):
        props["className"] = f"{props.get('className', '')} no-select-all".strip()
    return dcc.Dropdown(labels=dropdown_labels(lang), **props)


def build_scroll_box(content: Any, label: str, class_name: str = "table-scroll") -> html.Div:
    """A wide table in its own scrolling box: the page never scrolls sideways on a phone, and
    the box is a named region that takes keyboard focus so it can be scrolled with the arrows
    (axe: scrollable-region-focusable)."""
    return html.Div(
        content,
        className=class_name,
        tabIndex="0",
        role="region",
        **{"aria-label": label},  # type: ignore[arg-type]
    )


def build_copy_link(lang: str, name: str) -> html.Div:
    """A "Copy link" button for the address of the view shown (assets/copy-link.js).

    The address is copied with the Clipboard API, and "Link copied" appears beside the button
    (read out by screen readers: a status region). Where the browser has no clipboard access
    (an address that is not https or localhost, or a refusal), the link is shown selected in a
    text area, with words saying to copy it. `name` makes the ids unique on the page.
    """
    return html.Div(
        [
            html.Button(
                _("Copy link", lang),
                id=f"{name}-copy-link",
                className="copy-link",
                type="button",
                **{  # type: ignore[arg-type]
                    "data-copied": _("Link copied", lang),
                    "data-fallback": _("Copy this link (Ctrl+C, or ⌘C on a Mac):", lang),
                },
            ),
            html.Span(id=f"{name}-copy-status", className="copy-link-status", role="status"),
            html.Label(
                [
                    html.Span(className="copy-link-fallback-words"),
                    html.Textarea(readOnly="readOnly", className="copy-link-fallback", rows=3),
                ],
                className="copy-link-fallback-box",
                hidden=True,
            ),
        ],
        className="copy-link-area",
    )


def build_download_buttons(lang: str, plain_id: str, spreadsheet_id: str) -> html.Div:
    """Two downloads of the same table: plain CSV (for programs), and CSV for Danish and
    Norwegian spreadsheets (semicolons, decimal commas, codes kept as text)."""
    return html.Div(
        [
            html.Button(
                _("Download CSV", lang),
                id=plain_id,
                className="download-button",
                type="button",
            ),
            html.Button(
                _("Download for Excel or LibreOffice (; and decimal comma)", lang),
                id=spreadsheet_id,
                className="download-button",
                type="button",
            ),
        ],
        className="download-buttons",
    )
