"""The Dash app (Dash Pages). `server` is the WSGI app for gunicorn.

Serve with `barometer serve` (gunicorn on 127.0.0.1:8050; see serving/server.py). Every page
draws its own frame (components/shell.py), so the banner, navigation and language switch follow
the page's URL. serving.install adds request guards, security and cache headers, compression.
"""

from __future__ import annotations

import functools
import importlib
import os
import re
from typing import Any

import dash
import flask
from dash import html
from dash.fingerprint import build_fingerprint

import serving
import serving.downloads
import serving.first_layout
import serving.first_paint
from components.shell import on_callback_error
from locales import _, normalise_language

# The code components fetch for themselves once they are on the page: our Chart loads plotly.js
# (components/chart.js, as dcc.Graph does), dcc's dropdown its lazily loaded webpack chunk
# (dcc's `__webpack_require__.u`). Loaded only then, a page would wait for its layout before
# they even start; listed with the page, they load with it. By namespace and path as Dash
# registers them.
PLOTLY_CODE = ("plotly", "package_data/plotly.min.js")
CHART_CODE = ("components", "chart.js")  # components/chart.py's Chart
COMPONENT_CODE = {
    "Chart": [PLOTLY_CODE],
    "Dropdown": [("dash", "dcc/async-dropdown.js")],
}
# Scripts Dash lists on every page that ours do without (dash/dash.py, `_generate_scripts_html`):
# - dash_table's bundle, added whether a page draws a DataTable or not. None does (Compare's
#   table is components/table.py's SortableTable; tests/test_table.py checks that no page
#   module imports dash_table): 34 kB of script less to fetch and run.
# - the renderer's polyfill bundle (@babel/polyfill 7.12: core-js 2 and regenerator-runtime,
#   dash/_dash_renderer.py). Today's browsers have everything core-js 2 adds, but it replaces
#   String.prototype.trim and trimStart, parseInt and parseFloat with slower code of its own
#   (its white-space test still counts U+180E, which Unicode 6.3 took out, so it takes the
#   browser's versions for broken), and plotly.js calls them all through every chart it draws:
#   in a profile of Compare's charts, 26 ms in core-js's trim alone. The one part Dash needs,
#   `regeneratorRuntime`, is assets/regenerator.js.
UNUSED_SCRIPTS = re.compile(
    r'<script src="[^"]*/_dash-component-suites/dash/'
    r'(dash_table/[^"]*|deps/polyfill@[^"]*)"></script>\n?'
)


@functools.cache
def bundle_url(namespace: str, path: str) -> str:
    """A package file's fingerprinted address, written as Dash writes its bundles' addresses
    (dash.py, `_collect_and_register_resources`): cached by browsers for a year."""
    package = f"dash.{path.split('/')[0]}" if namespace == "dash" else namespace
    version = importlib.import_module(package).__version__
    file = os.path.join(os.path.dirname(importlib.import_module(namespace).__file__ or ""), path)
    fingerprinted = build_fingerprint(path, version, int(os.stat(file).st_mtime))
    return (
        f"{app.config.requests_pathname_prefix}_dash-component-suites/{namespace}/{fingerprinted}"
    )


def page_at(path: str) -> dict[str, Any] | None:
    """The registered page that answers this address, if any."""
    parts = (app.strip_relative_path(path) or "").strip("/").split("/")

    def matches(template: str) -> bool:
        words = template.strip("/").split("/")
        return len(words) == len(parts) and all(
            w == p or w.startswith("<") for w, p in zip(words, parts, strict=True)
        )

    for page in dash.page_registry.values():
        if matches(page["path"]) or matches(page.get("path_template") or page["path"]):
            return page
    return None


def preload_scripts(path: str) -> list[str]:
    """Script tags for our Chart's code (components/chart.js, on every page), then the code of
    the components the page at `path` draws at once, plotly.js followed by the one line that
    draws the first paint's charts (serving/first_paint.py), before React and Dash's bundles.

    A page says which with `register_page(..., preload=(...))`: listed with the page's scripts,
    the code loads with Dash's own bundles (from the browser's cache for a year, once seen).
    webpack takes a chunk that arrived before it was asked for (its runtime reads the chunk
    list it finds); Chart loads plotly.js itself on a page that did not list it.
    """
    page = page_at(path)
    components = page.get("preload", ()) if page else ()
    files = dict.fromkeys(file for name in components for file in COMPONENT_CODE[name])
    chart = f'<script src="{bundle_url(*CHART_CODE)}" data-plotly="{bundle_url(*PLOTLY_CODE)}">'
    tags = [chart + "</script>"]
    for file in files:
        tags.append(f'<script src="{bundle_url(*file)}"></script>')
        if file == PLOTLY_CODE:
            tags.append(f"<script>{serving.first_paint.DRAW_NOW}</script>")
    return tags


class BarometerDash(dash.Dash):
    """Dash whose first HTML document is in the reader's language (`?lang=` of the address),
    with the code its page's components need among its scripts (`preload_scripts`) and
    without dash_table's and the polyfill bundle, which no page needs (UNUSED_SCRIPTS).

    Dash's index page is a template filled in per request; `interpolate_index` is the place
    Dash documents for changing it ("Customizing Dash's HTML Index Template",
    dash.plotly.com/external-resources, and the docstring of Dash.interpolate_index). Here it
    sets `<html lang>` and the tab title; later navigation updates both in the browser
    (components/shell.py). It also lists /_dash-layout and /_dash-dependencies as
    `<link rel=preload as=fetch crossorigin>`: the browser asks for them while it reads the
    scripts, and the renderer's own requests for them (same address, mode and credentials)
    are answered from that preload (tests/e2e/test_first_layout.py counts one of each).
    """

    def interpolate_index(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        asked = flask.request.args.get("lang") if flask.has_request_context() else None
        lang = normalise_language(asked)
        kwargs["title"] = _("Integration Barometer", lang)
        scripts = UNUSED_SCRIPTS.sub("", kwargs["scripts"])
        if flask.has_request_context():
            scripts = "\n".join([*preload_scripts(flask.request.path), scripts])
            search = flask.request.query_string.decode("utf-8", "replace")
            painted = serving.first_paint.for_request(
                self, flask.request.path, f"?{search}" if search else ""
            )
            kwargs["app_entry"] = painted + kwargs["app_entry"]
        kwargs["scripts"] = scripts
        prefix = self.config.requests_pathname_prefix
        kwargs["metas"] = "\n".join(
            [
                f'<link rel="preload" href="{prefix}{name}" as="fetch" crossorigin="anonymous">'
                for name in ("_dash-layout", "_dash-dependencies")
            ]
            + [kwargs.get("metas", "")]
        )
        index = super().interpolate_index(*args, **kwargs)
        return index.replace("<html>", f'<html lang="{lang}">', 1)


app = BarometerDash(
    __name__,
    use_pages=True,
    title="Integration Barometer",
    suppress_callback_exceptions=True,
    update_title="",
    # One error surface: any callback that raises shows the error box in the page frame
    # (components/shell.py); Dash's `on_error` (dash/dash.py, Dash(on_error=...)).
    on_error=on_callback_error,
)
server = app.server


def layout() -> html.Div:
    """The page container; in Dash's first request for the layout, with the page already in it
    (serving/first_layout.py: the router's round trip saved before the first chart)."""
    asked = flask.has_request_context() and flask.request.path == LAYOUT_PATH
    return html.Div(serving.first_layout.container(app, flask.request if asked else None))


LAYOUT_PATH = f"{app.config.routes_pathname_prefix}_dash-layout"
app.layout = layout
serving.install(app)
# Download files for policymakers, made once per snapshot (issue 11).
serving.downloads.register(server)
