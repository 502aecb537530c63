"""Exports read back: the data package (plain and spreadsheet), the workbook, chart images and
the deck, and requests that cannot be made (a clear message, no file)."""

from __future__ import annotations

import hashlib
import io
import json
import math
import zipfile
from pathlib import Path

import duckdb
import pytest

from cli import main
from exports.files import write_file
from exports.run import ExportError, ExportRequest, export_bytes
from exports.tables import parse_number, read_table
from indicators.registry import list_indicators
from tests.conftest import MEETING

NUMBERS = ["target_num", "target_den", "target_rate", "value", "gap_pp", "gap_lower_pp"]


def database_rows(path: Path, indicator: str | None = None) -> dict[tuple, dict]:
    """indicator_values' municipal and county rows by (indicator, area, period)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        frame = con.execute(
            "SELECT * FROM indicator_values WHERE area_type IN ('municipality', 'county') "
            "AND (? IS NULL OR indicator = ?)",
            [indicator, indicator],
        ).df()
    finally:
        con.close()
    return {(r["indicator"], r["area"], r["period"]): r for r in frame.to_dict(orient="records")}


def same(stored: object, written: float | None) -> bool:
    if stored is None or (isinstance(stored, float) and math.isnan(stored)):
        return written is None
    return written == float(stored)  # exactly: full precision both ways


@pytest.mark.parametrize("variant", ["plain", "spreadsheet"])
def test_the_data_package_reads_back_value_for_value(demo_env: Path, variant: str) -> None:
    data, name = export_bytes(ExportRequest("all", "csv", variant=variant))
    assert name.endswith(".zip") and ("spreadsheet" in name) == (variant == "spreadsheet")
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert sorted(archive.namelist()) == ["README.txt", "data.csv", "metadata.json"]
    csv_bytes = archive.read("data.csv")
    metadata = json.loads(archive.read("metadata.json"))
    assert metadata["files"]["data.csv"]["sha256"] == hashlib.sha256(csv_bytes).hexdigest()
    table = read_table(csv_bytes)
    assert table.variant == variant
    records = table.records()
    stored = database_rows(demo_env / "barometer.duckdb")
    assert len(records) == len(stored) == metadata["files"]["data.csv"]["rows"]
    for record in records:  # every indicator, municipality (or county) and period
        row = stored[(record["indicator"], record["municipality"], record["period"])]
        assert record["area_type"] == row["area_type"]
        for column in NUMBERS:
            assert same(row[column], parse_number(record[column], variant)), (record, column)
        note = row["note_code"]
        assert record["note_code"] == (note if isinstance(note, str) else "")
    assert {r["municipality"] for r in records} >= {"151", "0301", "03"}  # codes stay text
    assert {r["indicator"] for r in records} == {i.id for i in list_indicators()}
    assert metadata["snapshot"]["source"] == "demo" and metadata["snapshot"]["demo"] is True
    assert metadata["requests"] and all(r["request"] for r in metadata["requests"])
    assert {t["provider"] for t in metadata["source_tables"]} == {"dst", "ssb", "fhi", "imdi"}
    assert [i["id"] for i in metadata["indicators"]] == [i.id for i in list_indicators()]
    assert metadata["rules"]["withheld_below_n"] == 20
    readme = archive.read("README.txt").decode("utf-8")
    assert "DEMO DATA" in readme and f"(version {metadata['snapshot']['id']})" in readme
    for provider in (
        "Statistics Denmark (Danmarks Statistik), tables FOLK1E",
        "Statistics Norway (Statistisk sentralbyrå), tables 07459, 09817, 11607 (CC BY 4.0)",
        "Norwegian Institute of Public Health (FHI), tables 583 (open data",
        "Directorate of Integration and Diversity (IMDi), tables intro_deltakere",
    ):
        assert provider in readme


def test_one_indicator_names_only_its_sources(demo_env: Path) -> None:
    data, _ = export_bytes(ExportRequest("employment_gap", "csv"))
    metadata = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("metadata.json"))
    assert {t["table_id"] for t in metadata["source_tables"]} == {"RAS201", "11607", "09817"}
    assert {r["table_id"] for r in metadata["requests"]} == {"RAS201", "11607", "09817"}


def test_a_municipality_stands_for_its_county_where_figures_are_per_county(
    demo_env: Path,
) -> None:
    data, _ = export_bytes(ExportRequest("all", "csv", municipalities=["4601"]))
    records = read_table(zipfile.ZipFile(io.BytesIO(data)).read("data.csv")).records()
    county = [r for r in records if r["indicator"] == "intro_work_education"]
    # Bergen's county each year: Hordaland (12) until 2019, Vestland (46) since
    assert {(r["area_type"], r["municipality"]) for r in county} == {
        ("county", "12"),
        ("county", "46"),
    }
    assert {r["municipality"] for r in records if r["area_type"] == "municipality"} == {"4601"}


def test_withheld_values_stay_withheld_in_the_package(demo_env: Path) -> None:
    data, _ = export_bytes(ExportRequest("all", "csv"))
    table = read_table(zipfile.ZipFile(io.BytesIO(data)).read("data.csv"))
    withheld = [r for r in table.records() if r["note_code"] == "withheld"]
    assert withheld and all(r["value"] == "" and r["gap_pp"] == "" for r in withheld)
    assert all("too few" in r["note"] for r in withheld)


def test_the_workbook_has_a_sheet_per_indicator_and_codes_as_text(demo_env: Path) -> None:
    from openpyxl import load_workbook

    data, name = export_bytes(ExportRequest("all", "xlsx", municipalities=["0301", "151"]))
    book = load_workbook(io.BytesIO(data), read_only=True)
    assert book.sheetnames == ["metadata", *(i.id for i in list_indicators())]
    sheet = book["employment_gap"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    codes = {row[header.index("municipality")] for row in rows[1:]}
    assert codes == {"0301", "151"}  # text: the leading zero kept
    stored = database_rows(demo_env / "barometer.duckdb", "employment_gap")
    for row in rows[1:]:
        found = stored[
            ("employment_gap", row[header.index("municipality")], row[header.index("period")])
        ]
        written = row[header.index("value")]
        if written is None:  # missing stays an empty cell, never 0
            assert math.isnan(found["value"]) or found["value"] is None
        else:  # a workbook keeps 15-16 significant digits, as a spreadsheet does
            assert written == pytest.approx(found["value"], rel=1e-14)
    county = list(book["intro_work_education"].iter_rows(values_only=True))
    assert {(r[2], r[3]) for r in county[1:]} == {("county", "03")}  # Oslo's, as text
    meta = dict(list(book["metadata"].iter_rows(values_only=True)))
    assert "CC BY 4.0" in meta["licence"] and meta["source"].startswith("demo")


def test_images_carry_title_period_source_and_demo_label(demo_env: Path) -> None:
    svg, name = export_bytes(ExportRequest("employment_gap", "svg", municipalities=["151", "147"]))
    text = svg.decode("utf-8")
    assert name.endswith(".svg") and text.startswith("<svg")
    for expected in ("Employment gap, 20", "Ballerup", "Frederiksberg", "RAS201", "DEMO"):
        assert expected in text, expected
    png, _ = export_bytes(ExportRequest("employment_gap", "png", municipalities=["151", "147"]))
    assert png.startswith(b"\x89PNG") and len(png) > 20_000


def test_the_deck_has_the_slides_titles_and_notes(meeting_env: Path) -> None:
    from pptx import Presentation

    data, name = export_bytes(ExportRequest("all", "pptx", municipalities=["151", "740", "751"]))
    deck = Presentation(io.BytesIO(data))
    slides = list(deck.slides)
    danish = [i for i in list_indicators() if "DK" in i.countries]
    assert len(slides) == 1 + len(danish)
    first = " ".join(s.text_frame.text for s in slides[0].shapes if s.has_text_frame)
    assert f"What changed since “{MEETING}”" in first and "Ballerup" in first
    titles = [slide.shapes[0].text_frame.text for slide in slides[1:]]
    assert titles[0].startswith(danish[0].title_in("en"))
    notes = slides[1].notes_slide.notes_text_frame.text
    assert danish[0].describe("DK", "en") in notes and "CC BY 4.0" in notes
    assert all(any(s.shape_type == 13 for s in slide.shapes) for slide in slides[1:])  # a picture


def test_a_norwegian_deck_shows_counts_and_county_figures_as_such(demo_env: Path) -> None:
    from pptx import Presentation

    data, _ = export_bytes(ExportRequest("all", "pptx", municipalities=["0301", "4601"]))
    slides = list(Presentation(io.BytesIO(data)).slides)
    norwegian = [i for i in list_indicators() if "NO" in i.countries]
    assert len(slides) == 1 + len(norwegian)
    texts = {
        slide.shapes[0].text_frame.text: " ".join(
            s.text_frame.text for s in slide.shapes if s.has_text_frame
        )
        for slide in slides[1:]
    }
    count = next(t for title, t in texts.items() if title.startswith("Participants"))
    assert "has the network's largest number" in count and "Norway in total" in count
    county = next(t for title, t in texts.items() if "(county figure)" in title)
    assert "County figures: " in county
    notes = {s.shapes[0].text_frame.text: s.notes_slide.notes_text_frame.text for s in slides[1:]}
    assert any("IMDi: no licence stated" in n for n in notes.values())
    assert all("Licence: " in n for n in notes.values())


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (ExportRequest("employmnt_gap", "csv"), "closest: employment_gap"),
        (ExportRequest("all", "csv", municipalities=["999"]), "not a municipality code"),
        (ExportRequest("all", "csv", snapshot="Netwrk"), "is not a snapshot"),
        (ExportRequest("all", "png", municipalities=["151"]), "one indicator"),
        (ExportRequest("employment_gap", "pptx"), "give them"),
        (ExportRequest("all", "doc"), "unknown format"),
    ],
)
def test_bad_requests_get_a_clear_message(demo_env: Path, request_, message: str) -> None:
    with pytest.raises(Exception, match=message):
        export_bytes(request_)


def test_a_failed_export_writes_no_file_and_keeps_a_good_one(
    demo_env: Path, tmp_path: Path
) -> None:
    target = tmp_path / "out.zip"
    target.write_bytes(b"good")
    with pytest.raises(ExportError):
        write_file(target, lambda: export_bytes(ExportRequest("nope", "csv"))[0])
    assert target.read_bytes() == b"good" and sorted(p.name for p in tmp_path.iterdir()) == [
        "out.zip"
    ]
    assert (
        main(
            [
                "export",
                "--indicator",
                "nope",
                "--format",
                "csv",
                "--output",
                str(tmp_path / "x.zip"),
            ]
        )
        == 1
    )
    assert not (tmp_path / "x.zip").exists()
    assert (
        main(
            ["export", "--indicator", "employment_gap", "--format", "csv", "--output", str(target)]
        )
        == 0
    )
    assert zipfile.ZipFile(target).namelist()


def test_an_export_reads_the_snapshot_it_names(meeting_env: Path) -> None:
    data, _ = export_bytes(
        ExportRequest("employment_gap", "csv", municipalities=["151"], snapshot=MEETING)
    )
    records = read_table(zipfile.ZipFile(io.BytesIO(data)).read("data.csv")).records()
    assert max(r["period"] for r in records) == "2022"  # the previous release
    latest, _ = export_bytes(ExportRequest("employment_gap", "csv", municipalities=["151"]))
    now = read_table(zipfile.ZipFile(io.BytesIO(latest)).read("data.csv")).records()
    assert max(r["period"] for r in now) == "2023"


def test_a_malformed_column_file_fails_naming_the_entry(tmp_path: Path) -> None:
    from exports.snapshot import COLUMNS, load_columns

    assert [c.key for c in COLUMNS][:5] == [
        "indicator",
        "country",
        "area_type",
        "municipality",
        "name",
    ]
    broken = tmp_path / "data_csv.yml"
    broken.write_text("- {key: value, kind: float, meaning: the headline}\n", "utf-8")
    with pytest.raises(ValueError, match="value: kind is one of text, code, number"):
        load_columns(broken)
    broken.write_text("- {key: value, kind: number}\n", "utf-8")
    with pytest.raises(ValueError, match="entry 1: expected key, kind and meaning"):
        load_columns(broken)


def test_images_never_fetch_a_browser_of_their_own(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without Chromium on the machine an image is a clear error, never a download."""
    from exports.render import RenderError, render_figure

    monkeypatch.setenv("BAROMETER_CHROMIUM", "/nowhere/chromium")
    with pytest.raises(RenderError, match="install the chromium package"):
        render_figure({"data": [], "layout": {}}, "svg", 200, 100)


def test_the_browser_is_started_once_and_kept_warm(monkeypatch: pytest.MonkeyPatch) -> None:
    import kaleido

    from exports.render import render_figure

    figure = {"data": [{"type": "bar", "x": ["a"], "y": [1]}], "layout": {}}
    assert render_figure(figure, "svg", 200, 100).startswith(b"<svg")  # started (or warm)

    def start_again(*args: object, **kwargs: object) -> None:
        pytest.fail("the browser was started again")

    monkeypatch.setattr(kaleido, "start_sync_server", start_again)
    assert render_figure(figure, "png", 200, 100).startswith(b"\x89PNG")
