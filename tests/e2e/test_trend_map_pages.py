"""The trend and map pages in a real headless Chromium, with a clean console throughout.

The session's demo database has no downloaded boundaries (a demo refresh does not download
them), so the map draws from the ones shipped with the project; `map_boundaries` fetches the
thinned fixtures from a local HTTP server serving tests/fixtures/geo/ through the same loader
`barometer refresh` uses, into that data folder's geo/, where they take precedence.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from loaders.geo import refresh_boundaries
from settings import Settings
from tests.test_geo import DK_FILE, GEO_FIXTURES, NO_FILE, serve_boundaries

pytestmark = pytest.mark.browser

TREND = "() => document.querySelector('#trend-chart .js-plotly-plot')"
TREND_LINES = (
    f"() => ({TREND})().data.filter(t => t.mode === 'lines+markers').map(t => t.name).join('|')"
)
TREND_SUFFIX = f"() => ({TREND})().layout.yaxis.ticksuffix"
MAP = "() => document.querySelector('#map-chart .js-plotly-plot')"
MAP_SHAPES = "() => document.querySelectorAll('#map-chart .choroplethlocation').length"
MAP_TITLE = "() => document.querySelector('#map-title')?.innerText"


def query(page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


def wait_for_query(page, key: str, value: str) -> None:
    page.wait_for_function(
        "([k, v]) => new URLSearchParams(location.search).get(k) === v", arg=[key, value]
    )


def choose(page, dropdown: str, option: str, search: str | None = None) -> None:
    """Pick an option of a Dash 4 dropdown by its visible label."""
    page.click(dropdown)
    if search is not None:
        page.fill("input.dash-dropdown-search", search)
    page.get_by_role("option", name=option, exact=True).click()


@pytest.fixture(scope="session")
def map_boundaries(demo_data_dir: Path) -> Path:
    """Boundaries downloaded into the demo data folder, as `barometer refresh` would."""
    with serve_boundaries(GEO_FIXTURES) as base:
        settings = replace(
            Settings(),
            data_dir=demo_data_dir,
            retries=0,
            geo_dk_url=f"{base}/{DK_FILE}",
            geo_no_url=f"{base}/{NO_FILE}",
        )
        results = refresh_boundaries(settings, "demo", lambda _: None)
    assert all(results.values()), results
    return demo_data_dir / "geo"


@pytest.fixture()
def without_downloads(demo_data_dir: Path) -> Iterator[None]:
    """No downloaded boundary files for one test (put back afterwards): the shipped ones."""
    folder = demo_data_dir / "geo"
    aside = demo_data_dir / "geo-aside"
    if folder.exists():
        folder.rename(aside)
    yield
    if aside.exists():
        if folder.exists():
            shutil.rmtree(folder)
        aside.rename(folder)


@pytest.fixture()
def without_boundaries(
    without_downloads: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """No boundary files at all for one test: neither downloaded nor shipped. Shipped files
    are part of the code (a new server run), so pages kept for this one are forgotten."""
    import loaders.geo
    import serving.cache

    monkeypatch.setattr(loaders.geo, "SHIPPED_FOLDER", tmp_path / "none")
    monkeypatch.setattr(serving.cache, "SERVER_RUN", f"without boundaries {tmp_path}")
    serving.cache.answers.clear()
    yield
    serving.cache.answers.clear()


# --- trends --------------------------------------------------------------------------------


def test_trend_page_controls_update_chart_and_url(page, app_url: str, screenshot_dir: Path) -> None:
    page.goto(f"{app_url}/trend")
    page.wait_for_selector("#trend-chart .js-plotly-plot .scatterlayer")
    assert page.evaluate(TREND_LINES) == "København"
    # employment gap: the gap by default, its unit named in the axis title
    assert page.evaluate(TREND_SUFFIX) == ""
    assert "percentage points" in page.evaluate(f"() => ({TREND})().layout.yaxis.title.text")
    assert "Denmark (the provider's national figure)" in page.evaluate(
        f"() => ({TREND})().data.map(t => t.name).join('|')"
    )
    assert "København" in page.inner_text("#trend-summary")
    assert page.evaluate(f"() => ({TREND})().layout.shapes.length") >= 2  # 2015, 2022
    page.screenshot(path=str(screenshot_dir / "trend-1600x1000.png"), full_page=True)

    page.locator("#trend-measure label", has_text="Target group's rate").click()
    wait_for_query(page, "measure", "target")
    page.wait_for_function(f"() => ({TREND_SUFFIX})() === ' %'")
    assert query(page)["municipalities"] == "101"

    choose(page, "#trend-municipalities", "Ballerup (151)", search="Ballerup")
    wait_for_query(page, "municipalities", "101,151")
    page.wait_for_function(f"() => ({TREND_LINES})() === 'København|Ballerup'")
    assert query(page)["measure"] == "target"

    choose(
        page, "#trend-indicator", "Upper-secondary or vocational education completed, ages 20-24"
    )
    wait_for_query(page, "indicator", "youth_education_20_24")
    page.wait_for_function(
        "() => document.querySelector('#trend-indicator-title')?.innerText"
        ".startsWith('Upper-secondary')"
    )
    assert page.evaluate(TREND_LINES) == "København|Ballerup"
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.wait_for_timeout(300)
    page.screenshot(path=str(screenshot_dir / "trend-1920x1080.png"), full_page=True)

    # a municipality of the other country starts a new selection (one country at a time)
    choose(page, "#trend-municipalities", "Oslo (0301)", search="Oslo")
    wait_for_query(page, "municipalities", "0301")
    page.wait_for_function(f"() => ({TREND_LINES})() === 'Oslo'")
    assert query(page)["indicator"] == "employment_gap"  # youth education is Danish only
    assert page.console_watch.errors == []


def test_trend_url_round_trip(page, browser, app_url: str) -> None:
    url = f"{app_url}/trend?indicator=cash_benefit_share&measure=comparison&municipalities=101,157"
    page.goto(url)
    page.wait_for_selector("#trend-chart .js-plotly-plot .scatterlayer")
    first = page.evaluate(f"() => JSON.stringify(({TREND})().data.map(t => [t.name, t.y]))")
    fresh = browser.new_context(viewport={"width": 1600, "height": 1000}).new_page()
    errors: list[str] = []
    fresh.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    fresh.goto(page.url)
    fresh.wait_for_selector("#trend-chart .js-plotly-plot .scatterlayer")
    again = fresh.evaluate(f"() => JSON.stringify(({TREND})().data.map(t => [t.name, t.y]))")
    assert again == first
    assert fresh.is_checked("#trend-measure input[value='comparison']")
    fresh.context.close()
    assert errors == []
    assert page.console_watch.errors == []


def test_trend_language_switch(page, app_url: str, screenshot_dir: Path) -> None:
    page.goto(f"{app_url}/trend?municipalities=0301,5001&measure=gap")
    page.wait_for_selector("#trend-chart .js-plotly-plot .scatterlayer")
    page.click("#lang-da")
    wait_for_query(page, "lang", "da")
    page.wait_for_selector("text=Udvikling over tid")
    page.wait_for_function(f"() => ({TREND_LINES})() === 'Oslo|Trondheim - Tråante'")
    assert query(page)["municipalities"] == "0301,5001"
    names = page.evaluate(f"() => ({TREND})().data.map(t => t.name).join('|')")
    # rates only: Statistics Norway's own whole-country rate, named as such
    assert "Norge (udbyderens tal for hele landet)" in names
    notes = page.evaluate(f"() => ({TREND})().layout.annotations.map(a => a.text).join('|')")
    assert "Kommunereform" in notes and "Flygtninge fra Ukraine" in notes
    page.screenshot(path=str(screenshot_dir / "trend-da-norway.png"), full_page=True)
    # the controls keep the language
    page.locator("#trend-measure label", has_text="Målgruppens andel").click()
    wait_for_query(page, "measure", "target")
    assert query(page)["lang"] == "da"
    assert page.console_watch.errors == []


def test_trend_marks_a_reform_break(page, app_url: str, screenshot_dir: Path) -> None:
    page.goto(f"{app_url}/trend?indicator=employment_gap&municipalities=1508,1580")
    page.wait_for_selector("#trend-chart .js-plotly-plot .scatterlayer")
    notes = page.evaluate(f"() => ({TREND})().layout.annotations.map(a => a.text).join('|')")
    assert "Ålesund, Haram: series break" in notes  # one line for one reform
    lines = page.evaluate(f"() => ({TREND})().layout.shapes.map(s => s.x0)")
    assert "2024-01-01" in lines
    assert "Split on 1 January 2024 (Ålesund, Haram)" in page.inner_text(".trend-events")
    page.screenshot(path=str(screenshot_dir / "trend-no-split-break.png"), full_page=True)
    assert page.console_watch.errors == []


@pytest.mark.parametrize(
    ("address", "heading", "expected"),
    [
        ("/trend?indicator=employment_gapp", "Unknown indicator", "Employment gap"),
        ("/trend?municipalities=Balerup", "Unknown municipality", "Ballerup (151)"),
        ("/trend?measure=ratio", "Unknown measure", "Target group's rate"),
        (
            "/trend?indicator=nonwestern_share&measure=gap",
            "Unknown measure",
            "no comparison group",
        ),
        ("/trend?municipalities=101,0301", "One country at a time", "Oslo"),
        ("/trend?indicator=unemployment_gap&municipalities=0301", "Not published for", "Norway"),
    ],
    ids=["indicator", "municipality", "measure", "share-measure", "mixed", "not-in-country"],
)
def test_trend_bad_parameters_are_helpful(
    page, app_url: str, screenshot_dir: Path, address: str, heading: str, expected: str
) -> None:
    page.goto(app_url + address)
    page.wait_for_selector("#problem")
    text = page.inner_text("main")
    assert heading in text and expected in text
    assert page.is_visible("#demo-banner")  # inside the frame
    if "Balerup" in address:
        page.screenshot(path=str(screenshot_dir / "trend-unknown-municipality.png"))
        page.get_by_role("link", name="Ballerup (151)").click()
        page.wait_for_selector("#trend-chart .js-plotly-plot .scatterlayer")
        assert page.evaluate(TREND_LINES) == "Ballerup"
    assert page.console_watch.errors == []


# --- map -----------------------------------------------------------------------------------


def test_map_without_boundaries_says_how_to_get_them(
    page, app_url: str, without_boundaries: None, screenshot_dir: Path
) -> None:
    page.goto(f"{app_url}/map")
    page.wait_for_selector("#map-no-boundaries")
    text = page.inner_text("#map-no-boundaries")
    assert "refreshing the data with internet access" in text  # what to do, in words
    assert "BAROMETER_" not in text and "/geo" not in text  # no setting names, no server paths
    assert "barometer refresh" not in text  # no commands either
    assert "98 of 98" in page.inner_text("#map-summary")  # the numbers are still there
    page.screenshot(path=str(screenshot_dir / "map-no-boundaries.png"), full_page=True)
    assert page.console_watch.errors == []


@pytest.mark.parametrize(("country", "shapes"), [("DK", 98), ("NO", 357)])
def test_map_draws_on_first_start_from_shipped_boundaries(
    page, app_url: str, without_downloads: None, screenshot_dir: Path, country: str, shapes: int
) -> None:
    """Demo data, nothing downloaded, no network: the map still draws every municipality."""
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(f"{app_url}/map?country={country}")
    page.wait_for_function(f"() => ({MAP_SHAPES})() === {shapes}")
    fills = page.evaluate(
        "() => [...document.querySelectorAll('#map-chart .choroplethlocation')]"
        ".map(p => getComputedStyle(p).fill)"
    )
    assert len(set(fills)) > 10
    geo = [r for r in responses if urlparse(r.url).path.endswith(".geojson")]
    assert (
        len(geo) == 1
        and len(geo[0].body())
        == (
            Path(__file__).resolve().parents[2]
            / "loaders"
            / "boundaries"
            / f"{country.lower()}.geojson"
        )
        .stat()
        .st_size
    )
    assert all(urlparse(r.url).hostname == "127.0.0.1" for r in responses)  # nothing external
    page.screenshot(path=str(screenshot_dir / f"map-shipped-{country}-1600.png"))
    assert page.console_watch.errors == []


def test_map_page_draws_and_controls_update_it(
    page, app_url: str, map_boundaries: Path, screenshot_dir: Path
) -> None:
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(f"{app_url}/map")
    page.wait_for_function(f"() => ({MAP_SHAPES})() === 98")
    page.wait_for_timeout(300)
    # every municipality is filled (not a blank map): read the SVG paths' fill colours
    fills = page.evaluate(
        "() => [...document.querySelectorAll('#map-chart .choroplethlocation')]"
        ".map(p => getComputedStyle(p).fill)"
    )
    assert len(set(fills)) > 10 and all(f not in ("none", "") for f in fills)
    page.screenshot(path=str(screenshot_dir / "map-dk-1600x1000.png"), full_page=True)
    layout_bytes = sum(
        len(r.body()) for r in responses if "_dash-update-component" in r.url and r.ok
    )
    geo = [r for r in responses if urlparse(r.url).path.endswith(".geojson")]
    assert [urlparse(r.url).path for r in geo] == ["/_barometer/geo/dk.geojson"]
    assert len(geo[0].body()) < 350_000
    assert layout_bytes < 120_000, layout_bytes  # the figure carries values, not boundaries
    print(f"map DK: page response {layout_bytes:,} bytes, boundaries {len(geo[0].body()):,}")

    first_period = page.evaluate(MAP_TITLE)
    choose(page, "#map-period", "2020K1", search="2020K1")
    wait_for_query(page, "period", "2020K1")
    page.wait_for_function(f"() => ({MAP_TITLE})()?.endsWith('2020K1')")
    assert page.evaluate(MAP_TITLE) != first_period
    page.wait_for_function(f"() => ({MAP_SHAPES})() === 98")

    choose(page, "#map-indicator", "Employment gap")
    wait_for_query(page, "indicator", "employment_gap")
    assert query(page)["period"] == "2023"  # 2020K1 is no period of a yearly indicator
    page.wait_for_function(f"() => ({MAP_TITLE})()?.startsWith('Employment gap')")

    responses.clear()
    page.locator("#map-country label", has_text="Norway").click()
    wait_for_query(page, "country", "NO")
    page.wait_for_function(f"() => ({MAP_SHAPES})() === 357")
    assert query(page)["indicator"] == "employment_gap"
    missing = page.evaluate(f"() => ({MAP})().data[1]")
    assert missing["name"] == "No published value" and len(missing["locations"]) > 0
    assert all(note for _, note in missing["customdata"])  # each grey one says why
    layout_bytes = sum(
        len(r.body()) for r in responses if "_dash-update-component" in r.url and r.ok
    )
    print(f"map NO: page response {layout_bytes:,} bytes")
    assert layout_bytes < 150_000, layout_bytes
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.wait_for_timeout(500)
    page.screenshot(path=str(screenshot_dir / "map-no-1920x1080.png"), full_page=True)

    # the period dropdown changes again without fetching the boundaries again
    responses.clear()
    choose(page, "#map-period", "2020", search="2020")
    wait_for_query(page, "period", "2020")
    page.wait_for_function(f"() => ({MAP_TITLE})()?.endsWith('2020')")
    page.wait_for_function(f"() => ({MAP_SHAPES})() === 357")
    assert not [r for r in responses if r.url.split("?")[0].endswith("no.geojson")]
    assert page.console_watch.errors == []


def test_map_url_round_trip_and_language(
    page, app_url: str, map_boundaries: Path, screenshot_dir: Path
) -> None:
    address = f"{app_url}/map?country=DK&indicator=higher_education_25_39&period=2014"
    page.goto(address)
    page.wait_for_function(f"() => ({MAP_SHAPES})() === 98")
    data = page.evaluate(f"() => JSON.stringify(({MAP})().data.map(t => [t.locations, t.z]))")
    page.click("#lang-da")
    wait_for_query(page, "lang", "da")
    page.wait_for_selector("text=Kort")
    page.wait_for_function(f"() => ({MAP_SHAPES})() === 98")
    assert query(page) == {
        "country": "DK",
        "indicator": "higher_education_25_39",
        "period": "2014",
        "lang": "da",
    }
    again = page.evaluate(f"() => JSON.stringify(({MAP})().data.map(t => [t.locations, t.z]))")
    assert again == data  # same view, other language
    assert page.evaluate(f"() => ({MAP})().data[1].name") == "Intet offentliggjort tal"
    assert "for få til at blive vist" in page.evaluate(
        f"() => JSON.stringify(({MAP})().data[1].customdata)"
    )
    # hovering a grey municipality says why it has no value
    grey = page.locator("#map-chart .trace.choropleth").nth(1).locator(".choroplethlocation")
    grey.first.hover(force=True)
    page.wait_for_selector("#map-chart .hoverlayer .hovertext")
    hover = page.text_content("#map-chart .hoverlayer") or ""
    assert "for få til at blive vist (færre end 20 i målgruppen)" in hover
    page.screenshot(path=str(screenshot_dir / "map-da-withheld-hover.png"))
    page.click("#map-table summary")
    assert "Ballerup (151)" in page.inner_text("#map-table")
    page.screenshot(path=str(screenshot_dir / "map-da-table.png"), full_page=True)
    assert page.console_watch.errors == []


@pytest.mark.parametrize(
    ("address", "heading", "expected"),
    [
        ("/map?country=SE", "Unknown country", "Norway"),
        ("/map?indicator=nonsense", "Unknown indicator", "Employment gap"),
        ("/map?period=1999", "Unknown period", "2025K3"),
        ("/map?country=NO&indicator=unemployment_gap", "Not published for Norway", "Denmark"),
    ],
    ids=["country", "indicator", "period", "not-in-country"],
)
def test_map_bad_parameters_are_helpful(
    page, app_url: str, address: str, heading: str, expected: str
) -> None:
    page.goto(app_url + address)
    page.wait_for_selector("#problem")
    text = page.inner_text("main")
    assert heading in text and expected in text
    assert page.is_visible("#demo-banner")
    assert page.console_watch.errors == []
