"""Every page by keyboard, on a phone and under axe-core: no serious or critical violation,
no sideways scrolling at 390 px, one focus ring, a skip link, chart toolbars out of the tab
order, dropdowns that take typing, municipality pickers without "Select All"."""

from __future__ import annotations

from pathlib import Path

import pytest

from indicators.registry import list_indicators

pytestmark = pytest.mark.browser
INDICATOR_IDS = [indicator.id for indicator in list_indicators()]

# Every page, in both countries and languages, with the indicators each country added: name and
# address. Each is drawn when its heading shows; the deck of /present has no page frame.
PAGES = {
    "home": "/",
    "municipality": "/kommune/151?indicator=employment_gap&peers=similar",
    "municipality-oslo": "/kommune/0301?peers=similar&lang=nb",
    "compare": "/compare?focus=151&peers=similar",
    "compare-crime": "/compare?focus=151&indicator=crime_proxy_men_15_29&peers=region",
    "compare-low-income": (
        "/compare?focus=0301&indicator=persistent_low_income&peers=similar&lang=nb"
    ),
    "compare-years-in-norway": "/compare?focus=0301&indicator=employment_rate_0_4_years",
    "trend": "/trend?indicator=employment_gap&municipalities=151,153,157,159,161",
    "trend-norway": (
        "/trend?indicator=employment_rate_0_4_years&municipalities=0301,4601,5001&lang=nb"
    ),
    "trend-gap-norway": "/trend?indicator=employment_gap&municipalities=0301&measure=gap&lang=nb",
    "map": "/map",
    "map-norway": "/map?country=NO&lang=nb",
    "map-low-income": "/map?country=NO&indicator=persistent_low_income&lang=nb",
    "catalogue": "/indicator",
    "indicator-da": "/indicator/employment_gap?lang=da",
    **{f"indicator-{i}": f"/indicator/{i}" for i in INDICATOR_IDS},
    "about": "/about",
    "changes": "/changes",
    "download": "/download",
    "present": "/present?municipalities=151,153,157,159,161",
    "not-found": "/no-such-page",
}
DRAWN = {"present": ".slide h1"}  # elsewhere "main h1"
PHONE = {"width": 390, "height": 844}
PROJECTOR = {"width": 1920, "height": 1080}
AXE_RUN = """async () => {
    const result = await axe.run(document, {resultTypes: ['violations']});
    return result.violations.map(v => ({
        id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3),
    }));
}"""
# What would make a chart hard to read: its title, source, notes, legend or axis titles out of
# the picture; notes over each other; the legend over the toolbar, the axis or the caption.
CHART_PROBLEMS = """() => {
  const problems = [];
  const box = (e) => e.getBoundingClientRect();
  const overlap = (a, b, slack) => a.left < b.right - slack && b.left < a.right - slack &&
                                   a.top < b.bottom - slack && b.top < a.bottom - slack;
  const inside = (a, b, slack) => a.left >= b.left - slack && a.right <= b.right + slack &&
                                  a.top >= b.top - slack && a.bottom <= b.bottom + slack;
  for (const chart of document.querySelectorAll('.js-plotly-plot')) {
    const svg = chart.querySelector('.main-svg');
    if (!svg || chart.offsetParent === null) continue;
    const name = chart.parentElement.id || chart.id || 'a chart';
    const frame = box(svg);
    const parts = '.gtitle, .gtitle-subtitle, .annotation-text, .legend, .xtitle, .ytitle';
    for (const part of chart.querySelectorAll(parts)) {
      if (box(part).width && !inside(box(part), frame, 2)) {
        problems.push(`${name}: ${part.getAttribute('class')} outside the chart`);
      }
    }
    const notes = [...chart.querySelectorAll('.annotation')].filter((a) => box(a).width);
    for (let i = 0; i < notes.length; i++) {
      for (let j = i + 1; j < notes.length; j++) {
        if (overlap(box(notes[i]), box(notes[j]), 2)) {
          problems.push(`${name}: "${notes[i].textContent}" over "${notes[j].textContent}"`);
        }
      }
    }
    const legend = chart.querySelector('.legend');
    const others = '.modebar, .xtitle, .xtick text, .gtitle, .gtitle-subtitle';
    for (const other of legend ? chart.querySelectorAll(others) : []) {
      if (box(other).width && overlap(box(legend), box(other), 1)) {
        problems.push(`${name}: the legend over ${other.getAttribute('class') || 'a tick'}`);
      }
    }
  }
  return problems;
}"""


def open_ready(page, url: str, ready: str = "main h1") -> None:
    """Open a page and wait until Dash has drawn it and its charts (if any) are drawn."""
    page.goto(url)
    page.wait_for_selector(ready)
    page.wait_for_load_state("networkidle")
    settle_charts(page)


def settle_charts(page) -> None:
    """Wait until every chart is drawn and has taken the layout for its width."""
    page.wait_for_function(
        """() => [...document.querySelectorAll('.js-plotly-plot')].every((g) => {
            const meta = g._fullLayout && (g.layout.meta || {});
            return meta && (!meta.narrow
                            || (g.clientWidth < meta.narrow_below) === Boolean(meta.narrow_wide));
        })"""
    )


@pytest.mark.parametrize(("name", "path"), PAGES.items(), ids=list(PAGES))
def test_page_passes_axe_and_fits_a_phone(
    browser, app_url: str, axe_source: str, screenshot_dir: Path, name: str, path: str
) -> None:
    """axe-core finds nothing serious or critical, nothing scrolls sideways at 390 px, and the
    charts are readable on a phone and on a projector. Screenshots of both are kept."""
    from tests.e2e.conftest import ConsoleWatch

    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    watch = ConsoleWatch(page)
    try:
        open_ready(page, f"{app_url}{path}", DRAWN.get(name, "main h1"))
        width = page.evaluate("() => document.scrollingElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} scrolls sideways at 390 px: {width} px wide"
        assert page.evaluate(CHART_PROBLEMS) == [], f"{path} at 390 px"
        page.screenshot(path=str(screenshot_dir / f"{name}-390x844.png"), full_page=True)
        page.evaluate(axe_source)
        violations = page.evaluate(AXE_RUN)
        bad = [v for v in violations if v["impact"] in ("serious", "critical")]
        assert bad == [], f"axe on {path}: {bad}"
        page.set_viewport_size(PROJECTOR)
        settle_charts(page)  # the responsive charts redraw at the new size
        assert page.evaluate(CHART_PROBLEMS) == [], f"{path} at 1920 px"
        page.screenshot(path=str(screenshot_dir / f"{name}-1920x1080.png"))
        assert watch.errors == []
    finally:
        context.close()


# Every Plotly.relayout's promise (assets/charts.js waits on it) resolves `ms` later than the
# relayout itself: the chart's layout has changed, but charts.js still takes it to be changing.
SLOW_RELAYOUT = """(ms) => {
  const relayout = window.Plotly.relayout;
  window.Plotly.relayout = function (...args) {
    return relayout.apply(this, args).then(
      (value) => new Promise((resolve) => setTimeout(() => resolve(value), ms)));
  };
}"""


def test_a_chart_resized_while_changing_layout_ends_in_the_layout_for_its_width(
    browser, app_url: str
) -> None:
    """A window made wide again while a chart is still switching to its narrow layout (a
    phone turned sideways mid-change): once the switch is done the chart takes the wide
    layout. charts.js passes over a resize while it is busy; CI saw a chart stay narrow on a
    projector before it looked again after each switch."""
    from tests.e2e.conftest import ConsoleWatch

    context = browser.new_context(viewport=PROJECTOR)
    page = context.new_page()
    watch = ConsoleWatch(page)
    try:
        open_ready(page, f"{app_url}/trend?municipalities=0301,4601,5001")
        assert page.evaluate("() => !!document.querySelector('.js-plotly-plot').layout.meta.narrow")
        page.evaluate(SLOW_RELAYOUT, 1500)
        page.set_viewport_size(PHONE)
        page.wait_for_function(
            "() => document.querySelector('.js-plotly-plot').layout.meta.narrow_wide"
        )
        page.set_viewport_size(PROJECTOR)
        settle_charts(page)
        assert page.evaluate(
            "() => !document.querySelector('.js-plotly-plot').layout.meta.narrow_wide"
        )
        assert watch.errors == []
    finally:
        context.close()


def test_skip_link_and_toolbars_out_of_the_tab_order(page, app_url: str) -> None:
    open_ready(page, f"{app_url}/compare?focus=151&peers=similar")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "skip-link"
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    assert page.locator(".modebar-btn").count() > 0
    tabbable = page.eval_on_selector_all(
        ".modebar-btn", "bs => bs.filter(b => b.tabIndex >= 0).length"
    )
    assert tabbable == 0
    # From the content, Tab reaches the indicator first, then the other controls, then the
    # download button without passing through any chart.
    stops = []
    for _ in range(12):
        page.keyboard.press("Tab")
        stops.append(
            page.evaluate("() => document.activeElement.id || document.activeElement.className")
        )
    assert stops[0] == "compare-indicator"
    assert not any("modebar" in str(stop) for stop in stops)
    assert page.console_watch.errors == []


def focus_ring(page) -> tuple[str, str]:
    style, width = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineWidth]; }"
    )
    return style, width


def test_one_focus_ring_everywhere(page, app_url: str) -> None:
    open_ready(page, f"{app_url}/kommune/151?peers=similar")
    rings = {}
    page.keyboard.press("Tab")  # the skip link
    rings["skip link"] = focus_ring(page)
    page.keyboard.press("Tab")
    rings["link"] = focus_ring(page)
    page.focus("#municipality-picker")
    rings["dropdown"] = focus_ring(page)
    page.focus("#scorecard-card-employment_gap summary")
    rings["disclosure"] = focus_ring(page)
    page.focus("#municipality-compare-link")
    rings["onward link"] = focus_ring(page)
    assert set(rings.values()) == {("solid", "3px")}, rings
    assert page.console_watch.errors == []


def focused_option(page, slack: int = 0) -> dict:
    """The focused dropdown option's text, outline and whether it lies inside the open menu,
    read in the same step that finds it focused (the menu may re-render in between)."""
    return page.wait_for_function(
        """(slack) => {
            const option = document.activeElement.closest('.dash-options-list-option');
            if (option === null) return null;
            const box = option.getBoundingClientRect();
            const menu = option.closest('.dash-dropdown-content').getBoundingClientRect();
            const inside = box.top >= menu.top - slack && box.bottom <= menu.bottom + slack;
            const outline = getComputedStyle(option).outlineStyle;
            return {text: option.innerText, inside: inside, outline: outline};
        }""",
        arg=slack,
    ).json_value()


def test_typing_in_a_dropdown_with_a_value_searches(page, app_url: str) -> None:
    open_ready(page, f"{app_url}/compare?indicator=employment_gap&focus=151")
    page.focus("#compare-indicator")
    page.keyboard.press("Enter")  # opens the menu on the chosen option
    page.wait_for_selector(".dash-dropdown-content .dash-options-list-option")
    page.wait_for_function(
        "() => document.activeElement.closest('.dash-options-list-option') !== null"
    )
    page.keyboard.type("Higher")
    search = page.locator(".dash-dropdown-content input.dash-dropdown-search")
    assert search.input_value() == "Higher"
    page.keyboard.press("ArrowDown")
    option = focused_option(page)
    assert option["text"].startswith("Higher education") and option["inside"]
    assert option["outline"] == "solid"
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => new URLSearchParams(location.search).get('indicator') === 'higher_education_25_39'"
    )
    assert page.console_watch.errors == []


def test_long_list_keeps_the_highlighted_option_in_view(page, app_url: str) -> None:
    open_ready(page, f"{app_url}/compare?focus=151")
    page.focus("#compare-focus")
    page.keyboard.press("Enter")
    page.wait_for_selector(".dash-dropdown-content .dash-options-list-option")
    for _ in range(25):
        page.keyboard.press("ArrowDown")
    inside = focused_option(page, slack=1)["inside"]
    assert inside
    assert page.console_watch.errors == []


def test_municipality_pickers_have_no_select_all(page, app_url: str) -> None:
    open_ready(page, f"{app_url}/trend?municipalities=151,153")
    page.click("#trend-municipalities")
    page.wait_for_selector(".dash-dropdown-content .dash-options-list-option")
    select_all = page.locator(".dash-dropdown-action-button", has_text="Select All")
    assert select_all.count() == 1 and not select_all.is_visible()
    assert page.locator(".dash-dropdown-content .dash-options-list-option").first.is_visible()
    assert page.console_watch.errors == []


def test_caveats_and_rules_open_on_focus_and_on_tap(browser, app_url: str) -> None:
    """On a phone (touch): a tap opens a caveat. By keyboard: Tab onto a rule shows it, Tab
    away folds it, Enter while it shows keeps it open. No hover-only tooltip on the cards."""
    from tests.e2e.conftest import ConsoleWatch

    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    watch = ConsoleWatch(page)
    card = "#scorecard-card-employment_gap"
    caveat = f"{card} details.scorecard-caveat-details"
    try:
        open_ready(page, f"{app_url}/kommune/151?indicator=employment_gap&peers=similar")
        assert not page.eval_on_selector(caveat, "d => d.open")
        page.tap(f"{caveat} > summary")
        page.wait_for_function("(s) => document.querySelector(s).open", arg=caveat)
        assert page.locator(f"{caveat} .scorecard-rule").is_visible()
        assert page.locator(f"{card} [title]").count() == 0  # nothing only on hover

        rule = f"{card} details.scorecard-light-details"
        page.focus(f"{card} h3 a")
        page.keyboard.press("Tab")
        while not page.evaluate("(s) => document.activeElement.matches(s)", f"{rule} > summary"):
            page.keyboard.press("Tab")
        assert page.eval_on_selector(rule, "d => d.open")  # shown on focus
        page.keyboard.press("Tab")
        assert not page.eval_on_selector(rule, "d => d.open")  # folded when focus moves on
        page.keyboard.press("Shift+Tab")
        assert page.eval_on_selector(rule, "d => d.open")
        page.keyboard.press("Enter")  # kept open
        page.keyboard.press("Tab")
        assert page.eval_on_selector(rule, "d => d.open")
        assert watch.errors == []
    finally:
        context.close()
