"""Plain (components/plain.py): parts of a page no callback touches, sent as one component.
The browser side (assets/plain.js) is checked in tests/e2e/test_municipality_page.py."""

from __future__ import annotations

import json
from typing import Any

import pytest
from dash import dcc, html

from components.chart import Chart
from components.plain import Plain, is_plain, plain, plain_parts, plain_tree
from tests.test_table import components_in


def test_html_and_links_become_data_with_the_same_tags_and_attributes() -> None:
    tree = plain_tree(
        html.Details(
            [
                html.Summary(
                    [
                        html.Span("▲", style={"color": "#0072B2"}, **{"aria-hidden": "true"}),
                        "Better",
                    ],
                    className="light",
                ),
                html.P(["Rank ", 3, None, dcc.Link("Ballerup", href="/kommune/151", id="x")]),
                html.Label("Text", htmlFor="box", n_clicks=4),
            ],
            className="disclosure",
        )
    )
    assert tree == {
        "t": "details",
        "p": {"className": "disclosure"},
        "c": [
            {
                "t": "summary",
                "p": {"className": "light"},
                "c": [
                    {
                        "t": "span",
                        "p": {"style": {"color": "#0072B2"}, "aria-hidden": "true"},
                        "c": ["▲"],
                    },
                    "Better",
                ],
            },
            {
                "t": "p",
                "p": {},
                "c": [
                    "Rank ",
                    "3",
                    {
                        "t": "a",
                        "p": {"id": "x", "href": "/kommune/151"},
                        "c": ["Ballerup"],
                        "nav": True,
                    },
                ],
            },
            # n_clicks is Dash's own (no callback can read a Plain element): not sent.
            {"t": "label", "p": {"htmlFor": "box"}, "c": ["Text"]},
        ],
    }
    assert plain_tree(html.MapEl(name="m"))["t"] == "map"


def test_only_html_and_links_can_be_plain() -> None:
    with pytest.raises(ValueError, match="only html"):
        plain(html.Div([html.P("a"), Chart(figure={})]))
    assert not is_plain(html.Div(dcc.Dropdown(options=[])))
    assert is_plain(html.Div([html.P("a"), dcc.Link("b", href="/")]))


def test_plain_parts_keeps_dash_components_and_joins_plain_runs() -> None:
    graph = Chart(figure={})
    parts = plain_parts(
        [
            html.H3("a"),
            None,
            html.P("b"),
            html.Div([html.Span("c"), graph, html.Span("d")], className="box"),
            html.P("e"),
        ]
    )
    assert [type(part) for part in parts] == [Plain, html.Div, Plain]
    assert [node["t"] for node in parts[0].tree] == ["h3", "p"]
    box = parts[1].children
    assert [type(part) for part in box] == [Plain, Chart, Plain]
    assert box[1] is graph and parts[1].className == "box"
    assert parts[2].tree == [{"t": "p", "p": {}, "c": ["e"]}]


def live_ids(client, on_page: set[str]) -> set[str]:
    """The ids of every callback that can run on a page whose ids are `on_page` (Dash runs a
    callback when an input of it is on the page): its inputs, states and outputs (from
    /_dash-dependencies)."""
    found: set[str] = set()
    for callback in json.loads(client.get("/_dash-dependencies").get_data()):
        inputs = {str(item["id"]) for item in callback["inputs"]}
        if not inputs & on_page:
            continue
        for output in callback["output"].strip(".").split("..."):
            found.add(output.rsplit(".", 1)[0])
        found |= inputs | {str(item["id"]) for item in callback["state"]}
    return found


def plain_ids(node: Any) -> set[str]:
    """The ids inside a Plain tree."""
    found: set[str] = set()
    if isinstance(node, dict):
        if isinstance(node.get("p"), dict) and "id" in node["p"]:
            found.add(node["p"]["id"])
        for child in node.get("c", []):
            found |= plain_ids(child)
    elif isinstance(node, list):
        for child in node:
            found |= plain_ids(child)
    return found


@pytest.mark.parametrize(
    "address",
    [
        "/kommune/151",
        "/kommune/0301?peers=similar&indicator=employment_gap",
        "/kommune/151?peers=region&lang=da",
        "/kommune/Balerup",
        "/trend?municipalities=151,157&measure=gap",
        "/trend?indicator=nosuch",
        "/map",
        "/map?country=NO&lang=nb",
        "/",
        "/indicator/employment_gap",
        "/about",
        "/present?municipalities=151,153",
        "/compare?focus=151&peers=similar",
        "/compare?indicator=nosuch",
    ],
)
def test_no_callback_of_the_page_reads_or_writes_inside_a_plain_part(client, address: str) -> None:
    reply = client.get(
        "/_dash-layout",
        headers={"Accept-Encoding": "identity", "Referer": f"http://localhost{address}"},
    )
    layout = json.loads(reply.get_data())
    components = components_in(layout)
    plains = [c for c in components if c["type"] == "Plain"]
    inside = set().union(set(), *(plain_ids(c["props"]["tree"]) for c in plains))
    on_page = inside | {str(c["props"]["id"]) for c in components if "id" in c["props"]}
    assert inside & live_ids(client, on_page) == set()
    if address.startswith("/kommune/1"):
        assert "scorecard-title-employment_gap" in inside
        assert "scorecard-card-employment_gap" not in inside  # the card holds a graph
    if not address.startswith("/present"):  # the deck has no navigation
        # Compare's callbacks rewrite the navigation links: its frame stays Dash components.
        assert ("nav-compare" in inside) is not address.startswith("/compare")
