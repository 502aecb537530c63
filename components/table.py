"""TextTable: a table of text as one Dash component, drawn by assets/table.js.

A long table as html.Tr/html.Td costs one Dash component per cell, and Dash's renderer does
work for each at every page load (Dash 4 dispatches a store action per component as it mounts,
and every action is checked by every mounted component: the municipality page's 70-period
table made 293 of its 723 components). As dcc.Markdown it costs Markdown's 470 kB of script.
TextTable sends the rows as lists of text; the browser draws a plain <table> (headings with
scope="col") and React escapes every cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dash.development.base_component import Component

PROPS = ["id", "className", "head", "rows", "align", "caption"]


class TextTable(Component):
    """A table of text: `head` the column headings, `rows` lists of cell text, `align` one
    letter per column ("l" left, "r" right)."""

    _namespace = "barometer_components"  # window.barometer_components in assets/table.js
    _type = "TextTable"
    _children_props: list[str] = []
    _base_nodes: list[str] = []

    def __init__(
        self,
        head: Sequence[str],
        rows: Sequence[Sequence[Any]],
        align: str = "",
        caption: str | None = None,
        id: str | None = None,  # noqa: A002 - Dash's name for it
        className: str | None = None,  # noqa: N803 - Dash's name for it
    ) -> None:
        self._prop_names = PROPS
        self._valid_wildcard_attributes: list[str] = []
        self.available_properties = PROPS
        self.available_wildcard_properties: list[str] = []
        if align and (len(align) != len(head) or set(align) - {"l", "r"}):
            raise ValueError(f"align needs l or r for each of {len(head)} columns: {align!r}")
        if any(len(row) != len(head) for row in rows):
            raise ValueError(f"every row needs {len(head)} cells")
        props: dict[str, Any] = {
            "head": [str(text) for text in head],
            "rows": [["" if text is None else str(text) for text in row] for row in rows],
            "align": align,
        }
        if caption is not None:
            props["caption"] = caption
        if id is not None:
            props["id"] = id
        if className is not None:
            props["className"] = className
        super().__init__(**props)
