"""The first layout with the page already in it: one round trip less before the first chart.

With Dash Pages the layout Dash sends first (GET /_dash-layout) is an empty page container:
its dcc.Location, mounting, sets its path and query string, and that runs Dash's router
callback (`Dash.enable_pages`, dash/dash.py: Input `_pages_location` pathname and search,
`prevent_initial_call=True`, fired by the Location's `setProps` on mount), a second request
whose answer is the page's layout. Only then are the charts drawn.

Dash's renderer asks for the layout from the page itself, so its request carries the page's
address as Referer (our Referrer-Policy is `same-origin`, serving/headers.py). The layout sent
is then the router's answer already in place: the page's layout (called as the router calls
it: path variables and query parameters), its title in the router's store, and the Location
with the path, query string and address it has, so that on mounting it changes nothing
(dcc's Location `updateLocation` only sets the props that are undefined; the hash it still
sets matches no callback). The router runs as before on later navigation.

Without a Referer, from another host or another prefix, or when the layout fails, the empty
container goes out as before and the router draws the page: the page is the same either way.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

import dash
from dash import dcc, html
from dash._pages import _parse_query_string, _path_to_page
from flask import Request

log = logging.getLogger(__name__)

# dash/dash.py: the ids of dash.page_container's parts.
LOCATION, CONTENT, STORE, DUMMY = (
    "_pages_location",
    "_pages_content",
    "_pages_store",
    "_pages_dummy",
)


def page_address(app: dash.Dash, request: Request) -> tuple[str, str, str] | None:
    """(address, path, query string) of the page of this server asking for its layout."""
    referrer = request.referrer
    if not referrer:
        return None
    parts = urlsplit(referrer)
    prefix = app.config.requests_pathname_prefix
    if parts.netloc != request.host or not parts.path.startswith(prefix):
        return None
    search = f"?{parts.query}" if parts.query else ""
    return referrer.split("#", 1)[0], parts.path, search


def routed(app: dash.Dash, path: str, search: str) -> tuple[Any, Any]:
    """The page's layout and title, as Dash's router makes them (dash/dash.py, `update`)."""
    page, variables = _path_to_page(app.strip_relative_path(path))
    if page == {}:
        found = [p for m, p in dash.page_registry.items() if m.split(".")[-1] == "not_found_404"]
        page = found[0] if found else {"layout": html.H1("404 - Page not found")}
    layout = page.get("layout", "")
    title = page.get("title", app.title)
    if callable(layout):
        layout = layout(**{**(variables or {}), **_parse_query_string(search)})
    if callable(title):
        title = title(**(variables or {}))
    return layout, title


def container(app: dash.Dash, request: Request | None) -> html.Div:
    """dash.page_container, with the page in it when the request comes from a page."""
    address = page_address(app, request) if request is not None else None
    if address is not None:
        href, path, search = address
        try:
            layout, title = routed(app, path, search)
        except Exception:  # the router will draw the page (and show its error)
            log.exception("the first layout of %s could not be made", href)
        else:
            return html.Div(
                [
                    dcc.Location(
                        id=LOCATION,
                        refresh="callback-nav",
                        pathname=path,
                        search=search,
                        href=href,
                    ),
                    html.Div(layout, id=CONTENT, disable_n_clicks=True),
                    dcc.Store(id=STORE, data={"title": title}),
                    html.Div(id=DUMMY, disable_n_clicks=True),
                ]
            )
    return dash.page_container
