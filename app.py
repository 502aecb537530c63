"""The Dash app (Dash Pages). `server` is the WSGI app for gunicorn.

Serve with `barometer serve` (gunicorn on 127.0.0.1:8050; see serving/server.py). Every page
draws its own frame (components/shell.py), so the banner, navigation and language switch follow
the page's URL. serving.install adds request guards, security and cache headers, compression.
"""

from __future__ import annotations

from typing import Any

import dash
import flask
from dash import html

import serving
import serving.downloads
from components.shell import on_callback_error
from locales import _, normalise_language


class BarometerDash(dash.Dash):
    """Dash whose first HTML document is in the reader's language (`?lang=` of the address).

    Dash's index page is a template filled in per request; `interpolate_index` is the place
    Dash documents for changing it ("Customizing Dash's HTML Index Template",
    dash.plotly.com/external-resources, and the docstring of Dash.interpolate_index). Here it
    sets `<html lang>` and the tab title; later navigation updates both in the browser
    (components/shell.py).
    """

    def interpolate_index(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        asked = flask.request.args.get("lang") if flask.has_request_context() else None
        lang = normalise_language(asked)
        kwargs["title"] = _("Integration Barometer", lang)
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
app.layout = html.Div(dash.page_container)
serving.install(app)
# Download files for policymakers, made once per snapshot (issue 11).
serving.downloads.register(server)
