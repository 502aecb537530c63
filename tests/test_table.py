"""TextTable (components/table.py): a long table of text as one Dash component."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from components.table import TextTable


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
