"""Benchmark: how long each page takes to draw its charts in a browser, against a static page.

Builds a demo database in a temporary folder (with map boundaries from ../shared/data/geo when
that is there; not timed), starts `barometer serve` (gunicorn) on 127.0.0.1 and drives headless
Chromium:
1. A first visit to each page in harness.PAGES reads the figures its charts drew (data, layout
   and size of every Plotly graph with at least one trace). Pages without charts are listed
   and left out.
2. For each page with charts, a static HTML page with the same figures: plotly.min.js from the
   same server and URL the dashboard page uses (its own script tag when the page lists
   plotly.js, else the address dcc.Graph loads it from; same compression, same browser cache),
   then one
   Plotly.newPlot per figure at the same size with the same config (the map's base-map URL
   included), nothing else. It is handed to the browser at an address on the same origin by
   DevTools' Fetch domain for that address alone (serve_static_page: Playwright's routing
   would turn the HTTP cache off).
3. Both are timed from navigation start until every chart is drawn: Plotly.react (Dash) or
   Plotly.newPlot (static) has resolved for as many graphs as the page has, each with its
   number of traces (instrumented by wrapping those two functions when plotly.js loads).
   Cold: a new browser context (empty cache); warm: the same page again in that context once
   the network has been quiet for 500 ms (10 s at most; visits_not_settled counts the first
   visits that were not quiet by then), for every kind alike (its scripts from the browser's
   cache: *_warm_scripts_from_network counts any that were not, the most in any run). No
   timed visit has DevTools' network events on (the static page's one address is answered
   through DevTools' Fetch domain, 2.).
   RUNS of each, medians reported; Dash, static and bare Dash (5.) alternate so a busy
   machine hits all three.
   A dashboard page draws its first charts from its HTML (the first paint,
   serving/first_paint.py) with Plotly.newPlot, before Dash runs; Dash's app takes them over
   later. dash_warm_app_ms: when it did (components/chart.js's performance mark), on the warm
   visits: from then on the page's controls work.
4. First visit: the bytes on the wire (Chrome's encodedDataLength, headers included) of a
   first Dash visit of its own, untimed, in each run (first_visit_bytes). For warm Dash
   visits, how much of the time a callback request was in flight
   (dash_warm_callback_wait_ms): the part server-side callback work decides.
5. The same figures on a bare Dash page (benchmarks/bare_dash.py: one dcc.Graph per figure,
   nothing else), timed warm like the others: what Dash itself costs against the static page
   before any of the dashboard's own work (bare_warm_ratio).

Prints progress and, as its last line:
{"benchmark": "browser", "pages": {name: {...}}, "worst_ratio", "bare_dash_worst_ratio",
"bytes_transferred"}
worst_ratio = the largest warm ratio (Dash / static); bare_dash_worst_ratio the same for the
bare Dash pages; bytes_transferred = the largest first visit. Targets (issue 12): worst_ratio
<= 1.5 warm, first visit <= 2 MB. Not a test.
"""

from __future__ import annotations

import base64
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from benchmarks.harness import (
    PAGES,
    build_demo_data,
    free_port,
    launch_chromium,
    load_average,
    say,
    serving,
)

RUNS = int(os.environ.get("BENCH_RUNS", "5"))
# BENCH_PAGES=trend,map: only those pages (harness.PAGES names); all by default.
ONLY = [name for name in os.environ.get("BENCH_PAGES", "").split(",") if name]
TIMEOUT_MS = 60_000
SETTLE_MS = 10_000
# Where dcc.Graph loads plotly.js from when the page does not list it among its scripts.
PLOTLY_URL = "/_dash-component-suites/plotly/package_data/plotly.min.js"
PLOTLY_SCRIPT = re.compile(r'<script src="([^"]*/_dash-component-suites/plotly/[^"]*\.js)"')

# Run before any page script: wrap Plotly.react and Plotly.newPlot as plotly.js defines
# window.Plotly, and note the moment every expected graph has finished drawing.
INSTRUMENT = """
(() => {
  const expected = %s.slice().sort((a, b) => b - a);
  const done = new Map();
  window.__chartsDrawnAt = null;
  function finished(node) {
    if (!node || !node._fullData) return;
    done.set(node, node._fullData.length);
    const have = [...done.values()].sort((a, b) => b - a);
    if (window.__chartsDrawnAt === null && have.length >= expected.length &&
        expected.every((traces, i) => have[i] >= traces)) {
      window.__chartsDrawnAt = performance.now();
    }
  }
  function wrap(plotly, name) {
    const original = plotly[name];
    plotly[name] = function (gd, ...rest) {
      const node = typeof gd === 'string' ? document.getElementById(gd) : gd;
      const result = original.call(this, gd, ...rest);
      Promise.resolve(result).then(() => finished(node), () => {});
      return result;
    };
  }
  let value;
  Object.defineProperty(window, 'Plotly', {
    configurable: true,
    get() { return value; },
    set(plotly) { value = plotly; wrap(plotly, 'react'); wrap(plotly, 'newPlot'); },
  });
})();
"""

READ_FIGURES = """() => [...document.querySelectorAll('.js-plotly-plot')]
  .filter(gd => gd.data && gd.data.length && gd._fullData)
  .map(gd => ({
    data: gd.data, layout: gd.layout, traces: gd._fullData.length,
    config: JSON.parse(JSON.stringify(gd._context, (key, value) =>
      typeof value === 'function' || key === 'setBackground' ? undefined : value)),
    width: gd.offsetWidth, height: gd.offsetHeight,
  }))"""


def settled_figures(
    page: Any, quiet_ms: int = 1500, empty_ms: int = 8000, limit_ms: int = 30_000
) -> list[dict]:
    """The page's figures once nothing has changed for `quiet_ms` (callbacks can chain);
    a page is taken to have none only after `empty_ms` without any."""
    waited = 0
    last = None
    while waited < limit_ms:
        page.wait_for_load_state("networkidle")
        figures = page.evaluate(READ_FIGURES)
        shape = [f["traces"] for f in figures]
        if shape == last and (shape or waited >= empty_ms):
            return list(figures)
        last = shape
        page.wait_for_timeout(quiet_ms)
        waited += quiet_ms
    return list(figures)


def plotly_address(page_html: str) -> str:
    """The address the dashboard page loads plotly.js from."""
    listed = PLOTLY_SCRIPT.search(page_html)
    return listed.group(1) if listed else PLOTLY_URL


def static_page(figures: list[dict[str, Any]], plotly_url: str = PLOTLY_URL) -> str:
    """An HTML page drawing the figures with plotly.js (from `plotly_url`) and nothing else."""
    divs = "\n".join(
        f'<div id="chart{n}" style="width:{f["width"]}px;height:{f["height"]}px"></div>'
        for n, f in enumerate(figures)
    )
    payload = json.dumps(
        [{"data": f["data"], "layout": f["layout"], "config": f["config"]} for f in figures]
    )
    payload = payload.replace("</", "<\\/")
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>static</title>"
        f"<script src='{plotly_url}'></script></head><body>{divs}<script>"
        f"const figures = {payload};"
        "figures.forEach((f, n) => Plotly.newPlot('chart' + n, f.data, f.layout, f.config));"
        "</script></body></html>"
    )


# How long, until the charts were drawn, at least one callback request was in flight (the
# union of their intervals): the server's share of the wait.
CALLBACK_WAIT = """() => {
  const spans = performance.getEntriesByType('resource')
    .filter(r => r.name.includes('_dash-update-component') && r.startTime < window.__chartsDrawnAt)
    .map(r => [r.startTime, Math.min(r.responseEnd, window.__chartsDrawnAt)])
    .sort((a, b) => a[0] - b[0]);
  let total = 0, end = 0;
  for (const [start, stop] of spans) {
    if (stop > end) { total += stop - Math.max(start, end); end = stop; }
  }
  return total;
}"""


# Scripts and style sheets of the visit that came over the network rather than from the
# browser's cache (transferSize 0 = from the cache; a revalidation counts as network): on a
# warm visit this should be 0, or the warm figures are not warm.
FROM_NETWORK = """() => performance.getEntriesByType('resource')
  .filter(r => /[.](js|css)([?]|$)/.test(r.name) && r.transferSize > 0).length"""


def serve_static_page(cdp: Any, address: str, html: str) -> None:
    """Answer requests for `address` with `html` in the browser itself (DevTools' Fetch
    domain, for that one address), leaving the HTTP cache on: Playwright's own request routing
    turns the cache off for the whole context (microsoft/playwright issue 7220, "Is there any
    way to enable http cache when using route?"), which made every "warm" visit download
    every script again."""
    body = base64.b64encode(html.encode()).decode()

    def answer(event: dict[str, Any]) -> None:
        cdp.send(
            "Fetch.fulfillRequest",
            {
                "requestId": event["requestId"],
                "responseCode": 200,
                "responseHeaders": [{"name": "Content-Type", "value": "text/html; charset=utf-8"}],
                "body": body,
            },
        )

    cdp.on("Fetch.requestPaused", answer)
    cdp.send("Fetch.enable", {"patterns": [{"urlPattern": address, "requestStage": "Request"}]})


# When Dash's app took over a dashboard page from its first paint (components/chart.js marks
# it), so that its controls work; a page without a first paint has none.
HANDED_OVER = """() => {
  if (document.getElementById('first-paint')) return null;
  const mark = performance.getEntriesByName('barometer:first-paint-handed-over')[0];
  return mark ? mark.startTime : -1;
}"""


def timed_visit(
    page: Any, address: str, waits: list[float] | None = None, handed: list[float] | None = None
) -> float:
    """Milliseconds from navigation start until the instrumented charts are all drawn."""
    page.goto(address, wait_until="commit")
    page.wait_for_function("() => window.__chartsDrawnAt !== null", timeout=TIMEOUT_MS)
    drawn = float(page.evaluate("() => window.__chartsDrawnAt"))
    if waits is not None:
        waits.append(float(page.evaluate(CALLBACK_WAIT)))
    if handed is not None:
        at = page.wait_for_function(HANDED_OVER, timeout=TIMEOUT_MS).json_value()
        handed.append(float(at) if at >= 0 else drawn)
    return drawn


def settle(page: Any) -> bool:
    """Wait, after a first visit, until the network has been quiet for 500 ms, as long as
    SETTLE_MS at most; whether it was. Every kind settles this way before its warm visit, so
    the browser's work left from the first visit (caching what it fetched) is timed for none of
    them; bounded, because one run of an earlier version waited forever on one page."""
    try:
        page.wait_for_load_state("networkidle", timeout=SETTLE_MS)
    except PlaywrightTimeoutError:
        return False
    return True


def first_visit_bytes(browser: Any, address: str) -> int:
    """Bytes on the wire (Chrome's encodedDataLength, headers included) of a first visit to
    `address` in a new context (empty cache), counted until the network is quiet. A visit of
    its own, not timed: DevTools' network events, which these counts need, would slow a timed
    visit and only the Dash page's (the static page has nothing to count)."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    wire: dict[str, int] = {}
    cdp.send("Network.enable")
    cdp.on(
        "Network.loadingFinished",
        lambda event: wire.__setitem__(event["requestId"], int(event["encodedDataLength"])),
    )
    page.goto(address, wait_until="networkidle", timeout=TIMEOUT_MS)
    context.close()
    return sum(wire.values())


def measure_page(
    browser: Any,
    url: str,
    path: str,
    figures: list[dict],
    plotly_url: str = PLOTLY_URL,
    bare_address: str | None = None,
) -> dict[str, Any]:
    expected = [f["traces"] for f in figures]
    static_address = f"{url}/__static_benchmark_page.html"
    html = static_page(figures, plotly_url)
    kinds = ("dash", "static", "bare") if bare_address else ("dash", "static")
    times: dict[str, list[float]] = {key: [] for key in kinds}
    warm: dict[str, list[float]] = {key: [] for key in kinds}
    first_bytes: list[int] = []
    fetched: dict[str, list[int]] = {key: [] for key in kinds}
    callback_waits: list[float] = []
    handed_over: list[float] = []
    unsettled = 0
    for _ in range(RUNS):
        first_bytes.append(first_visit_bytes(browser, url + path))
        for kind in kinds:
            context = browser.new_context(viewport={"width": 1600, "height": 1000})
            context.add_init_script(script=INSTRUMENT % json.dumps(expected))
            page = context.new_page()
            if kind == "static":
                serve_static_page(context.new_cdp_session(page), static_address, html)
            address = {"dash": url + path, "static": static_address}.get(kind) or bare_address
            assert address is not None
            times[kind].append(timed_visit(page, address))
            if not settle(page):
                unsettled += 1
            waits = callback_waits if kind == "dash" else None
            handed = handed_over if kind == "dash" else None
            warm[kind].append(timed_visit(page, address, waits, handed))
            fetched[kind].append(int(page.evaluate(FROM_NETWORK)))
            context.close()
    result: dict[str, Any] = {
        "charts": len(figures),
        "dash_cold_ms": round(statistics.median(times["dash"])),
        "static_cold_ms": round(statistics.median(times["static"])),
        "dash_warm_ms": round(statistics.median(warm["dash"])),
        "static_warm_ms": round(statistics.median(warm["static"])),
        "first_visit_bytes": int(statistics.median(first_bytes)),
        "dash_warm_callback_wait_ms": round(statistics.median(callback_waits)),
        "dash_warm_app_ms": round(statistics.median(handed_over)),
        "dash_warm_scripts_from_network": max(fetched["dash"]),
        "static_warm_scripts_from_network": max(fetched["static"]),
        "visits_not_settled": unsettled,
    }
    result["cold_ratio"] = round(result["dash_cold_ms"] / result["static_cold_ms"], 2)
    result["warm_ratio"] = round(result["dash_warm_ms"] / result["static_warm_ms"], 2)
    if bare_address:
        result["bare_warm_ms"] = round(statistics.median(warm["bare"]))
        result["bare_warm_ratio"] = round(result["bare_warm_ms"] / result["static_warm_ms"], 2)
    return result


def with_inline_geojson(figures: list[dict], url: str) -> list[dict]:
    """The figures with each map boundary address ("geojson": "/geo/...") replaced by the
    boundaries it names, fetched from the dashboard: the bare Dash app runs on another port,
    where that address does not exist."""
    fetched: dict[str, Any] = {}
    out = json.loads(json.dumps(figures))
    for figure in out:
        for trace in figure["data"]:
            address = trace.get("geojson")
            if isinstance(address, str) and address.startswith("/"):
                if address not in fetched:
                    fetched[address] = requests.get(url + address, timeout=60).json()
                trace["geojson"] = fetched[address]
    return out


@contextmanager
def bare_dash(figures_file: Path) -> Iterator[str]:
    """benchmarks/bare_dash.py on a free loopback port until the block ends."""
    port = free_port()
    child = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.bare_dash", str(port), str(figures_file)],
        cwd=Path(__file__).resolve().parents[1],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                requests.get(f"{url}/_favicon.ico", timeout=5)
                break
            except requests.ConnectionError:
                if child.poll() is not None:
                    raise RuntimeError("the bare Dash app did not start") from None
                time.sleep(0.2)
        yield url
    finally:
        child.terminate()
        child.wait(timeout=30)


def main() -> None:
    from playwright.sync_api import sync_playwright

    say(f"load average before: {load_average()}")
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder) / "data"
        build_demo_data(data_dir)
        with serving(data_dir) as (url, _, _), sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            charted: dict[str, tuple[list[dict], str]] = {}
            for name, path in PAGES.items():
                if ONLY and name not in ONLY:
                    continue
                context = browser.new_context(viewport={"width": 1600, "height": 1000})
                page = context.new_page()
                response = page.goto(url + path)
                figures = settled_figures(page)
                plotly_url = plotly_address(response.text() if response else "")
                context.close()
                if figures:
                    charted[name] = (figures, plotly_url)
                else:
                    say(f"{name} ({path}): no charts, left out")
            figures_file = Path(folder) / "figures.json"
            bare = {name: with_inline_geojson(f, url) for name, (f, _) in charted.items()}
            figures_file.write_text(json.dumps(bare))
            with bare_dash(figures_file) as bare_url:
                for name, (figures, plotly_url) in charted.items():
                    results[name] = measure_page(
                        browser, url, PAGES[name], figures, plotly_url, f"{bare_url}/?page={name}"
                    )
                    say(f"{name} ({PAGES[name]}): {json.dumps(results[name])}")
            browser.close()
    say(f"load average after: {load_average()}")
    summary = {
        "benchmark": "browser",
        "pages": results,
        "worst_ratio": max(r["warm_ratio"] for r in results.values()),
        "bare_dash_worst_ratio": max(r["bare_warm_ratio"] for r in results.values()),
        "bytes_transferred": max(r["first_visit_bytes"] for r in results.values()),
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
