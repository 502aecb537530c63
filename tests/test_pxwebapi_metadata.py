"""The Statistics Norway metadata parser reads real PxWebApi 2 answers unchanged.

The three files in tests/fixtures/pxwebapi/ are the server's own expected answers
(PxTools/PxWebApi @92f4cfa; source and licence in the README there).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from loaders import jsonstat, ssb

FIXTURES = Path(__file__).parent / "fixtures" / "pxwebapi"
FILES = sorted(FIXTURES.glob("MetadataById_tab00*_js2.json"))


def read(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def test_all_three_answers_are_carried() -> None:
    assert [f.name for f in FILES] == [
        "MetadataById_tab001_js2.json",
        "MetadataById_tab003_js2.json",
        "MetadataById_tab004_js2.json",
    ]


@pytest.mark.parametrize("path", FILES, ids=[f.stem for f in FILES])
def test_every_answer_parses_with_all_its_codes(path: Path) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    meta = ssb.parse_metadata("T", doc, "en")
    assert list(meta.variables) == doc["id"]
    for code, size in zip(doc["id"], doc["size"], strict=True):
        variable = meta.variables[code]
        assert len(variable.values) == size
        assert variable.values == {
            c: doc["dimension"][code]["category"]["label"][c] for c in variable.values
        }
        assert variable.elimination == doc["dimension"][code]["extension"]["elimination"]
    assert [code for code, v in meta.variables.items() if v.time] == doc["role"]["time"]
    assert meta.title == doc["label"] and meta.titles == {"en": doc["label"]}
    assert (
        meta.labels["en"]["ContentsCode"] == doc["dimension"]["ContentsCode"]["category"]["label"]
    )
    # The metadata answer has no values; the decoder's metadata reader copes with that too.
    info = jsonstat.dataset_info(doc)
    assert info.ids == doc["id"] and info.updated == doc["updated"]


def test_tab001_order_elimination_and_notes() -> None:
    meta = ssb.parse_metadata("TAB001", read("MetadataById_tab001_js2.json"))
    region = meta.variables["REGION"]
    assert list(region.values)[:3] == ["AT", "BE", "BG"] and region.values["NO"] == "Norway"
    assert region.elimination is False and meta.variables["AGE"].elimination is True
    assert list(meta.variables["TIME"].values) == ["1981", "1991", "2001"]
    assert meta.time_variable == "TIME"
    assert meta.updated == "2023-05-25T13:42:00Z"
    assert meta.notes == {"en": [".. = Data not available"]}
    assert all(v.codelists == () for v in meta.variables.values())


def test_tab004_dimension_notes_are_kept() -> None:
    meta = ssb.parse_metadata("TAB004", read("MetadataById_tab004_js2.json"))
    assert meta.notes["en"] == [
        "Footnote text",
        ".. = Data not available",
        "sector: Footnote text",
    ]
    assert meta.updated == "VALUE_HAS_BEEN_REPLACED"
    assert len(meta.variables["SECTOR"].values) == 14
    assert meta.variables["GREENHOUSEGAS"].values["CO2"] == "Carbon Dioxide (CO2) (kt)"
