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
    page.get_by_role("option", name="Oslo (0301)").click()
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


# --------------------------------------------------------------------------------------------
# The scorecard
# --------------------------------------------------------------------------------------------

CARDS = "#scorecard-grid .scorecard-card"
RANK_GAP = "#scorecard-rank-employment_gap"


def open_page(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(f"{CARDS} .scorecard-sparkline .js-plotly-plot")
    page.wait_for_selector("#municipality-chart .js-plotly-plot .scatterlayer")


def view_state(page) -> dict:
    """What a reader sees: headings, every card's text, the chart's line and axis."""
    return {
        "name": page.inner_text("#municipality-name"),
        "search": page.evaluate("() => location.search"),
        "peers": page.inner_text("#scorecard-peers-description"),
        "cards": page.locator(CARDS).all_inner_texts(),
        "selected": page.get_attribute(".scorecard-card-selected", "id"),
        "detail": page.inner_text("#municipality-detail-title"),
        "summary": page.inner_text("#municipality-summary"),
        "chart": page.evaluate(CHART_TRACE),
        "axis": page.evaluate(
            "() => document.querySelector('#municipality-chart .js-plotly-plot')"
            ".layout.yaxis.title.text"
        ),
    }


@pytest.mark.parametrize(
    ("code", "country", "region_link"),
    [("151", "DK", "Same region"), ("0301", "NO", "Same county")],
)
def test_scorecard_cards_render(
    page, app_url: str, screenshot_dir: Path, code: str, country: str, region_link: str
) -> None:
    from indicators.registry import list_indicators

    cards = len([i for i in list_indicators() if country in i.countries])
    open_page(page, f"{app_url}/kommune/{code}")
    assert page.locator(CARDS).count() == cards
    for headline in page.locator(".scorecard-headline").all_inner_texts():
        # Ranked among peers, or said why not (no value, a count of persons, a county figure).
        assert any(w in headline for w in ("peers", "No value", "not ranked")), headline
    assert page.locator(f"{CARDS} .scorecard-sparkline .js-plotly-plot").count() == cards
    assert page.inner_text("#scorecard-peers-region") == region_link
    badge = page.locator("#scorecard-card-employment_gap .scorecard-light")
    assert badge.inner_text().split()[-1] in ("Better", "Unchanged", "Worse")
    # The rule opens by keyboard (Enter on the focused badge), not on hover only.
    rule = page.locator("#scorecard-card-employment_gap .scorecard-light-details .scorecard-rule")
    assert not rule.is_visible()
    badge.focus()
    page.keyboard.press("Enter")
    assert rule.is_visible() and "Barometer rule" in rule.inner_text()
    assert "Significance rule" in page.inner_text("#scorecard-card-employment_gap")
    assert "No traffic light" in page.inner_text("#scorecard-card-nonwestern_share")
    page.screenshot(path=str(screenshot_dir / f"scorecard-{code}-1600x1000.png"))
    page.screenshot(path=str(screenshot_dir / f"scorecard-{code}-1600-full.png"), full_page=True)
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.wait_for_timeout(300)  # let the responsive charts resize
    page.screenshot(path=str(screenshot_dir / f"scorecard-{code}-1920x1080.png"))
    page.screenshot(path=str(screenshot_dir / f"scorecard-{code}-1920-full.png"), full_page=True)
    assert page.console_watch.errors == []


def test_peer_selector_changes_url_and_rank(page, app_url: str, screenshot_dir: Path) -> None:
    open_page(page, f"{app_url}/kommune/151")
    everyone = page.inner_text(RANK_GAP)
    assert everyone.endswith("of 98 peers")

    page.click("#scorecard-peers-region")
    page.wait_for_function("() => location.search.includes('peers=region')")
    page.wait_for_function(
        f"() => document.querySelector('{RANK_GAP}')?.innerText.endsWith('of 29 peers')"
    )
    assert "Region Hovedstaden: 29 municipalities" in page.inner_text(
        "#scorecard-peers-description"
    )
    assert "scorecard-peer-current" in (
        page.get_attribute("#scorecard-peers-region", "class") or ""
    )

    page.click("#scorecard-peers-similar")
    page.wait_for_function("() => location.search.includes('peers=similar')")
    page.wait_for_selector("#scorecard-similar table")
    assert page.inner_text(RANK_GAP).endswith("of 11 peers")
    assert "Ballerup (this page)" in page.inner_text("#scorecard-similar")
    assert "closest on" in page.inner_text("#scorecard-similar")
    page.screenshot(path=str(screenshot_dir / "scorecard-151-similar.png"), full_page=True)
    assert page.console_watch.errors == []


def test_card_title_selects_the_chart(page, app_url: str) -> None:
    open_page(page, f"{app_url}/kommune/151?peers=size")
    # The title is a Plain link (components/plain.py): it moves inside the app, without
    # loading a new document (the mark below would be gone).
    page.evaluate("() => { window.__sameDocument = true; }")
    page.click("#scorecard-title-employment_gap")
    page.wait_for_function("() => location.search.includes('indicator=employment_gap')")
    page.wait_for_function(
        "() => document.querySelector('#municipality-detail-title')?.innerText"
        ".includes('Employment gap')"
    )
    assert "peers=size" in page.evaluate("() => location.search")
    assert page.get_attribute(".scorecard-card-selected", "id") == "scorecard-card-employment_gap"
    page.wait_for_function(f"() => ({CHART_TRACE})() === 'Ballerup'")
    assert view_state(page)["axis"] == "Gap, percentage points"
    assert page.evaluate("() => window.__sameDocument") is True
    assert page.console_watch.errors == []


# A click with a modifier key (a new tab, a new window) is the browser's, as with dcc.Link;
# the listener records whether plain.js claimed the click, then stops the browser following it.
MODIFIED_CLICK = """(key) => {
    const link = document.querySelector('#scorecard-title-employment_gap');
    let claimed = null;
    const look = (event) => { claimed = event.defaultPrevented; event.preventDefault(); };
    window.addEventListener('click', look, {once: true});
    link.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true, [key]: true}));
    return claimed;
}"""


def test_plain_links_leave_modified_clicks_to_the_browser(page, app_url: str) -> None:
    open_page(page, f"{app_url}/kommune/151")
    for key in ("ctrlKey", "metaKey", "shiftKey", "altKey"):
        assert page.evaluate(MODIFIED_CLICK, key) is False, key
    assert page.evaluate(MODIFIED_CLICK, "bubbles") is True  # an ordinary click: claimed
    assert page.evaluate("() => location.pathname") == "/kommune/151"
    assert page.console_watch.errors == []


# assets/plain.js on its own: a tree drawn into a detached element with React.
DRAW_PLAIN = """(tree) => {
    const box = document.createElement('div');
    const root = ReactDOM.createRoot(box);
    ReactDOM.flushSync(() => root.render(
        React.createElement(window.barometer_components.Plain, {tree})));
    const drawn = box.innerHTML;
    root.unmount();
    return drawn;
}"""


def test_plain_draws_text_as_text_and_drops_handlers(page, app_url: str) -> None:
    open_page(page, f"{app_url}/kommune/151")
    tree = [
        {
            "t": "p",
            "p": {"className": "x", "aria-hidden": "true", "onClick": "alert(1)"},
            "c": [
                "<b>1 < 2</b>",
                {"t": "a", "p": {"href": "/kommune/151"}, "c": ["B"], "nav": True},
            ],
        },
        {"t": "span", "p": {"dangerouslySetInnerHTML": {"__html": "<i>no</i>"}}, "c": []},
        "tail",
    ]
    assert page.evaluate(DRAW_PLAIN, tree) == (
        '<p class="x" aria-hidden="true">&lt;b&gt;1 &lt; 2&lt;/b&gt;'
        '<a href="/kommune/151">B</a></p><span></span>tail'
    )
    assert page.console_watch.errors == []


def test_copied_scorecard_url_reproduces_the_view(page, browser, app_url: str) -> None:
    url = f"{app_url}/kommune/151?peers=region&indicator=employment_gap&lang=da"
    open_page(page, url)
    first = view_state(page)
    assert first["detail"] == "Over tid: Forskel i beskæftigelsesfrekvens"
    assert first["selected"] == "scorecard-card-employment_gap"
    assert "blandt 29 kommuner" in page.inner_text(RANK_GAP)

    from tests.e2e.conftest import ConsoleWatch

    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    try:
        other = context.new_page()
        watch = ConsoleWatch(other)
        open_page(other, url)
        assert view_state(other) == first
        assert watch.errors == []
    finally:
        context.close()
    assert page.console_watch.errors == []


def test_danish_link_switches_card_titles(page, app_url: str, screenshot_dir: Path) -> None:
    open_page(page, f"{app_url}/kommune/151?peers=region")
    assert page.inner_text("#scorecard-title-employment_gap") == "Employment gap"
    page.click("#lang-da")
    page.wait_for_function("() => location.search.includes('lang=da')")
    page.wait_for_function(
        "() => document.querySelector('#scorecard-title-employment_gap')?.innerText"
        " === 'Forskel i beskæftigelsesfrekvens'"
    )
    assert "peers=region" in page.evaluate("() => location.search")
    assert "blandt 29 kommuner" in page.inner_text(RANK_GAP)
    assert "Samme region" in page.inner_text("#scorecard-peers")
    page.screenshot(path=str(screenshot_dir / "scorecard-151-da.png"))
    assert page.console_watch.errors == []


def test_unknown_indicator_and_peer_group_are_helpful(
    page, app_url: str, screenshot_dir: Path
) -> None:
    page.goto(f"{app_url}/kommune/151?indicator=employment_gab")
    page.wait_for_selector("#problem")
    assert "Employment gap (employment_gap)" in page.inner_text("#problem")
    page.screenshot(path=str(screenshot_dir / "scorecard-unknown-indicator.png"))

    page.goto(f"{app_url}/kommune/0301?peers=regoin&lang=nb")
    page.wait_for_selector("#problem")
    problem = page.inner_text("#problem")
    assert "Ukjent sammenligningsgruppe" in problem and "Mente du:" in problem
    page.click("#problem-links a >> nth=0")
    page.wait_for_function("() => location.search.includes('peers=region')")
    page.wait_for_selector(CARDS)
    from indicators.registry import list_indicators

    assert page.locator(CARDS).count() == len([i for i in list_indicators() if "NO" in i.countries])
    assert "Traceback" not in page.inner_text("body")
    assert page.console_watch.errors == []


def test_the_numbers_under_the_chart_are_a_plain_table(page, app_url: str) -> None:
    page.goto(f"{app_url}/kommune/151")
    page.wait_for_selector("#municipality-chart .js-plotly-plot .scatterlayer")
    page.click(".data-table summary")
    table = ".data-table table"
    page.wait_for_selector(table)
    headings = page.eval_on_selector_all(f"{table} th", "e => e.map(h => h.scope)")
    assert headings == ["col", "col", "col"]
    rows = page.eval_on_selector_all(f"{table} tbody tr", "e => e.length")
    assert rows == page.evaluate(CHART_VALUES)  # one row per period of the chart
    align = page.eval_on_selector(
        f"{table} tbody td:nth-child(2)", "td => getComputedStyle(td).textAlign"
    )
    assert align == "right"
    # Cell text is text: React gets strings, never markup (assets/table.js).
    made = page.evaluate(
        """() => {
        const element = window.barometer_components.TextTable(
            {head: ['<b>x</b>'], rows: [['<img src=x onerror=alert(1)>']], align: 'l'});
        const texts = [];
        let markup = false;
        (function walk(node) {
            if (typeof node === 'string') { texts.push(node); return; }
            if (!node || typeof node !== 'object') return;
            if (Array.isArray(node)) { node.forEach(walk); return; }
            if (node.props && node.props.dangerouslySetInnerHTML) markup = true;
            walk(node.props && node.props.children);
        })(element);
        return {texts, markup};
    }"""
    )
    assert made == {"texts": ["<b>x</b>", "<img src=x onerror=alert(1)>"], "markup": False}
    assert page.console_watch.errors == []


def test_on_a_phone_the_chart_stays_in_its_box(browser, app_url: str) -> None:
    # The chart had no height of its own: drawn 450 px tall in a 420 px box, its legend lay
    # over "Show the numbers" and took its taps (components/charts.py, SERIES_HEIGHT).
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{app_url}/kommune/151")
    page.wait_for_selector("#municipality-chart .js-plotly-plot .scatterlayer")
    boxes = page.evaluate(
        """() => {
        const bottom = s => document.querySelector(s).getBoundingClientRect().bottom;
        const top = s => document.querySelector(s).getBoundingClientRect().top;
        return {box: bottom('#municipality-chart'), svg: bottom('#municipality-chart .main-svg'),
                legend: bottom('#municipality-chart .legend'), summary: top('.data-table summary')};
    }"""
    )
    assert boxes["svg"] <= boxes["box"] + 1
    assert boxes["legend"] <= boxes["summary"]
    page.click(".data-table summary")  # a tap reaches it
    page.wait_for_selector(".data-table table")
    context.close()
