"""TextTable: a table of text as one Dash component, drawn by assets/table.js.

A long table as html.Tr/html.Td costs one Dash component per cell, and Dash's renderer does
work for each at every page load (Dash 4 dispatches a store action per component as it mounts,
and every action is checked by every mounted component: the municipality page's 70-period
table made 293 of its 723 components). As dcc.Markdown it costs Markdown's 470 kB of script.
TextTable sends the rows as lists of text; the browser draws a plain <table> (headings with
scope="col") and React escapes every cell.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dash.development.base_component import Component

PROPS = ["id", "className", "head", "rows", "align", "caption"]


def start_component(
    component: Component, names: list[str], props: dict[str, Any], **optional: Any
) -> None:
    """Set up one of our own components (TextTable, SortableTable, components/plain.py's
    Plain): the props it has, then `props` and any of `optional` (id, className) given."""
    component._prop_names = names
    component._valid_wildcard_attributes = []
    # Dash's generated components set this in their own __init__; Component does not declare it.
    component.available_properties = names  # type: ignore[attr-defined]
    component.available_wildcard_properties = []
    Component.__init__(
        component, **props, **{key: value for key, value in optional.items() if value is not None}
    )


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
        if align and (len(align) != len(head) or set(align) - {"l", "r"}):
            raise ValueError(f"align needs l or r for each of {len(head)} columns: {align!r}")
        if any(len(row) != len(head) for row in rows):
            raise ValueError(f"every row needs {len(head)} cells")
        props: dict[str, Any] = {
            "head": [str(text) for text in head],
            "rows": [["" if text is None else str(text) for text in row] for row in rows],
            "align": align,
        }
        start_component(self, PROPS, props, caption=caption, id=id, className=className)


# --------------------------------------------------------------------------------------------
# SortableTable: a table the reader sorts by a column heading and turns page by page
# --------------------------------------------------------------------------------------------

SORTABLE_PROPS = [
    "id",
    "className",
    "columns",
    "data",
    "sort_keys",
    "row_classes",
    "sort_by",
    "page_current",
    "page_size",
    "labels",
    "lang",
]
COLUMN_TYPES = ("numeric", "text")
ALIGNS = ("left", "right")
SORT_DIRECTIONS = ("asc", "desc")
# The words of the pager, in the reader's language: the four page buttons' names and "Page
# {page} of {pages}".
PAGER_LABELS = ("first", "previous", "next", "last", "page")


def table_content(
    columns: Sequence[Mapping[str, str]],
    data: Sequence[Sequence[Any]],
    sort_keys: Mapping[str, Sequence[float | None]] | None = None,
    row_classes: Sequence[str] | None = None,
) -> dict[str, Any]:
    """SortableTable's content props, checked: `columns` ({"id", "name", "type": "numeric" or
    "text", "align": "left" or "right" (numbers right, text left unless given)}), `data` (each
    row's cells as text, "" for a missing value), `sort_keys` (each numeric column's values
    by id, None where missing: numbers sort as numbers) and `row_classes` (a CSS class for
    each row, "" for none). Raises ValueError for content that does not add up."""
    ids = [str(column.get("id", "")) for column in columns]
    if "" in ids or len(set(ids)) != len(ids):
        raise ValueError(f"every column needs its own id: {ids}")
    checked = []
    for column in columns:
        kind = column.get("type", "text")
        align = column.get("align", "right" if kind == "numeric" else "left")
        if kind not in COLUMN_TYPES or align not in ALIGNS:
            raise ValueError(f"column {column['id']}: type {kind!r}, align {align!r}")
        checked.append(
            {"id": column["id"], "name": str(column["name"]), "type": kind, "align": align}
        )
    if any(len(row) != len(ids) for row in data):
        raise ValueError(f"every row needs {len(ids)} cells")
    keys = {key: list(values) for key, values in (sort_keys or {}).items()}
    numeric = {c["id"] for c in checked if c["type"] == "numeric"}
    if set(keys) != numeric:
        raise ValueError(f"sort keys for the numeric columns {sorted(numeric)}, not {sorted(keys)}")
    for key, values in keys.items():
        if len(values) != len(data):
            raise ValueError(f"sort keys of {key}: {len(values)} for {len(data)} rows")
        if any(v is not None and not isinstance(v, int | float) for v in values):
            raise ValueError(f"sort keys of {key} must be numbers or None")
        keys[key] = [None if v is None or v != v else v for v in values]  # NaN: missing
    classes = ["" if c is None else str(c) for c in (row_classes or [""] * len(data))]
    if len(classes) != len(data):
        raise ValueError(f"{len(classes)} row classes for {len(data)} rows")
    return {
        "columns": checked,
        "data": [["" if cell is None else str(cell) for cell in row] for row in data],
        "sort_keys": keys,
        "row_classes": classes,
    }


def check_sort_by(sort_by: Sequence[Mapping[str, str]], column_ids: Sequence[str]) -> list:
    """A DataTable-shaped `sort_by` ([{"column_id", "direction": "asc" or "desc"}], at most
    one) for these columns, else ValueError."""
    if len(sort_by) > 1:
        raise ValueError("the table sorts by one column at a time")
    for item in sort_by:
        if item.get("column_id") not in column_ids or item.get("direction") not in SORT_DIRECTIONS:
            raise ValueError(f"cannot sort by {dict(item)!r}")
    return [{"column_id": i["column_id"], "direction": i["direction"]} for i in sort_by]


class SortableTable(Component):
    """A table of text that sorts by a click (or Enter/Space) on a column heading and shows
    `page_size` rows a page, drawn by assets/table.js.

    Content as `table_content` checks it. The reader's sort goes into `sort_by` (DataTable's
    shape, so callbacks can read and write it; a third click on the same heading drops it),
    the page into `page_current` (0-based; callbacks may set it). Missing values sort last in
    both directions; text sorts in the reader's language (`lang`). `labels` holds the pager's
    words (PAGER_LABELS). Every cell is text: React escapes it.
    """

    _namespace = "barometer_components"  # window.barometer_components in assets/table.js
    _type = "SortableTable"
    _children_props: list[str] = []
    _base_nodes: list[str] = []

    def __init__(
        self,
        columns: Sequence[Mapping[str, str]],
        data: Sequence[Sequence[Any]],
        labels: Mapping[str, str],
        lang: str,
        sort_keys: Mapping[str, Sequence[float | None]] | None = None,
        row_classes: Sequence[str] | None = None,
        sort_by: Sequence[Mapping[str, str]] = (),
        page_current: int = 0,
        page_size: int = 25,
        id: str | None = None,  # noqa: A002 - Dash's name for it
        className: str | None = None,  # noqa: N803 - Dash's name for it
    ) -> None:
        content = table_content(columns, data, sort_keys, row_classes)
        if set(labels) != set(PAGER_LABELS):
            raise ValueError(f"labels needs {PAGER_LABELS}, not {sorted(labels)}")
        if not isinstance(page_size, int) or page_size < 1:
            raise ValueError(f"page_size must be a whole number above 0: {page_size!r}")
        if not isinstance(page_current, int) or page_current < 0:
            raise ValueError(f"page_current must be a whole number from 0: {page_current!r}")
        props: dict[str, Any] = {
            **content,
            "sort_by": check_sort_by(sort_by, [c["id"] for c in content["columns"]]),
            "page_current": page_current,
            "page_size": page_size,
            "labels": {key: str(labels[key]) for key in PAGER_LABELS},
            "lang": lang,
        }
        start_component(self, SORTABLE_PROPS, props, id=id, className=className)
