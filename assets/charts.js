/* Charts on a phone: a figure may carry a layout for narrow screens.
 *
 * The server cannot know how wide a reader's screen is, so a figure built for a wide one may
 * carry, in `layout.meta.narrow`, the changes that make it readable in a narrow chart
 * (components/charts.py, narrow_layout: shorter lines in the title, event numbers instead of
 * event names, no names at the lines' ends, smaller margins). When a chart is drawn narrower
 * than `layout.meta.narrow_below` pixels, those changes are applied with Plotly.relayout; the
 * values they replaced are kept (in the layout's meta) and put back when the chart grows wider
 * again (a phone turned sideways, a window widened). A new figure from the server is wide.
 *
 * Plotly fires "plotly_afterplot" after every drawing, also after a resize by its responsive
 * mode (dcc.Graph's config `responsive`); each chart is looked at then.
 */
(function () {
    "use strict";

    var DEFAULT_BELOW = 560;

    function valueAt(layout, path) {
        var here = layout;
        var parts = path.replace(/\[(\d+)\]/g, ".$1").split(".");
        for (var i = 0; i < parts.length; i++) {
            if (here === null || typeof here !== "object") {
                return null;
            }
            here = here[parts[i]];
        }
        // null asks Plotly.relayout to go back to its default
        return here === undefined ? null : JSON.parse(JSON.stringify(here));
    }

    function adapt(chart) {
        var layout = chart.layout;
        var meta = layout && layout.meta;
        var narrow = meta && meta.narrow;
        if (!narrow || !window.Plotly || !chart.clientWidth) {
            return;
        }
        // The layout says which it is: a figure from the server is wide (it has no
        // narrow_wide); the values a narrow layout replaced are kept in it.
        var below = meta.narrow_below || DEFAULT_BELOW;
        var wanted = chart.clientWidth < below;
        var isNarrow = Boolean(meta.narrow_wide);
        if (wanted === isNarrow || chart.barometerBusy) {
            return;
        }
        var update;
        if (wanted) {
            var wide = {};
            Object.keys(narrow).forEach(function (key) {
                wide[key] = valueAt(layout, key);
            });
            update = Object.assign({}, narrow, {"meta.narrow_wide": wide});
        } else {
            update = Object.assign({}, meta.narrow_wide, {"meta.narrow_wide": null});
        }
        chart.barometerBusy = true;
        // A resize while this relayout runs is passed over above (its "plotly_afterplot"
        // comes while busy): look at the width again once it is done, or a phone turned
        // sideways mid-change keeps the narrow layout on a wide chart.
        function done() {
            chart.barometerBusy = false;
            adapt(chart);
        }
        window.Plotly.relayout(chart, update).then(done, function () {
            chart.barometerBusy = false;
        });
    }

    function watch() {
        var charts = document.querySelectorAll(".js-plotly-plot");
        for (var i = 0; i < charts.length; i++) {
            var chart = charts[i];
            if (!chart.barometerWatched && typeof chart.on === "function") {
                chart.barometerWatched = true;
                chart.on("plotly_afterplot", adapt.bind(null, chart));
                adapt(chart);
            }
        }
    }

    var pending = false;
    var observer = new MutationObserver(function () {
        if (!pending) {
            pending = true;
            window.requestAnimationFrame(function () {
                pending = false;
                watch();
            });
        }
    });

    function start() {
        watch();
        observer.observe(document.body, {subtree: true, childList: true});
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();
