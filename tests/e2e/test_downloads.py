"""Downloads people can open: the spreadsheet CSV read back with its separators and codes
intact (0301 stays 0301), the map's table, the indicator page's figures in Danish and
Norwegian, and chart images named after what they show, carrying title, source and the demo
label. Console clean throughout."""

from __future__ import annotations

from pathlib import Path

import pytest

from exports.tables import BOM, parse_number, read_table

pytestmark = pytest.mark.browser

BAR = "#compare-bar .js-plotly-plot"


def download(page, button: str, folder: Path) -> tuple[str, bytes]:
    with page.expect_download() as event:
        page.click(button)
    path = folder / event.value.suggested_filename
    event.value.save_as(path)
    return event.value.suggested_filename, path.read_bytes()


def test_spreadsheet_csv_keeps_separators_and_codes(page, app_url: str, tmp_path: Path) -> None:
    page.goto(f"{app_url}/compare?indicator=nonwestern_share&focus=0301&peers=size&lang=nb")
    page.wait_for_selector(f"{BAR} .barlayer")
    name, data = download(page, "#compare-download-spreadsheet", tmp_path)
    assert name.startswith("compare-nonwestern_share-NO-") and name.endswith("-spreadsheet.csv")
    text = data.decode("utf-8")
    assert text.startswith(BOM)
    table = read_table(data)
    assert table.variant == "spreadsheet"
    header_line = next(
        line for line in text.splitlines() if not line.lstrip(BOM).startswith(("#", '"#'))
    )
    assert header_line.split(";")[:3] == ["Plassering", "Kommune", "Kode"]  # Norwegian, ";"
    records = table.records()
    oslo = next(r for r in records if r["Kode"] == "0301")  # the leading zero survives
    assert '="0301"' in text  # written so a spreadsheet keeps it as text
    value = next(v for k, v in oslo.items() if k.startswith("Verdi"))
    assert "," in value and "." not in value  # decimal comma
    assert parse_number(value, "spreadsheet") is not None
    assert any(line.startswith("Målgruppe:") for line in table.preamble)
    assert any(line.startswith("Aldersgruppe:") or "Alder" in line for line in table.preamble)
    assert any("CC BY 4.0" in line for line in table.preamble)
    assert any("DEMO" in line for line in table.preamble)
    # The plain file beside it: commas, points, the same codes.
    name, data = download(page, "#compare-download-button", tmp_path)
    plain = read_table(data)
    assert plain.variant == "plain" and plain.header[:3] == ["rank", "municipality", "code"]
    assert "0301" in [row[2] for row in plain.rows]
    assert page.console_watch.errors == []


def test_map_table_downloads(page, app_url: str, tmp_path: Path) -> None:
    page.goto(f"{app_url}/map?country=NO&indicator=employment_gap&lang=da")
    page.wait_for_selector("#map-title")
    name, data = download(page, "#map-download-spreadsheet", tmp_path)
    assert name.startswith("employment_gap-NO-") and name.endswith("-spreadsheet.csv")
    table = read_table(data)
    codes = [record["Kode"] for record in table.records()]
    assert "0301" in codes and len(codes) == len(set(codes)) > 300  # every municipality once
    assert any(line.startswith("Indikator:") for line in table.preamble)
    name, data = download(page, "#map-download-button", tmp_path)
    assert read_table(data).header[0] == "code"
    assert page.console_watch.errors == []


@pytest.mark.parametrize(("lang", "target"), [("da", "Målgruppe"), ("nb", "Målgruppe")])
def test_indicator_page_figures_with_their_definition(
    page, app_url: str, tmp_path: Path, lang: str, target: str
) -> None:
    """A policymaker fetches the figures and the definition, in Danish and in Norwegian."""
    page.goto(f"{app_url}/indicator/employment_gap?lang={lang}")
    page.wait_for_selector("#indicator-downloads")
    for country in ("DK", "NO"):
        button = f'#indicator-downloads button[id*=\'"country":"{country}"\'][id*="spreadsheet"]'
        name, data = download(page, button, tmp_path)
        assert name == f"employment_gap-{country}-all-periods-spreadsheet.csv"
        table = read_table(data)
        assert any(line.startswith(f"{target}:") for line in table.preamble)
        assert any("CC BY 4.0" in line for line in table.preamble)
        periods = {record[table.header[3]] for record in table.records()}
        assert len(periods) > 5  # every period
    assert page.console_watch.errors == []


def test_chart_images_are_named_and_captioned(page, app_url: str, tmp_path: Path) -> None:
    page.goto(f"{app_url}/compare?indicator=employment_gap&focus=151&peers=region")
    page.wait_for_selector(f"{BAR} .barlayer")
    config = page.evaluate(f"() => document.querySelector('{BAR}')._context")
    period = page.evaluate("() => new URLSearchParams(location.search).get('period')")
    assert config["toImageButtonOptions"]["filename"] == (
        f"compare-employment_gap-DK-{period}-ranking"
    )
    titles = page.eval_on_selector_all(
        f"{BAR} .modebar-btn", "bs => bs.map(b => b.getAttribute('data-title'))"
    )
    assert titles and not any("Share" in (t or "") or "Cloud" in (t or "") for t in titles)
    caption = page.evaluate(f"() => document.querySelector('{BAR} .gtitle').textContent")
    assert "Employment gap" in caption and period in caption
    subtitle = page.evaluate(f"() => document.querySelector('{BAR} .gtitle-subtitle').textContent")
    assert "RAS201" in subtitle and "DEMO DATA" in subtitle
    with page.expect_download() as event:
        page.locator(f"{BAR} .modebar-btn[data-title='Download plot as a PNG']").click(force=True)
    assert event.value.suggested_filename == f"compare-employment_gap-DK-{period}-ranking.png"
    # After a control changes, the name follows the view.
    page.click("#compare-period")
    page.get_by_role("option", name="2019", exact=True).click()
    page.wait_for_function(
        f"() => document.querySelector('{BAR}')._context.toImageButtonOptions.filename"
        ".endsWith('2019-ranking')"
    )
    assert page.console_watch.errors == []
