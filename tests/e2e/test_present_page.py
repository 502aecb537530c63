"""Presentation mode and the changes page in a real headless Chromium at 1920x1080.

The app reads the two-snapshot data folder (tests/conftest.py's meeting_data_dir) for these
tests: the previous release of the simulator pinned as MEETING, the current one live.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from tests.conftest import MEETING

pytestmark = pytest.mark.browser

NETWORK = "151,740,751,730,746,615"
# Every element that shows text of its own, with its computed font size in px.
FONT_SIZES = """() => {
  const shown = (el) => el.offsetParent !== null || el.closest('svg');
  const out = [];
  for (const el of document.querySelectorAll('#present-deck *')) {
    if (el.closest('.slide[hidden]')) continue;
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || !shown(el)) continue;
    out.push([el.closest('svg') ? 'chart' : 'text', parseFloat(getComputedStyle(el).fontSize),
              el.textContent.trim().slice(0, 40)]);
  }
  return out;
}"""


@pytest.fixture()
def meeting_app(app_url: str, meeting_data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The session's app, reading the two-snapshot folder for one test."""
    import queries.db

    monkeypatch.setenv("BAROMETER_DATA_DIR", str(meeting_data_dir))
    yield app_url
    queries.db.close()


@pytest.fixture()
def big_page(browser):
    from tests.e2e.conftest import ConsoleWatch

    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    page.console_watch = ConsoleWatch(page)
    yield page
    context.close()


def slide_in_url(page) -> str | None:
    return parse_qs(urlparse(page.url).query).get("slide", [None])[0]


def shown_slide(page) -> str:
    return page.eval_on_selector(".slide:not([hidden])", "el => el.dataset.slide")


def test_keys_move_the_deck_the_address_follows_and_f_toggles_full_screen(
    meeting_app: str, big_page, screenshot_dir: Path
) -> None:
    page = big_page
    page.goto(f"{meeting_app}/present?municipalities={NETWORK}")
    page.wait_for_selector("#present-deck")
    assert shown_slide(page) == "1" and slide_in_url(page) is None
    assert page.inner_text(".slide:not([hidden]) h1") == f"What changed since “{MEETING}”"
    changes = page.inner_text(".slide-changes")
    assert "Ballerup: the traffic light for Employment gap changed from unchanged" in changes
    assert "New figures for 2023" in changes
    page.screenshot(path=str(screenshot_dir / "present-1-changes-1920.png"))
    count = int(page.get_attribute("#present-deck", "data-count"))
    from indicators.registry import list_indicators

    # What changed, then one slide per indicator Denmark has.
    assert count == 1 + len([i for i in list_indicators() if "DK" in i.countries])

    for key, expected in [
        ("ArrowRight", "2"),
        ("Space", "3"),
        ("PageDown", "4"),
        ("PageUp", "3"),
        ("ArrowLeft", "2"),
        ("End", str(count)),
        ("ArrowRight", str(count)),
        ("Home", "1"),
    ]:
        page.keyboard.press(key)
        page.wait_for_function(
            "n => document.querySelector('.slide:not([hidden])').dataset.slide === n", arg=expected
        )
        assert slide_in_url(page) == (None if expected == "1" else expected)
        assert page.inner_text("#present-slide-number") == f"{expected} / {count}"

    page.keyboard.press("ArrowRight")
    page.wait_for_selector(".slide:not([hidden]) .slide-chart .main-svg")
    assert page.inner_text(".slide:not([hidden]) h1").startswith("Social assistance")
    assert "DEMO" in page.inner_text(".slide:not([hidden]) .slide-source")
    page.screenshot(path=str(screenshot_dir / "present-2-chart-1920.png"))

    assert page.evaluate("document.fullscreenElement") is None
    page.keyboard.press("f")
    page.wait_for_function("document.fullscreenElement !== null")
    page.keyboard.press("F")
    page.wait_for_function("document.fullscreenElement === null")
    assert page.console_watch.errors == []


def test_every_slide_is_readable_from_the_back_of_the_room(meeting_app: str, big_page) -> None:
    """At 1920x1080 no slide text under 24 px, chart text at least 20 px; no controls."""
    page = big_page
    page.goto(f"{meeting_app}/present?municipalities={NETWORK}")
    page.wait_for_selector("#present-deck")
    count = int(page.get_attribute("#present-deck", "data-count"))
    for number in range(1, count + 1):
        if number > 1:
            page.keyboard.press("ArrowRight")
            page.wait_for_selector(".slide:not([hidden]) .slide-chart .main-svg text")
        sizes = page.evaluate(FONT_SIZES)
        assert sizes, f"slide {number} shows no text"
        small = [s for s in sizes if s[1] < (20 if s[0] == "chart" else 24)]
        assert small == [], f"slide {number}: {small}"
        controls = page.evaluate(
            "document.querySelectorAll('button, input, select, .modebar, .dash-dropdown').length"
        )
        assert controls == 0
    assert page.console_watch.errors == []


def test_escape_leaves_for_the_municipality_and_its_present_link_comes_back(
    meeting_app: str, big_page
) -> None:
    page = big_page
    page.goto(f"{meeting_app}/kommune/151?peers=similar")
    page.click("#present-link")
    page.wait_for_selector("#present-deck")
    query = parse_qs(urlparse(page.url).query)
    assert query["from"] == [MEETING] and query["peers"] == ["similar"]
    assert query["municipalities"][0].startswith("151,")
    page.keyboard.press("Escape")
    page.wait_for_url(lambda url: urlparse(url).path == "/kommune/151")
    assert parse_qs(urlparse(page.url).query)["peers"] == ["similar"]
    assert page.console_watch.errors == []


def test_a_wrong_address_gets_help_not_an_error(meeting_app: str, big_page) -> None:
    page = big_page
    page.goto(f"{meeting_app}/present?municipalities=151&from=Netwrk")
    page.wait_for_selector("#problem")
    assert MEETING in page.inner_text("#problem-links")
    page.goto(f"{meeting_app}/present")
    page.wait_for_selector("#problem")
    assert page.console_watch.errors == []


def test_the_changes_page_lists_what_changed(
    meeting_app: str, big_page, screenshot_dir: Path
) -> None:
    page = big_page
    page.goto(f"{meeting_app}/changes?municipalities=151,740,751&lang=da")
    page.wait_for_selector("#changes-list")
    text = page.inner_text("#changes-list")
    assert "Ballerup: Forskel i beskæftigelsesfrekvens for 2022 er revideret fra" in text
    assert page.evaluate("document.documentElement.lang") == "da"
    page.screenshot(path=str(screenshot_dir / "changes-1920.png"), full_page=True)
    assert page.console_watch.errors == []
