"""Presentation mode and the changes page in a real headless Chromium at 1920x1080.

The app reads the two-snapshot data folder (tests/conftest.py's meeting_data_dir) for these
tests: the previous release of the simulator pinned as MEETING, the current one live.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from tests.conftest import MEETING

pytestmark = pytest.mark.browser

NETWORK = "151,740,751,730,746,615"
NORWAY = "0301,4601,5001,3201"
PHONE = {"width": 390, "height": 844}
PROJECTOR = {"width": 1920, "height": 1080}
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
def meeting_app(app_url: str, meeting_env: Path) -> str:
    """The session's app, reading the two-snapshot folder for one test."""
    return app_url


@pytest.fixture()
def page(page):
    """The usual test page (a clean console checked), at a projector's 1920x1080."""
    page.set_viewport_size(PROJECTOR)
    return page


def slide_in_url(page) -> str | None:
    return parse_qs(urlparse(page.url).query).get("slide", [None])[0]


def shown_slide(page) -> str:
    return page.eval_on_selector(".slide:not([hidden])", "el => el.dataset.slide")


def test_keys_move_the_deck_the_address_follows_and_f_toggles_full_screen(
    meeting_app: str, page, screenshot_dir: Path
) -> None:
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


@pytest.mark.parametrize("network", [NETWORK, NORWAY], ids=["denmark", "norway"])
def test_every_slide_is_readable_from_the_back_of_the_room(
    meeting_app: str, page, screenshot_dir: Path, network: str
) -> None:
    """At 1920x1080 no slide text under 24 px, chart text at least 20 px; no controls.
    Norway's deck has a count of persons and a county figure among its slides."""
    page.goto(f"{meeting_app}/present?municipalities={network}")
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
        title = page.inner_text(".slide:not([hidden]) h1")
        if network == NORWAY and ("(county figure)" in title or "Participants" in title):
            kind = "county" if "county" in title else "count"
            page.screenshot(path=str(screenshot_dir / f"present-{kind}-1920.png"))
    assert page.console_watch.errors == []


def test_escape_leaves_for_the_municipality_and_its_present_link_comes_back(
    meeting_app: str, page
) -> None:
    page.goto(f"{meeting_app}/kommune/151?peers=similar")
    page.click("#present-link")
    page.wait_for_selector("#present-deck")
    query = parse_qs(urlparse(page.url).query)
    assert query["from"] == [MEETING] and query["peers"] == ["similar"]
    assert query["municipalities"][0].startswith("151,")
    page.wait_for_function("document.fullscreenElement !== null")  # Present opens full screen
    page.keyboard.press("Escape")  # leaves full screen
    page.wait_for_function("document.fullscreenElement === null")
    assert urlparse(page.url).path == "/present"
    page.keyboard.press("Escape")  # leaves the deck
    page.wait_for_url(lambda url: urlparse(url).path == "/kommune/151")
    assert parse_qs(urlparse(page.url).query)["peers"] == ["similar"]
    assert page.console_watch.errors == []


def test_a_wrong_address_gets_help_not_an_error(meeting_app: str, page) -> None:
    page.goto(f"{meeting_app}/present?municipalities=151&from=Netwrk")
    page.wait_for_selector("#problem")
    assert MEETING in page.inner_text("#problem-links")
    page.goto(f"{meeting_app}/present")
    page.wait_for_selector("#problem")
    assert page.console_watch.errors == []


def test_the_changes_page_lists_what_changed(meeting_app: str, page, screenshot_dir: Path) -> None:
    page.goto(f"{meeting_app}/changes?municipalities=151,740,751&lang=da")
    page.wait_for_selector("#changes-list")
    text = page.inner_text("#changes-list")
    assert "Ballerup: Forskel i beskæftigelsesfrekvens for 2022 er revideret fra" in text
    assert page.evaluate("document.documentElement.lang") == "da"
    page.screenshot(path=str(screenshot_dir / "changes-1920.png"), full_page=True)
    assert page.console_watch.errors == []


def is_full_screen(page) -> bool:
    return page.evaluate("document.fullscreenElement !== null")


def test_from_opening_the_app_to_a_full_screen_deck_by_mouse(meeting_app: str, page) -> None:
    """The presenter's path: the home page, the municipality, Present. Four actions (a click,
    typing the name, a click on it, a click on Present); the deck opens in full screen with
    what changed since the last meeting."""
    started = time.monotonic()
    page.goto(f"{meeting_app}/")
    page.wait_for_selector("#municipality-picker")
    actions = []
    page.click("#municipality-picker")
    actions.append("click the municipality box")
    page.fill("input.dash-dropdown-search", "Ballerup")
    actions.append("type Ballerup")
    page.get_by_role("option", name="Ballerup (151)").click()
    actions.append("click Ballerup (151)")
    page.wait_for_selector("#present-link")
    page.click("#present-link")
    actions.append("click Present")
    page.wait_for_selector("#present-deck")
    page.wait_for_function("document.fullscreenElement !== null")
    assert page.inner_text(".slide:not([hidden]) h1") == f"What changed since “{MEETING}”"
    assert urlparse(page.url).path == "/present"
    seconds = time.monotonic() - started
    print(f"\nby mouse: {len(actions)} actions ({'; '.join(actions)}), {seconds:.1f} s")
    page.keyboard.press("Escape")  # the browser leaves full screen first
    page.wait_for_function("document.fullscreenElement === null")
    assert urlparse(page.url).path == "/present"
    page.keyboard.press("Escape")  # then the deck
    page.wait_for_url(lambda url: urlparse(url).path == "/kommune/151")
    assert page.console_watch.errors == []


def test_from_opening_the_app_to_a_full_screen_deck_by_keyboard(meeting_app: str, page) -> None:
    """The same path by keyboard, past the header by its skip link: Tab to the municipality
    box, type, Enter; Tab to Present, Enter. The keys pressed are counted and printed."""
    started = time.monotonic()
    page.goto(f"{meeting_app}/")
    page.wait_for_selector("#municipality-picker")
    page.wait_for_load_state("networkidle")
    keys = skip_header(page) + tab_to(page, "#municipality-picker")
    page.keyboard.press("Enter")
    page.wait_for_selector(".dash-dropdown-content input.dash-dropdown-search")
    page.keyboard.type("Ballerup")
    keys.append("type Ballerup")
    # A reader sees the list narrowed to Ballerup before pressing Enter (on a loaded machine
    # the list can lag behind the keys).
    page.wait_for_function(
        "() => { const shown = [...document.querySelectorAll('.dash-dropdown-content "
        ".dash-options-list-option')]; return shown.length > 0 && "
        "shown.every(o => o.innerText.startsWith('Ballerup')); }"
    )
    page.keyboard.press("Enter")
    keys.append("Enter")
    page.wait_for_url(lambda url: urlparse(url).path == "/kommune/151")
    page.wait_for_selector("#present-link")
    page.wait_for_load_state("networkidle")
    keys += skip_header(page) + tab_to(page, "#present-link")
    page.keyboard.press("Enter")
    keys.append("Enter")
    page.wait_for_selector("#present-deck")
    page.wait_for_function("document.fullscreenElement !== null")
    assert page.inner_text(".slide:not([hidden]) h1") == f"What changed since “{MEETING}”"
    page.keyboard.press("ArrowRight")  # the deck has the keys at once: nothing to click first
    page.wait_for_function("() => new URLSearchParams(location.search).get('slide') === '2'")
    seconds = time.monotonic() - started
    tabs = keys.count("Tab")
    print(f"\nby keyboard: {len(keys)} keys ({tabs} Tab), {seconds:.1f} s")
    assert page.console_watch.errors == []


def skip_header(page) -> list[str]:
    """Tab to the skip link and follow it: the focus is at the page's content."""
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    return ["Tab", "Enter"]


def tab_to(page, selector: str, limit: int = 60) -> list[str]:
    """Press Tab until the element (or something inside it) has focus; the keys pressed."""
    keys = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        keys.append("Tab")
        if page.evaluate("(s) => document.activeElement.closest(s) !== null", selector):
            return keys
    raise AssertionError(f"Tab never reached {selector}")


MEETING_PAGES = {
    "download": "/download",
    "download-pinned": f"/download?snapshot={MEETING}&lang=nb",
    "changes": "/changes?municipalities=151,740,751",
    "present": f"/present?municipalities={NETWORK}",
}


def test_the_meeting_pages_pass_axe_and_fit_a_phone(
    meeting_app: str, page, axe_source: str, screenshot_dir: Path
) -> None:
    """Each page at 390x844 (no sideways scrolling, no serious axe violation), then at
    1920x1080; screenshots of both."""
    for name, path in MEETING_PAGES.items():
        page.set_viewport_size(PHONE)
        page.goto(f"{meeting_app}{path}")
        page.wait_for_selector("main h1, #present-deck h1")
        page.wait_for_load_state("networkidle")
        width = page.evaluate("() => document.scrollingElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} scrolls sideways at 390 px: {width} px wide"
        page.screenshot(path=str(screenshot_dir / f"{name}-390x844.png"), full_page=True)
        page.evaluate(axe_source)
        violations = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length}))"
        )
        serious = [v for v in violations if v["impact"] in ("serious", "critical")]
        assert serious == [], f"axe on {path}: {serious}"
        page.set_viewport_size(PROJECTOR)
        page.wait_for_timeout(500)
        page.screenshot(path=str(screenshot_dir / f"{name}-1920x1080.png"))
    assert page.console_watch.errors == []


def test_the_download_page_shows_sizes_and_checksums_once_prepared(meeting_app: str, page) -> None:
    page.goto(f"{meeting_app}/download?snapshot={MEETING}")
    page.wait_for_selector("#download-table")
    cells = page.locator("#download-table tbody td")
    assert cells.count() == 3 * page.locator("#download-table tbody tr").count()
    deadline = time.monotonic() + 240
    while page.locator("#download-table .download-sha").count() < cells.count():
        assert time.monotonic() < deadline, "the files were not prepared in time"
        page.wait_for_timeout(2000)
        page.reload()
        page.wait_for_selector("#download-table")
    first = page.locator("#download-table tbody td").first
    href = first.locator("a").get_attribute("href")
    assert href.startswith("/files/2") and href.endswith("/all.zip")  # by version id
    answer = page.request.get(f"{meeting_app}{href}")
    digest = hashlib.sha256(answer.body()).hexdigest()
    assert digest in first.inner_text() and answer.headers["x-checksum-sha256"] == digest
    assert page.console_watch.errors == []
