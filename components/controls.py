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
from typing import Any, cast

from dash import dcc

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


def graph_config(lang: str, **options: Any) -> dcc.Graph.Config:
    """A dcc.Graph config in the reader's language: locale, toolbar words, no Plotly logo."""
    config: dict[str, Any] = {"displaylogo": False, "responsive": True, **options}
    if lang != "en":
        name = PLOTLY_LOCALES[lang]
        config.update(locale=name, locales={name: _plotly_locale(lang)})
    return cast(dcc.Graph.Config, config)


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
    """A dcc.Dropdown with its own words in the reader's language (Dash 4's `labels` prop)."""
    return dcc.Dropdown(labels=dropdown_labels(lang), **props)
