/* The municipality pickers get their whole list when the reader turns to them
 * (components/picker.py, build_municipality_dropdown).
 *
 * A picker is drawn with the chosen municipalities as its only options; the whole list waits
 * in the `data-options` of a wrapper whose `data-options-for` names the dropdown. The first
 * focus, press or key inside the wrapper hands the list to the dropdown through Dash's
 * `dash_clientside.set_props` (as a callback's answer would), before the dropdown opens or
 * reads what is typed: focus comes before typing, and a press before the click that opens
 * it. dcc.Dropdown builds its search index then, not while the page's charts wait.
 */
(function () {
    "use strict";

    var filled = new WeakSet();

    function fill(event) {
        var target = event.target;
        var box = target && target.closest ? target.closest("[data-options-for]") : null;
        var api = window.dash_clientside;
        if (!box || filled.has(box) || !api || !api.set_props) {
            return;
        }
        var options;
        try {
            options = JSON.parse(box.getAttribute("data-options"));
        } catch (error) {
            return; // the short list stays: the chosen ones can still be seen and kept
        }
        api.set_props(box.getAttribute("data-options-for"), {options: options});
        filled.add(box); // after: a hand-over that failed is tried again at the next event
    }

    ["focusin", "pointerdown", "keydown"].forEach(function (kind) {
        document.addEventListener(kind, fill, true);
    });
})();
