"""The shared CSV writer (exports/tables.py): plain CSV and the spreadsheet variant, read back."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from exports import tables
from indicators.registry import get_indicator

COLUMNS = [
    tables.Column("code", "Kode", "code"),
    tables.Column("name", "Navn"),
    tables.Column("period", "Periode", "code"),
    tables.Column("value", "Værdi", "number"),
    tables.Column("n", "Antal", "number"),
    tables.Column("note", "Note"),
]
ROWS = [
    {"code": "0301", "name": "Oslo", "period": "2024", "value": -3.25, "n": 1234.0, "note": ""},
    {"code": "151", "name": "Ballerup", "period": "2024", "value": 0.1 + 0.2, "n": 80, "note": ""},
    {
        "code": "5001",
        "name": 'Trondheim; "Tråante"',
        "period": "2024",
        "value": None,
        "n": float("nan"),
        "note": "=too few (fewer than 20)",
    },
]


def test_plain_csv_is_utf8_commas_and_full_precision() -> None:
    data = tables.write_table(COLUMNS, ROWS, "plain", preamble=["Indicator: Gap, with a comma"])
    text = data.decode("utf-8")
    assert not text.startswith(tables.BOM)
    assert text.splitlines()[0] == "# Indicator: Gap, with a comma"
    assert text.splitlines()[1] == "code,name,period,value,n,note"
    assert text.splitlines()[2] == "0301,Oslo,2024,-3.25,1234,"
    # pandas skips the preamble and reads every number back exactly; codes as text if asked
    frame = pd.read_csv(io.BytesIO(data), comment="#", dtype={"code": str, "period": str})
    assert list(frame["code"]) == ["0301", "151", "5001"]
    assert frame["value"].iloc[1] == 0.1 + 0.2
    assert pd.isna(frame["value"].iloc[2]) and pd.isna(frame["n"].iloc[2])  # missing, never 0


def test_spreadsheet_csv_has_bom_semicolons_comma_decimals_and_text_codes() -> None:
    data = tables.write_table(COLUMNS, ROWS, tables.Variant.SPREADSHEET, preamble=["Sources: a; b"])
    assert data.startswith(tables.BOM.encode("utf-8"))
    lines = data.decode("utf-8").removeprefix(tables.BOM).split("\r\n")
    assert lines[0] == '"# Sources: a; b"'  # one cell, though it holds the separator
    assert lines[1] == "Kode;Navn;Periode;Værdi;Antal;Note"
    assert lines[2] == '="0301";Oslo;="2024";-3,25;1234;'
    assert lines[3] == '="151";Ballerup;="2024";0,30000000000000004;80;'
    # a text that a spreadsheet would run as a formula is defused; quotes are doubled
    assert lines[4] == '="5001";"Trondheim; ""Tråante""";="2024";;;\'=too few (fewer than 20)'


@pytest.mark.parametrize("variant", list(tables.Variant))
def test_read_table_gives_back_what_was_written(variant: tables.Variant) -> None:
    preamble = ["Indicator: X, Y; Z", "Period: 2024"]
    back = tables.read_table(tables.write_table(COLUMNS, ROWS, variant, preamble))
    assert back.variant is variant
    assert back.preamble == preamble
    assert back.header == [c.title(variant) for c in COLUMNS]
    codes = [row[0] for row in back.rows]
    assert codes == ["0301", "151", "5001"]
    assert back.rows[2][1] == 'Trondheim; "Tråante"'
    assert back.rows[2][5] == "=too few (fewer than 20)"
    values = [tables.parse_number(row[3], variant) for row in back.rows]
    assert values == [-3.25, 0.1 + 0.2, None]
    assert [tables.parse_number(row[4], variant) for row in back.rows] == [1234, 80, None]


def test_the_spreadsheet_variant_reads_with_the_csv_module_as_excel_would() -> None:
    text = tables.write_table(COLUMNS, ROWS, "spreadsheet").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == [c.heading for c in COLUMNS]
    assert [len(r) for r in rows] == [6, 6, 6, 6]


def test_numbers_missing_stay_empty_and_bad_ones_fail() -> None:
    assert (
        tables.format_number(None)
        == tables.format_number(float("nan"))
        == tables.format_number(pd.NA)
        == ""
    )
    assert tables.format_number(2.0) == "2" and tables.format_number(-0.5, "spreadsheet") == "-0,5"
    assert tables.format_number(1e-5) == "1e-05"
    with pytest.raises(ValueError, match="not a number"):
        tables.format_number("12 %")
    with pytest.raises(ValueError, match="finite"):
        tables.format_number(float("inf"))


def test_file_names_say_the_variant() -> None:
    assert (
        tables.file_name("compare-employment_gap-DK-2024", "plain")
        == "compare-employment_gap-DK-2024.csv"
    )
    assert tables.file_name("x", tables.Variant.SPREADSHEET) == "x-spreadsheet.csv"


def test_preamble_names_indicator_groups_age_band_period_sources_licence_and_demo() -> None:
    indicator = get_indicator("employment_gap")
    assert indicator is not None
    context = tables.TableContext(
        indicator=indicator,
        country="DK",
        period="2024",
        source="demo",
        built_at="2026-05-01T10:00:00+00:00",
        tables=[tables.SourceTable("dst", "RAS201", "Employment rate", "2026-03-20T08:00:00")],
        snapshot="Network meeting 2026-11",
        view_url="http://127.0.0.1:8050/compare?indicator=employment_gap",
        generated_at="2026-05-02T09:00:00+00:00",
        lines=["Peer group: all (98 municipalities)"],
    )
    text = "\n".join(tables.describe_table(context, "en"))
    for expected in (
        "Indicator: Employment gap (employment_gap)",
        "Country: Denmark",
        "Target group: Immigrants and descendants of non-Western origin",
        "Comparison group: Persons of Danish origin",
        "Age band: 25-64",
        "Period: 2024",
        "Value: gap in percentage points",
        "Peer group: all (98 municipalities)",
        "Source tables: Statistics Denmark RAS201 “Employment rate” (updated 2026-03-20T08:00:00)",
        "Licence: Statistics Denmark, CC BY 4.0",
        "Data: DEMO, simulated figures, not official statistics",
        "snapshot “Network meeting 2026-11”",
        "View: http://127.0.0.1:8050/compare?indicator=employment_gap",
        "Generated at: 2026-05-02T09:00:00+00:00",
    ):
        assert expected in text, expected


def test_preamble_in_danish_and_norwegian() -> None:
    indicator = get_indicator("employment_gap")
    context = tables.TableContext(indicator, "NO", "2023", "live", "2026-05-01", ())
    danish = "\n".join(tables.describe_table(context, "da"))
    norwegian = "\n".join(tables.describe_table(context, "nb"))
    assert "Indikator: Forskel i beskæftigelsesfrekvens" in danish
    assert "Målgruppe:" in norwegian and "Indicator:" not in norwegian
    assert "Statistisk sentralbyrå" in norwegian
    assert "Danmarks Statistik" not in norwegian  # a Norwegian table names Statistics Norway
    assert "CC BY 4.0" in danish and "CC BY 4.0" in norwegian
    assert "DEMO" not in danish
