"""Map boundaries: download from a local HTTP server, checks, atomic writes, the join, the figure.

Thinned copies of the reference boundary files (tests/fixtures/geo/, every feature kept) are
served by http.server on 127.0.0.1 in place of the configured URL.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd
import pytest

from components.map import build_map_figure, build_map_frame
from indicators.notes import Note
from loaders.geo import (
    boundary_path,
    decode_boundaries,
    normalise_code,
    refresh_boundaries,
    shipped_boundary_path,
)
from loaders.municipalities import municipality_codes
from settings import Settings
from tests.conftest import digest, fast_settings, quick_settings

GEO_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "geo"
DK_FILE = "dk_kommuner_dagi.geojson"
NO_FILE = "no_kommuner_2024_S.geojson"
NO_CODE_BODY = json.dumps(
    {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"navn": "Oslo"},
                "geometry": {"type": "Polygon", "coordinates": [[[10, 59], [11, 59], [10, 60]]]},
            }
        ],
    }
).encode()


class BoundaryHandler(SimpleHTTPRequestHandler):
    """The boundary fixtures, plus paths that fail the way a real server can."""

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        if self.path.startswith("/http500"):
            self.send_error(500, "boom")
            return
        special = {
            "/invalid.geojson": b'{"type": "FeatureCollection", "features": [',
            "/nocode.geojson": NO_CODE_BODY,
            "/list.geojson": b"[1, 2, 3]",
        }
        if self.path in special:
            body = special[self.path]
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def serve_boundaries(folder: Path) -> Iterator[str]:
    """Serve `folder` (and the failing paths) on a free loopback port; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(BoundaryHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def geo_server() -> Iterator[str]:
    with serve_boundaries(GEO_FIXTURES) as base:
        yield base


def settings_for(data_dir: Path, dk_url: str, no_url: str) -> Settings:
    """Quick retries, the data folder, and the two boundary URLs."""
    return quick_settings(
        data_dir,
        read_timeout=5.0,
        retries=1,
        backoff_max=0.05,
        geo_dk_url=dk_url,
        geo_no_url=no_url,
    )


def exterior_is_clockwise(ring: list[list[float]]) -> bool:
    area = sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False))
    return area < 0


def test_code_normalisation() -> None:
    assert normalise_code("DK", "0101") == "101"
    assert normalise_code("DK", "0411") == "411"
    assert normalise_code("DK", 851) == "851"
    assert normalise_code("NO", "0301") == "0301"
    assert normalise_code("NO", "301") == "0301"
    assert normalise_code("NO", "5501") == "5501"
    assert normalise_code("DK", "Hedensted") is None
    assert normalise_code("NO", None) is None


@pytest.fixture(scope="module")
def downloaded(tmp_path_factory: pytest.TempPathFactory, geo_server: str) -> Path:
    """A data folder with both countries' boundaries fetched from the local server."""
    folder = tmp_path_factory.mktemp("geo-ok")
    messages: list[str] = []
    settings = settings_for(folder, f"{geo_server}/{DK_FILE}", f"{geo_server}/{NO_FILE}")
    results = refresh_boundaries(settings, "live", messages.append)
    assert set(results) == {"DK", "NO"} and all(results.values()), messages
    return folder


@pytest.mark.parametrize("country", ["DK", "NO"])
def test_download_normalises_every_municipality(downloaded: Path, country: str) -> None:
    path = boundary_path(downloaded, country)
    data = json.loads(path.read_bytes())
    assert data["type"] == "FeatureCollection"
    codes = [feature["id"] for feature in data["features"]]
    assert sorted(codes) == sorted(municipality_codes(country))  # one feature per municipality
    assert "411" not in codes  # Christiansø is not one of ours
    for feature in data["features"]:
        assert feature["properties"]["code"] == feature["id"]
        assert feature["geometry"]["type"] == "MultiPolygon"
        for polygon in feature["geometry"]["coordinates"]:
            assert exterior_is_clockwise(polygon[0]), feature["id"]  # d3-geo's winding
            for x, y in polygon[0]:
                assert round(x, 4) == x and round(y, 4) == y
    # the Danish source is 1.6 MB with 311 features; ours is a few hundred kB
    assert path.stat().st_size < (350_000 if country == "DK" else 600_000)
    assert not list(path.parent.glob("*.tmp"))


def test_danish_islands_are_gathered_per_municipality() -> None:
    body = (GEO_FIXTURES / DK_FILE).read_bytes()
    source = json.loads(body)
    islands = sum(1 for f in source["features"] if f["properties"]["KOMKODE"] == "0825")  # Læsø
    collection = decode_boundaries("DK", body)
    laesoe = next(f for f in collection["features"] if f["id"] == "825")
    assert islands > 1
    assert 1 <= len(laesoe["geometry"]["coordinates"]) <= islands
    assert collection["barometer"]["missing"] == []
    assert collection["barometer"]["source_features"] == 311


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/http500/dk.geojson", "HTTP 500"),
        ("/invalid.geojson", "not valid JSON"),
        ("/nocode.geojson", "no code property KOMKODE"),
        ("/list.geojson", "expected a GeoJSON FeatureCollection"),
        (f"/{NO_FILE}", "feature 0 has no code property KOMKODE or kommunekode"),
    ],
    ids=["http500", "invalid-json", "missing-code", "not-a-collection", "wrong-country"],
)
def test_failed_download_keeps_the_old_file(
    tmp_path: Path, downloaded: Path, geo_server: str, path: str, reason: str
) -> None:
    old = boundary_path(tmp_path, "DK")
    old.parent.mkdir(parents=True)
    old.write_bytes(boundary_path(downloaded, "DK").read_bytes())
    before = digest(old)
    messages: list[str] = []
    settings = settings_for(tmp_path, f"{geo_server}{path}", f"{geo_server}/{NO_FILE}")
    results = refresh_boundaries(settings, "live", messages.append)
    assert results["DK"] is None and results["NO"] is not None
    assert digest(old) == before
    warning = next(m for m in messages if m.startswith("warning: DK boundaries not updated"))
    assert reason in warning and f"keeping {old}" in warning
    assert sorted(p.name for p in old.parent.iterdir()) == ["dk.geojson", "no.geojson"]


def test_failed_first_download_says_there_is_no_map_yet(tmp_path: Path, geo_server: str) -> None:
    messages: list[str] = []
    settings = settings_for(tmp_path, f"{geo_server}/http500", f"{geo_server}/http500")
    assert refresh_boundaries(settings, "live", messages.append) == {"DK": None, "NO": None}
    assert sum("the map keeps the shipped boundaries" in m for m in messages) == 2
    assert not (tmp_path / "geo").exists() or not list((tmp_path / "geo").iterdir())


def test_demo_refresh_with_default_urls_does_not_fetch(tmp_path: Path) -> None:
    messages: list[str] = []
    assert refresh_boundaries(replace(Settings(), data_dir=tmp_path), "demo", messages.append) == {}
    assert "BAROMETER_GEO_DK_URL" in messages[0]
    assert not (tmp_path / "geo").exists()


def test_failed_boundaries_do_not_fail_the_data_refresh(
    tmp_path: Path, simulator, geo_server: str
) -> None:
    from loaders.refresh import refresh

    settings = replace(
        fast_settings(tmp_path, simulator),
        geo_dk_url=f"{geo_server}/http500",
        geo_no_url=f"{geo_server}/{NO_FILE}",
    )
    simulator.clear_faults()
    messages: list[str] = []
    result = refresh(settings, source="demo", progress=messages.append)
    assert result.database.exists()
    assert any(m.startswith("warning: DK boundaries not updated") for m in messages)
    assert boundary_path(tmp_path, "NO").exists() and not boundary_path(tmp_path, "DK").exists()


def test_boundaries_are_cached_until_the_file_changes(downloaded: Path, tmp_path: Path) -> None:
    from queries.geo import clear_cache, get_boundaries

    clear_cache()
    path = boundary_path(tmp_path, "DK")
    path.parent.mkdir(parents=True)
    path.write_bytes(boundary_path(downloaded, "DK").read_bytes())
    first = get_boundaries("DK", tmp_path)
    assert first is not None and len(first.codes) == 98
    assert get_boundaries("DK", tmp_path) is first  # read once
    data = json.loads(path.read_bytes())
    data["features"] = data["features"][:10]
    path.write_text(json.dumps(data))
    second = get_boundaries("DK", tmp_path)
    assert second is not None and len(second.codes) == 10 and second.version != first.version
    # No stored Norwegian file: the one shipped with the project.
    shipped = get_boundaries("NO", tmp_path)
    assert shipped is not None and shipped.path == shipped_boundary_path("NO")


def test_map_joins_every_municipality(demo_env: Path, downloaded: Path) -> None:
    from queries.geo import get_boundaries
    from queries.trend import latest_period_with_values
    from queries.values import get_values, list_municipalities

    for country, indicator in [("DK", "higher_education_25_39"), ("NO", "employment_gap")]:
        boundaries = get_boundaries(country, downloaded)
        assert boundaries is not None
        period = latest_period_with_values(indicator, country)
        assert period is not None
        values = get_values(indicator, period=period, country=country)
        municipalities = list_municipalities(country)
        frame = build_map_frame(values, municipalities, boundaries.codes)
        assert sorted(frame["code"]) == sorted(municipalities["code"])
        assert frame["on_map"].all()
        assert frame["code"].is_unique
        published = values.set_index("municipality")["value"].dropna()
        shown = frame.set_index("code")["value"].dropna()
        assert shown.to_dict() == pytest.approx(published.to_dict())


def test_map_frame_keeps_municipalities_without_a_row() -> None:
    municipalities = pd.DataFrame(
        {"code": ["101", "147", "151"], "name": ["A", "B", "C"], "region_name": ["R"] * 3}
    )
    values = pd.DataFrame(
        {
            "municipality": ["101", "147"],
            "value": [12.5, float("nan")],
            "note_code": [None, "withheld"],
            "note_symbol": [None, None],
            "note_n": [None, 20],
            "small_number": ["ok", "withheld"],
        }
    )
    frame = build_map_frame(values, municipalities, {"101", "147"})
    assert frame["code"].tolist() == ["101", "147", "151"]
    assert frame["value"].tolist()[0] == 12.5
    assert frame["value"].isna().tolist() == [False, True, True]
    assert frame["note"].tolist()[:2] == [None, Note("withheld", None, 20)]
    assert frame["on_map"].tolist() == [True, True, False]


def test_map_figure_is_small_and_greys_out_missing_values() -> None:
    codes = municipality_codes("NO")
    frame = pd.DataFrame(
        {
            "code": codes,
            "name": [f"Kommune {c}" for c in codes],
            "region_name": ["Fylke"] * len(codes),
            "value": [None if i % 10 == 0 else float(i % 40) for i in range(len(codes))],
            "note": [Note("suppressed", ":") if i % 10 == 0 else None for i in range(len(codes))],
            "small_number": ["ok"] * len(codes),
            "on_map": [True] * len(codes),
        }
    )
    notes = ["<br>suppressed (:)" if i % 10 == 0 else "" for i in range(len(codes))]
    labels = {"colourbar": "Gap", "missing": "No published value"}
    figure = build_map_figure(frame, "/_barometer/geo/no.geojson?v=1", "NO", "pp", labels, notes)
    values, missing = figure["data"]
    assert values["type"] == missing["type"] == "choropleth"
    assert values["colorscale"] == "Viridis" and values["geojson"].startswith("/_barometer/geo/")
    assert len(values["locations"]) + len(missing["locations"]) == len(codes)
    assert set(missing["locations"]) == {codes[i] for i in range(0, len(codes), 10)}
    assert missing["customdata"][0][1] == "<br>suppressed (:)"
    assert figure["layout"]["geo"]["fitbounds"] == "locations"
    assert figure["layout"]["geo"]["visible"] is False
    size = len(json.dumps(figure))
    assert size < 60_000, size  # boundaries go by URL, not inside the figure


def test_checks_and_winding_without_a_server() -> None:
    from loaders.geo import GeoError

    square = [[10.0, 55.0], [10.5, 55.0], [10.5, 55.5], [10.0, 55.5], [10.0, 55.0]]  # RFC 7946
    hole = [[10.1, 55.1], [10.1, 55.2], [10.2, 55.2], [10.2, 55.1], [10.1, 55.1]]

    def collection(code: str) -> bytes:
        feature = {
            "type": "Feature",
            "properties": {"KOMKODE": code},
            "geometry": {"type": "Polygon", "coordinates": [square, hole]},
        }
        return json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()

    decoded = decode_boundaries("DK", collection("0151"))
    exterior, inner = decoded["features"][0]["geometry"]["coordinates"][0]
    assert exterior_is_clockwise(exterior) and not exterior_is_clockwise(inner)
    assert decoded["barometer"]["missing"] == sorted(set(municipality_codes("DK")) - {"151"})
    with pytest.raises(GeoError, match="none of the 1 features is one of our Denmark"):
        decode_boundaries("DK", collection("0411"))
    with pytest.raises(GeoError, match="not a municipality number"):
        decode_boundaries("DK", collection("Ballerup"))
    with pytest.raises(GeoError, match="has no features"):
        decode_boundaries("NO", b'{"type": "FeatureCollection", "features": []}')


# --- the boundaries shipped with the project -----------------------------------------------


@pytest.mark.parametrize("country", ["DK", "NO"])
def test_shipped_boundaries_cover_every_municipality(country: str) -> None:
    path = shipped_boundary_path(country)
    size = path.stat().st_size
    assert 50_000 < size < 400_000, size  # a few hundred kB: simplified and quantised
    data = json.loads(path.read_bytes())
    codes = [feature["id"] for feature in data["features"]]
    assert sorted(codes) == sorted(municipality_codes(country))
    assert "411" not in codes and "0411" not in codes  # Christiansø is not a municipality
    for feature in data["features"]:
        assert feature["geometry"]["type"] == "MultiPolygon"
        for polygon in feature["geometry"]["coordinates"]:
            assert exterior_is_clockwise(polygon[0])  # d3-geo's winding
            for point in polygon[0]:
                assert point == [round(point[0], 3), round(point[1], 3)]  # quantised
    info = data["barometer"]
    assert info["attribution"] == (
        "Contains data from SDFI (Geodatastyrelsen)" if country == "DK" else "© Kartverket"
    )
    assert "retrieved_at" not in info  # the same source gives the same file


def test_build_script_gathers_islands_and_drops_christianso(tmp_path: Path) -> None:
    """scripts/build_boundaries.py on the thinned extracts: the method, not the shapes."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "build_boundaries", Path(__file__).resolve().parents[1] / "scripts" / "build_boundaries.py"
    )
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    content = script.build("DK", GEO_FIXTURES)
    data = json.loads(content)
    source = json.loads((GEO_FIXTURES / DK_FILE).read_bytes())
    assert len(source["features"]) == 311  # one feature per island
    assert len(data["features"]) == 98  # one per municipality, Christiansø dropped
    islands = next(f for f in data["features"] if f["id"] == "825")  # Læsø: several islands
    assert len(islands["geometry"]["coordinates"]) > 1
    assert script.build("DK", GEO_FIXTURES) == content  # deterministic


def test_a_broken_stored_file_falls_back_to_the_shipped_one(tmp_path: Path) -> None:
    from queries.geo import clear_cache, get_boundaries

    clear_cache()
    broken = boundary_path(tmp_path, "DK")
    broken.parent.mkdir(parents=True)
    broken.write_text("{not json")
    found = get_boundaries("DK", tmp_path)
    assert found is not None and found.path == shipped_boundary_path("DK")
    assert len(found.codes) == 98
