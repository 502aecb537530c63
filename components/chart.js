/* Charts: drawn as soon as plotly.js has loaded, then taken over by the dashboard.
 *
 * 1. First paint. The server writes a page that has charts twice: the plain HTML of its first
 *    layout in #first-paint, with the charts' figures in #first-paint-figures
 *    (serving/first_paint.py), and Dash's own app beside it, hidden until it is drawn (style.css).
 *    This file comes before plotly.min.js, and the line after that calls barometerFirstPaint, so
 *    each chart in #first-paint is drawn before the dashboard's other scripts have even run, as
 *    on a static page with the same figures.
 * 2. Chart, the dashboard's chart component (components/chart.py). When Dash draws a Chart
 *    whose figure and config are those of a chart drawn in 1., it takes that chart (the node,
 *    with Plotly's state) instead of drawing it again. Once Dash has drawn the page
 *    (#_pages_content has its children), the taken charts move into their Charts, #first-paint
 *    is removed and Dash's app shown, in one frame; charts not taken are let go.
 *    Any other time (a page reached by a link, a new figure from a callback), Chart draws with
 *    Plotly.react, loading plotly.js first where the page has not (its address is this
 *    script's data-plotly attribute).
 *
 * A Chart keeps its size with its box (ResizeObserver -> Plotly.Plots.resize), as dcc.Graph does;
 * a chart drawn while Dash's app was hidden takes its size so when the app is shown.
 */
(function () {
    "use strict";

    var script = document.currentScript;
    var plotlyURL = script ? script.getAttribute("data-plotly") : null;
    var painted = []; // {key, node} drawn in #first-paint, not yet taken
    var taken = []; // {box, node} taken by a Chart, moved into it at the swap
    var swapped = false;
    var HANDED_OVER = "barometer:first-paint-handed-over";

    function figureKey(figure, config) {
        figure = figure || {};
        return JSON.stringify([figure.data || [], figure.layout || {}, config || {}]);
    }

    // A chart drawn narrower than its layout's meta.narrow_below is drawn at once in the
    // narrow layout its figure carries (assets/charts.js explains it and switches charts later:
    // it finds this one already narrow, its wide values kept in meta.narrow_wide as it keeps
    // them). One drawing instead of a wide one and a relayout, which in this order left a
    // phone's legend over the axis labels.
    function pathOf(path) {
        return path.replace(/\[(\d+)\]/g, ".$1").split(".");
    }

    function narrowed(layout, width) {
        var meta = layout.meta;
        var narrow = meta && meta.narrow;
        if (!narrow || !width || width >= (meta.narrow_below || 560)) {
            return layout;
        }
        var copy = JSON.parse(JSON.stringify(layout));
        var wide = {};
        Object.keys(narrow).forEach(function (path) {
            var parts = pathOf(path);
            var here = copy;
            for (var i = 0; i < parts.length - 1; i++) {
                if (here[parts[i]] === null || typeof here[parts[i]] !== "object") {
                    here[parts[i]] = {};
                }
                here = here[parts[i]];
            }
            var last = parts[parts.length - 1];
            wide[path] = here[last] === undefined ? null : here[last];
            here[last] = JSON.parse(JSON.stringify(narrow[path]));
        });
        copy.meta.narrow_wide = wide;
        return copy;
    }

    var started = false;

    function firstPaint() {
        var source = document.getElementById("first-paint-figures");
        var holder = document.getElementById("first-paint");
        if (started || !source || !holder || !window.Plotly) {
            return;
        }
        started = true;
        var figures = JSON.parse(source.textContent);
        var nodes = holder.querySelectorAll("[data-first-paint-chart]");
        figures.forEach(function (item, n) {
            var node = nodes[n];
            if (!node) {
                return;
            }
            // The key first: Plotly adds to the objects it is given.
            painted.push({key: figureKey(item.figure, item.config), node: node});
            var layout = narrowed(item.figure.layout || {}, node.clientWidth);
            window.Plotly.newPlot(node, item.figure.data || [], layout, item.config || {});
        });
    }

    function take(figure, config) {
        if (swapped || !painted.length) {
            return null;
        }
        var key = figureKey(figure, config);
        for (var i = 0; i < painted.length; i++) {
            if (painted[i].key === key) {
                return painted.splice(i, 1)[0].node;
            }
        }
        return null;
    }

    function swap() {
        if (swapped) {
            return;
        }
        swapped = true;
        taken.forEach(function (item) {
            item.box.appendChild(item.node);
        });
        taken = [];
        painted.forEach(function (item) {
            if (window.Plotly) {
                window.Plotly.purge(item.node);
            }
        });
        painted = [];
        var holder = document.getElementById("first-paint");
        if (holder) {
            holder.remove();
            // When the page's controls began to work (benchmarks/browser.py reads it).
            window.performance.mark(HANDED_OVER);
        }
    }

    // Dash has drawn the page when its page container has children; two frames later (a
    // lazily loaded component, a dropdown, has its turn) the page is swapped in. Should Dash
    // never draw it (its layout did not arrive), its own message shows after SHOW_DASH_AFTER.
    var SHOW_DASH_AFTER = 10000;

    function watchForDash() {
        var root = document.getElementById("react-entry-point");
        if (!document.getElementById("first-paint") || !root) {
            swapped = true;
            return;
        }
        var observer = new MutationObserver(function () {
            var content = document.getElementById("_pages_content");
            if (content && content.firstElementChild) {
                observer.disconnect();
                window.requestAnimationFrame(function () {
                    window.requestAnimationFrame(swap);
                });
            }
        });
        observer.observe(root, {childList: true, subtree: true});
        window.setTimeout(function () {
            observer.disconnect();
            swap();
        }, SHOW_DASH_AFTER);
    }

    var loading = null;

    function plotlyReady() {
        if (window.Plotly) {
            return Promise.resolve(window.Plotly);
        }
        if (!loading) {
            loading = new Promise(function (resolve, reject) {
                var tag = document.createElement("script");
                tag.src = plotlyURL;
                tag.onload = function () {
                    resolve(window.Plotly);
                };
                tag.onerror = reject;
                document.head.appendChild(tag);
            });
        }
        return loading;
    }

    function Chart(props) {
        var React = window.React;
        var box = React.useRef(null);
        var chart = React.useRef(null);
        var shown = React.useRef(null); // [figure, config] on the chart

        React.useLayoutEffect(function () {
            var node = take(props.figure, props.config);
            if (node) {
                chart.current = node;
                shown.current = [props.figure, props.config];
                if (swapped) {
                    box.current.appendChild(node);
                } else {
                    taken.push({box: box.current, node: node});
                }
            } else {
                chart.current = document.createElement("div");
                chart.current.style.width = "100%";
                chart.current.style.height = "100%";
                box.current.appendChild(chart.current);
            }
            var pending = false;
            var resizer = new ResizeObserver(function () {
                if (pending) {
                    return;
                }
                pending = true;
                window.requestAnimationFrame(function () {
                    pending = false;
                    var node = chart.current;
                    if (window.Plotly && node && node._fullLayout && node.offsetWidth) {
                        window.Plotly.Plots.resize(node);
                    }
                });
            });
            resizer.observe(box.current);
            return function () {
                resizer.disconnect();
                if (window.Plotly && chart.current) {
                    window.Plotly.purge(chart.current);
                }
            };
        }, []);

        React.useEffect(function () {
            var now = shown.current;
            if (now && now[0] === props.figure && now[1] === props.config) {
                return;
            }
            shown.current = [props.figure, props.config];
            var figure = props.figure || {};
            plotlyReady().then(function (Plotly) {
                if (chart.current && shown.current[0] === figure) {
                    Plotly.react(chart.current, {
                        data: figure.data || [],
                        layout: figure.layout || {},
                        frames: figure.frames,
                        config: props.config || {},
                    });
                }
            });
        }, [props.figure, props.config]);

        var className = "dash-graph" + (props.className ? " " + props.className : "");
        return React.createElement("div", {
            id: props.id,
            className: className,
            style: props.style,
            ref: box,
        });
    }

    window.barometer_components = Object.assign(window.barometer_components || {}, {
        Chart: Chart,
    });
    window.barometerFirstPaint = firstPaint;
    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", watchForDash);
    } else {
        watchForDash();
    }
})();
