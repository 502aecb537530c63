"""In the browser: a page comes with its first layout (serving/first_layout.py), without a
callback request before its charts are drawn; moving to another page still goes through Dash
Pages' router; the console stays clean."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

CHARTS_DRAWN = (
    "() => { const g = document.querySelectorAll('.js-plotly-plot');"
    " return g.length > 0 && [...g].every(e => e._fullData); }"
)


def test_a_page_is_drawn_without_the_routers_round_trip(page, app_url) -> None:
    callbacks: list[str] = []
    page.on(
        "request",
        lambda request: (
            callbacks.append(request.post_data or "")
            if "_dash-update-component" in request.url
            else None
        ),
    )
    page.goto(f"{app_url}/kommune/151?lang=da")
    page.wait_for_function(CHARTS_DRAWN)
    page.wait_for_load_state("networkidle")
    assert not [body for body in callbacks if "_pages_content" in body]
    assert page.title().startswith("Ballerup")
    assert page.evaluate("document.documentElement.lang") == "da"

    # A link inside the app: the router draws the next page.
    page.click("a[href^='/trend']")
    page.wait_for_url("**/trend**")
    page.wait_for_function(CHARTS_DRAWN)
    assert [body for body in callbacks if "_pages_content" in body]
    assert page.console_watch.errors == []


def test_the_layout_is_asked_for_once_while_the_scripts_load(page, app_url) -> None:
    # app.py lists /_dash-layout and /_dash-dependencies as <link rel=preload as=fetch>: the
    # browser asks for them while plotly.js is still being read, and Dash's renderer then gets
    # the answers it asks for from that preload instead of asking the server again.
    asked: list[str] = []
    page.on(
        "request",
        lambda request: (
            asked.append(request.url.rsplit("/", 1)[-1])
            if "/_dash-layout" in request.url or "/_dash-dependencies" in request.url
            else None
        ),
    )
    page.goto(f"{app_url}/trend")
    page.wait_for_function(CHARTS_DRAWN)
    page.wait_for_load_state("networkidle")
    assert sorted(asked) == ["_dash-dependencies", "_dash-layout"]
    assert page.console_watch.errors == []
