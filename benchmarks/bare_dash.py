"""A bare Dash app for the browser benchmark: the same figures, nothing else.

`python -m benchmarks.bare_dash PORT FIGURES.json` serves, on 127.0.0.1:PORT, a Dash app (the
installed Dash, its default scripts, Flask's own server) whose page `/?page=<name>` is one
dcc.Graph per figure of that page in FIGURES.json (data, layout, config and size as the
dashboard drew them; map boundaries inline, its empty base map answered here), and nothing
more: no frame, no dropdowns, no tables, no assets. Timed
against the same static page, it shows what Dash itself costs before any of our work
(benchmarks/browser.py, "bare_*" figures). Not part of the app.
"""

from __future__ import annotations

import json
import sys
from urllib.parse import parse_qs, urlsplit

import dash
import flask
from dash import dcc, html

from components.map import EMPTY_TOPOLOGY


def make_app(figures: dict[str, list[dict]]) -> dash.Dash:
    app = dash.Dash(__name__, assets_folder="no-assets", update_title="")

    def layout() -> html.Div:
        referrer = flask.request.referrer if flask.has_request_context() else None
        name = parse_qs(urlsplit(referrer or "").query).get("page", [""])[0]
        graphs = [
            dcc.Graph(
                figure={"data": f["data"], "layout": f["layout"]},
                config=f["config"],
                style={"width": f"{f['width']}px", "height": f"{f['height']}px"},
            )
            for f in figures.get(name, [])
        ]
        return html.Div(graphs)

    @app.server.before_request
    def base_map() -> flask.Response | None:
        # The map's config names the dashboard's empty base map (pages/map.py, topojsonURL)
        # by a path on its own server: answered here with the same empty topology.
        if "/topojson/" in flask.request.path and flask.request.path.endswith(".json"):
            return flask.jsonify(EMPTY_TOPOLOGY)
        return None

    app.layout = layout
    return app


if __name__ == "__main__":
    port, path = int(sys.argv[1]), sys.argv[2]
    with open(path, encoding="utf-8") as file:
        make_app(json.load(file)).run(host="127.0.0.1", port=port, debug=False, threaded=True)
