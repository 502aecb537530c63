/* Keyboard and screen-reader repairs for Dash 4's dropdowns and Plotly's toolbar.
 *
 * Served by Dash from assets/ (same origin, so the Content-Security-Policy allows it). Each
 * repair is applied to every matching element now and to every one added later (Dash draws
 * pages and Plotly redraws toolbars after load), through one MutationObserver.
 *
 * What Dash 4.4's dcc.Dropdown does (its source, src/fragments/Dropdown.tsx, is in the
 * package's async-dropdown.js.map) and what this file changes:
 * - Tab lands on a hidden read-only <input aria-hidden="true" tabindex="0"> that forwards
 *   focus to the real trigger <button tabindex="-1"> (a Safari workaround). A focusable
 *   element inside aria-hidden is axe's "aria-hidden-focus": here the button itself is in the
 *   tab order and the hidden input is not (the component resets it to 0 on blur, so the
 *   observer watches the attribute).
 * - The trigger is named by aria-labelledby="<id>-value-count <id>-value", which drops the
 *   page's <label for=id>, reads "2 selected" before the names shown, and does not match
 *   what is seen once long values are cut off with an ellipsis (axe:
 *   label-content-name-mismatch): here the <label> names it and the value and count describe
 *   it (aria-describedby), read after the name.
 * - With a value chosen, opening the menu puts focus on the chosen option, and typed letters
 *   went nowhere: here a printable key pressed on an option moves focus to the menu's search
 *   box first, so the letter is typed there, starting a new search (in a multi-select, after
 *   choosing one name, typing looks for the next).
 * - The option with keyboard focus is scrolled into view (CSS draws its focus ring).
 * - "Select All" of a multi-select is rendered for every multi dropdown (no prop turns it
 *   off); the municipality pickers hide it in CSS (.no-select-all, assets/style.css).
 * dcc.RadioItems and dcc.Checklist (src/components/RadioItems.tsx, Checklist.tsx and
 * src/utils/optionRendering.tsx in dash_core_components.js.map) draw their inputs inside
 * role="listbox" and
 * <label role="option" aria-selected>, an option holding a focusable radio (axe:
 * nested-interactive, and a listbox without a name: aria-input-field-name). Here the group
 * is a radiogroup named by its visible label (<label for=id>, or the aria-labelledby of a
 * surrounding role="group"; a checklist is a plain group), and the labels are plain labels
 * again: the native radios and checkboxes say which is chosen.
 * Plotly's toolbar (modebar) buttons are <button>s, ten per chart; they are taken out of the
 * tab order (tabindex -1) so Tab moves between the page's own controls. The chart's numbers
 * are in the table and the CSV beside each chart.
 */
(function () {
    "use strict";

    function fixDropdown(button) {
        var input = button.previousElementSibling;
        if (input && input.classList.contains("dash-dropdown-focus-target")) {
            if (input.getAttribute("tabindex") !== "-1") {
                input.setAttribute("tabindex", "-1");
            }
        }
        if (!button.disabled && button.getAttribute("tabindex") !== "0") {
            button.setAttribute("tabindex", "0");
        }
        var id = button.id;
        if (!id) {
            return;
        }
        var label = document.querySelector('label[for="' + CSS.escape(id) + '"]');
        if (!label) {
            return;
        }
        if (button.hasAttribute("aria-labelledby")) {
            button.removeAttribute("aria-labelledby");
        }
        var described = id + "-value " + id + "-value-count";
        if (button.getAttribute("aria-describedby") !== described) {
            button.setAttribute("aria-describedby", described);
        }
    }

    function fixRadioGroup(group) {
        var role = group.classList.contains("dash-checklist") ? "group" : "radiogroup";
        if (group.getAttribute("role") !== role) {
            group.setAttribute("role", role);
        }
        var label = group.id && document.querySelector('label[for="' + CSS.escape(group.id) + '"]');
        if (label) {
            if (!label.id) {
                label.id = group.id + "-label";
            }
            if (group.getAttribute("aria-labelledby") !== label.id) {
                group.setAttribute("aria-labelledby", label.id);
            }
        }
        var options = group.querySelectorAll("label.dash-options-list-option");
        for (var i = 0; i < options.length; i++) {
            fixRadioOption(options[i]);
        }
    }

    function fixRadioOption(option) {
        if (option.hasAttribute("role")) {
            option.removeAttribute("role");
        }
        if (option.hasAttribute("aria-selected")) {
            option.removeAttribute("aria-selected");
        }
    }

    function fixModebar(root) {
        var buttons = root.querySelectorAll(".modebar-btn");
        for (var i = 0; i < buttons.length; i++) {
            if (buttons[i].getAttribute("tabindex") !== "-1") {
                buttons[i].setAttribute("tabindex", "-1");
            }
        }
    }

    function fixAll(root) {
        if (!root.querySelectorAll) {
            return;
        }
        var dropdowns = root.querySelectorAll("button.dash-dropdown");
        for (var i = 0; i < dropdowns.length; i++) {
            fixDropdown(dropdowns[i]);
        }
        var groups = root.querySelectorAll(".dash-radioitems, .dash-checklist");
        for (var k = 0; k < groups.length; k++) {
            fixRadioGroup(groups[k]);
        }
        fixModebar(root);
    }

    var observer = new MutationObserver(function (changes) {
        // Added nodes are looked at through their parents, each parent once per batch: a
        // chart or a table adds thousands of nodes to a few parents at once.
        var roots = new Set();
        for (var i = 0; i < changes.length; i++) {
            var change = changes[i];
            if (change.type === "attributes") {
                var target = change.target;
                if (target.classList.contains("dash-dropdown-focus-target")) {
                    if (target.getAttribute("tabindex") !== "-1") {
                        target.setAttribute("tabindex", "-1");
                    }
                } else if (target.classList.contains("modebar-btn")) {
                    if (target.getAttribute("tabindex") !== "-1") {
                        target.setAttribute("tabindex", "-1");
                    }
                } else if (target.classList.contains("dash-dropdown")) {
                    fixDropdown(target);
                } else if (
                    target.classList.contains("dash-radioitems") ||
                    target.classList.contains("dash-checklist")
                ) {
                    fixRadioGroup(target);
                } else if (
                    target.classList.contains("dash-options-list-option") &&
                    target.closest(".dash-radioitems, .dash-checklist")
                ) {
                    fixRadioOption(target);
                }
                continue;
            }
            for (var j = 0; j < change.addedNodes.length; j++) {
                var node = change.addedNodes[j];
                if (node.nodeType === 1) {
                    roots.add(node.parentNode || node);
                }
            }
        }
        roots.forEach(fixAll);
    });

    // The skip link moves keyboard focus to the content (following "#main" alone moves only
    // the browser's starting point, which Dash's redraws can lose).
    document.addEventListener("click", function (event) {
        var link = event.target && event.target.closest && event.target.closest(".skip-link");
        var main = link && document.getElementById("main");
        if (main) {
            event.preventDefault();
            main.focus();
            main.scrollIntoView();
        }
    });

    // A choice made in an open menu (a multi-select stays open) makes its search text stale:
    // the next letter typed starts a new search, wherever the focus is in the menu then.
    function markStale(option) {
        var content = option.closest(".dash-dropdown-content");
        var search = content && content.querySelector("input.dash-dropdown-search");
        if (search) {
            search.setAttribute("data-stale", "true");
        }
    }

    document.addEventListener("click", function (event) {
        var option = event.target && event.target.closest && event.target.closest(
            ".dash-dropdown-content .dash-options-list-option"
        );
        if (option) {
            markStale(option);
        }
    });

    // A printable key on a focused option of an open dropdown goes to its search box.
    document.addEventListener(
        "keydown",
        function (event) {
            var here = document.activeElement;
            if (!here || !here.closest) {
                return;
            }
            var option = here.closest(".dash-dropdown-content .dash-options-list-option");
            if (option && (event.key === "Enter" || event.key === " ")) {
                markStale(option);
                return;
            }
            if (event.key.length !== 1 || event.ctrlKey || event.metaKey || event.altKey) {
                return;
            }
            if (here.matches("input.dash-dropdown-search")) {
                if (here.getAttribute("data-stale")) {
                    here.removeAttribute("data-stale");
                    here.select(); // the letter replaces the stale search text
                }
                return;
            }
            if (!option || event.key === " ") {
                return;
            }
            var content = option.closest(".dash-dropdown-content");
            var search = content && content.querySelector("input.dash-dropdown-search");
            if (search) {
                // "Home" is the component's own way back to its search box (it also resets
                // the position that ArrowDown continues from); the key's character is then
                // typed there, as a new search.
                option.dispatchEvent(new KeyboardEvent("keydown", {key: "Home", bubbles: true}));
                if (document.activeElement !== search) {
                    search.focus();
                }
                search.removeAttribute("data-stale");
                search.select();
            }
        },
        true
    );

    // The focused option of a long (virtualised) list is brought into view.
    document.addEventListener("focusin", function (event) {
        var target = event.target;
        var option = target && target.closest && target.closest(".dash-options-list-option");
        if (option && option.scrollIntoView) {
            option.scrollIntoView({block: "nearest"});
        }
    });

    // Caveats and rules (<details class="disclosure">) open on a tap or click (the browser's
    // own toggle) and on keyboard focus: Tab onto one shows it, Tab away folds it again;
    // Enter or Space while it is shown keeps it open (and folds it the next time).
    document.addEventListener("focusin", function (event) {
        var summary = event.target;
        if (!summary || !summary.matches || !summary.matches("details.disclosure > summary")) {
            return;
        }
        var details = summary.parentElement;
        if (!details.open && summary.matches(":focus-visible")) {
            details.setAttribute("data-shown-on-focus", "true");
            details.open = true;
        }
    });

    document.addEventListener("focusout", function (event) {
        var details = event.target && event.target.closest && event.target.closest("details");
        if (!details || !details.hasAttribute("data-shown-on-focus")) {
            return;
        }
        if (event.relatedTarget && details.contains(event.relatedTarget)) {
            return;
        }
        details.removeAttribute("data-shown-on-focus");
        details.open = false;
    });

    document.addEventListener(
        "keydown",
        function (event) {
            var summary = event.target;
            if (event.key !== "Enter" && event.key !== " ") {
                return;
            }
            if (!summary || !summary.matches || !summary.matches("details.disclosure > summary")) {
                return;
            }
            var details = summary.parentElement;
            if (details.hasAttribute("data-shown-on-focus")) {
                details.removeAttribute("data-shown-on-focus"); // kept open from now on
                event.preventDefault();
            }
        },
        true
    );

    function start() {
        fixAll(document);
        observer.observe(document.body, {
            subtree: true,
            childList: true,
            attributes: true,
            attributeFilter: ["tabindex", "aria-labelledby", "aria-selected", "role"],
        });
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();
