"""The municipality page in a real headless Chromium, with a clean console throughout."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHART_TRACE = "() => document.querySelector('#municipality-chart .js-plotly-plot').data[0].name"
CHART_VALUES = (
    "() => document.querySelector('#municipality-chart .js-plotly-plot').data[0].y.length"
)


def test_municipality_page_switches_municipality(page, app_url: str, screenshot_dir: Path) -> None:
    page.goto(f"{app_url}/kommune/151")
    page.wait_for_selector("#municipality-chart .js-plotly-plot .scatterlayer")
    assert page.inner_text("#municipality-name") == "Ballerup"
    assert "Demo data: simulated figures" in page.inner_text("#demo-banner")
    assert page.evaluate(CHART_TRACE) == "Ballerup"
    assert page.evaluate(CHART_VALUES) > 40  # quarterly since 2008
    page.screenshot(path=str(screenshot_dir / "municipality-151.png"), full_page=True)

    page.click("#municipality-picker")
    page.fill("input.dash-dropdown-search", "Oslo")
    page.get_by_role("option", name="Oslo (0301, Norway)").click()
    page.wait_for_function("() => location.pathname === '/kommune/0301'")
    page.wait_for_function(
        "() => document.querySelector('#municipality-name')?.innerText === 'Oslo'"
    )
    page.wait_for_function(f"() => ({CHART_TRACE})() === 'Oslo'")
    page.screenshot(path=str(screenshot_dir / "municipality-0301.png"), full_page=True)
    assert page.console_watch.errors == []


def test_copied_url_reproduces_the_view(page, app_url: str) -> None:
    page.goto(f"{app_url}/kommune/0301")
    page.wait_for_selector("#municipality-chart .js-plotly-plot .scatterlayer")
    assert page.evaluate(CHART_TRACE) == "Oslo"
    assert page.console_watch.errors == []


def test_unknown_municipality_is_helpful(page, app_url: str, screenshot_dir: Path) -> None:
    page.goto(f"{app_url}/kommune/Balerup")
    page.wait_for_selector("text=Unknown municipality")
    assert "Ballerup (151)" in page.inner_text("main")
    page.screenshot(path=str(screenshot_dir / "unknown-municipality.png"))
    assert page.console_watch.errors == []


def test_unknown_address_shows_404(page, app_url: str) -> None:
    page.goto(f"{app_url}/no/such/page")
    page.wait_for_selector("text=Page not found")
    assert page.console_watch.errors == []
