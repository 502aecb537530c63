"""The Dash app: page shell, data-status banner and error handling. `server` is for gunicorn.

Serve with `barometer serve` (development server on 127.0.0.1:8050) or in production with
`gunicorn app:server`.
"""

from __future__ import annotations

import logging

import dash
from dash import html

from components.shell import build_banner, build_header
from errors import BarometerError
from queries.values import get_data_status

log = logging.getLogger(__name__)

app = dash.Dash(
    __name__,
    use_pages=True,
    title="Integration Barometer",
    suppress_callback_exceptions=True,
    update_title="",
)
server = app.server


def serve_layout() -> html.Div:
    """The shell around every page, built per request so the banner follows the data."""
    try:
        status = get_data_status()
        banner = build_banner(status.is_demo)
    except BarometerError as exc:
        banner = build_banner(False, problem=str(exc))
    except Exception:
        log.exception("could not read the data status")
        banner = build_banner(False, problem="The data status could not be read.")
    return html.Div(
        [banner, build_header(), html.Main(dash.page_container, className="page")],
        className="shell",
    )


app.layout = serve_layout
