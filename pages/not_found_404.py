"""The page for any unknown address."""

from __future__ import annotations

import dash
from dash import dcc, html

dash.register_page(__name__, title="Page not found")


def layout(**_query: str) -> html.Div:
    return html.Div(
        [
            html.H1("Page not found"),
            html.P("There is no page at this address."),
            dcc.Link("Go to the list of municipalities", href="/"),
        ],
        className="not-found",
    )
