"""In the browser: pages run without Dash's polyfill bundle (app.py UNUSED_SCRIPTS), so the
browser's own string and number functions are the ones plotly.js calls, and Dash's lazily
loaded components still arrive through assets/regenerator.js."""

from __future__ import annotations

import pytest

from tests.e2e.test_first_layout import CHARTS_DRAWN

pytestmark = pytest.mark.browser

# Which functions are not the browser's own: read through a fresh frame's
# Function.prototype.toString, which no script of the page has touched (core-js 2 also
# replaces the page's toString, so that its own functions claim to be native code).
REPLACED = """() => {
  const frame = document.createElement('iframe');
  document.body.appendChild(frame);
  const source = frame.contentWindow.Function.prototype.toString;
  const checked = {
    'String.prototype.trim': String.prototype.trim,
    'String.prototype.trimStart': String.prototype.trimStart,
    'String.prototype.trimEnd': String.prototype.trimEnd,
    'parseInt': parseInt,
    'parseFloat': parseFloat,
    'Function.prototype.toString': Function.prototype.toString,
  };
  const replaced = Object.keys(checked).filter(
    (name) => !source.call(checked[name]).includes('[native code]'));
  frame.remove();
  return replaced;
}"""


def test_pages_run_on_the_browsers_own_functions(page, app_url) -> None:
    for path in ("/trend", "/kommune/0301"):
        page.goto(f"{app_url}{path}")
        page.wait_for_function(CHARTS_DRAWN)
        # The graph's and the dropdown's code are loaded lazily (dcc's asyncDecorator, which
        # runs through regeneratorRuntime): both drawn means the stand-in works.
        assert page.locator(".js-plotly-plot .main-svg").count() > 0
        assert page.locator(".dash-dropdown").count() > 0
        assert page.evaluate(REPLACED) == [], path
        assert page.evaluate("Object.keys(window.regeneratorRuntime).sort()") == ["mark", "wrap"]
        assert page.evaluate("typeof window.setImmediate") == "undefined"  # core-js's is gone
    assert page.console_watch.errors == []


# A generator as Babel's regenerator transform writes it (the shape of the one in Dash's
# asyncDecorator, with a second yield and an early return), run the way Babel's
# asyncToGenerator helper runs it.
GENERATOR = """async () => {
  const runtime = window.regeneratorRuntime;
  const seen = [];
  const make = runtime.mark(function outer() {
    return runtime.wrap(function (t) {
      for (;;) switch (t.prev = t.next) {
        case 0: t.next = 2; return 'first';
        case 2: seen.push(t.sent); t.next = 4; return 'second';
        case 4: seen.push(t.sent); return t.abrupt('return', 'result');
        case 6: seen.push('after the return');
        case 'end': return t.stop();
      }
    }, outer, this);
  });
  const steps = [];
  const it = make();
  steps.push(it.next(), it.next(1), it.next(2), it.next(3));

  function run(generatorFunction) {
    return new Promise((resolve, reject) => {
      const gen = generatorFunction();
      function step(key, arg) {
        let info;
        try { info = gen[key](arg); } catch (error) { reject(error); return; }
        if (info.done) resolve(info.value);
        else Promise.resolve(info.value).then((v) => step('next', v), (e) => step('throw', e));
      }
      step('next');
    });
  }
  const awaited = await run(runtime.mark(function outer() {
    return runtime.wrap(function (t) {
      for (;;) switch (t.prev = t.next) {
        case 0: t.next = 2; return Promise.resolve(20);
        case 2: return t.abrupt('return', t.sent + 1);
        case 'end': return t.stop();
      }
    }, outer, this);
  }));
  let refused = null;
  try {
    runtime.wrap(function (t) { return t.catch(0); }).next();
  } catch (error) { refused = error.message; }
  let refusedAtOnce = null;
  try {
    runtime.wrap(function (t) { return t.stop(); }, null, null, [[0, 2]]);
  } catch (error) { refusedAtOnce = error.message; }
  let afterThrow = null;
  const failing = runtime.wrap(function (t) { throw new Error('inside'); });
  try { failing.next(); } catch (error) { afterThrow = failing.next().done; }
  let rethrown = null;
  try { make().throw(new Error('from outside')); } catch (error) { rethrown = error.message; }
  const shown = steps.map((s) => [s.value === undefined ? 'undefined' : s.value, s.done]);
  return {steps: shown, seen, awaited, refused, refusedAtOnce, afterThrow, rethrown};
}"""


def test_the_regenerator_stand_in_runs_babels_generators(page, app_url) -> None:
    page.goto(f"{app_url}/trend")
    page.wait_for_function(CHARTS_DRAWN)
    result = page.evaluate(GENERATOR)
    assert result["steps"] == [
        ["first", False],
        ["second", False],
        ["result", True],
        ["undefined", True],
    ]
    assert result["seen"] == [1, 2]
    assert result["awaited"] == 21
    assert "assets/regenerator.js does not support try/catch" in result["refused"]
    assert "assets/regenerator.js does not support try/catch" in result["refusedAtOnce"]
    assert result["afterThrow"] is True  # a generator that threw is finished
    assert result["rethrown"] == "from outside"
    assert page.console_watch.errors == []
