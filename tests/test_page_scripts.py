"""The scripts a page lists (app.py BarometerDash.interpolate_index): Dash's polyfill bundle
is left out and assets/regenerator.js stands in for the one part of it Dash uses."""

from __future__ import annotations

import re

PATHS = ("/", "/trend", "/kommune/151", "/compare?country=NO&indicator=nonwestern_share", "/map")


def test_pages_are_served_without_the_polyfill_bundle(client) -> None:
    for path in PATHS:
        html = client.get(path).get_data(as_text=True)
        scripts = re.findall(r'<script src="([^"]+)"', html)
        assert any("dash_renderer" in src for src in scripts), path
        assert not [src for src in scripts if "polyfill" in src], path
        stand_in = [n for n, src in enumerate(scripts) if "/assets/regenerator.js" in src]
        renderer = [n for n, src in enumerate(scripts) if "dash_renderer" in src]
        # Listed before the renderer, which (with dcc) calls it once a lazy component loads.
        assert stand_in and stand_in[0] < renderer[0], path


def test_the_stand_in_is_served_as_script(client) -> None:
    response = client.get("/assets/regenerator.js")
    assert response.status_code == 200
    assert "regeneratorRuntime" in response.get_data(as_text=True)
    assert response.mimetype in {"application/javascript", "text/javascript"}
