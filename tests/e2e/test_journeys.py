"""The three journeys of issue 10, by keyboard alone: an analyst compares Ballerup with similar
municipalities and downloads the CSV; a presenter prepares five network municipalities for a
projector; a policymaker fetches a CSV and the definition in Danish and in Norwegian. No mouse
click anywhere; no chart toolbar on the way; console clean throughout."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from exports.tables import read_table
from tests.e2e.test_accessibility import open_ready

pytestmark = pytest.mark.browser

FOCUSED = "() => document.activeElement.id || document.activeElement.className"
ON_OPTION = "() => document.activeElement.closest('.dash-options-list-option') !== null"


def tab_until(page, wanted: str, limit: int = 40) -> list[str]:
    """Press Tab until the focused element matches the CSS selector `wanted`; the ids (or
    classes) passed on the way."""
    passed = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        passed.append(str(page.evaluate(FOCUSED)))
        if page.evaluate("(s) => document.activeElement.matches(s)", wanted):
            return passed
    raise AssertionError(f"Tab never reached {wanted}: {passed}")


def query(page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


def wait_for_query(page, key: str, test: str) -> None:
    """Wait until the address's `key` passes the JavaScript test on `value`."""
    page.wait_for_function(
        f"() => {{ const value = new URLSearchParams(location.search).get('{key}') || '';"
        f" return {test}; }}"
    )


class Requests:
    """The page's requests to the server still without an answer."""

    def __init__(self, page) -> None:
        self.under_way: set = set()
        page.on("request", lambda request: self.under_way.add(request))
        page.on("requestfinished", lambda request: self.under_way.discard(request))
        page.on("requestfailed", lambda request: self.under_way.discard(request))


def settle(page, quiet_ms: int = 400) -> None:
    """Wait until the page has asked the server nothing for `quiet_ms` (Dash's callbacks
    answered), as a reader waits for the screen to follow: a late answer would reset what is
    being typed."""
    requests = page.requests
    quiet = 0
    while quiet < quiet_ms:
        page.wait_for_timeout(100)
        quiet = 0 if requests.under_way else quiet + 100


def choose_option(page, value: str, steps: int = 8) -> None:
    """In an open dropdown, step down to the option with `value` and choose it (Enter)."""
    page.wait_for_function(ON_OPTION)
    for _ in range(steps):
        current = page.evaluate("() => document.activeElement.value")
        if current == value:
            break
        page.keyboard.press("ArrowDown")
        # One step at a time: the focus moves when the browser gets to it (slow under load).
        page.wait_for_function("(before) => document.activeElement.value !== before", arg=current)
    page.keyboard.press("Enter")


FOCUSED_OPTION = """() => {
    const option = document.activeElement.closest('.dash-options-list-option');
    return option === null ? null : option.innerText;
}"""
MATCHES = """(t) => {
    const list = '.dash-dropdown-content .dash-options-list-option';
    const shown = [...document.querySelectorAll(list)];
    return shown.length > 0 && shown.every(o => o.innerText.startsWith(t));
}"""


def type_and_choose(page, typed: str) -> None:
    """In an open dropdown: type into its search as a person does (a key at a time), wait for
    the list to show the matches, step to the first and choose it. The app is let finish the
    last choice first, as a reader waits for the screen to follow."""
    settle(page)
    page.keyboard.type(typed, delay=40)
    page.wait_for_function(MATCHES, arg=typed)
    on_match = f"(t) => ({FOCUSED_OPTION})()?.startsWith(t)"
    for _ in range(4):  # a key pressed while the list redraws is lost: press it again
        page.keyboard.press("ArrowDown")
        try:
            page.wait_for_function(on_match, arg=typed, timeout=2000)
            break
        except PlaywrightTimeout:
            continue
    assert page.evaluate(on_match, typed), page.evaluate(FOCUSED_OPTION)
    page.keyboard.press("Enter")


def type_text(page, text: str) -> None:
    """Replace the focused text box's words by `text`, typed a key at a time."""
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(text, delay=40)
    page.wait_for_function("(t) => document.activeElement.value === t", arg=text)


def save_download(page, folder: Path) -> tuple[str, bytes]:
    """Press Enter on the focused download button; the file's name and bytes."""
    with page.expect_download() as event:
        page.keyboard.press("Enter")
    path = folder / event.value.suggested_filename
    event.value.save_as(path)
    return event.value.suggested_filename, path.read_bytes()


def focus_ballerup(page, address: str) -> None:
    """Open Compare at `address` and choose Ballerup as the focus with the keyboard alone."""
    open_ready(page, address)
    tab_until(page, "#compare-focus")
    page.keyboard.press("Enter")
    page.wait_for_selector(".dash-dropdown-content input.dash-dropdown-search")
    type_and_choose(page, "Ballerup")
    wait_for_query(page, "focus", "value === '151'")


def test_analyst_compares_ballerup_with_similar_and_downloads_the_csv(
    page, app_url: str, tmp_path: Path
) -> None:
    page.requests = Requests(page)
    focus_ballerup(page, f"{app_url}/compare")
    page.wait_for_function(
        "() => document.querySelector('#compare-bar-summary').innerText.includes('Ballerup')"
    )
    page.wait_for_load_state("networkidle")
    passed = tab_until(page, "#compare-peers", limit=3)
    page.keyboard.press("Enter")
    choose_option(page, "similar")
    wait_for_query(page, "peers", "value === 'similar'")
    page.wait_for_selector("#compare-why #scorecard-similar")
    passed += tab_until(page, "#compare-download-button")
    assert not any("modebar" in stop for stop in passed)  # no chart toolbar on the way
    assert len(passed) < 30, passed
    name, data = save_download(page, tmp_path)
    text = data.decode("utf-8")
    assert name.startswith("compare-employment_gap-DK-")
    assert "similar_because" in text and "Ballerup" in text
    assert "# Compared with: Ballerup and the 10 most similar municipalities (11)" in text
    assert page.console_watch.errors == []


NETWORK = {"165": "Albertslund", "153": "Brøndby", "161": "Glostrup", "167": "Hvidovre"}


def test_presenter_prepares_five_network_municipalities_for_the_projector(
    browser, app_url: str
) -> None:
    """On Compare: Ballerup as the focus, an own group of four more named "Vestegnen", then
    "Present this group": the deck of the five at 1920x1080, moved through by keys."""
    from tests.e2e.conftest import ConsoleWatch

    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    watch = ConsoleWatch(page)
    page.requests = Requests(page)
    try:
        focus_ballerup(page, f"{app_url}/compare?lang=da")
        page.wait_for_load_state("networkidle")
        tab_until(page, "#compare-peers", limit=3)
        page.keyboard.press("Enter")
        choose_option(page, "group")
        page.wait_for_selector("#compare-group-members", state="visible")
        tab_until(page, "#compare-group-members", limit=3)
        page.keyboard.press("Enter")
        page.wait_for_selector(".dash-dropdown-content input.dash-dropdown-search")
        for code, name in NETWORK.items():
            type_and_choose(page, name)  # typing after a choice starts a new search
            members = "(value.split('~')[1] || '').split(',')"
            wait_for_query(page, "peers", f"{members}.includes('{code}')")
        page.keyboard.press("Escape")
        settle(page)
        tab_until(page, "#compare-group-name", limit=3)
        type_text(page, "Vestegnen")
        page.keyboard.press("Enter")
        wait_for_query(page, "peers", "value.startsWith('group:Vestegnen~')")
        page.wait_for_function(
            "() => document.querySelector('#compare-present').getAttribute('href')"
            ".includes('Vestegnen')"
        )
        tab_until(page, "#compare-present")
        page.keyboard.press("Enter")
        page.wait_for_function("() => location.pathname === '/present'")
        page.wait_for_selector(".slide:not([hidden]) h1")
        deck = query(page)
        assert deck["municipalities"].split(",") == ["151", *NETWORK]
        assert deck["peers"] == "group:Vestegnen~" + ",".join(NETWORK)
        shown = page.inner_text(".slide:not([hidden])")
        assert all(name in shown for name in ["Ballerup", *NETWORK.values()]), shown
        page.keyboard.press("ArrowRight")
        page.wait_for_function("() => new URLSearchParams(location.search).get('slide') === '2'")
        page.keyboard.press("ArrowLeft")  # the first slide again (its address has no number)
        page.wait_for_function("() => !new URLSearchParams(location.search).has('slide')")
        assert page.eval_on_selector(".slide:not([hidden])", "s => s.dataset.slide") == "1"
        assert watch.errors == []
    finally:
        context.close()


@pytest.mark.parametrize(
    ("lang", "language_link", "country", "definition"),
    [
        ("da", None, "DK", "Forskel i beskæftigelsesfrekvens"),
        ("da", "#lang-nb", "NO", "Forskjell i sysselsettingsandel"),
    ],
    ids=["danish", "then-norwegian"],
)
def test_policymaker_fetches_the_csv_and_the_definition(
    page,
    app_url: str,
    tmp_path: Path,
    lang: str,
    language_link: str | None,
    country: str,
    definition: str,
) -> None:
    """From the indicator catalogue to the employment gap's page, its definition read and its
    figures downloaded for a spreadsheet; the second time after switching to Norwegian."""
    open_ready(page, f"{app_url}/indicator?lang={lang}")
    if language_link:
        tab_until(page, language_link)
        page.keyboard.press("Enter")
        page.wait_for_function("() => document.documentElement.lang === 'nb'")
        page.wait_for_selector("#indicator-catalogue")
    tab_until(page, "#indicator-catalogue a[href^='/indicator/employment_gap']", limit=60)
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.pathname === '/indicator/employment_gap'")
    page.wait_for_function(
        "(t) => document.querySelector('#indicator-heading').innerText.trim() === t",
        arg=definition,
    )
    from indicators.registry import get_indicator

    words = page.evaluate("() => document.documentElement.lang")
    assert words == ("nb" if language_link else "da")
    indicator = get_indicator("employment_gap")
    assert indicator is not None
    text = page.inner_text("main")
    assert indicator.description[words] in text and "Målgruppe" in text  # the definition
    button = f'#indicator-downloads button[id*=\'"country":"{country}"\'][id*="spreadsheet"]'
    passed = tab_until(page, button, limit=120)
    assert not any("modebar" in stop for stop in passed)
    name, data = save_download(page, tmp_path)
    assert name == f"employment_gap-{country}-all-periods-spreadsheet.csv"
    table = read_table(data)
    assert table.variant == "spreadsheet"
    assert any(line.startswith("Målgruppe:") for line in table.preamble)
    assert any("CC BY 4.0" in line for line in table.preamble)
    assert page.console_watch.errors == []
