"""The municipality picker and name suggestions, shared by the home and municipality pages."""

from __future__ import annotations

import json
from typing import Any

from dash import dcc, html

from components import ids
from components.controls import build_dropdown
from loaders.municipalities import list_municipalities
from locales import _


def picker_options(lang: str) -> list[dict[str, str]]:
    """Every municipality as a dropdown option, searchable by name or code. The code tells
    the countries apart (three digits in Denmark, four in Norway); a shorter label also
    makes the search index dcc.Dropdown builds a third smaller."""
    return [
        {"label": f"{m.name} ({m.code})", "value": m.code}
        for m in sorted(list_municipalities(), key=lambda m: (m.country, m.name))
    ]


def build_municipality_dropdown(lang: str, **props: Any) -> html.Div:
    """A dropdown of every municipality whose list reaches the page only as the reader turns to
    it: the dropdown starts with the chosen municipalities as its options, and the whole list
    rides beside it (`data-options` on a wrapper naming the dropdown in `data-options-for`);
    assets/picker.js hands it over with Dash's `dash_clientside.set_props` at the first focus,
    press or key inside the wrapper.

    Why: dcc.Dropdown indexes every substring of every word of its options when it is drawn
    (Dash 4's dropdownSearch.ts, js-search's AllSubstringsIndexStrategy): for 455
    municipalities about 28,000 entries, 60-80 ms of script before the page's charts on every
    page with a picker. Values set by a callback are either chosen from the full list or
    none, so the short list never lacks the value shown."""
    value = props.get("value")
    chosen = set(value if isinstance(value, list) else [value])
    options = picker_options(lang)
    dropdown = build_dropdown(
        lang, options=[option for option in options if option["value"] in chosen], **props
    )
    return html.Div(
        dropdown,
        className="lazy-options",
        **{"data-options-for": props["id"], "data-options": json.dumps(options)},  # type: ignore[arg-type]
    )


def build_picker_section(code: str | None, lang: str) -> html.Div:
    """The searchable municipality picker; choosing one navigates to its page."""
    return html.Div(
        [
            html.Label(_("Municipality", lang), htmlFor=ids.MUNICIPALITY_PICKER),
            build_municipality_dropdown(
                lang,
                id=ids.MUNICIPALITY_PICKER,
                value=code,
                placeholder=_("Type a name or code, e.g. Ballerup or 0301", lang),
                clearable=False,
                searchable=True,
            ),
            dcc.Location(id=ids.MUNICIPALITY_LOCATION, refresh="callback-nav"),
        ],
        className="picker",
    )
