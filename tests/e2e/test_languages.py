"""Everything a reader sees follows `?lang=`: the document's language, the tab title, Plotly's
toolbar and numbers, the dropdowns' own words; checked in headless Chromium, console clean."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

LANG = "() => document.documentElement.lang"


def wait_for(page, script: str, value: str) -> None:
    page.wait_for_function(f"(want) => ({script})() === want", arg=value)


def test_document_language_and_tab_title_follow_the_url(page, app_url: str) -> None:
    page.goto(f"{app_url}/compare?lang=da")
    assert page.evaluate(LANG) == "da"  # from the first HTML document, before any script
    page.wait_for_function("() => document.title === 'Sammenlign – Integrationsbarometer'")
    page.click("#lang-nb")
    wait_for(page, LANG, "nb")
    page.wait_for_function("() => document.title === 'Sammenlign – Integreringsbarometer'")
    page.click(".nav a[href^='/map']")
    page.wait_for_function("() => document.title === 'Kart – Integreringsbarometer'")
    page.click("#lang-en")
    wait_for(page, LANG, "en")
    page.wait_for_function("() => document.title === 'Map – Integration Barometer'")
    assert page.console_watch.errors == []


def test_plotly_toolbar_and_numbers_in_danish(page, app_url: str) -> None:
    page.goto(f"{app_url}/compare?indicator=employment_gap&focus=151&peers=region&lang=da")
    chart = "#compare-bar .js-plotly-plot"
    page.wait_for_selector(f"{chart} .modebar-btn", state="attached")
    titles = page.eval_on_selector_all(
        f"{chart} .modebar-btn", "buttons => buttons.map(b => b.getAttribute('data-title'))"
    )
    assert "Hent diagram som PNG" in titles and "Zoom ind" in titles
    assert page.evaluate(f"() => document.querySelector('{chart}')._context.locale") == "da"
    summary = page.inner_text("#compare-bar-summary")
    assert "23,2\u00a0procentpoint" in summary or "\u00a0procentpoint." in summary
    assert "\u00a0pp" not in summary
    ticks = page.eval_on_selector_all(f"{chart} .xtick text", "ts => ts.map(t => t.textContent)")
    assert ticks and not any("." in tick for tick in ticks if tick.strip("−-0123456789,"))
    assert page.console_watch.errors == []


def test_dropdown_words_in_norwegian(page, app_url: str) -> None:
    page.goto(f"{app_url}/trend?indicator=employment_gap&municipalities=0301,1103&lang=nb")
    page.wait_for_selector("#trend-chart .js-plotly-plot")
    assert page.inner_text("#trend-municipalities .dash-dropdown-value-count") == "2 valgt"
    page.click("#trend-indicator")
    assert page.get_attribute("input.dash-dropdown-search", "placeholder") == "Søk"
    assert page.console_watch.errors == []
