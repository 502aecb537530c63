"""The first layout carries the page it is asked from (serving/first_layout.py): the very view
Dash Pages' router would send, so a page is drawn without the router's round trip, and the same
page whichever way it comes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from serving.cache import answers
from tests.dash_requests import router_body


@pytest.fixture()
def client(demo_env: Path):
    from app import app

    answers.clear()
    return app.server.test_client()


def first_layout(client, referrer: str | None) -> dict:
    headers = {"Accept-Encoding": "identity"}
    if referrer is not None:
        headers["Referer"] = referrer
    reply = client.get("/_dash-layout", headers=headers)
    assert reply.status_code == 200
    assert "Referer" in reply.headers.get("Vary", "")
    return json.loads(reply.get_data())


def parts(layout: dict) -> dict[str, dict]:
    """The page container's parts by id (app.layout: a Div around dash.page_container)."""
    container = layout["props"]["children"]["props"]["children"]
    return {part["props"]["id"]: part["props"] for part in container}


def routed(client, path: str, search: str) -> dict:
    reply = client.post(
        "/_dash-update-component",
        json=router_body(path, search),
        headers={"Accept-Encoding": "identity", "Referer": f"http://localhost{path}{search}"},
    )
    assert reply.status_code == 200
    return json.loads(reply.get_data())["response"]


@pytest.mark.parametrize(
    ("path", "search"),
    [
        ("/kommune/151", "?lang=da"),
        ("/compare", "?country=NO&indicator=nonwestern_share"),
        ("/about", ""),
        ("/no/such/page", ""),
    ],
)
def test_the_first_layout_is_the_routers_answer_for_the_page_asking(client, path, search) -> None:
    got = parts(first_layout(client, f"http://localhost{path}{search}#section"))
    router = routed(client, path, search)
    assert got["_pages_content"]["children"] == router["_pages_content"]["children"]
    assert got["_pages_store"]["data"] == router["_pages_store"]["data"]
    # The Location already says where it is, so mounting it does not run the router again;
    # the hash is left to the browser.
    location = got["_pages_location"]
    assert (location["pathname"], location["search"]) == (path, search)
    assert location["href"] == f"http://localhost{path}{search}"
    assert "hash" not in location


@pytest.mark.parametrize(
    "referrer", [None, "http://elsewhere.example/kommune/151", "not an address", ""]
)
def test_without_a_page_of_this_server_the_router_draws_the_page(client, referrer) -> None:
    got = parts(first_layout(client, referrer))
    assert got["_pages_content"].get("children") is None
    assert "pathname" not in got["_pages_location"]


def test_first_layouts_are_kept_per_page_address(client) -> None:
    one = first_layout(client, "http://localhost/kommune/151")
    assert (answers.stats.misses, answers.stats.hits) == (1, 0)
    assert first_layout(client, "http://localhost/kommune/151") == one
    assert (answers.stats.misses, answers.stats.hits) == (1, 1)
    other = first_layout(client, "http://localhost/kommune/0301")
    assert answers.stats.misses == 2 and other != one
