"""The municipality picker and name suggestions, shared by the home and municipality pages."""

from __future__ import annotations

from dash import dcc, html

from components import ids
from components.controls import build_dropdown
from loaders.municipalities import list_municipalities
from locales import _


def picker_options(lang: str) -> list[dict[str, str]]:
    """Every municipality as a dropdown option, searchable by name or code. The code tells
    the countries apart (three digits in Denmark, four in Norway); a shorter label also
    makes the search index dcc.Dropdown builds as the page loads a third smaller."""
    return [
        {"label": f"{m.name} ({m.code})", "value": m.code}
        for m in sorted(list_municipalities(), key=lambda m: (m.country, m.name))
    ]


def build_picker_section(code: str | None, lang: str) -> html.Div:
    """The searchable municipality picker; choosing one navigates to its page."""
    return html.Div(
        [
            html.Label(_("Municipality", lang), htmlFor=ids.MUNICIPALITY_PICKER),
            build_dropdown(
                lang,
                id=ids.MUNICIPALITY_PICKER,
                options=picker_options(lang),
                value=code,
                placeholder=_("Type a name or code, e.g. Ballerup or 0301", lang),
                clearable=False,
                searchable=True,
            ),
            dcc.Location(id=ids.MUNICIPALITY_LOCATION, refresh="callback-nav"),
        ],
        className="picker",
    )
