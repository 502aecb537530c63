"""Municipality boundaries for the map: fetch, check, normalise and store them in data/geo/.

`barometer refresh` downloads one GeoJSON file per country from a configurable URL
(BAROMETER_GEO_DK_URL, BAROMETER_GEO_NO_URL) through the project's HttpClient, checks it,
and writes a compact copy atomically (temp file + os.replace) to data/geo/dk.geojson and
data/geo/no.geojson. A failed download never fails the data refresh: it prints a warning and
the old file stays byte-identical.

What the stored file looks like, whatever the source's shape:
- one feature per municipality, `id` = our code ("101" for Denmark, "0301" for Norway), with
  `properties` {code, name}; Denmark's one-polygon-per-island source is gathered into one
  MultiPolygon per code, because plotly draws only the first feature matching an id;
- only our municipalities (Denmark's 0411 Christiansø is not one of them);
- coordinates rounded to 4 decimals (about 10 m) and simplified (Douglas-Peucker) to a
  fraction of a pixel on a full-screen map of the country, which cuts the Danish file from
  1.6 MB to about a quarter;
- rings wound the way d3-geo (plotly's `choropleth`) expects, exterior rings clockwise: the
  RFC 7946 order (counter-clockwise) makes d3 fill the whole globe except the municipality.
"""

from __future__ import annotations

import json
import logging
import math
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from errors import BarometerError
from loaders.http import HttpClient, HttpError, Progress
from loaders.municipalities import COUNTRIES, list_municipalities
from settings import GEO_DK_URL, GEO_NO_URL, Settings

log = logging.getLogger(__name__)

Ring = list[list[float]]
Polygon = list[Ring]

GEO_FOLDER = "geo"
FILE_NAMES = {"DK": "dk.geojson", "NO": "no.geojson"}
# The code property each provider's file uses, most likely first (DAGI has used both names).
CODE_PROPERTIES = {"DK": ("KOMKODE", "kommunekode"), "NO": ("kommunenummer", "kommunekode")}
DECIMALS = 4
# Simplification tolerance as a share of the country's larger extent: 1/4000 is a quarter of
# a pixel on a 1000-pixel-wide map of the whole country.
TOLERANCE_SHARE = 1 / 4000


class GeoError(BarometerError):
    """A boundary file could not be fetched, read or checked."""


@dataclass(frozen=True)
class BoundaryFile:
    """What a boundary download stored."""

    country: str
    path: Path
    municipalities: int
    missing: tuple[str, ...]
    source_features: int
    size: int


# The boundaries shipped with the project (scripts/build_boundaries.py; sources and licences in
# its README): the map draws from them until a refresh stores newer ones in data/geo/.
SHIPPED_FOLDER = Path(__file__).resolve().parent / "boundaries"


def boundary_path(data_dir: Path, country: str) -> Path:
    """Where the stored boundaries of one country live."""
    return data_dir / GEO_FOLDER / FILE_NAMES[country]


def shipped_boundary_path(country: str) -> Path:
    """The boundaries of one country shipped with the project."""
    return SHIPPED_FOLDER / FILE_NAMES[country]


def boundary_urls(settings: Settings) -> dict[str, str]:
    """The configured download URL for each country."""
    return {"DK": settings.geo_dk_url, "NO": settings.geo_no_url}


def normalise_code(country: str, raw: Any) -> str | None:
    """Our code for a boundary file's code: DK "0101" -> "101", NO "301" -> "0301".

    Statistics Denmark writes codes without leading zeros, so Danish codes are compared as
    integers; Statistics Norway's are four-digit strings. None when the value is no code.
    """
    text = str(raw).strip() if raw is not None else ""
    if not text.isdigit():
        return None
    return str(int(text)) if country == "DK" else text.zfill(4)


# --- geometry helpers (plain lists of [lon, lat]) -----------------------------------------


def _signed_area(ring: Ring) -> float:
    """Twice the planar signed area: positive when the ring runs counter-clockwise."""
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False))


def _simplify(points: Ring, tolerance: float) -> Ring:
    """Douglas-Peucker on one open or closed line (the first and last points are kept)."""
    if len(points) < 3 or tolerance <= 0:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        ax, ay = points[first]
        bx, by = points[last]
        dx, dy = bx - ax, by - ay
        length = math.hypot(dx, dy)
        farthest, index = -1.0, -1
        for i in range(first + 1, last):
            px, py = points[i]
            if length:
                distance = abs(dy * (px - ax) - dx * (py - ay)) / length
            else:
                distance = math.hypot(px - ax, py - ay)
            if distance > farthest:
                farthest, index = distance, i
        if index > 0 and farthest > tolerance:
            keep[index] = True
            stack.extend(((first, index), (index, last)))
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def _clean_ring(
    ring: Iterable[Any], tolerance: float, exterior: bool, decimals: int = DECIMALS
) -> Ring | None:
    """A closed ring, simplified, rounded and wound for d3; None when it is too small to see."""
    points = [[float(p[0]), float(p[1])] for p in ring]
    if len(points) < 4:
        return None
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    if max(max(xs) - min(xs), max(ys) - min(ys)) < tolerance:
        return None
    simplified = _simplify(points, tolerance)
    if len(simplified) < 4:
        simplified = points
    rounded: Ring = []
    for x, y in simplified:
        point = [round(x, decimals), round(y, decimals)]
        if not rounded or rounded[-1] != point:
            rounded.append(point)
    if rounded[0] != rounded[-1]:
        rounded.append(list(rounded[0]))
    area = _signed_area(rounded)
    if len(rounded) < 4 or area == 0:  # rounding flattened it to a line: nothing to draw
        return None
    counter_clockwise = area > 0
    if counter_clockwise == exterior:  # d3: exterior clockwise, holes counter-clockwise
        rounded.reverse()
    return rounded


def _polygons(geometry: Any) -> list[Any]:
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if kind == "Polygon":
        return [geometry["coordinates"]]
    if kind == "MultiPolygon":
        return list(geometry["coordinates"])
    raise GeoError(f"geometry type {kind!r}; only Polygon and MultiPolygon are supported")


def _clean_polygons(
    polygons: list[Any], tolerance: float, decimals: int = DECIMALS
) -> list[Polygon]:
    """Every polygon cleaned; the largest is always kept so no municipality disappears."""
    cleaned: list[Polygon] = []
    for polygon in polygons:
        if not polygon:
            continue
        exterior = _clean_ring(polygon[0], tolerance, exterior=True, decimals=decimals)
        if exterior is None:
            continue
        holes = [
            _clean_ring(hole, tolerance, exterior=False, decimals=decimals) for hole in polygon[1:]
        ]
        cleaned.append([exterior, *(h for h in holes if h is not None)])
    if not cleaned and polygons:
        largest = max(polygons, key=lambda p: abs(_signed_area([q[:2] for q in p[0]])))
        ring = _clean_ring(largest[0], 0.0, exterior=True, decimals=decimals)
        if ring is not None:
            cleaned.append([ring])
    return cleaned


def _extent(polygons: Iterable[Any]) -> float:
    xs: list[float] = []
    ys: list[float] = []
    for polygon in polygons:
        for point in polygon[0]:
            xs.append(float(point[0]))
            ys.append(float(point[1]))
    return max(max(xs) - min(xs), max(ys) - min(ys)) if xs else 0.0


# --- decode and check ----------------------------------------------------------------------


def decode_boundaries(
    country: str,
    body: bytes,
    url: str = "",
    tolerance_share: float = TOLERANCE_SHARE,
    decimals: int = DECIMALS,
) -> dict[str, Any]:
    """A provider's GeoJSON text -> our compact FeatureCollection, or GeoError saying why.

    Checks: valid JSON, a FeatureCollection with features, each carrying the country's code
    property and a (Multi)Polygon geometry, and at least one code that is one of ours.
    `tolerance_share` (of the country's extent) and `decimals` set how far shapes are
    simplified and coordinates rounded.
    """
    where = f" (URL: {url})" if url else ""
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise GeoError(f"{country} boundaries are not valid JSON: {exc}{where}") from exc
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        kind = data.get("type") if isinstance(data, dict) else type(data).__name__
        raise GeoError(f"{country} boundaries: expected a GeoJSON FeatureCollection, got {kind}")
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise GeoError(f"{country} boundaries: the FeatureCollection has no features{where}")
    names = {m.code: m.name for m in list_municipalities(country)}
    wanted = CODE_PROPERTIES[country]
    polygons: dict[str, list[Any]] = {}
    for number, feature in enumerate(features):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        properties = properties if isinstance(properties, dict) else {}
        key = next((k for k in wanted if k in properties), None)
        if key is None:
            raise GeoError(
                f"{country} boundaries: feature {number} has no code property "
                f"{' or '.join(wanted)} (it has {sorted(properties)}){where}"
            )
        code = normalise_code(country, properties[key])
        if code is None:
            raise GeoError(
                f"{country} boundaries: feature {number} has code {properties[key]!r}, "
                f"not a municipality number{where}"
            )
        try:
            parts = _polygons(feature.get("geometry"))
        except (GeoError, KeyError, TypeError) as exc:
            raise GeoError(f"{country} boundaries: feature {number} ({code}): {exc}") from exc
        if code in names:
            polygons.setdefault(code, []).extend(parts)
    if not polygons:
        raise GeoError(
            f"{country} boundaries: none of the {len(features)} features is one of our "
            f"{COUNTRIES[country]} municipalities (wrong file?){where}"
        )
    tolerance = tolerance_share * _extent(p for parts in polygons.values() for p in parts)
    out = []
    for code in sorted(polygons):
        cleaned = _clean_polygons(polygons[code], tolerance, decimals)
        if not cleaned:
            raise GeoError(f"{country} boundaries: municipality {code} has no usable polygon")
        out.append(
            {
                "type": "Feature",
                "id": code,
                "properties": {"code": code, "name": names[code]},
                "geometry": {"type": "MultiPolygon", "coordinates": cleaned},
            }
        )
    missing = sorted(set(names) - set(polygons))
    return {
        "type": "FeatureCollection",
        "barometer": {
            "country": country,
            "source_url": url,
            "source_features": len(features),
            "missing": missing,
            "retrieved_at": datetime.now(UTC).isoformat(timespec="seconds"),
        },
        "features": out,
    }


# --- store ---------------------------------------------------------------------------------


def write_atomically(path: Path, content: bytes) -> None:
    """Write beside the target, then rename over it: readers see the old or the new file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
            os.fchmod(handle.fileno(), 0o644)  # mkstemp makes 0600; the app may run as another user
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def fetch_boundaries(country: str, url: str, data_dir: Path, client: HttpClient) -> BoundaryFile:
    """Download, check and store one country's boundaries; GeoError or HttpError on failure.

    The stored file is replaced only after the new one passed every check.
    """
    response = client.get(url)
    collection = decode_boundaries(country, response.body, url)
    content = json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    path = boundary_path(data_dir, country)
    write_atomically(path, content)
    info = collection["barometer"]
    return BoundaryFile(
        country=country,
        path=path,
        municipalities=len(collection["features"]),
        missing=tuple(info["missing"]),
        source_features=info["source_features"],
        size=len(content),
    )


def uses_default_urls(settings: Settings) -> bool:
    """True when neither boundary URL was configured (BAROMETER_GEO_*_URL)."""
    return settings.geo_dk_url == GEO_DK_URL and settings.geo_no_url == GEO_NO_URL


def refresh_boundaries(
    settings: Settings, source: str = "live", progress: Progress = print
) -> dict[str, BoundaryFile | None]:
    """Fetch both countries' boundaries, warning (never raising) when one cannot be updated.

    A demo refresh fetches them only when the URLs were configured: demo data is meant to
    work offline, and tests never touch the internet.
    """
    if source != "live" and uses_default_urls(settings):
        progress(
            "boundaries: the map uses the boundaries shipped with the project (demo data "
            "downloads none; set BAROMETER_GEO_DK_URL and BAROMETER_GEO_NO_URL to fetch others)"
        )
        return {}
    client = HttpClient.patient_as(settings, on_retry=progress)
    results: dict[str, BoundaryFile | None] = {}
    for country, url in boundary_urls(settings).items():
        try:
            stored = fetch_boundaries(country, url, settings.data_dir, client)
        except Exception as exc:  # a map problem must never fail the data refresh
            if isinstance(exc, HttpError):
                reason = f"{exc.reason} (URL: {exc.url})"
            elif isinstance(exc, BarometerError | OSError):
                reason = str(exc)
            else:
                log.exception("unexpected error while refreshing %s boundaries", country)
                reason = f"unexpected error: {exc!r}"
            old = boundary_path(settings.data_dir, country)
            kept = f"keeping {old}" if old.exists() else "the map keeps the shipped boundaries"
            reason = " ".join(reason.split())  # an HTML error page, on one line
            progress(f"warning: {country} boundaries not updated: {reason}; {kept}")
            results[country] = None
            continue
        note = f"; no boundary for {', '.join(stored.missing)}" if stored.missing else ""
        progress(
            f"boundaries {country}: {stored.municipalities} municipalities "
            f"({stored.size / 1e6:.2f} MB) saved to {stored.path}{note}"
        )
        results[country] = stored
    return results
