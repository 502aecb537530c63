"""Request bodies as Dash's renderer sends them, for the tests that talk to the server directly."""

from __future__ import annotations

from typing import Any


def router_body(pathname: Any, search: Any = "") -> dict[str, Any]:
    """The request Dash Pages' router sends to draw the page at an address (any values: the
    fuzz and guard tests send what no browser would)."""
    return {
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [
            {"id": "_pages_content", "property": "children"},
            {"id": "_pages_store", "property": "data"},
        ],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": pathname},
            {"id": "_pages_location", "property": "search", "value": search},
        ],
        "changedPropIds": ["_pages_location.pathname"],
    }
