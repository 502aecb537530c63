"""TextTable and SortableTable (components/table.py): long tables of text as one Dash component
each; SortableTable's number formatting (locales/numbers.py, format_fixed)."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest

from components.table import SortableTable, TextTable, table_content
from locales.numbers import format_fixed


def components_in(node: Any) -> list[dict]:
    """Every Dash component in a layout as JSON, depth first."""
    found: list[dict] = []
    if isinstance(node, dict):
        if {"type", "namespace", "props"} <= node.keys():
            found.append(node)
            node = node["props"]
        for value in node.values():
            found += components_in(value)
    elif isinstance(node, list):
        for value in node:
            found += components_in(value)
    return found


def test_cells_are_text() -> None:
    table = TextTable(["Period", "Value"], [[2015, None], ["2016", "1,5"]], "lr", id="t")
    props = table.to_plotly_json()
    assert props["namespace"] == "barometer_components"
    assert props["type"] == "TextTable"
    assert props["props"]["rows"] == [["2015", ""], ["2016", "1,5"]]
    assert props["props"]["align"] == "lr"


@pytest.mark.parametrize(
    ("align", "rows"),
    [("l", [["a", "b"]]), ("lx", [["a", "b"]]), ("lr", [["a"]]), ("lr", [["a", "b", "c"]])],
)
def test_a_table_that_does_not_add_up_is_refused(align: str, rows: list) -> None:
    with pytest.raises(ValueError, match="column|cells"):
        TextTable(["A", "B"], rows, align)


def test_the_municipality_page_sends_its_series_as_one_table(demo_env: Path, client) -> None:
    from indicators.registry import get_indicator
    from queries.values import get_series
    from views.municipality import DEFAULT_INDICATOR, format_reading

    reply = client.get("/_dash-layout", headers={"Referer": "http://localhost/kommune/151"})
    layout = reply.get_json()
    tables = [c for c in components_in(layout) if c["type"] == "TextTable"]
    assert len(tables) == 1
    series = get_series(DEFAULT_INDICATOR, "151")
    measure = get_indicator(DEFAULT_INDICATOR).measure
    rows = tables[0]["props"]["rows"]
    assert len(rows) == len(series)
    assert [row[0] for row in rows] == [str(p) for p in series["period"]]
    last = series.iloc[-1]
    assert rows[-1][1:] == [
        format_reading(float(last["value"]), measure, "en"),
        format_reading(float(last["national"]), measure, "en"),
    ]
    # The table used to be one component per cell: about 290 of the page's 723.
    assert not [c for c in components_in(layout) if c["type"] in ("Td", "Tr")][100:]
    assert len(components_in(layout)) < 500


COLUMNS = [
    {"id": "name", "name": "Municipality", "type": "text"},
    {"id": "code", "name": "Code", "type": "text", "align": "right"},
    {"id": "value", "name": "Value", "type": "numeric"},
]
LABELS = {
    "first": "First page",
    "previous": "Previous page",
    "next": "Next page",
    "last": "Last page",
    "page": "Page {page} of {pages}",
}


def sortable(**changes: Any) -> SortableTable:
    props: dict[str, Any] = {
        "columns": COLUMNS,
        "data": [["Ærø", "492", "1.5"], ["Aabenraa", 580, None]],
        "sort_keys": {"value": [1.5, None]},
        "labels": LABELS,
        "lang": "da",
        "id": "t",
        **changes,
    }
    return SortableTable(**props)


def test_a_sortable_table_sends_text_sort_keys_and_its_state() -> None:
    table = sortable(
        row_classes=["is-focus", None],
        sort_by=[{"column_id": "value", "direction": "desc"}],
        page_current=1,
        page_size=1,
    )
    json = table.to_plotly_json()
    assert (json["namespace"], json["type"]) == ("barometer_components", "SortableTable")
    props = json["props"]
    assert props["columns"] == [
        {"id": "name", "name": "Municipality", "type": "text", "align": "left"},
        {"id": "code", "name": "Code", "type": "text", "align": "right"},
        {"id": "value", "name": "Value", "type": "numeric", "align": "right"},
    ]
    # Every cell is text; a missing one is empty (never "None" or 0).
    assert props["data"] == [["Ærø", "492", "1.5"], ["Aabenraa", "580", ""]]
    assert props["sort_keys"] == {"value": [1.5, None]}
    assert props["row_classes"] == ["is-focus", ""]
    assert props["sort_by"] == [{"column_id": "value", "direction": "desc"}]
    assert (props["page_current"], props["page_size"], props["lang"]) == (1, 1, "da")
    assert props["labels"] == LABELS
    # Unsorted, on the first page, 25 rows a page unless told.
    plain = sortable().to_plotly_json()["props"]
    assert plain["sort_by"] == [] and plain["page_current"] == 0 and plain["page_size"] == 25
    assert plain["row_classes"] == ["", ""]


def test_a_missing_number_is_a_missing_sort_key() -> None:
    content = table_content(COLUMNS, [["a", "1", ""]], {"value": [float("nan")]})
    assert content["sort_keys"] == {"value": [None]}


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"data": [["a", "b"]], "sort_keys": {"value": [1]}}, "cells"),
        ({"sort_keys": {}}, "sort keys"),
        ({"sort_keys": {"value": [1.5]}}, "sort keys"),
        ({"sort_keys": {"value": [1.5, "2"]}}, "numbers"),
        ({"sort_keys": {"value": [1, 2], "name": [1, 2]}}, "sort keys"),
        ({"columns": [*COLUMNS[:2], {**COLUMNS[2], "type": "date"}]}, "type"),
        ({"columns": [*COLUMNS[:2], {**COLUMNS[2], "align": "middle"}]}, "align"),
        ({"columns": [COLUMNS[0], COLUMNS[0], COLUMNS[2]]}, "own id"),
        ({"row_classes": ["is-focus"]}, "row classes"),
        ({"sort_by": [{"column_id": "rank", "direction": "asc"}]}, "sort by"),
        ({"sort_by": [{"column_id": "name", "direction": "up"}]}, "sort by"),
        ({"sort_by": [{"column_id": "name", "direction": "asc"}] * 2}, "one column"),
        ({"page_size": 0}, "page_size"),
        ({"page_current": -1}, "page_current"),
        ({"page_current": 1.5}, "page_current"),
        ({"labels": {k: v for k, v in LABELS.items() if k != "last"}}, "labels"),
    ],
)
def test_a_sortable_table_that_does_not_add_up_is_refused(
    changes: dict[str, Any], problem: str
) -> None:
    with pytest.raises(ValueError, match=problem):
        sortable(**changes)


@pytest.mark.parametrize(
    ("value", "digits", "grouped", "written"),
    [
        # What Dash's DataTable showed in the Compare table (read from the page in Chromium
        # before it was replaced): d3-format's fixed notation, its minus sign "−" (U+2212).
        (5.7, 1, False, {"en": "5.7", "da": "5,7", "nb": "5,7"}),
        (-5.6, 1, False, {"en": "\u22125.6", "da": "\u22125,6", "nb": "\u22125,6"}),
        (10867, 0, True, {"en": "10,867", "da": "10.867", "nb": "10\u00a0867"}),
        (6463, 0, True, {"en": "6,463", "da": "6.463", "nb": "6\u00a0463"}),
        (51, 0, True, {"en": "51", "da": "51", "nb": "51"}),
        # d3-format (locale.js): a negative that rounds to zero loses its sign; toFixed
        # rounds a half up (away from zero for a negative, as it formats the absolute value).
        (-0.04, 1, False, {"en": "0.0", "da": "0,0", "nb": "0,0"}),
        (12.25, 1, False, {"en": "12.3", "da": "12,3", "nb": "12,3"}),
        (-0.25, 1, False, {"en": "\u22120.3", "da": "\u22120,3", "nb": "\u22120,3"}),
        (1234.5, 1, False, {"en": "1234.5", "da": "1234,5", "nb": "1234,5"}),  # no separator
        (None, 1, False, {"en": "", "da": "", "nb": ""}),
        (float("nan"), 0, True, {"en": "", "da": "", "nb": ""}),
    ],
)
def test_table_numbers_are_written_as_the_table_always_wrote_them(
    value: float | None, digits: int, grouped: bool, written: dict[str, str]
) -> None:
    assert {lang: format_fixed(value, lang, digits, grouped) for lang in written} == written


def uses_dash_table(source: str) -> bool:
    """Whether Python source imports dash_table or reaches it as an attribute (dash.dash_table)."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import) and any("dash_table" in a.name for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and (
            "dash_table" in (node.module or "") or any(a.name == "dash_table" for a in node.names)
        ):
            return True
        if isinstance(node, ast.Attribute) and node.attr == "dash_table":
            return True
    return False


def test_no_module_of_the_app_uses_dash_table() -> None:
    """Dash's DataTable is deprecated in Dash 4, and app.py leaves dash_table's code out of
    every page: no module of the app may use it."""
    assert uses_dash_table("from dash.dash_table import DataTable")
    assert uses_dash_table("from dash import dash_table")
    assert uses_dash_table("import dash\ndash.dash_table.DataTable()")
    assert not uses_dash_table("# dash_table's bundle\nx = 'dash/dash_table/'")
    root = Path(__file__).resolve().parents[1]
    sources = [root / "app.py"]
    for folder in ("pages", "components", "views", "serving", "exports"):
        sources += sorted((root / folder).rglob("*.py"))
    users = [str(p.relative_to(root)) for p in sources if uses_dash_table(p.read_text("utf-8"))]
    assert len(sources) > 40 and users == []


def test_pages_are_served_without_dash_tables_code(client) -> None:
    for path in ("/", "/compare", "/compare?country=NO&indicator=nonwestern_share"):
        html = client.get(path).get_data(as_text=True)
        assert "dash_core_components" in html or "/dcc/" in html, "scripts are listed"
        assert "dash_table/" not in html, path
