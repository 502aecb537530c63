"""Chart: the dashboard's chart, a Plotly figure that can be drawn before Dash is (chart.js).

Used as dcc.Graph was: `Chart(figure=..., config=..., id=..., className=..., style=...)`, and
its `figure` can be a callback's Output. Its code is components/chart.js, which app.py puts
right after plotly.js on every page, so that a page's first charts are drawn from the HTML
itself (serving/first_paint.py) and Chart takes them over. dcc.Graph would draw them again.
"""

from __future__ import annotations

from typing import Any

from dash.development.base_component import Component

from components.table import start_component

PROPS = ["id", "figure", "config", "className", "style"]


class Chart(Component):
    """A Plotly figure (a go.Figure or its dict) with its config (components/controls.py)."""

    _namespace = "barometer_components"  # window.barometer_components in components/chart.js
    _type = "Chart"
    _children_props: list[str] = []
    _base_nodes: list[str] = []

    def __init__(
        self,
        figure: Any = None,
        config: dict[str, Any] | None = None,
        id: str | None = None,  # noqa: A002 - Dash's name for it
        className: str | None = None,  # noqa: N803 - Dash's name for it
        style: dict[str, Any] | None = None,
    ) -> None:
        optional = {"id": id, "className": className, "style": style, "config": config}
        start_component(self, PROPS, {"figure": figure}, **optional)
