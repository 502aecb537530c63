"""In the browser: a page's charts are drawn from its HTML before Dash runs (the first paint,
serving/first_paint.py) and Dash's Chart takes them over without drawing them again
(components/chart.js); a chart on a page reached by a link is drawn by Chart itself."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

# Count Plotly's drawing calls and mark the nodes the first paint drew (wraps Plotly.newPlot and
# Plotly.react as plotly.js defines window.Plotly).
COUNT_DRAWING = """
(() => {
  window.__drawing = {newPlot: 0, react: 0};
  let value;
  Object.defineProperty(window, 'Plotly', {
    configurable: true,
    get() { return value; },
    set(plotly) {
      value = plotly;
      for (const name of ['newPlot', 'react']) {
        const original = plotly[name];
        plotly[name] = function (gd, ...rest) {
          window.__drawing[name] += 1;
          if (name === 'newPlot' && gd && gd.closest && gd.closest('#first-paint')) {
            gd.__firstPaint = true;
          }
          return original.call(this, gd, ...rest);
        };
      }
    },
  });
})();
"""

TAKEN_OVER = """() => !document.getElementById('first-paint') &&
  [...document.querySelectorAll('#react-entry-point .js-plotly-plot')].length > 0 &&
  [...document.querySelectorAll('#react-entry-point .js-plotly-plot')].every(g => g._fullData)"""


def test_charts_drawn_from_the_html_are_taken_over_not_drawn_again(browser, app_url) -> None:
    from tests.e2e.conftest import ConsoleWatch

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(script=COUNT_DRAWING)
    page = context.new_page()
    watch = ConsoleWatch(page)
    try:
        page.goto(f"{app_url}/kommune/151?lang=da")
        page.wait_for_function(TAKEN_OVER)
        page.wait_for_load_state("networkidle")
        charts = page.evaluate(
            "[...document.querySelectorAll('#react-entry-point .js-plotly-plot')]"
            ".map(g => Boolean(g.__firstPaint))"
        )
        assert len(charts) >= 9 and all(charts)
        handed = "performance.getEntriesByName('barometer:first-paint-handed-over').length"
        assert page.evaluate(handed) == 1
        drawing = page.evaluate("window.__drawing")
        assert drawing == {"newPlot": len(charts), "react": 0}
        # One page, no copy left: no id twice, the app shown, the toolbar in Danish.
        assert page.evaluate("document.querySelectorAll('[id=\"municipality-chart\"]').length") == 1
        assert page.is_visible("#municipality-chart .main-svg")
        page.hover("#municipality-chart .main-svg")
        assert page.get_attribute("#municipality-chart .modebar-btn", "data-title")
        assert watch.errors == []
    finally:
        context.close()


def test_the_first_paint_shows_the_page_and_its_charts_before_dash_runs(browser, app_url) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    # Without Dash's renderer the app never draws: what shows is the first paint alone.
    page.route("**/dash_renderer*", lambda route: route.abort())
    try:
        page.goto(f"{app_url}/trend")
        page.wait_for_selector("#first-paint .main-svg", state="visible")
        assert page.evaluate("document.getElementById('first-paint').inert") is True
        assert page.is_hidden("#react-entry-point")
        assert "Trends over time" in page.inner_text("#first-paint h1")
        # No id of the page twice (inside a chart, Plotly's own ids for its clip paths)
        ids = "[...document.querySelectorAll('#first-paint [id]')]"
        assert page.evaluate(f"{ids}.filter(e => !e.closest('.js-plotly-plot')).length") == 0
    finally:
        context.close()


def test_a_chart_on_a_page_reached_by_a_link_is_drawn_by_chart(page, app_url) -> None:
    page.goto(f"{app_url}/")
    page.wait_for_selector("nav a[href^='/trend']")
    assert page.evaluate("typeof window.Plotly") == "undefined"  # the home page has no chart
    page.click("nav a[href^='/trend']")
    page.wait_for_function(
        "() => { const g = document.querySelector('#trend-chart .js-plotly-plot');"
        " return g && g._fullData && g._fullData.length > 0; }"
    )
    assert page.evaluate("document.getElementById('first-paint')") is None
    assert page.console_watch.errors == []
