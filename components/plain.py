"""Plain: a part of a page that no callback touches, sent as one Dash component.

Dash's renderer does work for every component it mounts (Dash 4 dispatches a store action per
component as it mounts, and every mounted component checks every action), so a page's cost
grows faster than its number of components: the municipality page's cards made about 400 of
its 434. A card's text, its disclosures and its links never change after the page is drawn,
so they need not be Dash components: `plain(...)` turns html.* components and dcc.Link into a
tree of data ({"t": tag, "p": props, "c": children}) that assets/plain.js draws with React as
the same elements, attributes and text. Links navigate inside the app as dcc.Link does.

Only html.* and dcc.Link can be made plain (ValueError otherwise: a graph or a dropdown needs
Dash), and no id inside can be a callback's input, state or output: `plain_parts` keeps the
Dash components among plain ones, and tests/test_plain.py checks every page's layout against
the app's callbacks.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from dash import dcc
from dash.development.base_component import Component

from components.table import start_component

PROPS = ["tree"]
# Props of html.* components that only Dash's callbacks read.
DASH_ONLY = {"n_clicks", "n_clicks_timestamp", "disable_n_clicks", "loading_state"}
# dash.html names that are not the element's tag.
TAGS = {"MapEl": "map", "ObjectEl": "object"}


class Plain(Component):
    """Elements that stay as they are drawn: `tree` from `plain_tree`."""

    _namespace = "barometer_components"  # window.barometer_components in assets/plain.js
    _type = "Plain"
    _children_props: list[str] = []
    _base_nodes: list[str] = []

    def __init__(self, tree: list[Any]) -> None:
        start_component(self, PROPS, {"tree": tree})


def plain_tree(node: Any) -> Any:
    """A component (or text, or a list of them) as data for assets/plain.js."""
    if node is None or isinstance(node, bool):
        return None
    if isinstance(node, str | int | float):
        return str(node)
    if isinstance(node, list | tuple):
        return [plain_tree(child) for child in node if child is not None]
    if isinstance(node, dcc.Link):
        props = node.to_plotly_json()["props"]
        attributes = {
            key: value
            for key, value in props.items()
            if key in ("id", "className", "style", "title", "href") and value is not None
        }
        return {"t": "a", "p": attributes, "c": _children(props), "nav": True}
    if isinstance(node, Component) and node._namespace == "dash_html_components":
        props = node.to_plotly_json()["props"]
        attributes = {
            key: value
            for key, value in props.items()
            if key != "children" and key not in DASH_ONLY and value is not None
        }
        return {
            "t": TAGS.get(node._type, node._type.lower()),
            "p": attributes,
            "c": _children(props),
        }
    raise ValueError(f"only html.* components and dcc.Link can be plain, not {node!r:.80}")


def _children(props: dict[str, Any]) -> list[Any]:
    children = props.get("children")
    if children is None:
        return []
    tree = plain_tree(children)
    return tree if isinstance(tree, list) else [tree]


def plain(*nodes: Any) -> Plain:
    """Components that no callback touches as one Plain component. It adds no element of its
    own: the nodes are drawn as children of the Plain's parent."""
    return Plain(plain_tree(list(nodes)))


def is_plain(node: Any, live: Collection[str] = ()) -> bool:
    """Whether `node` (with everything inside it) can be drawn by Plain: html.* and dcc.Link
    only, none with an id in `live`."""
    if node is None or isinstance(node, str | int | float | bool):
        return True
    if isinstance(node, list | tuple):
        return all(is_plain(child, live) for child in node)
    if isinstance(node, dcc.Link) or (
        isinstance(node, Component) and node._namespace == "dash_html_components"
    ):
        return getattr(node, "id", None) not in live and is_plain(
            getattr(node, "children", None), live
        )
    return False


def plain_parts(nodes: list[Any], live: Collection[str] = ()) -> list[Any]:
    """`nodes` with every run of plain siblings made one Plain; an html.* element holding a
    Dash component (a graph, a dropdown) or an id in `live` (the ids the page's callbacks
    read or write, such as a button's n_clicks) stays a Dash component, its children done
    the same way."""
    out: list[Any] = []
    run: list[Any] = []
    for node in nodes:
        if node is None:
            continue
        if is_plain(node, live):
            run.append(node)
            continue
        if run:
            out.append(plain(*run))
            run = []
        children = getattr(node, "children", None)
        if isinstance(node, Component) and node._namespace == "dash_html_components":
            if isinstance(children, list):
                node.children = plain_parts(children, live)
            else:  # one child stays one child
                (node.children,) = plain_parts([children], live) or [None]
        out.append(node)
    if run:
        out.append(plain(*run))
    return out
