"""Build the municipality boundaries shipped with the project, so the map draws on first start.

    uv run python scripts/build_boundaries.py ../shared/data/geo

Reads the reference copies (see ../shared/data/geo/README.md and loaders/boundaries/README.md
for sources and licences) and writes loaders/boundaries/dk.geojson and no.geojson through the
same checks and normalisation as a refresh's download (loaders/geo.decode_boundaries): one
feature per municipality code with Denmark's islands gathered into one MultiPolygon, only our
municipalities (Christiansø, 0411, is not one), rings wound for d3-geo, shapes simplified
(Douglas-Peucker) to a fraction of a pixel on a full-screen map and coordinates quantised to
SHIPPED_DECIMALS places. The output is the same for the same input (no time stamps), so a
rebuild changes the files only when the source or the method changed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from loaders.geo import FILE_NAMES, decode_boundaries  # noqa: E402

SOURCES = {
    "DK": {
        "file": "dk_kommuner_dagi.geojson",
        "source": "github.com/Neogeografen/dagi geojson/kommuner.geojson @a1c1563 "
        "(Geodatastyrelsen FOT 2014, 1:500 000)",
        "attribution": "Contains data from SDFI (Geodatastyrelsen)",
        "licence": "Danish free public geodata (attribution)",
    },
    "NO": {
        "file": "no_kommuner_2024_S.geojson",
        "source": "github.com/robhop/fylker-og-kommuner Kommuner-S.geojson @ae87825 "
        "(2024 division)",
        "attribution": "© Kartverket",
        "licence": "CC BY 4.0",
    },
}
# 1/2500 of the country's extent: under half a pixel on a 1000-pixel-wide map of the country.
SHIPPED_TOLERANCE = 1 / 2500
# Three decimals of a degree: about 110 m north-south, 55-65 m east-west at these latitudes,
# below a pixel even on a 1920-pixel-wide map of Denmark.
SHIPPED_DECIMALS = 3
OUTPUT = ROOT / "loaders" / "boundaries"


def build(country: str, source_folder: Path) -> bytes:
    """One country's shipped boundary file, as bytes."""
    facts = SOURCES[country]
    body = (source_folder / facts["file"]).read_bytes()
    collection = decode_boundaries(
        country, body, tolerance_share=SHIPPED_TOLERANCE, decimals=SHIPPED_DECIMALS
    )
    info = collection["barometer"]
    collection["barometer"] = {
        "country": country,
        "source": facts["source"],
        "attribution": facts["attribution"],
        "licence": facts["licence"],
        "source_features": info["source_features"],
        "missing": info["missing"],
        "built_by": "scripts/build_boundaries.py",
    }
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def main(source_folder: Path) -> None:
    OUTPUT.mkdir(exist_ok=True)
    for country in SOURCES:
        content = build(country, source_folder)
        path = OUTPUT / FILE_NAMES[country]
        path.write_bytes(content)
        features = len(json.loads(content)["features"])
        print(f"{path.relative_to(ROOT)}: {features} municipalities, {len(content) / 1000:.0f} kB")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data" / "geo")
