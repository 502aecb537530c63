"""Home: pick a municipality."""

from __future__ import annotations

import dash
from dash import html

from components.picker import build_picker_section

dash.register_page(__name__, path="/", title="Integration Barometer")


def layout(**_query: str) -> html.Div:
    return html.Div(
        [
            html.H1("Integration Barometer"),
            html.P(
                "How residents of non-Western origin fare in each Danish and Norwegian "
                "municipality, beside the national figure. Choose a municipality:"
            ),
            build_picker_section(None),
        ]
    )
