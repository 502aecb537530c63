/*
 * The one piece of Dash's polyfill bundle (@babel/polyfill 7: core-js 2 and regenerator-runtime)
 * our pages need: `regeneratorRuntime`, which Dash's renderer and dcc call when a lazily loaded
 * component's code has arrived (their asyncDecorator, a Babel-compiled async function:
 * `regeneratorRuntime.mark(function () { return regeneratorRuntime.wrap(function (t) {
 * switch (t.prev = t.next) { case 0: return t.next = 2, ready(true); case 2: ...;
 * case "end": return t.stop(); } }) })`).
 *
 * app.py leaves the polyfill bundle out (UNUSED_SCRIPTS): in today's browsers core-js 2 adds
 * nothing they lack, yet it swaps String.prototype.trim and trimStart, parseInt and parseFloat
 * for slower versions of its own (its feature test expects U+180E to count as white space,
 * which Unicode 6.3 ended), and plotly.js calls those while it draws every chart.
 *
 * Babel's regenerator transform turns a generator's body into a function of a context object
 * that runs from `context.next` (a case label) to the next `return`: the value it returns is
 * the one yielded, unless the body called `context.stop()` (finished; the value is the
 * generator's result). `context.abrupt("return", value)` jumps to the "end" label. Only what
 * Dash's bundles use is here; try/catch/finally and `yield*` inside a compiled generator
 * (a list of try locations, context.catch, finish, delegateYield) fail with a message naming
 * this file.
 */
(function () {
  'use strict';
  if (window.regeneratorRuntime) return;

  const JUMP = {};

  function unsupported(what) {
    return function () {
      throw new Error('assets/regenerator.js does not support ' + what + ' in a compiled generator');
    };
  }

  function wrap(body, outer, self, tryLocations) {
    if (tryLocations && tryLocations.length) unsupported('try/catch')();
    const context = {
      prev: 0,
      next: 0,
      sent: undefined,
      done: false,
      result: undefined,
      stop() {
        this.done = true;
        return this.result;
      },
      abrupt(kind, value) {
        if (kind === 'throw') throw value;
        if (kind === 'return') {
          this.result = value;
          this.next = 'end';
        } else {
          this.next = value; // "break" and "continue" name the label to go on from
        }
        return JUMP;
      },
      catch: unsupported('try/catch'),
      finish: unsupported('try/finally'),
      delegateYield: unsupported('yield*'),
    };

    function resume(value) {
      if (context.done) return { value: undefined, done: true };
      context.sent = value;
      for (;;) {
        let out;
        try {
          out = body.call(self, context);
        } catch (error) {
          context.done = true; // a generator that threw is finished
          throw error;
        }
        if (out !== JUMP) return { value: out, done: context.done };
      }
    }

    return {
      next: resume,
      throw(error) {
        context.done = true;
        throw error;
      },
      return(value) {
        context.done = true;
        return { value: value, done: true };
      },
      [Symbol.iterator]() {
        return this;
      },
    };
  }

  window.regeneratorRuntime = { mark: (generatorFunction) => generatorFunction, wrap: wrap };
})();
