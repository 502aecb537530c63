"""The parts of the page every view shares: the data-status banner and the header."""

from __future__ import annotations

from dash import dcc, html

DEMO_TEXT = "Demo data: simulated figures"


def build_banner(is_demo: bool, problem: str | None = None) -> html.Div:
    """A banner saying the figures are simulated, or that the data cannot be read."""
    if problem:
        return html.Div(problem, className="banner banner-problem", role="alert")
    if is_demo:
        return html.Div(
            [
                html.Strong(DEMO_TEXT),
                " — not official statistics. Run `barometer refresh` with internet access "
                "to load Statistics Denmark and Statistics Norway.",
            ],
            className="banner banner-demo",
            role="status",
            id="demo-banner",
        )
    return html.Div(className="banner-none")


def build_header() -> html.Header:
    """Site title and navigation."""
    return html.Header(
        [
            dcc.Link("Integration Barometer", href="/", className="brand"),
            html.Nav([dcc.Link("Municipalities", href="/")], className="nav"),
        ],
        className="header",
    )
