"""Indicator pages, about page and 404 in headless Chromium, with a clean console throughout."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

HEADING = "#indicator-heading"
WIDE = {"width": 1920, "height": 1080}
INDICATOR_TITLES = (
    "Employment gap",
    "Employment rate",
    "Unemployment gap",
    "Non-Western share of the population",
    "Social assistance recipients per 100 residents aged 16-64",
)


def wait_for_text(page, selector: str, text: str) -> None:
    """Wait until the element's text is exactly `text` (pages re-render on navigation)."""
    page.wait_for_function(
        "([sel, want]) => document.querySelector(sel)?.innerText.trim() === want",
        arg=[selector, text],
    )


def test_catalogue_lists_indicators_and_unavailable(
    page, app_url: str, screenshot_dir: Path
) -> None:
    page.goto(f"{app_url}/indicator")
    wait_for_text(page, HEADING, "Indicators")
    catalogue = page.inner_text("#indicator-catalogue")
    for title in INDICATOR_TITLES:
        assert title in catalogue
    from indicators.registry import list_indicators

    assert page.locator("#indicator-catalogue a").count() == len(list_indicators())
    unavailable = page.inner_text("#indicator-unavailable")
    assert "Not available from public statistics" in unavailable
    assert "9th-grade exam results" in unavailable
    assert "Voter turnout in local elections" in unavailable
    assert (
        page.locator("#indicator-unavailable a[href='https://www.ssb.no/introinnv']").count() == 1
    )
    page.screenshot(path=str(screenshot_dir / "indicator-catalogue-1600.png"), full_page=True)

    page.click("#indicator-catalogue a:has-text('Employment gap')")
    page.wait_for_function("() => location.pathname === '/indicator/employment_gap'")
    wait_for_text(page, HEADING, "Employment gap")
    assert page.console_watch.errors == []


def test_employment_gap_shows_both_countries(page, app_url: str, screenshot_dir: Path) -> None:
    page.goto(f"{app_url}/indicator/employment_gap")
    wait_for_text(page, HEADING, "Employment gap")
    denmark = page.inner_text("#indicator-country-DK")
    assert "RAS201" in denmark
    assert "Immigrants from non-western countries" in denmark  # label from table_labels
    assert "Persons of Danish origin" in denmark
    assert "8 codes" in denmark  # ALDER 25-29 ... 60-64 folded
    norway = page.inner_text("#indicator-country-NO")
    assert "11607" in norway
    assert "Africa, Asia" in norway  # the provider's label of country group 2 (eee)
    assert "only as a rate" in norway
    assert page.locator("#indicator-country-DK a[href='https://www.statbank.dk/RAS201']").count()
    assert page.locator(
        "#indicator-country-NO a[href='https://www.ssb.no/statbank/table/11607']"
    ).count()
    glance = page.inner_text(".indicator-glance")
    assert "end of November" in glance and "2012" in glance and "2015" in glance
    method = page.inner_text("#indicator-method")
    for phrase in (
        "Wilson",
        "Newcombe",
        "below 20",
        "Below 80",
        "last 3 periods",
        "Barometer rule",
    ):
        assert phrase in method
    page.screenshot(path=str(screenshot_dir / "indicator-employment-gap-1600.png"), full_page=True)
    page.set_viewport_size(WIDE)
    page.screenshot(path=str(screenshot_dir / "indicator-employment-gap-1920.png"))
    assert page.console_watch.errors == []


def test_unknown_indicator_is_helpful(page, app_url: str, screenshot_dir: Path) -> None:
    page.goto(f"{app_url}/indicator/unknown_thing")
    wait_for_text(page, "#problem h1", "Unknown indicator")
    assert "“unknown_thing” is not an indicator" in page.inner_text("main")
    assert page.locator("#problem-links a[href^='/indicator/unemployment_gap']").count()
    page.screenshot(path=str(screenshot_dir / "indicator-unknown-1600.png"))
    page.click("#problem-links a:has-text('See the list of all indicators')")
    wait_for_text(page, HEADING, "Indicators")
    assert page.console_watch.errors == []


def test_about_shows_demo_status_and_tables(page, app_url: str, screenshot_dir: Path) -> None:
    page.goto(f"{app_url}/about")
    wait_for_text(page, "#about-heading", "About the data")
    status = page.inner_text("#about-status")
    assert "Demo data: simulated figures." in status
    assert "not official statistics" in status
    assert "Database built" in status
    rows = page.locator("#about-tables tbody tr")
    from loaders.sources import load_sources

    # One row per table load the database was built from (FOLK1E is loaded twice).
    loads = load_sources()
    assert rows.count() == len(loads)
    tables = page.inner_text("#about-tables")
    for table in ("FOLK1E", "RAS201", "LIGEUB1", "KY038", "09817", "07459", "11607"):
        assert table in tables
    folk1e = page.locator("#about-tables a[href='https://www.statbank.dk/FOLK1E']")
    assert folk1e.count() == sum(spec.table == "FOLK1E" for spec in loads)
    licences = page.inner_text("#about-licences")
    for phrase in ("CC BY 4.0", "Statistics Denmark", "Statistics Norway", "Kartverket", "MIT"):
        assert phrase in licences
    assert "barometer refresh" in page.inner_text("#about-refresh")
    page.screenshot(path=str(screenshot_dir / "about-1600.png"), full_page=True)
    page.set_viewport_size(WIDE)
    page.screenshot(path=str(screenshot_dir / "about-1920.png"))
    assert page.console_watch.errors == []


@pytest.mark.parametrize(
    ("path", "selector", "english", "danish", "norwegian"),
    [
        (
            "/indicator/employment_gap",
            HEADING,
            "Employment gap",
            "Forskel i beskæftigelsesfrekvens",
            "Forskjell i sysselsettingsandel",
        ),
        (
            "/indicator",
            "#indicator-unavailable-heading",
            "Not available from public statistics",
            "Ikke tilgængelig i offentlig statistik",
            "Ikke tilgjengelig i offentlig statistikk",
        ),
        ("/about", "#about-heading", "About the data", "Om data", "Om dataene"),
    ],
)
def test_language_switch_keeps_the_page(
    page, app_url: str, path: str, selector: str, english: str, danish: str, norwegian: str
) -> None:
    page.goto(f"{app_url}{path}")
    wait_for_text(page, selector, english)
    page.click("#lang-da")
    page.wait_for_function("() => location.search.includes('lang=da')")
    wait_for_text(page, selector, danish)
    assert page.evaluate("() => location.pathname") == path
    page.click("#lang-nb")
    page.wait_for_function("() => location.search.includes('lang=nb')")
    wait_for_text(page, selector, norwegian)
    assert page.evaluate("() => location.pathname") == path
    assert page.console_watch.errors == []


def test_danish_method_text(page, app_url: str, screenshot_dir: Path) -> None:
    page.goto(f"{app_url}/indicator/employment_gap?lang=da")
    wait_for_text(page, HEADING, "Forskel i beskæftigelsesfrekvens")
    method = page.inner_text("#indicator-method")
    assert "Sådan beregnes den" in method
    assert "under 20" in method
    assert "ultimo november" in page.inner_text(".indicator-glance")
    page.screenshot(path=str(screenshot_dir / "indicator-employment-gap-da-1600.png"))
    assert page.console_watch.errors == []


def tab_until(page, selector: str, presses: int = 40) -> bool:
    """Press Tab until the focused element matches `selector`; False if it never does."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("(sel) => document.activeElement?.matches(sel) ?? false", selector):
            return True
    return False


def test_keyboard_reaches_the_links(page, app_url: str, screenshot_dir: Path) -> None:
    page.goto(f"{app_url}/indicator")
    wait_for_text(page, HEADING, "Indicators")
    assert tab_until(page, "#lang-da")
    assert tab_until(page, "#indicator-catalogue a")
    page.screenshot(path=str(screenshot_dir / "indicator-keyboard-focus.png"))
    focused = page.evaluate("() => document.activeElement.getAttribute('href')")
    page.keyboard.press("Enter")
    page.wait_for_function("(href) => location.pathname + location.search === href", arg=focused)
    page.wait_for_selector("#indicator-country-DK")

    page.goto(f"{app_url}/about")
    wait_for_text(page, "#about-heading", "About the data")
    assert tab_until(page, "#about-tables a")
    assert page.console_watch.errors == []


def test_not_found_in_danish(page, app_url: str, screenshot_dir: Path) -> None:
    page.goto(f"{app_url}/nope?lang=da")
    page.wait_for_selector("text=Siden findes ikke")
    assert "Der er ingen side på denne adresse." in page.inner_text("main")
    assert page.locator("#lang-da.lang-current").count() == 1
    page.screenshot(path=str(screenshot_dir / "not-found-da-1600.png"))
    assert page.console_watch.errors == []
