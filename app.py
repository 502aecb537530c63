"""The Dash app (Dash Pages). `server` is the WSGI app for gunicorn.

Serve with `barometer serve` (development server on 127.0.0.1:8050) or in production with
`gunicorn app:server`. Every page draws its own frame (components/shell.py), so the banner,
navigation and language switch follow the page's URL.
"""

from __future__ import annotations

import dash
from dash import html

app = dash.Dash(
    __name__,
    use_pages=True,
    title="Integration Barometer",
    suppress_callback_exceptions=True,
    update_title="",
)
server = app.server
app.layout = html.Div(dash.page_container)
